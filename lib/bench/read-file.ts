// The benchmarks' floor for an upload: reading the same file once (4 MB chunks), optionally
// through the local trainer's line-by-line JSONL validation.
import fs from 'node:fs';
import { FineTuneValidator } from '../local-trainer/validate-jsonl';

/** Seconds to read `file` once, optionally through the upload's JSONL validator. */
export async function readSeconds(file: string, validate = false): Promise<number> {
  const t0 = performance.now();
  const v = validate ? new FineTuneValidator() : null;
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    bytes += (chunk as Buffer).length;
    v?.push(chunk as Buffer);
  }
  v?.finish();
  if (!bytes) throw new Error(`${file} is empty`);
  return (performance.now() - t0) / 1000;
}
