// npm run bench:upload — a benchmark, not a test. The fine-tune upload alone: a JSONL file of
// BENCH_UPLOAD_MB (default 300) written to a temp file, a fresh local trainer as a child
// process, and the Studio's own upload code (the openai-protocol adapter's uploadFile, as the
// worker's launch step calls it) sending it through the `openai` SDK — once by the Files API
// (one request) and once by the Uploads API (64 MB parts, md5) — beside a plain read of the
// same file, with CPU seconds of this process (the SDK's side) and of the trainer per run, and
// the floor any HTTP upload has here: node:http POSTing the file (1 MB reads) to a server in
// its own process that only discards the body. The md5 is passed in, as the worker has it from
// writing the file. Each File's validation (after the upload answers) is waited for between
// tries, so it is in no figure. BENCH_UPLOAD_TRIES (default 3) runs each way that many times;
// the best time is reported.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { openAiProtocolAdapter } from '../finetunes/providers/openai-protocol';
import { startTrainerProcess, stopChild } from './child-processes';
import { cpuSeconds, procKb } from './process-memory';
import { readSeconds } from './read-file';

const MB = 1024 * 1024;
const TARGET_MB = Number(process.env.BENCH_UPLOAD_MB ?? 300);
const TRIES = Number(process.env.BENCH_UPLOAD_TRIES ?? 3);
const WAYS = (process.env.BENCH_UPLOAD_WAYS ?? 'files,uploads').split(',') as ('files' | 'uploads')[];
const API_KEY = 'sk-bench-upload';
const log = (m: string) => process.stderr.write(`[bench:upload] ${m}\n`);

/** Valid fine-tune lines (~1 KB each) until the file holds `bytes`. */
async function writeJsonl(file: string, bytes: number): Promise<number> {
  const out = fs.createWriteStream(file);
  let written = 0;
  let n = 0;
  while (written < bytes) {
    let chunk = '';
    while (chunk.length < 4 * MB) {
      const user = `Recruiter: hello ${n}\nCandidate: ${'I would like to hear more about the role and the team. '.repeat(12)}`;
      chunk += `${JSON.stringify({
        messages: [
          { role: 'system', content: 'Decide the next step.' },
          { role: 'user', content: user },
          { role: 'assistant', content: n % 3 ? 'CONTINUE' : 'END' },
        ],
      })}\n`;
      n++;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return fs.statSync(file).size;
}

/** A server in its own process that reads every request body and drops it. */
const DISCARD_SERVER = `require('node:http').createServer((q, r) => { q.on('data', () => {}); q.on('end', () => r.end('{}')); }).listen(0, '127.0.0.1', function () { console.log('ready on http://127.0.0.1:' + this.address().port); })`;

/** Seconds to POST `file` with node:http (1 MB reads) to `url`. */
function postSeconds(url: string, file: string, bytes: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-length': bytes } }, (res) => {
      res.resume();
      res.on('end', () => resolve((performance.now() - t0) / 1000));
    });
    req.on('error', reject);
    fs.createReadStream(file, { highWaterMark: MB }).on('error', reject).pipe(req);
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-upload-'));
let trainer: Awaited<ReturnType<typeof startTrainerProcess>> | null = null;
try {
  const file = path.join(tmp, 'train.jsonl');
  const bytes = await writeJsonl(file, TARGET_MB * MB);
  await readSeconds(file); // in the page cache, as the worker's freshly written temp file is
  const reads: number[] = [];
  for (let i = 0; i < 3; i++) reads.push(await readSeconds(file));
  const plainRead = Math.min(...reads);
  log(`${(bytes / MB).toFixed(0)} MB; plain read ${plainRead.toFixed(3)} s`);

  const md5 = createHash('md5').update(fs.readFileSync(file)).digest('hex');
  const sink = spawn(process.execPath, ['-e', DISCARD_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  let floor: { seconds: number; self: number; server: number } | null = null;
  try {
    const sinkUrl = await new Promise<string>((resolve) =>
      sink.stdout!.on('data', (c: Buffer) => /ready on (\S+)/.test(String(c)) && resolve(/ready on (\S+)/.exec(String(c))![1])),
    );
    for (let t = 0; t < TRIES; t++) {
      const self0 = process.cpuUsage();
      const s0 = cpuSeconds({ name: 'sink', pid: sink.pid!, measure: 'self' });
      const seconds = await postSeconds(sinkUrl, file, bytes);
      const self1 = process.cpuUsage(self0);
      const run = { seconds, self: (self1.user + self1.system) / 1e6, server: cpuSeconds({ name: 'sink', pid: sink.pid!, measure: 'self' }) - s0 };
      log(`HTTP floor #${t + 1}: ${seconds.toFixed(2)} s; CPU s client ${run.self.toFixed(2)}, server ${run.server.toFixed(2)}`);
      if (!floor || run.seconds < floor.seconds) floor = run;
    }
  } finally {
    sink.kill('SIGTERM');
  }

  trainer = await startTrainerProcess(path.join(tmp, 'trainer'), API_KEY);
  const trainerPid = trainer.child.pid!;
  const client = new OpenAI({ apiKey: API_KEY, baseURL: `${trainer.url}/v1`, maxRetries: 0, timeout: 600_000 });
  const adapter = openAiProtocolAdapter({ id: 'local', name: 'Local trainer', baseURL: `${trainer.url}/v1`, client }, 'openai');
  const ctx = { request: <T>(fn: () => Promise<T>) => fn() };

  const rows: string[] = [];
  for (const way of WAYS) {
    // The Uploads API for any size above 1 byte; the Files API up to the file's own size.
    process.env.FINETUNE_FILES_API_MAX_BYTES = way === 'uploads' ? '1' : String(Math.max(bytes, 512 * MB));
    let best: { seconds: number; self: number; trainer: number } | null = null;
    for (let t = 0; t < TRIES; t++) {
      const self0 = process.cpuUsage();
      const tr0 = cpuSeconds({ name: 'trainer', pid: trainerPid, measure: 'rss' });
      const t0 = performance.now();
      const id = await adapter.uploadFile(ctx, { path: file, name: 'train.jsonl', md5 });
      const seconds = (performance.now() - t0) / 1000;
      const self1 = process.cpuUsage(self0);
      const run = { seconds, self: (self1.user + self1.system) / 1e6, trainer: cpuSeconds({ name: 'trainer', pid: trainerPid, measure: 'rss' }) - tr0 };
      log(`${way} #${t + 1}: ${seconds.toFixed(2)} s (${id}); CPU s bench ${run.self.toFixed(2)}, trainer ${run.trainer.toFixed(2)}`);
      if (!best || run.seconds < best.seconds) best = run;
      // The File's validation runs after the upload answered: not part of it, and not of the next try.
      while ((await client.files.retrieve(id)).status === 'uploaded') await new Promise((r) => setTimeout(r, 50));
      await client.files.delete(id);
    }
    const b = best!;
    rows.push(
      `| ${way === 'files' ? '`files.create` (one request)' : 'Uploads API (64 MB parts, md5)'} | ${(bytes / MB).toFixed(0)} MB | ${b.seconds.toFixed(2)} s | ${plainRead.toFixed(3)} s | ${((plainRead / b.seconds) * 100).toFixed(0)}% | ${b.self.toFixed(2)} / ${b.trainer.toFixed(2)} |`,
    );
  }
  console.log(
    `\nbench:upload — ${os.cpus().length} cores, Node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}; trainer RSS peak ${((procKb(trainerPid, 'VmHWM') || 0) / 1024).toFixed(0)} MB`,
  );
  console.log('| way | file | upload (best of tries) | plain read | read / upload (target ≥ 50%) | CPU s sender / receiver |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  const f = floor!;
  console.log(
    `| HTTP floor: node:http POST to a server that discards the body | ${(bytes / MB).toFixed(0)} MB | ${f.seconds.toFixed(2)} s | ${plainRead.toFixed(3)} s | ${((plainRead / f.seconds) * 100).toFixed(0)}% | ${f.self.toFixed(2)} / ${f.server.toFixed(2)} |`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (trainer) await stopChild(trainer.child).catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
}
