// Small helpers the build steps share: a cursor read as an async iterator, and COPY FROM STDIN
// of lines already in COPY text format.
import { once } from 'node:events';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { from as copyFrom } from 'pg-copy-streams';

const CURSOR_ROWS = 2_000;

export async function* cursorRows<T>(client: pg.Client, text: string, values: unknown[]): AsyncGenerator<T> {
  const cursor = client.query(new Cursor<T>(text, values));
  try {
    for (;;) {
      const rows = await cursor.read(CURSOR_ROWS);
      if (rows.length === 0) return;
      yield* rows;
    }
  } finally {
    await cursor.close();
  }
}

/**
 * COPY … FROM STDIN of `chunks` (each any number of whole lines). Every chunk is written before
 * the COPY ends, so an error in the caller can never leave a COPY half open on the connection.
 */
export async function copyLines(client: pg.Client, sql: string, chunks: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  try {
    for (const chunk of chunks) {
      if (chunk && !stream.write(chunk)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
  }
  await done;
}
