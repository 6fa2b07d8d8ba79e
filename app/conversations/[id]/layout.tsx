import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { pageId } from '@/lib/boundary/page-params';
import { conversationExists } from '@/lib/conversations/get-conversation';

// The page below streams behind loading.tsx, and once streaming has begun the status is 200
// whatever happens; checking the id here, before that, lets an unknown one answer 404.
export default async function ConversationLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await actorOrSignIn(`/conversations/${id}`);
  if (!(await conversationExists(actor, pageId(id)))) notFound();
  return children;
}
