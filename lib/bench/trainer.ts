// npm run bench:trainer — a benchmark, not a test. For 10k and 100k synthetic SMS examples it
// starts a fresh local trainer as a child process (`lib/local-trainer/cli.ts`, as `npm start`
// runs it), uploads through the openai SDK, trains 3 epochs and waits for success; it reports
// wall time per phase and the trainer process's RSS (idle and peak, from /proc VmHWM) beside
// the targets. It then measures chat-completion throughput at concurrency 16 against the model.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI, { toFile } from 'openai';
import { sampleExamples, toJsonl } from '../seed/examples';

const SIZES = (process.env.BENCH_TRAINER_SIZES ?? '10000,100000').split(',').map(Number);
const TARGET_SECONDS: Record<number, number> = { 10_000: 10, 100_000: 60 };
const EPOCHS = Number(process.env.BENCH_TRAINER_EPOCHS ?? 3);
const CHAT_REQUESTS = 2000;
const CONCURRENCY = 16;
const API_KEY = 'sk-bench';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

async function startTrainer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = fileURLToPath(new URL('../local-trainer/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli], {
    env: { ...process.env, TRAINER_PORT: '0', TRAINER_DATA_DIR: dataDir, TRAINER_API_KEY: API_KEY, TRAINER_FAULTS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ready on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`trainer exited (${code}) before it was ready:\n${out}`)));
  });
  return { child, url };
}

interface Result {
  n: number;
  megabytes: number;
  upload: number;
  queued: number;
  train: number;
  total: number;
  idleKb: number;
  peakKb: number;
  heldOut: number;
  perSecond: number;
  p95: number;
}

async function run(n: number): Promise<Result> {
  log(`${n.toLocaleString()} examples: generating…`);
  const jsonl = Buffer.from(toJsonl(sampleExamples(n, 20_261_125)));
  const heldOut = sampleExamples(CHAT_REQUESTS, 7);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-bench-'));
  const { child, url } = await startTrainer(dataDir);
  try {
    const pid = child.pid!;
    const idleKb = procKb(pid, 'VmRSS');
    const client = new OpenAI({ apiKey: API_KEY, baseURL: `${url}/v1`, maxRetries: 0, timeout: 600_000 });

    const t0 = performance.now();
    const file = await client.files.create({ file: await toFile(jsonl, 'train.jsonl'), purpose: 'fine-tune' });
    const t1 = performance.now();
    let job = await client.fineTuning.jobs.create({
      model: 'local-base',
      training_file: file.id,
      seed: 1,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: EPOCHS } } },
    });
    let running = 0;
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await new Promise((r) => setTimeout(r, 50));
      job = await client.fineTuning.jobs.retrieve(job.id);
      if (!running && job.status !== 'validating_files' && job.status !== 'queued') running = performance.now();
    }
    const t2 = performance.now();
    if (job.status !== 'succeeded') throw new Error(`job ${job.status}: ${JSON.stringify(job.error)}`);
    const peakKb = procKb(pid, 'VmHWM');
    log(`  trained: ${job.fine_tuned_model} (batch ${job.hyperparameters.batch_size}, ${job.trained_tokens?.toLocaleString()} tokens)`);

    // Inference: held-out examples at concurrency 16, as an evaluation run sends them.
    const latencies: number[] = [];
    let correct = 0;
    let next = 0;
    const c0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < heldOut.length) {
          const ex = heldOut[next++];
          const s = performance.now();
          const res = await client.chat.completions.create({
            model: job.fine_tuned_model!,
            messages: ex.messages.slice(0, 2),
            temperature: 0,
            logprobs: true,
            top_logprobs: 3,
          });
          latencies.push(performance.now() - s);
          if (res.choices[0].message.content === ex.messages[2].content) correct++;
        }
      }),
    );
    const chatSeconds = (performance.now() - c0) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      n,
      megabytes: jsonl.length / 1e6,
      upload: (t1 - t0) / 1000,
      queued: ((running || t2) - t1) / 1000,
      train: (t2 - (running || t1)) / 1000,
      total: (t2 - t0) / 1000,
      idleKb,
      peakKb,
      heldOut: correct / heldOut.length,
      perSecond: heldOut.length / chatSeconds,
      p95: latencies[Math.floor(latencies.length * 0.95)],
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const n of SIZES) results.push(await run(n));

console.log(`\nLocal trainer, ${EPOCHS} epochs, ${os.cpus().length} cores, Node ${process.version}`);
console.log('examples  file     upload  validate+queue  train    total (target)     trainer RSS idle → peak   held-out acc  chat req/s (p95)');
for (const r of results) {
  const target = TARGET_SECONDS[r.n];
  const verdict = target ? `${r.total <= target ? '≤' : '>'} ${target} s ${r.total <= target ? 'ok' : 'MISSED'}` : '';
  console.log(
    [
      r.n.toLocaleString().padStart(8),
      `${r.megabytes.toFixed(0)} MB`.padStart(7),
      `${r.upload.toFixed(2)} s`.padStart(7),
      `${r.queued.toFixed(2)} s`.padStart(15),
      `${r.train.toFixed(2)} s`.padStart(8),
      `${r.total.toFixed(2)} s (${verdict})`.padEnd(22),
      `${mb(r.idleKb)} → ${mb(r.peakKb)}`.padStart(18),
      `${(r.heldOut * 100).toFixed(1)} %`.padStart(14),
      `${r.perSecond.toFixed(0)} (${r.p95.toFixed(1)} ms)`.padStart(17),
    ].join('  '),
  );
}
console.log(`chat target: ≥ 200 examples/s at concurrency ${CONCURRENCY}`);
