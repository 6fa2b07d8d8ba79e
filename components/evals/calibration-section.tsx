import type { Calibration } from '@/lib/evals/metrics';
import { ReliabilityChart } from '@/components/charts/reliability-chart';
import { num, pct } from './format';

/** How far the model's confidences can be trusted: reliability diagram, ECE and its table. */
export function CalibrationSection({ calibration }: { calibration: Calibration | null | undefined }) {
  if (calibration === undefined) {
    return <p className="text-sm text-slate-600">This run was scored before calibration was measured.</p>;
  }
  if (calibration === null || calibration.n === 0) {
    return <p className="text-sm text-slate-600">This provider gave no confidences, so calibration cannot be measured.</p>;
  }
  const rows = calibration.bins.map((b) => ({
    bin: `${b.low.toFixed(1)}–${b.high.toFixed(1)}`,
    mid: (b.low + b.high) / 2,
    accuracy: b.accuracy,
    meanConfidence: b.meanConfidence,
    count: b.count,
  }));
  const ece = calibration.ece ?? 0;
  return (
    <div className="space-y-2 text-sm">
      <p>
        Expected calibration error <strong data-testid="ece">{num(calibration.ece)}</strong>{' '}
        <span className={ece <= 0.05 ? 'text-emerald-700' : 'text-amber-700'}>
          ({ece <= 0.05 ? 'confidences mean what they say' : 'confidences over- or understate how often it is right'})
        </span>
        ; largest gap in a bin {num(calibration.maxGap)}, over {calibration.n.toLocaleString('en-US')} answers with a confidence.
      </p>
      <ReliabilityChart rows={rows} />
      <details>
        <summary className="cursor-pointer text-indigo-700">Reliability table</summary>
        <table className="mt-2 w-full">
          <caption className="sr-only">Accuracy and mean confidence per confidence bin</caption>
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th scope="col">Confidence</th>
              <th scope="col" className="text-right">
                Answers
              </th>
              <th scope="col" className="text-right">
                Mean confidence
              </th>
              <th scope="col" className="text-right">
                Accuracy
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.bin} className="border-t border-slate-100 tabular-nums">
                <th scope="row" className="text-left font-normal">
                  {r.bin}
                </th>
                <td className="text-right">{r.count}</td>
                <td className="text-right">{num(r.meanConfidence)}</td>
                <td className="text-right">{pct(r.accuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
