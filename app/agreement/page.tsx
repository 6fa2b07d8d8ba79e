import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { canSeeTeamAgreement } from '@/lib/agreement/access';
import { openQueueCount } from '@/lib/agreement/adjudication-queue';
import { reviewerStats } from '@/lib/agreement/reviewer-stats';
import { teamAgreement, unorderedPooled, type PairAgreement, type TeamAgreement } from '@/lib/agreement/team-agreement';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { PairKappaChart } from '@/components/agreement/pair-kappa-chart';
import { LabelAgreementChart } from '@/components/agreement/label-agreement-chart';
import { ReviewerConfusion } from '@/components/agreement/reviewer-confusion';
import { ReviewerStatsTable } from '@/components/agreement/reviewer-stats-table';
import { countText, kappaBand, kappaText, pctText, reviewerName } from '@/components/agreement/format';

export const metadata: Metadata = { title: 'Agreement' };

type Search = { imports?: string; pair?: string; after?: string; pairs?: string };
const PAIRS_SHOWN = 50;

function href(s: Search, change: Partial<Search>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...s, ...change })) if (v) q.set(k, v);
  const t = q.toString();
  return t ? `/agreement?${t}` : '/agreement';
}

const pairKey = (p: PairAgreement) => `${p.a.id} ${p.b.id}`;
const pairName = (p: PairAgreement) => `${reviewerName(p.a)} & ${reviewerName(p.b)}`;

function Card({ title, value, detail }: { title: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{title}</div>
      <div className="text-2xl font-semibold tabular-nums">{value}</div>
      {detail && <div className="text-xs text-slate-500">{detail}</div>}
    </div>
  );
}

export default async function AgreementPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const actor = await actorOrSignIn('/agreement');
  const after = typeof search.after === 'string' && search.after.length <= 320 ? search.after : undefined;
  if (!canSeeTeamAgreement(actor)) {
    const mine = await reviewerStats(actor);
    return (
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">My stats</h1>
          <p className="text-sm text-slate-600">Your own labeling. How the team agrees, pair by pair, is visible to ML leads and admins.</p>
        </div>
        <section aria-labelledby="mine">
          <h2 id="mine" className="mb-2 text-lg font-semibold">
            Your labeling
          </h2>
          <ReviewerStatsTable rows={mine.rows} caption="Your labeling pace and agreement with the adjudicated label" />
        </section>
      </div>
    );
  }

  const includeImports = search.imports === '1';
  const [t, stats, open] = await Promise.all([teamAgreement(actor, { includeImports }), reviewerStats(actor, { after }), openQueueCount(actor)]);
  const measured = t.pairs.filter((p) => p.enough);
  const selected = t.pairs.find((p) => pairKey(p) === search.pair) ?? null;
  const shownPairs = search.pairs === 'all' ? t.pairs : t.pairs.slice(0, PAIRS_SHOWN);

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Agreement</h1>
          <p className="max-w-3xl text-sm text-slate-600">
            How often reviewers give a recruiter turn the same label, beyond what chance would give. Counted over every labeled recruiter turn outside the
            golden set, with the labels of {includeImports ? 'human reviewers and import sources' : 'human reviewers only'}.
          </p>
        </div>
        <Link
          href="/agreement/adjudication"
          className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          data-testid="adjudication-link"
        >
          Adjudication queue ({countText(open)} open)
        </Link>
      </header>

      <nav aria-label="Whose labels" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Labels of:</span>
        <Link
          href={href(search, { imports: undefined, pair: undefined })}
          aria-current={!includeImports ? 'page' : undefined}
          className={`rounded border px-3 py-1 ${!includeImports ? 'border-indigo-600 bg-indigo-50 font-medium text-indigo-800' : 'bg-white hover:bg-slate-100'}`}
        >
          Reviewers only
        </Link>
        <Link
          href={href(search, { imports: '1', pair: undefined })}
          aria-current={includeImports ? 'page' : undefined}
          className={`rounded border px-3 py-1 ${includeImports ? 'border-indigo-600 bg-indigo-50 font-medium text-indigo-800' : 'bg-white hover:bg-slate-100'}`}
        >
          Reviewers and import sources
        </Link>
        <span className="text-xs text-slate-500">Import sources are the files labels were imported from (import@…), not people.</span>
      </nav>

      <section aria-label="Overall agreement" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Card
          title="Fleiss' κ (all reviewers)"
          value={kappaText(t.fleiss.kappa)}
          detail={
            t.fleiss.items < t.minSharedTurns
              ? `over only ${countText(t.fleiss.items)} turns: too few to read`
              : `${kappaBand(t.fleiss.kappa)} · observed ${pctText(t.fleiss.observed)}`
          }
        />
        <Card
          title="Turns with 2+ labels"
          value={countText(t.fleiss.items)}
          detail={`of ${countText(t.labeledTurns)} labeled turns, ${countText(t.labels)} labels`}
        />
        <Card title="Pairs measured" value={`${measured.length} of ${t.pairs.length}`} detail={`a pair needs ≥ ${t.minSharedTurns} shared turns`} />
        <Card title="Open disagreements" value={countText(open)} detail="turns waiting for a final label" />
      </section>

      <PairSection t={t} shown={shownPairs} search={search} />
      <LabelSection t={t} />
      <ConfusionSection t={t} selected={selected} search={search} />

      <section aria-labelledby="reviewers">
        <h2 id="reviewers" className="mb-2 text-lg font-semibold">
          Reviewers
        </h2>
        <ReviewerStatsTable rows={stats.rows} caption="Per-reviewer pace and agreement with the adjudicated label" />
        <div className="mt-2">
          <PaginationNav
            prevHref={after ? href(search, { after: undefined }) : null}
            prevLabel="← First page"
            nextHref={stats.nextAfter ? href(search, { after: stats.nextAfter }) : null}
          />
        </div>
      </section>
    </div>
  );
}

function PairSection({ t, shown, search }: { t: TeamAgreement; shown: PairAgreement[]; search: Search }) {
  const measured = t.pairs.filter((p) => p.enough);
  return (
    <section aria-labelledby="pairs" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="pairs" className="mb-1 text-lg font-semibold">
        Reviewer pairs (Cohen&apos;s κ)
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Each pair over the turns both labeled. κ is 1 for full agreement and 0 for what chance alone gives; it is shown for pairs with at least{' '}
        {t.minSharedTurns} shared turns (fewer say little).
      </p>
      {t.pairs.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-pairs">
          No two reviewers have labeled the same turn yet.
        </p>
      ) : (
        <>
          {measured.length > 0 && <PairKappaChart points={measured.slice(0, 30).map((p) => ({ pair: pairName(p), kappa: p.kappa.kappa ?? 0 }))} />}
          <DataTable
            caption="Cohen's kappa for every reviewer pair"
            columns={['Reviewer A', 'Reviewer B', 'Shared turns', 'Observed agreement', 'Chance agreement', "Cohen's κ", '']}
          >
            {shown.map((p) => (
              <tr key={pairKey(p)} className="border-t border-slate-100" data-pair={`${p.a.email}|${p.b.email}`}>
                <td className="px-3 py-2">{reviewerName(p.a)}</td>
                <td className="px-3 py-2">{reviewerName(p.b)}</td>
                <td className="px-3 py-2 tabular-nums">{countText(p.kappa.n)}</td>
                <td className="px-3 py-2 tabular-nums">{pctText(p.kappa.observed)}</td>
                <td className="px-3 py-2 tabular-nums">{pctText(p.kappa.expected)}</td>
                <td className="px-3 py-2 tabular-nums" data-stat="kappa">
                  {p.enough ? (
                    <>
                      {kappaText(p.kappa.kappa)} <span className="text-xs text-slate-500">{kappaBand(p.kappa.kappa)}</span>
                    </>
                  ) : (
                    <span className="text-xs text-slate-500">fewer than {t.minSharedTurns} shared turns</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <Link href={`${href(search, { pair: pairKey(p) })}#confusion`} className="text-indigo-700 hover:underline">
                    Confusion
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
          {shown.length < t.pairs.length && (
            <p className="mt-2 text-sm">
              <Link href={href(search, { pairs: 'all' })} className="text-indigo-700 hover:underline">
                Show all {t.pairs.length} pairs
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function LabelSection({ t }: { t: TeamAgreement }) {
  return (
    <section aria-labelledby="per-label" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="per-label" className="mb-1 text-lg font-semibold">
        Per label
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Fleiss&apos; κ for one label: agreement on it beyond chance. Specific agreement: of all pairwise judgements where someone said the label, the share
        where both did.
      </p>
      {t.fleiss.items > 0 && <LabelAgreementChart points={t.perLabel.map((l) => ({ label: l.label, kappa: l.kappa, specific: l.specific }))} />}
      <DataTable caption="Agreement per label" columns={['Label', 'Share of labels', "Fleiss' κ for the label", 'Specific agreement']}>
        {t.perLabel.map((l) => (
          <tr key={l.label} className="border-t border-slate-100" data-label={l.label}>
            <td className="px-3 py-2 font-medium">{l.label}</td>
            <td className="px-3 py-2 tabular-nums">{pctText(l.share)}</td>
            <td className="px-3 py-2 tabular-nums">{kappaText(l.kappa)}</td>
            <td className="px-3 py-2 tabular-nums">{pctText(l.specific)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function ConfusionSection({ t, selected, search }: { t: TeamAgreement; selected: PairAgreement | null; search: Search }) {
  return (
    <section id="confusion" aria-labelledby="confusion-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="confusion-heading" className="mb-1 text-lg font-semibold">
        Confusion between reviewers
      </h2>
      <form method="get" action="/agreement#confusion" className="mb-3 flex flex-wrap items-end gap-2 text-sm">
        {search.imports && <input type="hidden" name="imports" value={search.imports} />}
        {search.pairs && <input type="hidden" name="pairs" value={search.pairs} />}
        <label>
          Show
          <select name="pair" defaultValue={selected ? pairKey(selected) : ''} className="ml-2 rounded border border-slate-300 px-2 py-1">
            <option value="">All pairs pooled</option>
            {t.pairs.map((p) => (
              <option key={pairKey(p)} value={pairKey(p)}>
                {pairName(p)} ({countText(p.kappa.n)} shared)
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100">
          Show
        </button>
      </form>
      {selected ? (
        <ReviewerConfusion
          cells={selected.matrix}
          rowTitle={reviewerName(selected.a)}
          columnTitle={reviewerName(selected.b)}
          caption={`Rows: ${reviewerName(selected.a)}'s label · columns: ${reviewerName(selected.b)}'s label, over their ${countText(selected.kappa.n)} shared turns. Green: same label.`}
        />
      ) : (
        <ReviewerConfusion
          cells={unorderedPooled(t.pooled)}
          rowTitle="one reviewer"
          columnTitle="the other"
          caption={`Every pair of reviewers on every turn both labeled (${countText(
            t.pairs.reduce((n, p) => n + p.kappa.n, 0),
          )} pair-turns); a pooled pair has no first reviewer, so each mix of two labels is counted once, below the diagonal.`}
        />
      )}
      {selected && (
        <p className="mt-2 text-sm">
          κ {kappaText(selected.kappa.kappa)} over {countText(selected.kappa.n)} turns
          {selected.enough ? '' : ` (fewer than ${t.minSharedTurns}: read with care)`}.{' '}
          <Link href={`${href(search, { pair: undefined })}#confusion`} className="text-indigo-700 hover:underline">
            Back to all pairs pooled
          </Link>
        </p>
      )}
    </section>
  );
}
