import type { ReviewerStatsRow } from '@/lib/agreement/reviewer-stats';
import { PACE_WINDOW_DAYS, PAUSE_CAP_SECONDS } from '@/lib/agreement/reviewer-stats';
import { DataTable } from '@/components/ui/data-table';
import { countText, pctText, reviewerName } from './format';

const seconds = (s: number | null) => (s === null ? '—' : s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

export function ReviewerStatsTable({ rows, caption }: { rows: ReviewerStatsRow[]; caption: string }) {
  return (
    <>
      <DataTable
        caption={caption}
        columns={['Reviewer', 'Turns labeled today', 'This week', 'Median seconds per turn', 'Agreement with the adjudicated label']}
      >
        {rows.map((r) => (
          <tr key={r.id} className="border-t border-slate-100" data-reviewer={r.email}>
            <td className="px-3 py-2">
              {reviewerName(r)}
              {r.name && <span className="block text-xs text-slate-500">{r.email}</span>}
            </td>
            <td className="px-3 py-2 tabular-nums" data-stat="today">
              {countText(r.today)}
            </td>
            <td className="px-3 py-2 tabular-nums" data-stat="week">
              {countText(r.week)}
            </td>
            <td className="px-3 py-2 tabular-nums" data-stat="median">
              {seconds(r.medianSeconds)}
              {r.paceSamples > 0 && <span className="block text-xs text-slate-500">over {countText(r.paceSamples)} gaps</span>}
            </td>
            <td className="px-3 py-2 tabular-nums" data-stat="adjudicated">
              {pctText(r.adjudicatedAgreement)}
              <span className="block text-xs text-slate-500">
                {r.adjudicatedTurns ? `${countText(r.agreeWithAdjudicated)} of ${countText(r.adjudicatedTurns)} adjudicated turns` : 'no adjudicated turns yet'}
              </span>
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="mt-2 text-xs text-slate-500">
        Today and this week: distinct turns given a label since midnight and since Monday (database time), from the label history. Median seconds per turn: the
        median gap between one reviewer&apos;s consecutive label changes over the last {PACE_WINDOW_DAYS} days; a gap over {PAUSE_CAP_SECONDS / 60} minutes
        counts as a break, not labeling time. Agreement with the adjudicated label: of the reviewer&apos;s labels on turns an ML lead adjudicated, the share
        equal to the final label.
      </p>
    </>
  );
}
