import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sentAt } from './build-batches';

const general = pg.types.getTypeParser(1114) as (v: string) => Date;

describe('sentAt', () => {
  it('reads a timestamp as node-pg does, fast path or not', () => {
    const texts = [
      '2026-01-01 00:00:00',
      '2026-12-31 23:59:59.999999',
      '2026-03-29 02:30:00.5',
      '2024-02-29 12:00:00.123',
      '0100-01-01 00:00:00',
      '0099-12-31 23:59:59',
      '0001-01-01 00:00:00 BC',
      '12345-01-01 00:00:00',
      '2026-10-25 01:30:00.000001',
    ];
    for (const t of texts) expect(sentAt(t)?.getTime(), t).toBe(general(t).getTime());
    expect(sentAt(null)).toBeNull();
  });
});
