// Reading examples back with their user message assembled (transcript slice + closing line),
// for pages and tests. Exports stream through export-files.ts instead.
import { Prisma } from '../generated/prisma/client';
import { db } from '../db';
import type { LabelValueName } from '../labeling/label-values';
import type { SplitName } from './params';
import { USER_CONTENT_SQL } from './transcript-store';

export interface ExampleWithContent {
  versionId: number;
  split: SplitName;
  ordinal: number;
  conversationId: number;
  externalId: string;
  messageId: number;
  position: number;
  label: LabelValueName;
  tokens: number;
  userContent: string;
}

/** A version's examples in file order (split, ordinal), optionally one split, one label, after an ordinal, at most `limit`. */
export async function examplesWithContent(
  versionId: number,
  opts: { split?: SplitName; label?: LabelValueName; after?: number; limit?: number } = {},
): Promise<ExampleWithContent[]> {
  const where = [Prisma.sql`e.version_id = ${versionId}`];
  if (opts.split) where.push(Prisma.sql`e.split = ${opts.split}::"DatasetSplit"`);
  if (opts.label) where.push(Prisma.sql`e.label = ${opts.label}::"LabelValue"`);
  if (opts.after) where.push(Prisma.sql`e.ordinal > ${opts.after}`);
  return db().$queryRaw<ExampleWithContent[]>`
    SELECT e.version_id AS "versionId", e.split::text AS split, e.ordinal, e.conversation_id AS "conversationId", e.external_id AS "externalId",
           e.message_id AS "messageId", e.position, e.label::text AS label, e.tokens, ${Prisma.raw(USER_CONTENT_SQL)} AS "userContent"
    FROM dataset_examples e JOIN dataset_transcripts t ON t.sha256 = e.transcript_sha
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY e.split, e.ordinal
    ${opts.limit ? Prisma.sql`LIMIT ${opts.limit}` : Prisma.empty}`;
}
