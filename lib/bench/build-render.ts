// npx tsx lib/bench/build-render.ts — the dataset build's renderBatch alone, on synthetic batch rows
// (10 messages, 4 labeled turns per conversation; B batches of 2,000 conversations): CPU per turn.
import { renderBatch, type BatchRows } from '../datasets/build-batches';
import { SplitHasher } from '../datasets/content-hash';
import { TokenCollector } from '../datasets/example-stats';
import { DEFAULT_PARAMS } from '../datasets/params';

const CONV = 2000;
const BATCHES = Number(process.env.B ?? 10);
const words = ['pay', 'the hours', 'shift', 'parking', 'benefits', 'overtime', 'uniform', 'training', 'bus route', 'weekends', 'monday', '9am', 'downtown'];
function batchRows(k: number): BatchRows {
  const rows: BatchRows = [];
  for (let c = 0; c < CONV; c++) {
    const seq = k * CONV + c;
    for (let p = 0; p < 10; p++) {
      const h = (seq * 31 + p * 17) >>> 0;
      const t = new Date(Date.UTC(2026, 0, 1) + seq * 60000 + p * (420000 + (h % 600000)));
      const ts = t.toISOString().replace('T', ' ').replace('Z', '');
      const text =
        p % 2
          ? `what about ${words[h % 13]} and ${words[(h >> 3) % 13]} #${h % 1000}?`
          : `Good question! ${words[h % 13]} is covered, pay $${16 + (h % 9)}/hr. Anything else? ${seq}`;
      const headCols = p === 0 ? [String(1000 + seq), `ext-${seq}`, 'train', String(1 + 4 * seq), '4'] : [null, null, null, null, null];
      const label = p >= 2 && p % 2 === 0 ? ['END', 'CONTINUE', 'SCHEDULE'][h % 3] : null;
      rows.push([...headCols, label && String(seq * 10 + p), label && String(p), p % 2 ? 'candidate' : 'recruiter', text, ts, label]);
    }
  }
  return rows;
}
const data = Array.from({ length: BATCHES }, (_, k) => batchRows(k));
const ctx = { versionId: 1, params: DEFAULT_PARAMS, batchConversations: CONV, examplesTotal: BATCHES * CONV * 4 };
for (const round of [1, 2, 3]) {
  const digest = { hasher: new SplitHasher(), tokens: new TokenCollector(), nextBatch: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  for (let k = 0; k < BATCHES; k++) {
    const r = renderBatch(ctx, data[k], digest);
    bytes += r.examples.length;
  }
  const cpu = process.cpuUsage(c0);
  const turns = BATCHES * CONV * 4;
  console.log(
    `round ${round}: ${((cpu.user + cpu.system) / turns).toFixed(2)} µs CPU/turn, ${(((performance.now() - t0) * 1000) / turns).toFixed(2)} µs wall/turn; hash ${digest.hasher.digest().contentHash.slice(0, 12)} ${bytes}`,
  );
}
