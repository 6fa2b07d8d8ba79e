import { beforeAll, describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa, pairMatrix } from '../evals/metrics/agreement';
import { LABELS, type Label } from '../evals/metrics/labels';
import { createRng } from '../prng';
import { ForbiddenError } from '../errors';
import { teamAgreement, unorderedPooled, MIN_SHARED_TURNS } from './team-agreement';
import { ann, ben, cat, IMPORT_ID, lead, makeConversation, putLabels, resetWithPeople } from './test-fixtures';

// Every (turn, reviewer, value) written, to recompute the same numbers in JS.
const written: { messageId: number; reviewerId: string; value: Label }[] = [];

beforeAll(async () => {
  await resetWithPeople();
  const rng = createRng(12);
  // 30 conversations × 4 decision turns. Ann and Ben label everything; Cat labels most turns,
  // leaning towards CONTINUE; the import source labels a few. A truth label per turn, each
  // reviewer agreeing with it with some probability, so κ is neither 0 nor 1.
  for (let c = 0; c < 30; c++) {
    const conv = await makeConversation(`agr-${c}`, 4);
    const rows: typeof written = [];
    for (const messageId of conv.turns) {
      const truth = rng.pick(LABELS);
      const say = (p: number) => (rng.chance(p) ? truth : rng.pick(LABELS));
      rows.push({ messageId, reviewerId: ann.id, value: say(0.8) });
      rows.push({ messageId, reviewerId: ben.id, value: say(0.7) });
      if (rng.chance(0.6)) rows.push({ messageId, reviewerId: cat.id, value: rng.chance(0.3) ? 'CONTINUE' : say(0.6) });
      if (rng.chance(0.3)) rows.push({ messageId, reviewerId: IMPORT_ID, value: say(0.9) });
    }
    // A labeled opening message is a judgement too and counts (lib/agreement/scope.ts).
    if (c % 3 === 0)
      rows.push({ messageId: conv.opening, reviewerId: ann.id, value: 'END' }, { messageId: conv.opening, reviewerId: ben.id, value: 'CONTINUE' });
    await putLabels(conv.id, rows);
    written.push(...rows);
  }
  // A golden conversation where everyone disagrees: must not count either.
  const golden = await makeConversation('agr-golden', 3, { golden: true });
  await putLabels(
    golden.id,
    golden.turns.flatMap((messageId) => [
      { messageId, reviewerId: ann.id, value: 'END' as const },
      { messageId, reviewerId: ben.id, value: 'SCHEDULE' as const },
    ]),
  );
});

function jsPair(a: string, b: string) {
  const byTurn = new Map<number, Map<string, Label>>();
  for (const w of written) {
    if (!byTurn.has(w.messageId)) byTurn.set(w.messageId, new Map());
    byTurn.get(w.messageId)!.set(w.reviewerId, w.value);
  }
  const pairs: { a: Label; b: Label }[] = [];
  for (const m of byTurn.values()) if (m.has(a) && m.has(b)) pairs.push({ a: m.get(a)!, b: m.get(b)! });
  return cohenKappa(pairMatrix(pairs));
}

function jsFleiss(reviewers: Set<string>) {
  const items = new Map<number, Record<Label, number>>();
  for (const w of written) {
    if (!reviewers.has(w.reviewerId)) continue;
    const it = items.get(w.messageId) ?? { END: 0, CONTINUE: 0, SCHEDULE: 0 };
    it[w.value]++;
    items.set(w.messageId, it);
  }
  return fleissKappa(items.values());
}

describe('teamAgreement', () => {
  it("computes each pair's κ in SQL exactly as cohenKappa does on the same labels in JS", async () => {
    const t = await teamAgreement(lead, { includeImports: false });
    const ids = [ann.id, ben.id, cat.id].sort();
    expect(t.pairs.map((p) => [p.a.id, p.b.id].join('+')).sort()).toEqual([`${ids[0]}+${ids[1]}`, `${ids[0]}+${ids[2]}`, `${ids[1]}+${ids[2]}`].sort());
    for (const p of t.pairs) {
      const js = jsPair(p.a.id, p.b.id);
      expect(p.kappa.n).toBe(js.n);
      expect(p.kappa.kappa).toBeCloseTo(js.kappa!, 12);
      expect(p.kappa.observed).toBeCloseTo(js.observed!, 12);
      expect(p.enough).toBe(js.n >= MIN_SHARED_TURNS);
    }
    // Ann and Ben share all 120 decision turns and 10 openings; the golden conversation's labels are not among them.
    const annBen = t.pairs.find((p) => new Set([p.a.id, p.b.id]).has(ann.id) && new Set([p.a.id, p.b.id]).has(ben.id))!;
    expect(annBen.kappa.n).toBe(130);
    expect(annBen.kappa.kappa).toBeGreaterThan(0.2);
    expect(annBen.kappa.kappa).toBeLessThan(0.9);
  });

  it("computes Fleiss' κ and per-label κ over the same turns as fleissKappa in JS; import sources only when asked", async () => {
    const humans = await teamAgreement(lead, { includeImports: false });
    const js = jsFleiss(new Set([ann.id, ben.id, cat.id]));
    expect(humans.fleiss.items).toBe(js.items);
    expect(humans.fleiss.ratings).toBe(js.ratings);
    expect(humans.fleiss.kappa).toBeCloseTo(js.kappa!, 12);
    for (const l of LABELS) expect(humans.perLabel.find((p) => p.label === l)!.kappa).toBeCloseTo(js.perLabel[l].kappa!, 12);
    expect(humans.labeledTurns).toBe(130);
    expect(humans.pairs.some((p) => p.a.isImport || p.b.isImport)).toBe(false);

    const withImports = await teamAgreement(lead, { includeImports: true });
    const jsAll = jsFleiss(new Set([ann.id, ben.id, cat.id, IMPORT_ID]));
    expect(withImports.fleiss.ratings).toBe(jsAll.ratings);
    expect(withImports.fleiss.kappa).toBeCloseTo(jsAll.kappa!, 12);
    expect(withImports.pairs.filter((p) => p.a.isImport || p.b.isImport)).toHaveLength(3);
  });

  it('pools the confusion over pairs, each unordered pair of labels once', async () => {
    const t = await teamAgreement(lead, { includeImports: false });
    const u = unorderedPooled(t.pooled);
    let total = 0;
    for (const x of LABELS) for (const y of LABELS) total += u[x][y] ?? 0;
    expect(total).toBe(t.pairs.reduce((n, p) => n + p.kappa.n, 0));
    expect(u.END.CONTINUE).toBeNull();
    expect(u.CONTINUE.END).toBe(t.pooled.END.CONTINUE + t.pooled.CONTINUE.END);
  });

  it('is refused to a reviewer', async () => {
    await expect(teamAgreement(ann, { includeImports: false })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
