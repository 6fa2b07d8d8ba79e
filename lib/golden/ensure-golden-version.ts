// A built golden dataset version for given transcript settings (instructions, context), so a
// model is scored on the golden set exactly as its own test split renders turns. Idempotent and
// safe with many workers: one builder at a time (transaction-scoped advisory lock), and an
// unchanged file with the same settings reuses the version already built.
import { db } from '../db';
import { buildDatasetVersion } from '../datasets/build-dataset-version';
import { DEFAULT_PARAMS, datasetParamsSchema, type DatasetParams } from '../datasets/params';
import { importConversationsFile } from '../imports';
import { GOLDEN_DATASET_NAME, GOLDEN_FILE, GOLDEN_REVIEWER_EMAIL, goldenFileHash } from './golden-file';

export type GoldenSettings = Pick<DatasetParams, 'instructions' | 'context'>;

export function goldenParams(settings: GoldenSettings): DatasetParams {
  return {
    ...DEFAULT_PARAMS,
    seed: 0,
    split: { train: 0, validation: 0, test: 1 },
    policy: { kind: 'latest' },
    includeTurnsWithoutCandidate: true,
    search: '',
    instructions: settings.instructions,
    context: settings.context,
  };
}

/** Loads (or refreshes) the golden conversations from the file: the import is all-or-nothing. */
export async function loadGoldenSet(opts: { databaseUrl?: string; file?: string } = {}) {
  return importConversationsFile(opts.file ?? GOLDEN_FILE, { databaseUrl: opts.databaseUrl, golden: true, reviewerEmail: GOLDEN_REVIEWER_EMAIL });
}

function sameSettings(stored: unknown, wanted: DatasetParams): boolean {
  const p = datasetParamsSchema.safeParse(stored);
  return p.success && p.data.instructions === wanted.instructions && JSON.stringify(p.data.context) === JSON.stringify(wanted.context);
}

/** Returns the id of a ready golden version for `settings`, loading and building what is missing. */
export async function ensureGoldenVersion(settings: GoldenSettings, ownerId: string, opts: { file?: string } = {}): Promise<number> {
  const file = opts.file ?? GOLDEN_FILE;
  const hash = goldenFileHash(file);
  const wanted = goldenParams(settings);
  const find = async () => {
    const versions = await db().datasetVersion.findMany({
      where: { status: 'ready', sourceHash: hash, dataset: { name: GOLDEN_DATASET_NAME, kind: 'golden' } },
      orderBy: { id: 'desc' },
      select: { id: true, params: true },
    });
    return versions.find((v) => sameSettings(v.params, wanted))?.id ?? null;
  };
  const ready = await find();
  if (ready) return ready;
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('golden-set-build'))`;
      const built = await find();
      if (built) return built;
      await loadGoldenSet({ file });
      // The transaction only holds the lock: what follows commits as it goes, because the
      // builder works on connections of its own and must see the version row.
      await db().$executeRaw`INSERT INTO datasets (name, owner_id, kind) VALUES (${GOLDEN_DATASET_NAME}, ${ownerId}, 'golden') ON CONFLICT (name) DO NOTHING`;
      const dataset = await db().dataset.findUniqueOrThrow({ where: { name: GOLDEN_DATASET_NAME }, select: { id: true, kind: true } });
      if (dataset.kind !== 'golden')
        throw new Error(`a dataset named "${GOLDEN_DATASET_NAME}" exists and is not the golden set; rename it to evaluate on the golden set`);
      const [{ next }] = await db().$queryRaw<
        { next: number }[]
      >`SELECT coalesce(max(version), 0) + 1 AS next FROM dataset_versions WHERE dataset_id = ${dataset.id}`;
      const version = await db().datasetVersion.create({
        data: { datasetId: dataset.id, version: next, params: wanted, createdById: ownerId, sourceHash: hash },
        select: { id: true },
      });
      await buildDatasetVersion(version.id);
      return version.id;
    },
    { timeout: 120_000, maxWait: 120_000 },
  );
}
