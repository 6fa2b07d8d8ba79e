// The one place training prices live: US$ per 1M training tokens, as published on OpenAI's
// pricing page (checked 2026-11; OpenAI stops new fine-tuning jobs after 2027-01-06). Edit
// here when prices change; the dataset page, the CLI and the launch form all read this table.
export interface FineTunePrice {
  model: string;
  usdPerMillionTrainingTokens: number;
  note?: string;
}

export const FINE_TUNE_PRICES: readonly FineTunePrice[] = [
  { model: 'local-base', usdPerMillionTrainingTokens: 0, note: 'bundled local trainer' },
  { model: 'gpt-4.1-nano-2025-04-14', usdPerMillionTrainingTokens: 1.5 },
  { model: 'gpt-4o-mini-2024-07-18', usdPerMillionTrainingTokens: 3 },
  { model: 'gpt-4.1-mini-2025-04-14', usdPerMillionTrainingTokens: 5 },
  { model: 'gpt-3.5-turbo-0125', usdPerMillionTrainingTokens: 8 },
  { model: 'gpt-4.1-2025-04-14', usdPerMillionTrainingTokens: 25 },
  { model: 'gpt-4o-2024-08-06', usdPerMillionTrainingTokens: 25 },
];

export function priceFor(model: string): FineTunePrice | undefined {
  return FINE_TUNE_PRICES.find((p) => p.model === model || model.startsWith(`${p.model}`));
}
