// What we read from a provider, checked at the boundary. Loose objects: servers may add keys
// (the spec's own examples do), and we keep only the fields the Studio stores.
import { z } from 'zod';

const hyperparameterValue = z
  .union([z.literal('auto'), z.number()])
  .nullable()
  .optional();
export const providerHyperparametersSchema = z.looseObject({
  n_epochs: hyperparameterValue,
  batch_size: hyperparameterValue,
  learning_rate_multiplier: hyperparameterValue,
});
export type ProviderHyperparameters = z.infer<typeof providerHyperparametersSchema>;

export const PROVIDER_JOB_STATUSES = ['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'paused'] as const;
/** Azure OpenAI also reports a job waiting for capacity as "pending" (its REST reference and SDK samples). */
export const AZURE_JOB_STATUSES = [...PROVIDER_JOB_STATUSES, 'pending'] as const;

const jobFields = {
  id: z.string().min(1),
  model: z.string(),
  created_at: z.number(),
  finished_at: z.number().nullable().optional(),
  fine_tuned_model: z.string().nullable().optional(),
  trained_tokens: z.number().int().nullable().optional(),
  training_file: z.string().nullable().optional(),
  result_files: z.array(z.string()).nullable().optional(),
  error: z
    .looseObject({ code: z.string().nullable().optional(), message: z.string().nullable().optional(), param: z.string().nullable().optional() })
    .nullable()
    .optional(),
  hyperparameters: providerHyperparametersSchema.nullable().optional(),
  method: z
    .looseObject({
      type: z.string().optional(),
      supervised: z.looseObject({ hyperparameters: providerHyperparametersSchema.nullable().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  user_provided_suffix: z.string().nullable().optional(),
  suffix: z.string().nullable().optional(),
};

export const providerJobSchema = z.looseObject({ ...jobFields, status: z.enum(PROVIDER_JOB_STATUSES) });
export type ProviderJob = z.infer<typeof providerJobSchema>;
export const azureJobSchema = z.looseObject({ ...jobFields, status: z.enum(AZURE_JOB_STATUSES) });
export type AzureJob = z.infer<typeof azureJobSchema>;

export const providerEventSchema = z.looseObject({
  id: z.string().min(1),
  created_at: z.number(),
  level: z.string(),
  message: z.string(),
  type: z.string().nullable().optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ProviderEvent = z.infer<typeof providerEventSchema>;

const metricNumber = z.number().nullable().optional();
export const stepMetricsSchema = z.looseObject({
  step: z.number().int().nonnegative(),
  train_loss: metricNumber,
  train_mean_token_accuracy: metricNumber,
  train_accuracy: metricNumber,
  valid_loss: metricNumber,
  valid_mean_token_accuracy: metricNumber,
  full_valid_loss: metricNumber,
  full_valid_mean_token_accuracy: metricNumber,
});

export const providerCheckpointSchema = z.looseObject({
  id: z.string(),
  step_number: z.number().int().nonnegative(),
  metrics: z.looseObject({}).nullable().optional(),
});

export const providerModelSchema = z.looseObject({
  id: z.string().min(1),
  owned_by: z.string().nullable().optional(),
  created: z.number().nullable().optional(),
  // Azure: what the resource can do with the model.
  capabilities: z.looseObject({ fine_tune: z.boolean().optional() }).nullable().optional(),
});

export const providerFileSchema = z.looseObject({ id: z.string().min(1) });
