// Creating a dataset version: authorise, validate, claim the name and the next version
// number, and record a queued version. Building it is separate (build-dataset-version.ts), so
// the page can queue it for the worker and the CLI can build it in-process.
import { ZodError } from 'zod';
import { db } from '../db';
import { assertRole, type Actor } from '../auth/session';
import { DatasetInputError } from './errors';
import { datasetNameSchema, datasetParamsSchema, type DatasetParams } from './params';
import { describeSelection, selectionWhere } from './selection';
import { storedJson } from '../stored-json';

export interface CreatedVersion {
  datasetId: number;
  versionId: number;
  name: string;
  version: number;
}

export function parseCreateInput(input: { name: unknown; params: unknown }): { name: string; params: DatasetParams } {
  const issues = [];
  const name = datasetNameSchema.safeParse(input.name);
  if (!name.success) issues.push(...DatasetInputError.fromZod(name.error, 'name').issues.map((i) => ({ ...i, field: 'name' })));
  const params = datasetParamsSchema.safeParse(input.params);
  if (!params.success) issues.push(...DatasetInputError.fromZod(params.error).issues);
  if (issues.length) throw new DatasetInputError(issues);
  return { name: name.data!, params: params.data! };
}

export async function countSelectedLabeledTurns(params: Pick<DatasetParams, 'search'>): Promise<number> {
  const where = selectionWhere(params, 1);
  const rows = await db().$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM labels l JOIN conversations c ON c.id = l.conversation_id WHERE ${where.sql}`,
    ...where.values,
  );
  // Labels, not turns: enough to tell "none" from "some" without a DISTINCT over 1M rows.
  return Number(rows[0].n);
}

export async function createDatasetVersion(actor: Actor, input: { name: unknown; params: unknown }): Promise<CreatedVersion> {
  assertRole(actor, 'ml_lead', 'admin');
  let parsed;
  try {
    parsed = parseCreateInput(input);
  } catch (e) {
    if (e instanceof ZodError) throw DatasetInputError.fromZod(e);
    throw e;
  }
  const { name, params } = parsed;
  if ((await countSelectedLabeledTurns(params)) === 0) {
    throw new DatasetInputError([
      { field: params.search ? 'search' : 'selection', message: `the selection is empty: there are no ${describeSelection(params)} yet` },
    ]);
  }
  return db().$transaction(async (tx) => {
    // Insert-or-find the dataset, then lock it so two concurrent creates get versions n and n+1.
    await tx.$executeRaw`INSERT INTO datasets (name, owner_id) VALUES (${name}, ${actor.id}) ON CONFLICT (name) DO NOTHING`;
    const [dataset] = await tx.$queryRaw<{ id: number; owner_id: string; owner_email: string; kind: string }[]>`
      SELECT d.id, d.owner_id, u.email AS owner_email, d.kind::text AS kind FROM datasets d JOIN users u ON u.id = d.owner_id
      WHERE d.name = ${name} FOR UPDATE OF d`;
    if (dataset.kind !== 'labels') {
      throw new DatasetInputError([{ field: 'name', message: `"${name}" is the hand-written golden set (evaluation only); choose another name` }]);
    }
    if (dataset.owner_id !== actor.id) {
      throw new DatasetInputError([{ field: 'name', message: `"${name}" is already used by ${dataset.owner_email}'s dataset; choose another name` }]);
    }
    const [{ next }] = await tx.$queryRaw<{ next: number }[]>`
      SELECT coalesce(max(version), 0) + 1 AS next FROM dataset_versions WHERE dataset_id = ${dataset.id}`;
    const version = await tx.datasetVersion.create({
      data: { datasetId: dataset.id, version: next, params: storedJson(params), createdById: actor.id },
    });
    return { datasetId: dataset.id, versionId: version.id, name, version: next };
  });
}
