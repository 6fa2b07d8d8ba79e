'use client';

const SHORTCUTS: [string, string][] = [
  ['j / ↓', 'Next recruiter turn'],
  ['k / ↑', 'Previous recruiter turn'],
  ['1 / e', 'Label END, go to next unlabeled turn'],
  ['2 / c', 'Label CONTINUE, go to next unlabeled turn'],
  ['3 / s', 'Label SCHEDULE, go to next unlabeled turn'],
  ['a', "Accept the model's suggestion on this turn, go to next unlabeled turn"],
  ['Ctrl+Z / ⌫ / u', 'Undo my last change in this conversation (label, skip or flag); again to go further back'],
  ['x', 'Skip this turn (leave it for others); again to take the skip back'],
  ['f', 'Flag this turn: then 1 unclear · 2 needs context · 3 bad data · 0 remove · Esc cancel'],
  ['m', 'Comment on this turn (Ctrl+Enter posts, Esc cancels)'],
  ['h', 'Show or hide the history of the focused turn'],
  ['n', 'Next conversation that needs my labels'],
  ['?', 'Show or hide this list'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        className="w-[28rem] max-w-[95vw] rounded-lg bg-white p-5 shadow-xl"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcuts-title" className="mb-3 text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose} className="mt-4 rounded border px-3 py-1 text-sm hover:bg-slate-100" autoFocus>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
