// The create-dataset form's fields (all strings, as FormData gives them) ↔ dataset params.
// Parsing names the field of each problem so the form shows it in place.
import type { DatasetParams } from './params';
import { parseSeedText } from './params';

export interface DatasetFormValues {
  name: string;
  seed: string;
  train: string;
  validation: string;
  test: string;
  policy: string;
  k: string;
  contextMode: string;
  contextN: string;
  /** The checkbox is "leave out": unchecked (absent) keeps those turns, the default. */
  excludeTurnsWithoutCandidate?: string;
  search: string;
  instructions: string;
}

export function paramsToFormValues(name: string, p: DatasetParams): DatasetFormValues {
  return {
    name,
    seed: String(p.seed),
    train: String(p.split.train),
    validation: String(p.split.validation),
    test: String(p.split.test),
    policy: p.policy.kind,
    k: p.policy.kind === 'agree' ? String(p.policy.k) : '2',
    contextMode: p.context === 'all' ? 'all' : 'last',
    contextN: p.context === 'all' ? '10' : String(p.context),
    excludeTurnsWithoutCandidate: p.includeTurnsWithoutCandidate ? undefined : 'on',
    search: p.search,
    instructions: p.instructions,
  };
}

function num(text: string | undefined): number {
  const t = (text ?? '').trim();
  return /^-?\d*\.?\d+$/.test(t) ? Number(t) : NaN;
}

/** Form strings → create input; obviously malformed numbers are reported here, the rest by zod. */
export function datasetFormToInput(v: DatasetFormValues): { input: { name: string; params: unknown } } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let seed = NaN;
  try {
    seed = parseSeedText(v.seed ?? '');
  } catch (e) {
    errors.seed = (e as Error).message;
  }
  const split = { train: num(v.train), validation: num(v.validation), test: num(v.test) };
  for (const [k, n] of Object.entries(split)) if (Number.isNaN(n)) errors.split = `the ${k} ratio "${v[k as keyof typeof split] ?? ''}" is not a number`;
  const policy = v.policy === 'agree' ? { kind: 'agree', k: num(v.k) } : { kind: v.policy };
  if (v.policy === 'agree' && Number.isNaN(num(v.k))) errors.policy = `agreement k "${v.k}" is not a whole number`;
  const context = v.contextMode === 'all' ? 'all' : num(v.contextN);
  if (v.contextMode !== 'all' && Number.isNaN(context)) errors.context = `"${v.contextN}" is not a number of messages`;
  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      name: v.name,
      params: {
        seed,
        split,
        policy,
        context,
        includeTurnsWithoutCandidate: v.excludeTurnsWithoutCandidate !== 'on',
        search: v.search ?? '',
        instructions: v.instructions ?? '',
      } satisfies Record<keyof DatasetParams, unknown>,
    },
  };
}
