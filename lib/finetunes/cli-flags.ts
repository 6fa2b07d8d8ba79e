// `npm run finetune` flags → launch input, with every problem named by its flag. Pure, so it
// runs before the CLI touches the database (bad flags create nothing).
import { parseArgs } from 'node:util';
import { launchInputSchema } from './launch-params';

export const FINETUNE_USAGE =
  'usage: npm run finetune -- --dataset <name> [--version V] --model <base> [--provider local|openai] [--epochs N|auto] [--batch-size N|auto] [--lr-multiplier X|auto] [--suffix S] [--seed N] [--wait] [--as EMAIL]';

/** Launch input key → the flag that sets it. */
export const FLAG_OF_FIELD: Record<string, string> = {
  datasetVersionId: '--version',
  provider: '--provider',
  baseModel: '--model',
  nEpochs: '--epochs',
  batchSize: '--batch-size',
  learningRateMultiplier: '--lr-multiplier',
  suffix: '--suffix',
  seed: '--seed',
};

export interface FineTuneFlags {
  dataset: string;
  version: number | null;
  wait: boolean;
  as: string | undefined;
  /** Launch input without datasetVersionId (resolved from --dataset/--version). */
  input: { provider: string; baseModel: string; nEpochs: 'auto' | number; batchSize: 'auto' | number; learningRateMultiplier: 'auto' | number; suffix?: string; seed?: number };
}

export type ParsedFlags = { ok: true; flags: FineTuneFlags } | { ok: false; errors: string[] };

const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

export function parseFineTuneFlags(argv: string[]): ParsedFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dataset: { type: 'string' },
        version: { type: 'string' },
        model: { type: 'string' },
        provider: { type: 'string' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        'lr-multiplier': { type: 'string' },
        suffix: { type: 'string' },
        seed: { type: 'string' },
        wait: { type: 'boolean' },
        as: { type: 'string' },
      },
    }));
  } catch (e) {
    return { ok: false, errors: [(e as Error).message] };
  }
  const errors: string[] = [];
  if (!values.dataset) errors.push('--dataset is required (the dataset name)');
  if (!values.model) errors.push('--model is required (the base model, e.g. local-base or gpt-4.1-mini-2025-04-14)');

  const autoOr = (flag: string, raw: string | undefined, pattern: RegExp, what: string): 'auto' | number | undefined => {
    if (raw === undefined || raw === 'auto') return raw;
    if (!pattern.test(raw)) {
      errors.push(`${flag}: "${raw}" is not ${what} or auto`);
      return undefined;
    }
    return Number(raw);
  };
  let version: number | null = null;
  if (values.version !== undefined) {
    if (!WHOLE.test(values.version) || Number(values.version) < 1) errors.push(`--version: "${values.version}" is not a version number (1, 2, …)`);
    else version = Number(values.version);
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    if (!WHOLE.test(values.seed)) errors.push(`--seed: "${values.seed}" is not a whole number`);
    else seed = Number(values.seed);
  }
  const input = {
    provider: values.provider ?? 'local',
    baseModel: values.model ?? '',
    nEpochs: autoOr('--epochs', values.epochs, WHOLE, 'a whole number') ?? 'auto',
    batchSize: autoOr('--batch-size', values['batch-size'], WHOLE, 'a whole number') ?? 'auto',
    learningRateMultiplier: autoOr('--lr-multiplier', values['lr-multiplier'], DECIMAL, 'a number') ?? 'auto',
    ...(values.suffix !== undefined ? { suffix: values.suffix } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  if (errors.length) return { ok: false, errors };

  // Ranges and formats, checked by the same schema as the launch (a placeholder version id).
  const checked = launchInputSchema.safeParse({ ...input, datasetVersionId: 1 });
  if (!checked.success) {
    return { ok: false, errors: checked.error.issues.map((i) => `${FLAG_OF_FIELD[String(i.path[0])] ?? `--${String(i.path[0])}`}: ${i.message}`) };
  }
  return { ok: true, flags: { dataset: values.dataset!, version, wait: values.wait ?? false, as: values.as, input } };
}
