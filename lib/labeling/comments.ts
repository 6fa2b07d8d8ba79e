// Comments on a recruiter turn: free text the whole team sees. User text: stored as typed
// (trimmed), length-limited, always rendered as text; deleted by its author or an admin.
import { z } from 'zod';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { ForbiddenError, InputError, NotFoundError } from '../errors';
import { COMMENT_MAX_CHARS } from './comments-limits';
import { assertLabelingRole, lockRecruiterTurn, TURN_WRITE_TRANSACTION } from './turn-actions-rules';

export { COMMENT_MAX_CHARS };

export const commentBodySchema = z
  .string({ error: 'Write a comment first.' })
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    // Counted in code points, as a person counts characters (an emoji is one).
    const n = [...s].length;
    if (n === 0) ctx.addIssue({ code: 'custom', message: 'Write a comment first: it is empty.' });
    else if (n > COMMENT_MAX_CHARS)
      ctx.addIssue({ code: 'custom', message: `A comment can be at most ${COMMENT_MAX_CHARS} characters; this one has ${n.toLocaleString('en-US')}.` });
    else if (s.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'A comment cannot contain a NUL character.' });
  });

export const addTurnCommentInput = z.object({ messageId: z.number().int().positive(), body: commentBodySchema });
export const deleteTurnCommentInput = z.object({ commentId: z.number().int().positive() });

export interface TurnComment {
  id: number;
  messageId: number;
  authorId: string;
  authorName: string;
  authorEmail: string;
  body: string;
  createdAt: string;
  /** Whether the actor who asked may delete it (its author, or an admin). */
  deletable: boolean;
}

export function mayDeleteComment(actor: Actor, authorId: string): boolean {
  return actor.id === authorId || actor.role === 'admin';
}

function parseOrInputError<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = InputError.issuesFromZod(parsed.error, { firstPerField: true });
    // The message is shown under the comment box, which names the field already.
    throw new InputError(issues, issues.map((i) => i.message).join(' '));
  }
  return parsed.data;
}

export async function addTurnComment(actor: Actor, rawInput: unknown): Promise<TurnComment> {
  assertLabelingRole(actor);
  const input = parseOrInputError(addTurnCommentInput, rawInput);
  return db().$transaction(async (tx) => {
    // The conversation lock keeps a comment from landing on a turn a re-import is removing.
    const { conversationId } = await lockRecruiterTurn(tx, input.messageId, actor.id, 'commented on');
    const row = await tx.turnComment.create({
      data: { messageId: input.messageId, conversationId, authorId: actor.id, body: input.body },
      include: { author: { select: { name: true, email: true } } },
    });
    return {
      id: row.id,
      messageId: row.messageId,
      authorId: row.authorId,
      authorName: row.author.name,
      authorEmail: row.author.email,
      body: row.body,
      createdAt: row.createdAt.toISOString(),
      deletable: true,
    };
  }, TURN_WRITE_TRANSACTION);
}

export async function deleteTurnComment(actor: Actor, rawInput: unknown): Promise<{ commentId: number; messageId: number }> {
  assertLabelingRole(actor);
  const input = parseOrInputError(deleteTurnCommentInput, rawInput);
  const prisma = db();
  const comment = await prisma.turnComment.findUnique({ where: { id: input.commentId }, select: { authorId: true, messageId: true } });
  if (!comment) throw new NotFoundError(`Comment ${input.commentId} does not exist (it may have been deleted already).`);
  if (!mayDeleteComment(actor, comment.authorId)) throw new ForbiddenError('Only its author or an admin can delete a comment.');
  // deleteMany: a second click (or another admin) that arrives after the first is not an error.
  await prisma.turnComment.deleteMany({ where: { id: input.commentId } });
  return { commentId: input.commentId, messageId: comment.messageId };
}

/** Every comment in a conversation, oldest first (a conversation holds a handful). */
export async function commentsOfConversation(actor: Actor, conversationId: number): Promise<TurnComment[]> {
  assertLabelingRole(actor);
  const rows = await db().turnComment.findMany({
    where: { conversationId },
    orderBy: { id: 'asc' },
    include: { author: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    messageId: r.messageId,
    authorId: r.authorId,
    authorName: r.author.name,
    authorEmail: r.author.email,
    body: r.body,
    createdAt: r.createdAt.toISOString(),
    deletable: mayDeleteComment(actor, r.authorId),
  }));
}
