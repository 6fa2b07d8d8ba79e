// Test fixture shared by the turn-action tests: four people and one small conversation.
import { db } from '../db';
import type { Actor } from '../auth/session';
import { refreshConversationContent, refreshConversationStats } from '../conversations/stats';
import { resetDatabase } from '../testing/db-snapshot';

export const alice: Actor = { id: 'u-alice', email: 'alice@test', name: 'Alice', role: 'reviewer' };
export const bob: Actor = { id: 'u-bob', email: 'bob@test', name: 'Bob', role: 'reviewer' };
export const lee: Actor = { id: 'u-lee', email: 'lee@test', name: 'Lee', role: 'ml_lead' };
export const ada: Actor = { id: 'u-ada', email: 'ada@test', name: 'Ada', role: 'admin' };

export interface FixtureMessage {
  sender: 'recruiter' | 'candidate';
  text: string;
  /** Minutes after the start; null: no time known. */
  at?: number | null;
}

/** A fresh database with the four people and one conversation; returns its id and message ids. */
export async function freshConversation(
  messages: FixtureMessage[],
  externalId = 'turn-actions-1',
): Promise<{ conversationId: number; ids: number[]; turns: number[] }> {
  await resetDatabase();
  const p = db();
  for (const a of [alice, bob, lee, ada]) await p.user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  return addConversation(messages, externalId);
}

export async function addConversation(messages: FixtureMessage[], externalId: string) {
  const p = db();
  const start = Date.parse('2026-01-01T00:00:00Z');
  const conv = await p.conversation.create({
    data: {
      externalId,
      lastActivityAt: new Date(start),
      messages: {
        create: messages.map((m, position) => ({
          position,
          sender: m.sender,
          text: m.text,
          sentAt: m.at === null ? null : new Date(start + (m.at ?? position) * 60_000),
        })),
      },
    },
    include: { messages: { orderBy: { position: 'asc' } } },
  });
  await refreshConversationContent(p, [conv.id]);
  await refreshConversationStats(p, [conv.id]);
  return {
    conversationId: conv.id,
    ids: conv.messages.map((m) => m.id),
    turns: conv.messages.filter((m) => m.sender === 'recruiter').map((m) => m.id),
  };
}

export const FIVE_TURNS: FixtureMessage[] = [
  { sender: 'recruiter', text: 'Hi! Interested in a forklift role?' },
  { sender: 'candidate', text: 'how much does it pay' },
  { sender: 'recruiter', text: '$21/hr.' },
  { sender: 'recruiter', text: 'Want to set up a call?' },
  { sender: 'candidate', text: 'STOP' },
  { sender: 'recruiter', text: 'Understood, you will not hear from us again.' },
];
