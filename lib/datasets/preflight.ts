// Pre-flight checks before a dataset leaves the Studio, as stored on the version and shown by
// the page and the CLI. Errors mean a provider would reject the training file; warnings mean
// the model may learn badly.
import { LABEL_VALUES, type LabelValueName } from '../labeling/label-values';
import { estimateCost, MAX_TOKENS_PER_EXAMPLE, type CostEstimate } from './cost-estimate';
import { FORMAT_ERROR_KEYS, totalFormatErrors, type FormatErrors } from './cookbook-checks';
import type { SplitName } from './params';
import { summariseTokens, type TokenSummary } from './token-summary';

export interface ExampleStats {
  all: Int32Array;
  train: Int32Array;
  formatErrors: FormatErrors;
  missingSystem: number;
  missingUser: number;
}

export type CheckLevel = 'ok' | 'warning' | 'error';

export interface CheckItem {
  id: string;
  level: CheckLevel;
  title: string;
  detail: string;
}

export interface PreflightReport {
  level: CheckLevel;
  items: CheckItem[];
  formatErrors: FormatErrors;
  missingSystem: number;
  missingUser: number;
  tokenLimit: number;
  overLimit: number;
  cost: CostEstimate;
  trainable: boolean;
}

export const MIN_TRAINING_EXAMPLES = 10;
const RECOMMENDED_TRAINING_EXAMPLES = 50;
const IMBALANCE_MIN_SHARE = 0.1;

const fmt = (n: number) => n.toLocaleString('en-US');

export function runPreflight(input: {
  counts: Record<SplitName, Record<LabelValueName, number>>;
  stats: ExampleStats;
  duplicates: { exact: number; conflicting: number; crossSplit: number };
}): { report: PreflightReport; tokens: TokenSummary } {
  const { counts, stats, duplicates } = input;
  const items: CheckItem[] = [];
  const formatTotal = totalFormatErrors(stats.formatErrors);
  items.push(
    formatTotal === 0
      ? { id: 'format', level: 'ok', title: 'Cookbook format checks', detail: `No errors found in ${fmt(stats.all.length)} lines.` }
      : {
          id: 'format',
          level: 'error',
          title: 'Cookbook format checks',
          detail: FORMAT_ERROR_KEYS.filter((k) => stats.formatErrors[k] > 0)
            .map((k) => `${k}: ${stats.formatErrors[k]}`)
            .join(', '),
        },
  );

  const nTrain = stats.train.length;
  if (nTrain < MIN_TRAINING_EXAMPLES) {
    items.push({
      id: 'min-examples',
      level: 'error',
      title: 'Training examples',
      detail: `${fmt(nTrain)} training examples; fine-tuning needs at least ${MIN_TRAINING_EXAMPLES}. This version can still serve as an evaluation set.`,
    });
  } else if (nTrain < RECOMMENDED_TRAINING_EXAMPLES) {
    items.push({
      id: 'min-examples',
      level: 'warning',
      title: 'Training examples',
      detail: `${fmt(nTrain)} training examples; OpenAI sees gains from 50–100.`,
    });
  } else {
    items.push({ id: 'min-examples', level: 'ok', title: 'Training examples', detail: `${fmt(nTrain)} training examples (minimum ${MIN_TRAINING_EXAMPLES}).` });
  }

  let overLimit = 0;
  for (const t of stats.all) if (t > MAX_TOKENS_PER_EXAMPLE) overLimit++;
  const tokens = summariseTokens(stats.all);
  items.push(
    overLimit === 0
      ? {
          id: 'token-limit',
          level: 'ok',
          title: 'Tokens per example',
          detail: `Largest example ${fmt(tokens.max)} tokens, within the ${fmt(MAX_TOKENS_PER_EXAMPLE)} limit (o200k_base).`,
        }
      : {
          id: 'token-limit',
          level: 'warning',
          title: 'Tokens per example',
          detail: `${fmt(overLimit)} examples exceed ${fmt(MAX_TOKENS_PER_EXAMPLE)} tokens and would be truncated; consider a shorter context.`,
        },
  );

  const dupParts = [];
  if (duplicates.exact) dupParts.push(`${fmt(duplicates.exact)} exact duplicate examples`);
  if (duplicates.conflicting) dupParts.push(`${fmt(duplicates.conflicting)} transcripts labeled differently in different turns`);
  if (duplicates.crossSplit)
    dupParts.push(`${fmt(duplicates.crossSplit)} transcripts appear in more than one split (identical text in different conversations)`);
  items.push(
    dupParts.length === 0
      ? { id: 'duplicates', level: 'ok', title: 'Duplicates', detail: 'No duplicate examples.' }
      : { id: 'duplicates', level: 'warning', title: 'Duplicates', detail: `${dupParts.join('; ')}.` },
  );

  const train = counts.train;
  const shares = LABEL_VALUES.map((l) => ({ l, share: nTrain ? train[l] / nTrain : 0 }));
  const rare = shares.filter((s) => s.share < IMBALANCE_MIN_SHARE);
  items.push(
    nTrain === 0
      ? { id: 'imbalance', level: 'ok', title: 'Class balance', detail: 'No training split.' }
      : rare.length === 0
        ? { id: 'imbalance', level: 'ok', title: 'Class balance', detail: shares.map((s) => `${s.l} ${(s.share * 100).toFixed(0)}%`).join(', ') }
        : {
            id: 'imbalance',
            level: 'warning',
            title: 'Class imbalance',
            detail: `${rare.map((s) => `${s.l} is ${(s.share * 100).toFixed(1)}%`).join(', ')} of training examples (under ${IMBALANCE_MIN_SHARE * 100}%); the model may rarely predict ${rare.length > 1 ? 'them' : 'it'}.`,
          },
  );

  if (stats.missingSystem || stats.missingUser) {
    items.push({
      id: 'roles',
      level: 'warning',
      title: 'Missing messages',
      detail: `${stats.missingSystem} examples without a system message, ${stats.missingUser} without a user message.`,
    });
  }

  const cost = estimateCost(stats.train);
  const level: CheckLevel = items.some((i) => i.level === 'error') ? 'error' : items.some((i) => i.level === 'warning') ? 'warning' : 'ok';
  return {
    report: {
      level,
      items,
      formatErrors: stats.formatErrors,
      missingSystem: stats.missingSystem,
      missingUser: stats.missingUser,
      tokenLimit: MAX_TOKENS_PER_EXAMPLE,
      overLimit,
      cost,
      trainable: formatTotal === 0 && nTrain >= MIN_TRAINING_EXAMPLES,
    },
    tokens,
  };
}
