// One chunk of an upload's bytes (the request body, at most 8 MiB), stored in order.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText, wholeNumberText } from '@/lib/boundary/params';
import { storeImportChunk } from '@/lib/imports/uploads/store-chunk';
import { IMPORT_ROLES } from '@/lib/imports/uploads/access';

export const PUT = route(
  {
    name: 'import upload chunk',
    auth: 'session',
    roles: IMPORT_ROLES,
    params: z.object({ id: idText('the upload id'), seq: wholeNumberText('the chunk number', { min: 0, max: 100_000 }) }),
  },
  ({ actor, params, req }) => storeImportChunk(actor, params.id, params.seq, req.body as AsyncIterable<Uint8Array> | null),
);
