// The parameters a dataset version is built with. One zod schema serves the create form, the
// export CLI and the stored `params` column, so every entry point rejects the same bad input
// with the same message.
import { z } from 'zod';
import { DEFAULT_INSTRUCTIONS } from './default-instructions';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const POLICY_KINDS = ['latest', 'majority', 'agree', 'adjudicated'] as const;

export const labelPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latest') }),
  z.object({ kind: z.literal('majority') }),
  // The final label an ML lead set (lib/agreement/adjudicate.ts) where there is one, else majority.
  z.object({ kind: z.literal('adjudicated') }),
  z.object({
    kind: z.literal('agree'),
    k: z
      .number({ error: 'agreement needs a whole number of reviewers k' })
      .int('agreement k must be a whole number')
      .min(1, 'agreement k must be at least 1')
      .max(50, 'agreement k must be at most 50'),
  }),
]);
export type LabelPolicy = z.infer<typeof labelPolicySchema>;

const ratio = z.number().min(0, 'a split ratio cannot be negative').max(1, 'a split ratio cannot exceed 1');

export const splitRatiosSchema = z
  .object({ train: ratio, validation: ratio, test: ratio })
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) < 1e-9, {
    error: (issue) => {
      const r = issue.input as { train: number; validation: number; test: number };
      return `split ratios must sum to 1 (got ${r.train} + ${r.validation} + ${r.test} = ${+(r.train + r.validation + r.test).toFixed(6)})`;
    },
  });
export type SplitRatios = z.infer<typeof splitRatiosSchema>;

export const datasetNameSchema = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name is required')
  .max(80, 'name must be at most 80 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'name may hold letters, digits, ".", "_" and "-", and must start with a letter or digit');

export const datasetParamsSchema = z.strictObject({
  seed: z
    .number({ error: 'seed must be an integer' })
    .int('seed must be an integer')
    .min(0, 'seed must be ≥ 0')
    .max(2 ** 31 - 1, 'seed must be below 2^31'),
  split: splitRatiosSchema,
  policy: labelPolicySchema,
  // 'all' or the last N messages before the turn.
  context: z.union(
    [
      z.literal('all'),
      z
        .number({ error: 'context must be "all" or a positive whole number' })
        .int('context must be a whole number')
        .min(1, 'context must be "all" or at least 1 message')
        .max(1000, 'context must be at most 1000 messages'),
    ],
    { error: 'context must be "all" or a positive whole number of messages' },
  ),
  // Turns after recruiter messages only (nudges into silence, the close after two unanswered
  // nudges) are decisions too, so they are in by default; the opening message never is.
  includeTurnsWithoutCandidate: z.boolean(),
  instructions: z.string().trim().min(1, 'the advisor instructions cannot be empty').max(20_000, 'the advisor instructions must be at most 20,000 characters'),
  // Optional full-text filter on conversations (same syntax as the conversations page search).
  search: z.string().trim().max(200, 'search must be at most 200 characters').default(''),
});
export type DatasetParams = z.infer<typeof datasetParamsSchema>;

export const DEFAULT_PARAMS: DatasetParams = {
  seed: 42,
  split: { train: 0.8, validation: 0.1, test: 0.1 },
  policy: { kind: 'latest' },
  context: 'all',
  includeTurnsWithoutCandidate: true,
  instructions: DEFAULT_INSTRUCTIONS,
  search: '',
};

// ---- text forms used by the CLI flags and the form fields ----

/** "0.8/0.1/0.1" → ratios. Throws a message naming the bad part. */
export function parseSplitText(text: string): SplitRatios {
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length !== 3) throw new Error(`split "${text}" must be three ratios train/validation/test, e.g. 0.8/0.1/0.1`);
  const nums = parts.map((p) => (/^\d*\.?\d+$/.test(p) ? Number(p) : NaN));
  const bad = nums.findIndex((n) => Number.isNaN(n));
  if (bad >= 0) throw new Error(`split "${text}": "${parts[bad]}" is not a number`);
  return { train: nums[0], validation: nums[1], test: nums[2] };
}

export function formatSplit(r: SplitRatios): string {
  return `${r.train}/${r.validation}/${r.test}`;
}

/** "latest" | "majority" | "adjudicated" | "agree:K" → policy. */
export function parsePolicyText(text: string): LabelPolicy {
  if (text === 'latest' || text === 'majority' || text === 'adjudicated') return { kind: text };
  const m = /^agree:(.*)$/.exec(text);
  if (m) {
    if (!/^\d+$/.test(m[1])) throw new Error(`policy "${text}": K must be a whole number, e.g. agree:2`);
    return { kind: 'agree', k: Number(m[1]) };
  }
  throw new Error(`policy "${text}" must be latest, majority, adjudicated or agree:K`);
}

export function formatPolicy(p: LabelPolicy): string {
  return p.kind === 'agree' ? `agree:${p.k}` : p.kind;
}

export function describePolicy(p: LabelPolicy): string {
  if (p.kind === 'latest') return 'Latest label by anyone';
  if (p.kind === 'majority') return 'Majority of reviewers (ties left out)';
  if (p.kind === 'adjudicated') return 'Adjudicated label where an ML lead set one, else majority (ties left out)';
  return `At least ${p.k} reviewer${p.k === 1 ? '' : 's'} agree, nobody disagrees`;
}

/** "all" | "N" → context. */
export function parseContextText(text: string): DatasetParams['context'] {
  if (text === 'all') return 'all';
  if (!/^-?\d+$/.test(text)) throw new Error(`context "${text}" must be "all" or a whole number of messages`);
  return Number(text);
}

/** "42" → 42; anything else is an error naming the value. */
export function parseSeedText(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`seed "${text}" is not an integer`);
  return Number(text);
}

/** Validates params, throwing DatasetInputError-friendly messages "field: reason". */
export function parseDatasetParams(input: unknown): DatasetParams {
  return datasetParamsSchema.parse(input);
}
