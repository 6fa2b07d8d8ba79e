// npm run bench:trainer — a benchmark, not a test. For 10k and 100k synthetic SMS examples (and
// 1M with BENCH_TRAINER_SIZES=10000,100000,1000000) it writes the JSONL to a temporary file as
// it generates it, starts a fresh local trainer as a child process (`lib/local-trainer/cli.ts`,
// as `npm start` runs it), uploads through the openai SDK — `files.create` up to 512 MB,
// OpenAI's per-file limit, the Uploads API in 64 MB parts above it, as the Studio does — trains
// 3 epochs and waits for success. Beside the upload it times, in the same run, a plain read of
// the same file and a read that also runs the upload's line-by-line validation; it reports wall
// time per phase and the trainer process's RSS (idle, after the upload and peak, from /proc
// VmHWM) beside the targets, then chat-completion throughput at concurrency 16. The upload only
// writes the bytes (the trainer validates a fine-tune File after it lands), so its validation is
// part of "validate+queue": the job waits in validating_files for it, as OpenAI's does.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { DEFAULT_INSTRUCTIONS } from '../datasets/default-instructions';
import { transcriptLine, turnLine, type TranscriptMessage } from '../datasets/transcript';
import { sampleExamples } from '../seed/examples';
import { conversationStream } from '../seed/generate';
import { startTrainerProcess } from './child-processes';
import { procKb } from './process-memory';
import { readSeconds } from './read-file';

const SIZES = (process.env.BENCH_TRAINER_SIZES ?? '10000,100000').split(',').map(Number);
const TARGET_SECONDS: Record<number, number> = { 10_000: 10, 100_000: 60 };
/** Trainer peak RSS target (issue 13). */
const TARGET_PEAK_MB = 2048;
/** Upload throughput target: at least half the speed of reading the file. */
const TARGET_UPLOAD_SHARE = 0.5;
/** OpenAI's per-file limit: larger files go through the Uploads API. */
const FILES_API_LIMIT = 512 * 1024 * 1024;
const PART_BYTES = 64 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
const EPOCHS = Number(process.env.BENCH_TRAINER_EPOCHS ?? 3);
const CHAT_REQUESTS = 2000;
const CONCURRENCY = 16;
const API_KEY = 'sk-bench';
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** The first n examples of sampleExamples(n, seed), written line by line to `file` (never all in memory). */
async function writeExamples(n: number, seed: number, file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  let written = 0;
  let pending = '';
  const flush = async () => {
    if (!out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()));
    pending = '';
  };
  for (const c of conversationStream(seed)) {
    const messages: TranscriptMessage[] = c.messages.map((m) => ({ sender: m.sender, text: m.text, sentAt: m.sent_at ? new Date(m.sent_at) : null }));
    let before = transcriptLine(messages, 0);
    for (let i = 1; i < messages.length && written < n; before += transcriptLine(messages, i), i++) {
      const label = c.labels[i];
      if (!label) continue;
      const line = {
        messages: [
          { role: 'system', content: DEFAULT_INSTRUCTIONS },
          { role: 'user', content: before + turnLine(messages, i) },
          { role: 'assistant', content: label },
        ],
      };
      pending += `${JSON.stringify(line)}\n`;
      written++;
      if (pending.length > 4 * 1024 * 1024) await flush();
    }
    if (written >= n) break;
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return fs.statSync(file).size;
}

/** Uploads `file`: files.create up to 512 MB, else the Uploads API in 64 MB parts, two in flight. */
async function uploadFile(client: OpenAI, file: string, bytes: number): Promise<{ id: string; method: string }> {
  if (bytes <= FILES_API_LIMIT) {
    // As the Studio sends it (openai-protocol.ts): a disk-backed Blob, streamed, never read whole.
    const f = await client.files.create({ file: await toFile(await fs.openAsBlob(file), 'train.jsonl'), purpose: 'fine-tune' });
    return { id: f.id, method: 'files' };
  }
  const upload = await client.uploads.create({ bytes, filename: 'train.jsonl', mime_type: 'text/jsonl', purpose: 'fine-tune' });
  const count = Math.ceil(bytes / PART_BYTES);
  const ids: string[] = new Array(count);
  const fh = await fs.promises.open(file, 'r');
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: PARTS_IN_FLIGHT }, async () => {
        while (next < count) {
          const k = next++;
          const size = Math.min(PART_BYTES, bytes - k * PART_BYTES);
          const buf = Buffer.allocUnsafe(size);
          const { bytesRead } = await fh.read(buf, 0, size, k * PART_BYTES);
          if (bytesRead !== size) throw new Error(`short read of part ${k}`);
          ids[k] = (await client.uploads.parts.create(upload.id, { data: await toFile(buf, `part-${k}`) })).id;
        }
      }),
    );
  } finally {
    await fh.close();
  }
  const done = await client.uploads.complete(upload.id, { part_ids: ids });
  if (!done.file) throw new Error(`upload ${upload.id} completed without a file`);
  return { id: done.file.id, method: `uploads (${count} parts)` };
}

/**
 * Seconds to POST `file` to /v1/files with node:http, streamed from disk: the trainer's own
 * receive path without the SDK's multipart encoder (which on this machine costs more than the
 * trainer's side of the upload).
 */
async function rawUploadSeconds(url: string, file: string): Promise<number> {
  const boundary = 'benchboundary7d1f';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="raw.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = http.request(
      `${url}/v1/files`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + fs.statSync(file).size + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`raw upload: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.write(head);
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('error', reject)
      .on('end', () => req.end(tail))
      .pipe(req, { end: false });
  });
  return (performance.now() - t0) / 1000;
}

interface Result {
  n: number;
  megabytes: number;
  method: string;
  plainRead: number;
  readValidate: number;
  upload: number;
  rawUpload: number;
  uploadKb: number;
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-bench-'));
  const jsonlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-bench-jsonl-'));
  const jsonlFile = path.join(jsonlDir, 'train.jsonl');
  const bytes = await writeExamples(n, 20_261_125, jsonlFile);
  const heldOut = sampleExamples(CHAT_REQUESTS, 7);
  // Baselines in the same run, the file warm in the page cache as it is for the upload.
  await readSeconds(jsonlFile, false);
  const plainRead = await readSeconds(jsonlFile, false);
  const readValidate = await readSeconds(jsonlFile, true);
  log(`  ${(bytes / 1e6).toFixed(0)} MB; plain read ${plainRead.toFixed(2)} s, read + validate ${readValidate.toFixed(2)} s; uploading…`);
  const { child, url } = await startTrainerProcess(dataDir, API_KEY);
  try {
    const pid = child.pid!;
    const idleKb = procKb(pid, 'VmRSS');
    const client = new OpenAI({ apiKey: API_KEY, baseURL: `${url}/v1`, maxRetries: 0, timeout: 600_000 });

    const t0 = performance.now();
    const file = await uploadFile(client, jsonlFile, bytes);
    const t1 = performance.now();
    const uploadKb = procKb(pid, 'VmHWM');
    log(`  uploaded in ${((t1 - t0) / 1000).toFixed(2)} s (${file.method}); training…`);
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
    const rawUpload = await rawUploadSeconds(url, jsonlFile);
    return {
      n,
      megabytes: bytes / 1e6,
      method: file.method,
      plainRead,
      readValidate,
      upload: (t1 - t0) / 1000,
      rawUpload,
      uploadKb,
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
    fs.rmSync(jsonlDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const n of SIZES) results.push(await run(n));

const pad = (x: string, n: number) => x.padStart(n);
console.log(`\nLocal trainer, ${EPOCHS} epochs, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('\nUpload (baselines in the same run: a plain read of the same file, and a read through the same line-by-line validation)');
console.log('examples     file  method              plain read  read+validate  upload (SDK)  vs plain read (target ≥ 50%)  upload (node:http)  vs plain read');
for (const r of results) {
  const share = r.plainRead / r.upload;
  console.log(
    [
      pad(r.n.toLocaleString(), 8),
      pad(`${r.megabytes.toFixed(0)} MB`, 8),
      r.method.padEnd(18),
      pad(`${r.plainRead.toFixed(2)} s`, 10),
      pad(`${r.readValidate.toFixed(2)} s`, 13),
      pad(`${r.upload.toFixed(2)} s`, 12),
      `${(share * 100).toFixed(0)} % ${share >= TARGET_UPLOAD_SHARE ? 'ok' : 'MISSED'}`.padStart(28),
      pad(`${r.rawUpload.toFixed(2)} s`, 18),
      pad(`${((r.plainRead / r.rawUpload) * 100).toFixed(0)} %`, 13),
    ].join('  '),
  );
}
console.log('\nTraining');
console.log(
  'examples  validate+queue  train     total (target)        trainer RSS idle → after upload → peak (target ≤ 2 GB)   held-out acc  chat req/s (p95)',
);
for (const r of results) {
  const target = TARGET_SECONDS[r.n];
  const verdict = target ? ` (${r.total <= target ? '≤' : '>'} ${target} s ${r.total <= target ? 'ok' : 'MISSED'})` : '';
  const peakOk = r.peakKb / 1024 <= TARGET_PEAK_MB;
  console.log(
    [
      pad(r.n.toLocaleString(), 8),
      pad(`${r.queued.toFixed(2)} s`, 14),
      pad(`${r.train.toFixed(2)} s`, 8),
      `${r.total.toFixed(2)} s${verdict}`.padEnd(22),
      `${mb(r.idleKb)} → ${mb(r.uploadKb)} → ${mb(r.peakKb)} ${peakOk ? 'ok' : 'MISSED'}`.padStart(52),
      pad(`${(r.heldOut * 100).toFixed(1)} %`, 14),
      pad(`${r.perSecond.toFixed(0)} (${r.p95.toFixed(1)} ms)`, 17),
    ].join('  '),
  );
}
console.log(`chat target: ≥ 200 examples/s at concurrency ${CONCURRENCY}`);
