import { EXCLUSION_REASONS, type DecidedByTally, type ExclusionReason, type PolicyTally } from '@/lib/datasets/label-policy';

export interface Exclusions {
  labeledTurns: number;
  /** Absent on versions built before opening messages were counted apart. */
  opening?: number;
  withoutCandidate: number;
  includeTurnsWithoutCandidate: boolean;
  chosen: string;
  policies: PolicyTally[];
  conversations: number;
  newlyAssigned: number;
  inheritedAssignments: number;
  sameContentAs: number | null;
  /** Versions built with the adjudicated policy: which source decided each turn. */
  decidedBy?: DecidedByTally;
}

const POLICY_NAMES: Record<string, string> = { latest: 'Latest', majority: 'Majority', adjudicated: 'Adjudicated, else majority' };
const policyName = (p: string) => POLICY_NAMES[p] ?? p.replace(/^agree:(\d+)/, 'Agreement ≥ $1');
const fmt = (n: number) => n.toLocaleString('en-US');

export function ExclusionsTable({ exclusions: x }: { exclusions: Exclusions }) {
  const reasons = Object.keys(EXCLUSION_REASONS) as ExclusionReason[];
  return (
    <section aria-labelledby="exclusions" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="exclusions" className="mb-1 font-medium">
        Which turns made it in
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        {fmt(x.labeledTurns)} labeled turns in {x.labeledTurns ? 'the selection' : 'none'}.{' '}
        {(x.opening ?? 0) > 0 && `${fmt(x.opening ?? 0)} opening messages left out (nothing comes before them, so they are not decisions). `}
        {x.withoutCandidate > 0 && `${fmt(x.withoutCandidate)} left out because no candidate message came before them. `}
        Each policy on the remaining {fmt(x.labeledTurns - (x.opening ?? 0) - x.withoutCandidate)} turns (this version uses{' '}
        <strong>{policyName(x.chosen)}</strong>):
      </p>
      <table className="w-full text-sm">
        <caption className="sr-only">Turns included and excluded under each label policy</caption>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th scope="col">Policy</th>
            <th scope="col" className="text-right">
              Included
            </th>
            {reasons.map((r) => (
              <th key={r} scope="col" className="text-right">
                Excluded: {EXCLUSION_REASONS[r]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {x.policies.map((t) => (
            <tr key={t.policy} className={`border-t border-slate-100 ${t.policy === x.chosen ? 'bg-indigo-50 font-medium' : ''}`}>
              <th scope="row" className="py-1 text-left font-normal">
                {policyName(t.policy)}
                {t.policy === x.chosen && <span className="ml-1 text-xs text-indigo-700">(used)</span>}
              </th>
              <td className="py-1 text-right tabular-nums">{fmt(t.included)}</td>
              {reasons.map((r) => (
                <td key={r} className="py-1 text-right tabular-nums">
                  {fmt(t.excluded[r])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {x.decidedBy && <DecidedByTable decidedBy={x.decidedBy} />}
      <p className="mt-3 text-xs text-slate-500">
        {fmt(x.conversations)} conversations: {fmt(x.inheritedAssignments)} kept the split an earlier version gave them, {fmt(x.newlyAssigned)} placed now.
      </p>
    </section>
  );
}

/** Under the adjudicated policy: how many of the turns each source decided. */
function DecidedByTable({ decidedBy: d }: { decidedBy: DecidedByTally }) {
  const rows = [
    { id: 'adjudication', name: 'Adjudicated label (set by an ML lead or admin)', n: d.adjudication },
    { id: 'majority', name: 'Majority of reviewers (no adjudication)', n: d.majority },
    { id: 'excluded', name: 'Left out (no adjudication, majority tied)', n: d.excluded },
  ];
  const total = d.adjudication + d.majority + d.excluded;
  return (
    <div className="mt-4">
      <h3 className="mb-1 text-sm font-medium">Who decided each turn</h3>
      <table className="w-full max-w-xl text-sm" data-testid="decided-by">
        <caption className="sr-only">Turns decided by each source under the adjudicated policy</caption>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th scope="col">Source</th>
            <th scope="col" className="text-right">
              Turns
            </th>
            <th scope="col" className="text-right">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-source={r.id} className="border-t border-slate-100">
              <th scope="row" className="py-1 text-left font-normal">
                {r.name}
              </th>
              <td className="py-1 text-right tabular-nums">{fmt(r.n)}</td>
              <td className="py-1 text-right tabular-nums">{total ? `${((100 * r.n) / total).toFixed(1)}%` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
