// The conversation page's lease heartbeat (POST: renew, or take a free slot) and release
// (DELETE, also sent with `keepalive` as the page goes away). A route rather than a server
// action so a closing tab can still send it.
import { route } from '@/lib/boundary/route-handler';
import { idText } from '@/lib/boundary/params';
import { holdConversation, releaseConversation } from '@/lib/labeling/lease';
import { z } from 'zod';

const params = z.object({ id: idText('conversation id') });

export const POST = route({ name: 'holdConversation', auth: 'session', params }, ({ actor, params }) => holdConversation(actor, params.id));

export const DELETE = route({ name: 'releaseConversation', auth: 'session', params }, ({ actor, params }) => releaseConversation(actor, params.id));
