// The benchmarks' floor for reading rows out of PostgreSQL: `COPY (SELECT …) TO STDOUT` written
// to a file, as `psql -c "\copy (…) to file"` would; the file is removed afterwards.
import fs from 'node:fs';
import { once } from 'node:events';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export async function copyOut(client: pg.Client, sql: string, file: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const t = performance.now();
  const stream = client.query(copyTo(sql));
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let rows = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fs.rmSync(file);
  return { rows, bytes, seconds: (performance.now() - t) / 1000 };
}
