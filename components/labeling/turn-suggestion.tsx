'use client';

// A model's suggestion on a turn the reviewer has not labeled: the label, how sure the model
// is, and which model it is. It is not a label (and not another reviewer's): it becomes the
// reviewer's own label only when they accept it, with `a` or the button.
import type { TurnSuggestionView } from '@/lib/suggestions/queries';

/** Below this the advisor would not act on its own answer (its default threshold). */
const UNSURE_BELOW = 0.7;

export function TurnSuggestion({ suggestion, onAccept }: { suggestion: TurnSuggestionView; onAccept: () => void }) {
  const c = suggestion.confidence;
  const unsure = c !== null && c < UNSURE_BELOW;
  return (
    <div
      data-testid="turn-suggestion"
      data-value={suggestion.value}
      className={`mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 rounded px-2 py-1 text-xs ${unsure ? 'bg-amber-100 text-amber-950' : 'bg-white/15 text-white'}`}
    >
      <span>
        Suggested: <strong className="font-mono">{suggestion.value}</strong>
        {c !== null ? (
          <>
            {' '}
            · confidence <span data-testid="suggestion-confidence">{c.toFixed(2)}</span>
            {unsure && <span className="font-semibold"> (unsure)</span>}
          </>
        ) : (
          ' · no confidence given'
        )}
      </span>
      <span
        className="max-w-[14rem] truncate opacity-80"
        title={`${suggestion.by === 'advisor' ? 'The promoted advisor' : 'The newest fine-tuned model'}: ${suggestion.model}`}
      >
        by {suggestion.by === 'advisor' ? 'advisor' : 'fine-tune'} <span className="font-mono">{suggestion.model}</span>
      </span>
      <button
        type="button"
        onClick={(e) => {
          e.stopPropagation();
          onAccept();
        }}
        className={`ml-auto rounded border px-1.5 py-0.5 font-semibold ${
          unsure ? 'border-amber-400 bg-white hover:bg-amber-50' : 'border-white/50 bg-white/10 hover:bg-white/25'
        }`}
      >
        Accept (<kbd className="font-mono">a</kbd>)
      </button>
    </div>
  );
}
