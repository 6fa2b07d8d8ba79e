// `npm run finetune` flags → launch input, with every problem named by its flag. Pure, so it
// runs before the CLI touches the database (bad flags create nothing).
import { launchInputSchema } from '../finetunes/launch-params';
import { defineCli, parseFlags, textParsedBy, usage, type FlagValues } from './flags';

const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
const SCIENTIFIC = /^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i;
const autoOr = (pattern: RegExp, what: string) =>
  textParsedBy((t) => (t === 'auto' ? ('auto' as const) : pattern.test(t) ? Number(t) : undefined), `${what} or auto`);

export const FINETUNE_CLI = defineCli({
  command: 'npm run finetune --',
  description:
    'Launches a fine-tune of a dataset version (default: its latest ready version). With --wait it follows the run to the end in this process; the last stdout line is the run as JSON.',
  flags: {
    dataset: { type: 'string', value: 'name', required: 'the dataset name', help: 'the dataset to train on' },
    version: {
      type: 'string',
      value: 'V',
      schema: textParsedBy((t) => (WHOLE.test(t) && Number(t) >= 1 ? Number(t) : undefined), 'a version number (1, 2, …)'),
      help: 'its version (default: the latest ready one)',
    },
    model: { type: 'string', value: 'base', required: 'the base model, e.g. local-base or gpt-4.1-mini-2025-04-14', help: 'the base model' },
    provider: { type: 'string', value: 'local|openai|azure|together', default: 'local', help: 'where to train (--list-providers says which are configured)' },
    epochs: { type: 'string', value: 'N|auto', default: 'auto', schema: autoOr(WHOLE, 'a whole number'), help: 'training epochs' },
    'batch-size': { type: 'string', value: 'N|auto', default: 'auto', schema: autoOr(WHOLE, 'a whole number'), help: 'batch size' },
    'lr-multiplier': {
      type: 'string',
      value: 'X|auto',
      default: 'auto',
      schema: autoOr(DECIMAL, 'a number'),
      help: 'learning-rate multiplier',
    },
    'learning-rate': { type: 'string', value: 'X|auto', schema: autoOr(SCIENTIFIC, 'a number'), help: 'learning rate (Together AI), e.g. 0.00001' },
    'no-lora': { type: 'boolean', help: 'full fine-tune instead of LoRA (Together AI)' },
    'lora-r': {
      type: 'string',
      value: 'N',
      schema: textParsedBy((t) => (WHOLE.test(t) ? Number(t) : undefined), 'a whole number'),
      help: 'LoRA rank (Together AI)',
    },
    'lora-alpha': {
      type: 'string',
      value: 'N',
      schema: textParsedBy((t) => (WHOLE.test(t) ? Number(t) : undefined), 'a whole number'),
      help: 'LoRA alpha (Together AI)',
    },
    'lora-dropout': {
      type: 'string',
      value: 'X',
      schema: textParsedBy((t) => (SCIENTIFIC.test(t) ? Number(t) : undefined), 'a number'),
      help: 'LoRA dropout, 0–1 (Together AI)',
    },
    'warmup-ratio': {
      type: 'string',
      value: 'X',
      schema: textParsedBy((t) => (SCIENTIFIC.test(t) ? Number(t) : undefined), 'a number'),
      help: 'warm-up ratio, 0–1 (Together AI)',
    },
    suffix: { type: 'string', value: 'S', help: "a suffix for the fine-tuned model's name" },
    seed: { type: 'string', value: 'N', schema: textParsedBy((t) => (WHOLE.test(t) ? Number(t) : undefined), 'a whole number'), help: 'training seed' },
    wait: { type: 'boolean', help: 'follow the run here until it ends' },
    as: { type: 'string', value: 'EMAIL', help: 'act as this user (default: the first admin)' },
  },
});

export const FINETUNE_USAGE = usage(FINETUNE_CLI);

/** Launch input key → the flag that sets it. */
export const FLAG_OF_FIELD: Record<string, string> = {
  datasetVersionId: '--version',
  provider: '--provider',
  baseModel: '--model',
  nEpochs: '--epochs',
  batchSize: '--batch-size',
  learningRateMultiplier: '--lr-multiplier',
  learningRate: '--learning-rate',
  lora: '--no-lora',
  loraR: '--lora-r',
  loraAlpha: '--lora-alpha',
  loraDropout: '--lora-dropout',
  warmupRatio: '--warmup-ratio',
  suffix: '--suffix',
  seed: '--seed',
};

export interface FineTuneFlags {
  dataset: string;
  version: number | null;
  wait: boolean;
  as: string | undefined;
  /** Launch input without datasetVersionId (resolved from --dataset/--version). */
  input: {
    provider: string;
    baseModel: string;
    nEpochs: 'auto' | number;
    batchSize: 'auto' | number;
    learningRateMultiplier: 'auto' | number;
    learningRate?: 'auto' | number;
    lora?: boolean;
    loraR?: number;
    loraAlpha?: number;
    loraDropout?: number;
    warmupRatio?: number;
    suffix?: string;
    seed?: number;
  };
}

export type ParsedFlags = { ok: true; help: true } | { ok: true; help?: false; flags: FineTuneFlags } | { ok: false; errors: string[] };

export function parseFineTuneFlags(argv: string[]): ParsedFlags {
  const r = parseFlags(FINETUNE_CLI, argv);
  if (!r.ok || r.help) return r;
  const v: FlagValues<typeof FINETUNE_CLI.flags> = r.values;
  const input = {
    provider: v.provider,
    baseModel: v.model,
    nEpochs: v.epochs,
    batchSize: v['batch-size'],
    learningRateMultiplier: v['lr-multiplier'],
    ...(v['learning-rate'] !== undefined ? { learningRate: v['learning-rate'] } : {}),
    ...(v['no-lora'] ? { lora: false } : {}),
    ...(v['lora-r'] !== undefined ? { loraR: v['lora-r'] } : {}),
    ...(v['lora-alpha'] !== undefined ? { loraAlpha: v['lora-alpha'] } : {}),
    ...(v['lora-dropout'] !== undefined ? { loraDropout: v['lora-dropout'] } : {}),
    ...(v['warmup-ratio'] !== undefined ? { warmupRatio: v['warmup-ratio'] } : {}),
    ...(v.suffix !== undefined ? { suffix: v.suffix } : {}),
    ...(v.seed !== undefined ? { seed: v.seed } : {}),
  };
  // Ranges and formats, checked by the same schema as the launch (a placeholder version id).
  const checked = launchInputSchema.safeParse({ ...input, datasetVersionId: 1 });
  if (!checked.success) {
    return { ok: false, errors: checked.error.issues.map((i) => `${FLAG_OF_FIELD[String(i.path[0])] ?? `--${String(i.path[0])}`}: ${i.message}`) };
  }
  return { ok: true, flags: { dataset: v.dataset, version: v.version ?? null, wait: v.wait, as: v.as, input } };
}
