// An evaluation run's status and progress, polled by its page while it runs.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText } from '@/lib/boundary/params';
import { NotFoundError } from '@/lib/errors';
import { getEvalRunLive } from '@/lib/evals/queries';

export const GET = route({ name: 'eval live', auth: 'session', params: z.object({ id: idText('the evaluation id') }) }, async ({ actor, params }) => {
  const live = await getEvalRunLive(actor, params.id);
  if (!live) throw new NotFoundError(`Evaluation ${params.id} does not exist.`);
  return live;
});
