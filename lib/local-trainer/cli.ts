// npm run trainer — the local trainer on its own. Settings come from the environment:
//   TRAINER_PORT (4010), TRAINER_HOST (127.0.0.1), TRAINER_DATA_DIR (.data/trainer),
//   TRAINER_API_KEY (else generated once and kept in <dataDir>/api-key; only its last four characters
//   are ever printed), TRAINER_FAULTS, TRAINER_RESERVE_FREE_MB (256: uploads that would leave less
//   free disk are refused).
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, startLocalTrainer } from './server';

function port(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`TRAINER_PORT must be a port number, got "${raw}"`);
  return n;
}

function reserveMb(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`TRAINER_RESERVE_FREE_MB must be a number of megabytes, got "${raw}"`);
  return n * 1024 * 1024;
}

try {
  const trainer = await startLocalTrainer({
    port: port(process.env.TRAINER_PORT),
    host: process.env.TRAINER_HOST || DEFAULT_HOST,
    dataDir: process.env.TRAINER_DATA_DIR || DEFAULT_DATA_DIR,
    apiKey: process.env.TRAINER_API_KEY || undefined,
    faults: process.env.TRAINER_FAULTS || undefined,
    reserveFreeBytes: reserveMb(process.env.TRAINER_RESERVE_FREE_MB),
    log: (line) => console.log(`[trainer] ${line}`),
  });
  // Logs are read by more people than the key should be: only its kind and last four characters
  // are shown, enough to tell two keys apart; the whole key is in the file (or the variable) named.
  const keySource = process.env.TRAINER_API_KEY
    ? 'the rest is in TRAINER_API_KEY'
    : trainer.apiKeyCreated
      ? `generated; the whole key is in ${trainer.dataDir}/api-key`
      : `the whole key is in ${trainer.dataDir}/api-key`;
  const key = trainer.apiKey;
  const keyShown = key.length >= 24 ? `${/^sk-[a-z]+-/.exec(key)?.[0] ?? ''}…${key.slice(-4)}` : '…';
  const faults = Object.keys(trainer.faults.get()).length ? `\n  faults:    ${JSON.stringify(trainer.faults.get())}` : '';
  console.log(
    [
      `[trainer] local trainer data in ${trainer.dataDir}`,
      `  base URL:  ${trainer.url}/v1   (OPENAI_BASE_URL for the openai SDK)`,
      `  API key:   ${keyShown}   (${keySource}; send as "Authorization: Bearer <key>")`,
      `  models:    local-base, plus every fine-tuned model (GET ${trainer.url}/v1/models)${faults}`,
    ].join('\n'),
  );
  console.log(`[trainer] ready on ${trainer.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[trainer] ${signal}: stopping (jobs in flight resume at the next start)`);
    void trainer.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  console.error(`[trainer] failed to start: ${(e as Error).message}`);
  process.exit(1);
}
