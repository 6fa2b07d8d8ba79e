// What the import page shows and polls: where the upload is, how far the import got, and
// every problem found (the first 200, with the total).
import type { Actor } from '../../auth/session';
import type { CsvMapping } from '../csv-mapping';
import type { ImportSummary } from '../import-conversations';
import type { ImportIssue } from '../validate-file';
import { uploadOf } from './access';

export interface ImportUploadView {
  id: number;
  fileName: string;
  format: string;
  status: 'uploading' | 'uploaded' | 'queued' | 'running' | 'succeeded' | 'failed';
  declaredBytes: number;
  receivedBytes: number;
  processedBytes: number;
  stage: string | null;
  csvColumns: string[] | null;
  mapping: CsvMapping | null;
  issueCount: number;
  issues: ImportIssue[];
  summary: ImportSummary | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export async function getImportUpload(actor: Actor, id: number): Promise<ImportUploadView> {
  const u = await uploadOf(actor, id);
  return {
    id: u.id,
    fileName: u.fileName,
    format: u.format,
    status: u.status,
    declaredBytes: u.declaredBytes,
    receivedBytes: u.receivedBytes,
    processedBytes: u.processedBytes,
    stage: u.stage,
    csvColumns: (u.csvColumns as string[] | null) ?? null,
    mapping: (u.mapping as CsvMapping | null) ?? null,
    issueCount: u.issueCount,
    issues: (u.issues as ImportIssue[] | null) ?? [],
    summary: (u.summary as ImportSummary | null) ?? null,
    error: u.error,
    createdAt: u.createdAt.toISOString(),
    finishedAt: u.finishedAt?.toISOString() ?? null,
  };
}
