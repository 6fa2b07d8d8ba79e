// Counts the statements a piece of code sends to PostgreSQL: every pg client (Prisma's
// adapter-pg included) sends each one through Client#query and waits for its answer, so the
// count is the round trips — a figure the machine's load cannot move, unlike the latency.
import pg from 'pg';

export async function countRoundTrips(fn: () => Promise<unknown>): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return n;
}
