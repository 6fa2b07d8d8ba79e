// The bundled local trainer: an OpenAI-compatible HTTP server (files, fine-tuning jobs, models,
// chat completions) that trains a real text classifier. Standalone on purpose — node built-ins
// and npm packages only, nothing from the Studio's lib/ — because the Studio must reach it
// exactly as it reaches OpenAI: through the `openai` SDK and a base URL.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { checkBearer, loadOrCreateApiKey } from './auth';
import { BatchRunner } from './batch-runner';
import { lockDataDir } from './data-dir-lock';
import type { Deps } from './deps';
import { DEFAULT_RESERVE_BYTES, DiskSpace } from './disk-space';
import { ApiError } from './errors';
import { Faults, parseFaultsEnv, type FaultConfig } from './faults';
import { FileValidations } from './file-validation';
import { sendError, sendJson } from './http';
import { newRequestId } from './ids';
import { JobRunner } from './job-runner';
import { ModelRegistry } from './model-registry';
import { Router } from './router';
import { batchRoutes } from './routes/batches';
import { chatRoutes } from './routes/chat';
import { controlRoutes } from './routes/control';
import { fileRoutes } from './routes/files';
import { jobRoutes } from './routes/jobs';
import { modelRoutes } from './routes/models';
import { uploadRoutes } from './routes/uploads';
import { Store } from './store';

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = path.join('.data', 'trainer');

export interface LocalTrainerOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default .data/trainer (relative to the working directory). */
  dataDir?: string;
  /** Bearer key clients must send; default: the one persisted in <dataDir>/api-key (created on first start). */
  apiKey?: string;
  /** Injected failures: an object, or the TRAINER_FAULTS syntax ("429:0.3,500:0.2,hang:0.05"). */
  faults?: FaultConfig | string;
  /** Uploads are refused when they would leave less free disk than this (default 256 MB). */
  reserveFreeBytes?: number;
  /** Receives one line per job transition (the CLI prints them); silent by default. */
  log?: (line: string) => void;
}

export interface LocalTrainer {
  /** e.g. http://127.0.0.1:4010 — give the SDK `${url}/v1`. */
  url: string;
  apiKey: string;
  /** True when the key was generated (and persisted) by this start. */
  apiKeyCreated: boolean;
  dataDir: string;
  faults: Faults;
  /** Stops serving and stops the training worker; in-flight jobs resume at the next start. */
  close(): Promise<void>;
}

export async function startLocalTrainer(opts: LocalTrainerOptions = {}): Promise<LocalTrainer> {
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const host = opts.host ?? DEFAULT_HOST;
  const { key: apiKey, created: apiKeyCreated } = opts.apiKey ? { key: opts.apiKey, created: false } : loadOrCreateApiKey(dataDir);
  const faults = new Faults(typeof opts.faults === 'string' ? parseFaultsEnv(opts.faults) : (opts.faults ?? {}));

  const unlock = lockDataDir(dataDir);
  const store = new Store(dataDir);
  const models = new ModelRegistry(store);
  const log = opts.log ?? (() => {});
  const validations = new FileValidations(store, log);
  const runner = new JobRunner(store, validations, () => models.invalidate(), log);
  const disk = new DiskSpace(dataDir, opts.reserveFreeBytes ?? DEFAULT_RESERVE_BYTES);
  const batches = new BatchRunner({ store, models, faults }, log);
  const deps: Deps = { store, runner, models, faults, disk, validations, batches };

  const router = new Router<Deps>();
  fileRoutes(router);
  uploadRoutes(router);
  jobRoutes(router);
  modelRoutes(router);
  chatRoutes(router);
  batchRoutes(router);
  controlRoutes(router);

  const hung = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-request-id', newRequestId());
    try {
      const url = new URL(req.url ?? '/', 'http://trainer.local');
      if (url.pathname === '/health' && req.method === 'GET') return sendJson(res, 200, { ok: true });
      checkBearer(req, apiKey);
      if (!url.pathname.startsWith('/_control/')) {
        const fault = faults.pick(url.pathname);
        if (fault === 'hang') {
          // Never answer: the client's own timeout is what is being tested.
          hung.add(res);
          res.on('close', () => hung.delete(res));
          req.resume();
          return;
        }
        if (fault === '429') {
          const ms = faults.retryAfterMs;
          throw new ApiError(429, 'Rate limit reached for requests (injected by the local trainer). Please try again shortly.', {
            type: 'requests',
            code: 'rate_limit_exceeded',
            headers: { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) },
          });
        }
        if (fault === '500')
          throw new ApiError(500, 'The server had an error while processing your request (injected by the local trainer).', { type: 'server_error' });
      }
      const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
      await handler({ req, res, url, params }, deps);
    } catch (e) {
      sendError(res, e);
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  // Longer than the clients' idle keep-alive (undici: 4 s), so the client always closes an idle
  // connection first and never sends a request into a socket the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    unlock();
    throw e;
  }
  validations.resume();
  runner.resume();
  batches.resume();

  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    apiKey,
    apiKeyCreated,
    dataDir,
    faults,
    close() {
      closing ??= (async () => {
        for (const res of hung) res.destroy();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await runner.close();
        await batches.close();
        await validations.close();
        await closed;
        unlock();
      })();
      return closing;
    },
  };
}
