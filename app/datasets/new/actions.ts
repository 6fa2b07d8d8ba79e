'use server';

import { redirect } from 'next/navigation';
import { requireActor } from '@/lib/auth/session';
import { AuthError } from '@/lib/auth/errors';
import { DatasetInputError } from '@/lib/datasets/errors';
import { requestDatasetVersion } from '@/lib/datasets/request-dataset-version';
import { datasetFormToInput, type DatasetFormValues } from '@/lib/datasets/form-values';

export interface CreateDatasetState {
  values: DatasetFormValues | null;
  errors: Record<string, string>;
  formError: string | null;
  attempt: number;
}

export async function createDatasetAction(prev: CreateDatasetState, form: FormData): Promise<CreateDatasetState> {
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as unknown as DatasetFormValues;
  const fail = (errors: Record<string, string>, formError: string | null = null): CreateDatasetState => ({ values, errors, formError, attempt: prev.attempt + 1 });
  let created;
  try {
    const actor = await requireActor();
    const parsed = datasetFormToInput(values);
    if ('errors' in parsed) return fail(parsed.errors);
    created = await requestDatasetVersion(actor, parsed.input);
  } catch (e) {
    if (e instanceof DatasetInputError) return fail(Object.fromEntries(e.issues.map((i) => [i.field.split('.')[0], i.message])));
    if (e instanceof AuthError) return fail({}, e.message);
    console.error('createDatasetAction failed', e);
    return fail({}, 'Could not create the dataset; nothing was saved. Try again.');
  }
  redirect(`/datasets/${created.versionId}`);
}
