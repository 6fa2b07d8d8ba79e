// Starts a browser upload: the file's name and size (a file over the limit is refused before any byte is sent).
import { route } from '@/lib/boundary/route-handler';
import { createImportUpload, createUploadInput } from '@/lib/imports/uploads/create-upload';
import { IMPORT_ROLES } from '@/lib/imports/uploads/access';

export const POST = route({ name: 'create import upload', auth: 'session', roles: IMPORT_ROLES, body: createUploadInput }, ({ actor, body }) =>
  createImportUpload(actor, body),
);
