// Build status of one dataset version, polled by the version page while it builds.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText } from '@/lib/boundary/params';
import { NotFoundError } from '@/lib/errors';
import { getDatasetVersionStatus } from '@/lib/datasets/queries';

export const GET = route(
  { name: 'dataset version status', auth: 'session', params: z.object({ id: idText('the dataset version id') }) },
  async ({ actor, params }) => {
    const status = await getDatasetVersionStatus(actor, params.id);
    if (!status) throw new NotFoundError(`Dataset version ${params.id} does not exist.`);
    return status;
  },
);
