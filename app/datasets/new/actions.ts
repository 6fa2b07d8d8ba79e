'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { authedFormAction } from '@/lib/boundary/server-action';
import { InputError } from '@/lib/errors';
import { requestDatasetVersion } from '@/lib/datasets/request-dataset-version';
import { datasetFormToInput, type DatasetFormValues } from '@/lib/datasets/form-values';

const text = z.string().default('');
const datasetForm = z.object({
  name: text,
  seed: text,
  train: text,
  validation: text,
  test: text,
  policy: text,
  k: text,
  contextMode: text,
  contextN: text,
  includeTurnsWithoutCandidate: z.string().optional(),
  search: text,
  instructions: text,
}) satisfies z.ZodType<DatasetFormValues>;

export const createDatasetAction = authedFormAction<typeof datasetForm, DatasetFormValues>(
  {
    name: 'createDataset',
    roles: ['ml_lead', 'admin'],
    input: datasetForm,
    // The form shows split, policy and context messages beside their groups of controls.
    fields: ['name', 'seed', 'split', 'policy', 'context', 'search', 'instructions', 'includeTurnsWithoutCandidate'],
    failureMessage: 'Could not create the dataset; nothing was saved. Try again.',
  },
  async (values, { actor }) => {
    const parsed = datasetFormToInput(values);
    if ('errors' in parsed) throw new InputError(Object.entries(parsed.errors).map(([field, message]) => ({ field, message })));
    const created = await requestDatasetVersion(actor, parsed.input);
    redirect(`/datasets/${created.versionId}`);
  },
);
