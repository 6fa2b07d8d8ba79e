// A version's content hash: sha256 over the three JSONL files, each named with its own sha256,
// so equal hashes mean byte-identical files and a manifest can list per-file hashes too.
import { createHash, type Hash } from 'node:crypto';
import { SPLITS, type SplitName } from './params';

export const SPLIT_FILES = {
  train: 'train.jsonl',
  validation: 'validation.jsonl',
  test: 'test.jsonl',
} as const satisfies Record<SplitName, string>;

export interface FileDigest {
  lines: number;
  bytes: number;
  sha256: string;
}

export class SplitHasher {
  private hashes: Record<SplitName, Hash> = { train: createHash('sha256'), validation: createHash('sha256'), test: createHash('sha256') };
  private lines: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  private bytes: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };

  add(split: SplitName, line: string): void {
    this.hashes[split].update(line);
    this.lines[split]++;
    this.bytes[split] += Buffer.byteLength(line);
  }

  /** Several whole lines at once, already encoded (the hash is the same as line by line). */
  addBytes(split: SplitName, bytes: Buffer, lines: number): void {
    this.hashes[split].update(bytes);
    this.lines[split] += lines;
    this.bytes[split] += bytes.length;
  }

  digest(): { files: Record<SplitName, FileDigest>; contentHash: string } {
    const files = {} as Record<SplitName, FileDigest>;
    for (const s of SPLITS) files[s] = { lines: this.lines[s], bytes: this.bytes[s], sha256: this.hashes[s].digest('hex') };
    return { files, contentHash: combineDigests(files) };
  }
}

export function combineDigests(files: Record<SplitName, { sha256: string }>): string {
  const h = createHash('sha256');
  for (const s of SPLITS) h.update(`${SPLIT_FILES[s]} ${files[s].sha256}\n`);
  return h.digest('hex');
}
