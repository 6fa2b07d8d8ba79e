// Checks every conversation of an import file and reports every problem with its place
// (JSONL line, JSON path, or CSV line and column), so one run tells the whole story.
import path from 'node:path';
import type { z } from 'zod';
import { importConversationSchema, type ImportConversation } from './schema';
import { invalidBytesMessage, type FileFormat, type RawItem } from './read-conversations';
import { findTextIssues, printable, type TextIssue } from './text-checks';

export interface ImportIssue {
  line: number | null;
  /** A JSON path ($.conversations[3].messages[0].sender), or a CSV column ("from (sender)", "header", "row"). */
  path: string;
  message: string;
}

export interface FileCounts {
  conversations: number;
  messages: number;
  labels: number;
}

const MAX_ISSUES_KEPT = 200;

function jsonPath(base: string, p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${printable(String(k))}`), base);
}

export function formatIssue(file: string, issue: ImportIssue): string {
  const name = path.basename(file);
  return issue.line != null ? `${name}:${issue.line}: ${issue.path}: ${issue.message}` : `${name}: ${issue.path}: ${issue.message}`;
}

/** Validates items one at a time; holds only the external_ids seen so far. */
export class FileValidator {
  readonly issues: ImportIssue[] = [];
  issueCount = 0;
  readonly counts: FileCounts = { conversations: 0, messages: 0, labels: 0 };
  private readonly seen = new Map<string, string>();

  constructor(readonly format: FileFormat) {}

  private add(i: ImportIssue) {
    this.issueCount += 1;
    if (this.issues.length < MAX_ISSUES_KEPT) this.issues.push(i);
  }

  /** Returns the valid conversation, or null after recording why it is not. */
  check(item: RawItem): ImportConversation | null {
    if (item.kind === 'error') {
      this.add({ line: item.line, path: item.path, message: item.message });
      return null;
    }
    const base = this.format === 'json' ? `$.conversations[${item.index}]` : '$';
    // Where a path of the conversation is: the CSV reader knows its rows and columns.
    const at = (p: PropertyKey[]): { line: number | null; path: string } => item.locate?.(p) ?? { line: item.line, path: jsonPath(base, p) };
    for (const i of item.issues ?? []) this.add(i);
    // Duplicates are checked even on otherwise broken conversations, so one run reports all.
    const rawId = (item.value as { external_id?: unknown } | null)?.external_id;
    let duplicate = false;
    if (typeof rawId === 'string') {
      const first = this.seen.get(rawId);
      if (first) {
        duplicate = true;
        this.add({ ...at(['external_id']), message: `duplicate external_id "${rawId}" (first seen at ${first})` });
      } else this.seen.set(rawId, item.line != null ? `line ${item.line}` : base);
    }
    // Bytes and characters PostgreSQL cannot store, in any string of the conversation.
    const textIssues: TextIssue[] = [];
    if (!item.clean) findTextIssues(item.value, item.invalid, textIssues);
    for (const t of textIssues) this.add({ ...at(t.path), message: t.message });
    if (this.format === 'jsonl' && item.invalid.length > 0) {
      // Invalid bytes on this line that no string held (outside the strings we walk).
      this.add({ line: item.line, path: '$', message: invalidBytesMessage(item.invalid.splice(0)) });
    }
    const parsed = importConversationSchema.safeParse(item.value);
    if (!parsed.success) {
      for (const iss of (parsed.error as z.ZodError).issues) {
        if (iss.code === 'unrecognized_keys') {
          for (const key of iss.keys) this.add({ ...at([...iss.path, key]), message: 'unknown property' });
        } else this.add({ ...at(iss.path), message: iss.message });
      }
      return null;
    }
    if (duplicate || textIssues.length > 0 || (item.issues?.length ?? 0) > 0) return null;
    const c = parsed.data;
    this.counts.conversations += 1;
    this.counts.messages += c.messages.length;
    for (const m of c.messages) if (m.label) this.counts.labels += 1;
    return c;
  }

  /** Call after the last item: an empty file is a problem too. */
  finish(): void {
    if (this.issueCount === 0 && this.counts.conversations === 0) this.add({ line: null, path: '$', message: 'the file holds no conversations' });
  }
}
