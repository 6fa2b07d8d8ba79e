// Shared by the import tests: a file the importer must refuse, with every expected message
// (formatted as the CLI prints it) and the database exactly as it was before.
import { expect } from 'vitest';
import { formatIssue, importConversationsFile, ImportValidationError } from '../imports';
import { snapshotDatabase } from './db-snapshot';

/** Imports `file`, expects it refused with one line matching each pattern (and no others); returns the lines. */
export async function expectImportRejected(file: string, expected: RegExp[], opts: Parameters<typeof importConversationsFile>[1] = {}): Promise<string[]> {
  const before = await snapshotDatabase();
  const err = await importConversationsFile(file, opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportValidationError);
  const lines = (err as ImportValidationError).issues.map((i) => formatIssue(file, i));
  for (const re of expected)
    expect(
      lines.some((l) => re.test(l)),
      `${re} in\n${lines.join('\n')}`,
    ).toBe(true);
  expect(lines, lines.join('\n')).toHaveLength(expected.length);
  expect(await snapshotDatabase()).toEqual(before);
  return lines;
}
