// A fine-tune's live state (status, new events, metrics), polled by its page.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { idText, SAFE_INT_MAX, wholeNumberText } from '@/lib/boundary/params';
import { NotFoundError } from '@/lib/errors';
import { getFineTuneLive } from '@/lib/finetunes/queries';

export const GET = route(
  {
    name: 'fine-tune live',
    auth: 'session',
    params: z.object({ id: idText('the fine-tune id') }),
    // Event ids are bigints; beyond 2^53 a JavaScript number is no longer exact.
    query: z.object({ after: wholeNumberText('after (an event id)', { min: 0, max: SAFE_INT_MAX }).optional() }),
  },
  async ({ actor, params, query }) => {
    const live = await getFineTuneLive(actor, params.id, query.after === undefined ? {} : { afterEventId: query.after });
    if (!live) throw new NotFoundError(`Fine-tune ${params.id} does not exist.`);
    return live;
  },
);
