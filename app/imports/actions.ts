'use server';

import { authedAction } from '@/lib/boundary/server-action';
import { IMPORT_ROLES } from '@/lib/imports/uploads/access';
import { startImportInput, startUploadImport } from '@/lib/imports/uploads/start-import';

export const startImportAction = authedAction({ name: 'startImport', roles: IMPORT_ROLES, input: startImportInput }, (input, { actor }) =>
  startUploadImport(actor, input),
);
