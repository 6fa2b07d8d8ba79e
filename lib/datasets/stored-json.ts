// The shapes a dataset version keeps in its JSON columns (counts, checks, tokenStats,
// exclusions), parsed on read with lib/stored-json.ts. Objects are loose: a field added by
// newer code is kept, not stripped.
import { z } from 'zod';
import { LABEL_VALUES } from '../labeling/label-values';
import { FORMAT_ERROR_KEYS } from './cookbook-checks';
import { EXCLUSION_REASONS, type PolicyTally } from './label-policy';
import type { PreflightReport } from './preflight';
import type { TokenSummary } from './token-summary';

const count = z.number().int().nonnegative();
const perLabel = z.looseObject(Object.fromEntries(LABEL_VALUES.map((l) => [l, count])) as Record<(typeof LABEL_VALUES)[number], typeof count>);

export const splitCountsSchema = z.looseObject({ train: perLabel, validation: perLabel, test: perLabel });

const level = z.enum(['ok', 'warning', 'error']);

export const preflightReportSchema: z.ZodType<PreflightReport> = z.looseObject({
  level,
  items: z.array(z.looseObject({ id: z.string(), level, title: z.string(), detail: z.string() })),
  formatErrors: z.looseObject(Object.fromEntries(FORMAT_ERROR_KEYS.map((k) => [k, count])) as Record<(typeof FORMAT_ERROR_KEYS)[number], typeof count>),
  missingSystem: count,
  missingUser: count,
  tokenLimit: count,
  overLimit: count,
  cost: z.looseObject({
    examples: count,
    nEpochs: z.number(),
    billingTokens: count,
    chargedTokens: count,
    perModel: z.array(z.looseObject({ model: z.string(), usdPerMillionTrainingTokens: z.number(), usd: z.number() })),
  }),
  trainable: z.boolean(),
});

export const tokenSummarySchema: z.ZodType<TokenSummary> = z.looseObject({
  n: count,
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
  p10: z.number(),
  p90: z.number(),
  histogram: z.array(z.looseObject({ from: z.number(), to: z.number(), count })),
});

const reasonKeys = Object.keys(EXCLUSION_REASONS) as (keyof typeof EXCLUSION_REASONS)[];
const policyTally: z.ZodType<PolicyTally> = z.looseObject({
  policy: z.string(),
  included: count,
  excluded: z.looseObject(Object.fromEntries(reasonKeys.map((k) => [k, count])) as Record<keyof typeof EXCLUSION_REASONS, typeof count>),
});

export const exclusionsSchema = z.looseObject({
  labeledTurns: count,
  withoutCandidate: count,
  includeTurnsWithoutCandidate: z.boolean(),
  chosen: z.string(),
  policies: z.array(policyTally),
  conversations: count,
  newlyAssigned: count,
  inheritedAssignments: count,
  sameContentAs: z.number().int().nullable(),
  // Only versions built with the adjudicated policy: which source decided each turn.
  decidedBy: z.looseObject({ adjudication: count, majority: count, excluded: count }).optional(),
});
