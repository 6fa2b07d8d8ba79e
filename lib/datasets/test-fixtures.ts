// Shared helpers for the dataset tests: users, conversations loaded through the real importer,
// versions created and built the way the page and the CLI do it, and exported files read back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { db } from '../db';
import type { Actor } from '../auth/session';
import { importConversationsFile, importReviewerEmail } from '../imports';
import type { ImportConversation } from '../imports/schema';
import type { LabelValueName } from '../labeling/label-values';
import { sampleConversationsJsonl } from '../seed/generate';
import { resetDatabase } from '../testing/db-snapshot';
import { buildDatasetVersion } from './build-dataset-version';
import { examplesWithContent } from './example-content';
import { createDatasetVersion } from './create-dataset-version';
import { DEFAULT_PARAMS, type DatasetParams, type SplitName } from './params';

export const mlLead: Actor = { id: 'u-ml', email: 'ml@test', name: 'Mia Lead', role: 'ml_lead' };
export const otherLead: Actor = { id: 'u-ml2', email: 'other-ml@test', name: 'Otto Lead', role: 'ml_lead' };
export const admin: Actor = { id: 'u-admin', email: 'admin@test', name: 'Ada Admin', role: 'admin' };
export const reviewer: Actor = { id: 'u-rev', email: 'rev@test', name: 'Rita Reviewer', role: 'reviewer' };

/** Empties every table the datasets touch and creates the four actors above. */
export async function resetWithUsers(): Promise<void> {
  await resetDatabase();
  for (const a of [mlLead, otherLead, admin, reviewer]) {
    await db().user.create({ data: { id: a.id, email: a.email, name: a.name, role: a.role } });
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `datasets-${prefix}-`));
}

const importDir = tempDir('imports');

/** Writes conversations as a JSONL file named `name` and loads it with the importer. */
export async function importConversations(name: string, conversations: ImportConversation[]) {
  const file = path.join(importDir, name);
  fs.writeFileSync(file, conversations.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return importConversationsFile(file);
}

/** The generated sample corpus (about a third pre-labeled), loaded through the importer. */
export async function importSampleCorpus(count: number, seed: number, name = 'sample.jsonl') {
  const file = path.join(importDir, name);
  fs.writeFileSync(file, sampleConversationsJsonl(count, seed));
  return importConversationsFile(file);
}

export async function importReviewerId(fileName: string): Promise<string> {
  return (await db().user.findUniqueOrThrow({ where: { email: importReviewerEmail(fileName) } })).id;
}

type Msg = ImportConversation['messages'][number];
const T0 = Date.parse('2026-10-01T15:00:00Z');
/** A recruiter message `min` minutes after T0, optionally labeled. */
export const rec = (text: string, min: number, label?: LabelValueName): Msg => ({
  sender: 'recruiter',
  text,
  sent_at: new Date(T0 + min * 60_000).toISOString(),
  ...(label ? { label } : {}),
});
export const cand = (text: string, min: number): Msg => ({ sender: 'candidate', text, sent_at: new Date(T0 + min * 60_000).toISOString() });
export const conversation = (externalId: string, messages: Msg[]): ImportConversation => ({
  external_id: externalId,
  candidate_name: 'Dana R.',
  job_title: 'Forklift Operator',
  messages,
});

export function params(overrides: Partial<DatasetParams> = {}): DatasetParams {
  return { ...DEFAULT_PARAMS, ...overrides };
}

/** Creates a version as `actor` and builds it in-process; returns the stored version row. */
export async function createAndBuild(name: string, overrides: Partial<DatasetParams> = {}, actor: Actor = mlLead) {
  const created = await createDatasetVersion(actor, { name, params: params(overrides) });
  await buildDatasetVersion(created.versionId);
  return db().datasetVersion.findUniqueOrThrow({ where: { id: created.versionId } });
}

export type Counts = Record<SplitName, Record<LabelValueName, number>>;

export interface VersionExclusions {
  labeledTurns: number;
  withoutCandidate: number;
  includeTurnsWithoutCandidate: boolean;
  chosen: string;
  policies: { policy: string; included: number; excluded: { tie: number; disagreement: number; too_few_reviewers: number } }[];
  conversations: number;
  newlyAssigned: number;
  inheritedAssignments: number;
  sameContentAs: number | null;
}

export async function examplesOf(versionId: number) {
  return examplesWithContent(versionId);
}

/** conversation external id → split, from a version's examples (throws if one is in two splits). */
export async function splitByConversation(versionId: number): Promise<Map<string, SplitName>> {
  const out = new Map<string, SplitName>();
  for (const e of await examplesOf(versionId)) {
    const seen = out.get(e.externalId);
    if (seen && seen !== e.split) throw new Error(`${e.externalId} is in ${seen} and ${e.split}`);
    out.set(e.externalId, e.split);
  }
  return out;
}
