// The project's labeling settings: how many reviewers label every decision turn (the work
// queue's overlap) and whether reviewers label blind. One row, read on every claim and page
// (a primary-key lookup), so a change applies to every web process at once.
import { z } from 'zod';
import { db } from '../db';
import { assertRole, type Actor } from '../auth/session';
import { InputError } from '../errors';

export const MAX_REVIEWERS_PER_TURN = 10;

export interface LabelingSettings {
  reviewersPerTurn: number;
  /** What the admin chose: true/false, or null for "on when more than one reviewer per turn". */
  blindSetting: boolean | null;
  /** Whether reviewers label blind now. */
  blind: boolean;
  updatedAt: Date | null;
  /** Who changed them last (an id; the admin page reads the email). */
  updatedBy: string | null;
}

/** Blind labeling is on by default exactly when a turn gets more than one reviewer. */
export function effectiveBlind(reviewersPerTurn: number, blindSetting: boolean | null): boolean {
  return blindSetting ?? reviewersPerTurn > 1;
}

/** Read on every claim and conversation page: one primary-key lookup. */
export async function getLabelingSettings(): Promise<LabelingSettings> {
  const row = await db().labelingSettings.findUnique({ where: { id: 1 } });
  const reviewersPerTurn = row?.reviewersPerTurn ?? 1;
  const blindSetting = row?.blindLabeling ?? null;
  return {
    reviewersPerTurn,
    blindSetting,
    blind: effectiveBlind(reviewersPerTurn, blindSetting),
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedById ?? null,
  };
}

/** The settings page: the same, naming who changed them last. */
export async function getLabelingSettingsForAdmin(actor: Actor): Promise<LabelingSettings> {
  assertRole(actor, 'admin');
  const s = await getLabelingSettings();
  const by = s.updatedBy ? await db().user.findUnique({ where: { id: s.updatedBy }, select: { email: true } }) : null;
  return { ...s, updatedBy: by?.email ?? null };
}

export const labelingSettingsInput = z.object({
  reviewersPerTurn: z.coerce
    .number({ error: 'reviewers per turn must be a whole number' })
    .int('reviewers per turn must be a whole number')
    .min(1, 'reviewers per turn must be at least 1')
    .max(MAX_REVIEWERS_PER_TURN, `reviewers per turn can be at most ${MAX_REVIEWERS_PER_TURN}`),
  blind: z.enum(['auto', 'on', 'off'], { error: 'blind labeling must be auto, on or off' }),
});
export type LabelingSettingsInput = z.input<typeof labelingSettingsInput>;

/** Admins only. Leases already handed out stay; the new overlap applies from the next claim. */
export async function updateLabelingSettings(actor: Actor, raw: unknown): Promise<LabelingSettings> {
  assertRole(actor, 'admin');
  const parsed = labelingSettingsInput.safeParse(raw);
  if (!parsed.success) throw InputError.ofZod(parsed.error);
  const { reviewersPerTurn, blind } = parsed.data;
  const blindLabeling = blind === 'auto' ? null : blind === 'on';
  await db().labelingSettings.upsert({
    where: { id: 1 },
    create: { id: 1, reviewersPerTurn, blindLabeling, updatedById: actor.id },
    update: { reviewersPerTurn, blindLabeling, updatedById: actor.id },
  });
  return getLabelingSettingsForAdmin(actor);
}
