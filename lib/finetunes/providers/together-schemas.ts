// What Together AI's fine-tuning API answers, checked at the boundary (loose objects: it adds
// fields). Shapes from its API reference (docs.together.ai/reference/post-fine-tunes,
// get-fine-tunes-id, get-fine-tunes, upload-file) and its generated SDK
// (togethercomputer/together-typescript src/resources/fine-tuning.ts: FinetuneResponse).
import { z } from 'zod';

/** FinetuneJobStatus, in full. */
export const TOGETHER_JOB_STATUSES = [
  'pending',
  'queued',
  'running',
  'compressing',
  'uploading',
  'cancel_requested',
  'cancelled',
  'error',
  'completed',
] as const;
export type TogetherJobStatus = (typeof TOGETHER_JOB_STATUSES)[number];

const isoDate = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date');

export const togetherJobSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(TOGETHER_JOB_STATUSES),
  created_at: isoDate,
  updated_at: isoDate.nullable().optional(),
  model: z.string().nullable().optional(),
  model_output_name: z.string().nullable().optional(),
  training_file: z.string().nullable().optional(),
  validation_file: z.string().nullable().optional(),
  suffix: z.string().nullable().optional(),
  token_count: z.number().nullable().optional(),
  n_epochs: z.number().nullable().optional(),
  batch_size: z
    .union([z.number(), z.literal('max')])
    .nullable()
    .optional(),
  learning_rate: z.number().nullable().optional(),
  warmup_ratio: z.number().nullable().optional(),
  training_type: z
    .looseObject({ type: z.string(), lora_r: z.number().optional(), lora_alpha: z.number().optional(), lora_dropout: z.number().optional() })
    .nullable()
    .optional(),
});
export type TogetherJob = z.infer<typeof togetherJobSchema>;

export const togetherJobListSchema = z.looseObject({ data: z.array(z.unknown()) });

export const togetherEventSchema = z.looseObject({
  created_at: isoDate,
  message: z.string(),
  type: z.string().nullable().optional(),
  level: z.string().nullable().optional(),
  step: z.number().nullable().optional(),
  hash: z.string().nullable().optional(),
});
export const togetherEventListSchema = z.looseObject({ data: z.array(z.unknown()) });

export const togetherFileSchema = z.looseObject({ id: z.string().min(1) });
