// An upload's state, polled by the import page while it uploads, validates and imports.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText } from '@/lib/boundary/params';
import { getImportUpload } from '@/lib/imports/uploads/get-upload';
import { IMPORT_ROLES } from '@/lib/imports/uploads/access';

export const GET = route(
  { name: 'import upload', auth: 'session', roles: IMPORT_ROLES, params: z.object({ id: idText('the upload id') }) },
  ({ actor, params }) => getImportUpload(actor, params.id),
);
