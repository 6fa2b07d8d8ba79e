// Pass 1 of an import: read the whole file and report every problem with its place, before
// a single row is written.
import path from 'node:path';
import type { z } from 'zod';
import { importConversationSchema } from './schema';
import { readConversations, type FileFormat, type RawItem } from './read-conversations';

export interface ImportIssue {
  line: number | null;
  path: string;
  message: string;
}

export interface FileCounts {
  conversations: number;
  messages: number;
  labels: number;
}

export interface ValidationResult {
  format: FileFormat;
  issues: ImportIssue[];
  issueCount: number;
  counts: FileCounts;
}

const MAX_ISSUES_KEPT = 200;

function jsonPath(base: string, p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`), base);
}

export function formatIssue(file: string, issue: ImportIssue): string {
  const name = path.basename(file);
  return issue.line != null ? `${name}:${issue.line}: ${issue.path}: ${issue.message}` : `${name}: ${issue.path}: ${issue.message}`;
}

export async function validateImportFile(file: string, format: FileFormat): Promise<ValidationResult> {
  const issues: ImportIssue[] = [];
  let issueCount = 0;
  const add = (i: ImportIssue) => {
    issueCount += 1;
    if (issues.length < MAX_ISSUES_KEPT) issues.push(i);
  };
  const counts: FileCounts = { conversations: 0, messages: 0, labels: 0 };
  // external_id → where it first appeared; the only per-conversation state kept in memory.
  const seen = new Map<string, string>();

  for await (const item of readConversations(file, format) as AsyncGenerator<RawItem>) {
    if (item.kind === 'error') {
      add({ line: item.line, path: item.path, message: item.message });
      continue;
    }
    const base = format === 'jsonl' ? '$' : `$.conversations[${item.index}]`;
    // Duplicates are checked even on otherwise broken conversations, so one run reports all.
    const rawId = (item.value as { external_id?: unknown } | null)?.external_id;
    let duplicate = false;
    if (typeof rawId === 'string') {
      const first = seen.get(rawId);
      if (first) {
        duplicate = true;
        add({ line: item.line, path: `${base}.external_id`, message: `duplicate external_id "${rawId}" (first seen at ${first})` });
      } else seen.set(rawId, item.line != null ? `line ${item.line}` : base);
    }
    const parsed = importConversationSchema.safeParse(item.value);
    if (!parsed.success) {
      for (const iss of (parsed.error as z.ZodError).issues) {
        if (iss.code === 'unrecognized_keys') {
          for (const key of iss.keys) add({ line: item.line, path: jsonPath(base, [...iss.path, key]), message: 'unknown property' });
        } else add({ line: item.line, path: jsonPath(base, iss.path), message: iss.message });
      }
      continue;
    }
    if (duplicate) continue;
    const c = parsed.data;
    counts.conversations += 1;
    counts.messages += c.messages.length;
    counts.labels += c.messages.filter((m) => m.label).length;
  }
  if (issueCount === 0 && counts.conversations === 0) add({ line: null, path: '$', message: 'the file holds no conversations' });
  return { format, issues, issueCount, counts };
}
