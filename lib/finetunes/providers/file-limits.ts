// How large a training file each provider takes, and how it must be sent. OpenAI's Files API
// takes up to 512 MB a file; larger files go through its Uploads API (parts of ≤ 64 MB, up to
// 8 GB), which the local trainer speaks too. Azure OpenAI's GA data plane (2024-10-21, the
// version we call) has no Uploads API, and its quotas page gives 512 MB as the max file size
// for fine-tuning. Together AI's single-request upload (what together.ts sends) takes up to
// 5 GB — its SDK switches to its own multipart protocol above that, which we do not speak.
// Checked at launch, before anything is uploaded, so a user learns it on the form or the CLI.
import { z } from 'zod';
import type { ProviderId } from '../provider-ids';

const MB = 1024 * 1024;
export const FILES_API_MAX_BYTES = 512 * MB;
export const UPLOADS_API_MAX_BYTES = 8 * 1024 * MB;
/** The Uploads API's largest part. */
export const UPLOAD_PART_BYTES = 64 * MB;

function envBytes(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const r = z.coerce.number().int().min(1).max(fallback).safeParse(raw);
  if (!r.success) throw new Error(`${name} must be a whole number of bytes from 1 to ${fallback} (got "${raw}")`);
  return r.data;
}

/**
 * Files larger than this go through the Uploads API (OpenAI-protocol providers). Default
 * 512 MB, OpenAI's per-file limit; FINETUNE_FILES_API_MAX_BYTES lowers it (a test sends a small
 * file in parts to the local trainer).
 */
export const filesApiMaxBytes = () => envBytes('FINETUNE_FILES_API_MAX_BYTES', FILES_API_MAX_BYTES);

/** Part size for the Uploads API: 64 MB, or less with FINETUNE_UPLOAD_PART_BYTES (tests: several parts from a small file). */
export const uploadPartBytes = () => envBytes('FINETUNE_UPLOAD_PART_BYTES', UPLOAD_PART_BYTES);

export interface ProviderFileLimit {
  /** The largest file the provider takes, as the Studio sends it. */
  maxBytes: number;
  /** Whether files over filesApiMaxBytes() go in parts (the Uploads API). */
  uploadsApi: boolean;
}

export function fileLimitOf(provider: ProviderId): ProviderFileLimit {
  switch (provider) {
    case 'azure':
      return { maxBytes: FILES_API_MAX_BYTES, uploadsApi: false };
    case 'together':
      return { maxBytes: 5 * 1024 * MB, uploadsApi: false };
    default:
      return { maxBytes: UPLOADS_API_MAX_BYTES, uploadsApi: true };
  }
}

const human = (bytes: number) => (bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(bytes % (1024 * MB) ? 1 : 0)} GB` : `${Math.round(bytes / MB)} MB`);

/** Why `file` (of `bytes`) cannot go to `providerName`, or null when it can. */
export function fileTooLargeProblem(provider: ProviderId, providerName: string, file: string, bytes: number): string | null {
  const limit = fileLimitOf(provider);
  if (bytes <= limit.maxBytes) return null;
  const how = limit.uploadsApi ? ' (through its Uploads API)' : ' (it has no Uploads API for larger files)';
  return `${file} is ${human(bytes)}, but ${providerName} takes at most ${human(limit.maxBytes)} per file${how}; build a smaller version or train on another provider`;
}
