'use client';

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConversationThread } from '@/lib/conversations/get-conversation';
import { LABEL_VALUES, type LabelValueName } from '@/lib/labeling/label-values';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatDateTime, formatGap } from '@/components/ui/format-time';
import { useLabelWriter, type LabelTurnAction } from './use-label-writer';
import { ShortcutsHelp } from './shortcuts-help';
import { TurnLabelBar } from './turn-label-bar';
import { shortcutKey, takeBufferedKeys } from './keystroke-buffer';
import { useQueueNavigation, type NextConversationAction } from './use-queue-navigation';
import { useLeaseHeartbeat } from './use-lease-heartbeat';
import { useBlindReveal, type OtherLabelsAction } from './use-blind-reveal';
import { ConnectionNotice, signInHref, useOnline } from './connection-notice';
import { LeaseNotice } from './lease-notice';
import type { TurnActionsState } from '@/lib/labeling/turn-actions-queries';
import { useTurnActions, type TurnActionsServer } from './turn-actions-state';
import { useTurnActionKeys } from './turn-actions-keys';
import { TurnActionsBar } from './turn-actions-bar';
import { HistoryDrawer } from './history-drawer';
import { TurnActionsSummary, TurnActionsToast } from './turn-actions-toast';

/** The page's server actions for this thread (components do not import app/). */
export interface LabelingActions {
  labelTurn: LabelTurnAction;
  nextConversation: NextConversationAction;
  /** Blind labeling: others' labels on a turn, once the reviewer's own is stored. */
  otherLabels?: OtherLabelsAction;
  turnActions: TurnActionsServer;
}
import { TurnSuggestion } from './turn-suggestion';
import type { TurnSuggestionView } from '@/lib/suggestions/queries';

const KEY_TO_LABEL: Record<string, LabelValueName> = { '1': 'END', e: 'END', '2': 'CONTINUE', c: 'CONTINUE', '3': 'SCHEDULE', s: 'SCHEDULE' };

export function LabelingThread({
  thread,
  overall,
  focusTurnId,
  evalHighlight = null,
  decisionNote = null,
  suggestions = {},
  view = '',
  actions,
  turnActionsInitial,
}: {
  /** Skips, flags and comments as stored (lib/labeling/turn-actions-queries.ts). */
  turnActionsInitial: TurnActionsState;
  actions: LabelingActions;
  /** The list view (its query string) this conversation was opened from: `n` stays inside it. */
  view?: string;
  thread: ConversationThread;
  overall: { total: number; mine: number };
  focusTurnId: number | null;
  /** From an evaluation's drill-down: the true and predicted label of the focused turn. */
  evalHighlight?: { truth: string; predicted: string } | null;
  /** From the Advisor page: a live decision, shown on the message it is about. */
  decisionNote?: { messageId: number; text: string } | null;
  /** The model's suggestion per turn (lib/suggestions), shown on turns without my label. */
  suggestions?: Record<number, TurnSuggestionView>;
}) {
  const turns = useMemo(() => thread.messages.filter((m) => m.sender === 'recruiter'), [thread.messages]);
  // The opening text has nothing before it to decide from: it is never a training example, so
  // auto-advance, the initial focus and progress pass over it (it can still be labeled).
  const openingId = thread.messages[0]?.sender === 'recruiter' ? thread.messages[0].id : null;
  const decisions = useMemo(() => turns.filter((t) => t.id !== openingId), [turns, openingId]);
  const turnIndexOf = useMemo(() => new Map(turns.map((t, i) => [t.id, i])), [turns]);
  const initialLabels = useMemo(() => Object.fromEntries(turns.map((t) => [t.id, t.myLabel])), [turns]);
  const { labels, confirmed, status, errors, unsaved, signedOut, write, retry, restore } = useLabelWriter(initialLabels, actions.labelTurn);
  const [help, setHelp] = useState(false);
  const online = useOnline();
  const othersOf = useBlindReveal(turns, confirmed, actions.otherLabels);
  const lease = useLeaseHeartbeat(thread.id, !thread.isGolden);
  // A turn others have already given the project's reviewers-per-turn labels needs nobody
  // else: focus and auto-advance go to turns that still need a label first.
  const needsMe = useCallback(
    (t: { id: number; covered: boolean }, l: Record<number, LabelValueName | null>) => t.id !== openingId && !l[t.id] && !t.covered,
    [openingId],
  );

  const [focused, setFocused] = useState(() => {
    const byUrl = focusTurnId == null ? -1 : turns.findIndex((t) => t.id === focusTurnId);
    if (byUrl >= 0) return byUrl;
    const skipped = new Set(turnActionsInitial.skipped);
    const firstNeeded = turns.findIndex((t) => needsMe(t, initialLabels) && !skipped.has(t.id));
    if (firstNeeded >= 0) return firstNeeded;
    const firstOpen = turns.findIndex((t) => t.id !== openingId && !t.myLabel && !skipped.has(t.id));
    if (firstOpen >= 0) return firstOpen;
    return openingId !== null && turns.length > 1 ? 1 : 0;
  });
  const turnRefs = useRef<(HTMLDivElement | null)[]>([]);
  const focusTurn = useCallback(
    (id: number) => {
      const i = turns.findIndex((t) => t.id === id);
      if (i >= 0) setFocused(i);
    },
    [turns],
  );
  const decisionIds = useMemo(() => decisions.map((t) => t.id), [decisions]);
  const turnActions = useTurnActions({
    thread,
    initial: turnActionsInitial,
    server: actions.turnActions,
    myLabels: labels,
    decisionTurnIds: decisionIds,
    onLabelRestored: restore,
    onFocusTurn: focusTurn,
  });

  useEffect(() => {
    const el = turnRefs.current[focused];
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  }, [focused]);

  // Progress counts what the server has: a failed save is rolled back, so it never counts.
  const myCount = decisions.filter((t) => labels[t.id]).length;
  const initialMine = decisions.filter((t) => t.myLabel).length;
  const queuedWrites = Object.values(status).filter((s) => s === 'saving').length;
  const {
    goNext,
    navigating,
    state: nextState,
  } = useQueueNavigation({
    currentId: thread.id,
    view,
    unfinished: !thread.isGolden && myCount < decisions.length,
    nextConversation: actions.nextConversation,
  });

  // Labels read through a ref so a burst of keystrokes sees the newest state, not the
  // state of the render the key handler was created in.
  const labelsRef = useRef(labels);
  const focusedRef = useRef(focused);
  useLayoutEffect(() => {
    labelsRef.current = labels;
    focusedRef.current = focused;
  }, [labels, focused]);

  const labelFocused = useCallback(
    (value: LabelValueName, source?: 'suggestion') => {
      const i = focusedRef.current;
      const turn = turns[i];
      if (!turn) return;
      write(turn.id, value, source);
      const after = { ...labelsRef.current, [turn.id]: value };
      labelsRef.current = after;
      // Move on to the next turn that still needs me (then any without my label), forward then wrapping.
      const order = [...turns.slice(i + 1), ...turns.slice(0, i)];
      // Skipped turns are left for others (x): auto-advance passes over them.
      const open = (t: (typeof turns)[number]) => !turnActions.skippedRef.current.has(t.id);
      const next = order.find((t) => open(t) && needsMe(t, after)) ?? order.find((t) => open(t) && t.id !== openingId && !after[t.id]);
      if (next) {
        const ni = turns.indexOf(next);
        focusedRef.current = ni;
        setFocused(ni);
      }
    },
    [turns, write, openingId, needsMe, turnActions.skippedRef],
  );

  // One shortcut key; true when it was one of ours. Used for live keys and for the keys
  // typed while this conversation was loading (replayed once, on mount, in order).
  const helpRef = useRef(help);
  const handleKey = useCallback(
    (key: string): boolean => {
      if (helpRef.current) {
        if (key === 'Escape' || key === '?') {
          helpRef.current = false;
          setHelp(false);
          return true;
        }
        return false;
      }
      const move = (d: number) => {
        const n = Math.min(turns.length - 1, Math.max(0, focusedRef.current + d));
        focusedRef.current = n;
        setFocused(n);
        return true;
      };
      if (key === 'j' || key === 'ArrowDown') return move(1);
      if (key === 'k' || key === 'ArrowUp') return move(-1);
      if (KEY_TO_LABEL[key]) {
        if (!thread.isGolden) labelFocused(KEY_TO_LABEL[key]);
        return true;
      }
      if (key === 'a' && !thread.isGolden) {
        const turn = turns[focusedRef.current];
        const suggestion = turn && suggestions[turn.id];
        if (suggestion && !labelsRef.current[turn.id]) labelFocused(suggestion.value, 'suggestion');
        return true;
      }
      if (key === 'n') {
        goNext();
        return true;
      }
      if (key === '?') {
        helpRef.current = true;
        setHelp(true);
        return true;
      }
      return false;
    },
    [turns, labelFocused, goNext, thread.isGolden, suggestions],
  );
  const handleKeyRef = useRef(handleKey);
  useLayoutEffect(() => {
    handleKeyRef.current = handleKey;
    helpRef.current = help;
  }, [handleKey, help]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const key = shortcutKey(e);
      if (key !== null && handleKeyRef.current(key)) e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    for (const key of takeBufferedKeys(thread.id)) handleKeyRef.current(key);
    // Tells people (and tests) that keyboard shortcuts are live: keys pressed before the page
    // has hydrated have no listener to reach.
    document.documentElement.dataset.keyboardReady = 'true';
    return () => window.removeEventListener('keydown', onKey);
  }, [thread.id]);

  // After signing in again the reviewer comes back to the first turn that did not save.
  const backTo = turns.find((t) => t.id in unsaved) ?? turns[focused];
  const returnTo = `/conversations/${thread.id}?${new URLSearchParams({ ...(backTo ? { turn: String(backTo.id) } : {}), ...(view ? { view } : {}) })}`;
  // Skip (x), flag (f), comment (m), history (h), undo (Ctrl+Z, Backspace, u): ./turn-actions-keys.ts.
  useTurnActionKeys(turnActions, { focusedTurnId: () => turns[focusedRef.current]?.id, disabled: help || thread.isGolden });

  return (
    // With the history drawer open on a wide screen the thread moves left of it (the drawer takes
    // the sidebar's place), so the turn whose history it shows stays in view.
    <div className={turnActions.historyOpen && !thread.isGolden ? 'grid gap-6 lg:mr-[32rem]' : 'grid gap-6 lg:grid-cols-[1fr_18rem]'}>
      <section aria-label="Conversation thread" className="space-y-1">
        <header className="mb-4">
          <h1 className="text-2xl font-semibold">{thread.candidateName || thread.externalId}</h1>
          <p className="text-sm text-slate-600">
            {thread.jobTitle ?? 'No job title'} · <span className="font-mono">{thread.externalId}</span>
          </p>
          {thread.isGolden && (
            <p role="note" className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
              A hand-written <strong>golden</strong> conversation: every model is scored on it, none is trained on it. Its labels come from the golden set
              (lib/golden) and cannot be changed here.
            </p>
          )}
        </header>
        <div className="mb-3 space-y-2 empty:hidden">
          <ConnectionNotice online={online} queued={queuedWrites} signedOut={signedOut} returnTo={returnTo} />
          {lease && <LeaseNotice lease={lease} perTurn={thread.reviewersPerTurn} />}
        </div>
        {thread.messages.map((m, i) => {
          const prev = thread.messages[i - 1];
          const gap = prev?.sentAt && m.sentAt ? new Date(m.sentAt).getTime() - new Date(prev.sentAt).getTime() : null;
          const isRecruiter = m.sender === 'recruiter';
          const ti = turnIndexOf.get(m.id) ?? -1;
          return (
            <div key={m.id}>
              {gap != null && (
                <p className="my-2 text-center text-xs text-slate-400" aria-hidden="true">
                  {formatGap(gap)}
                </p>
              )}
              <div className={`flex ${isRecruiter ? 'justify-end' : 'justify-start'}`}>
                <div
                  ref={
                    isRecruiter
                      ? (el) => {
                          turnRefs.current[ti] = el;
                        }
                      : undefined
                  }
                  tabIndex={isRecruiter ? -1 : undefined}
                  data-turn-id={isRecruiter ? m.id : undefined}
                  data-focused={isRecruiter && ti === focused ? 'true' : undefined}
                  aria-label={isRecruiter ? `Recruiter turn ${ti + 1} of ${turns.length}` : undefined}
                  role={isRecruiter ? 'group' : undefined}
                  onClick={isRecruiter ? () => setFocused(ti) : undefined}
                  className={`max-w-[80%] rounded-2xl px-4 py-2 ${
                    isRecruiter ? 'bg-indigo-600 text-white' : 'bg-white text-slate-900 ring-1 ring-slate-200'
                  } ${isRecruiter && ti === focused ? 'ring-4 ring-amber-400' : ''} ${decisionNote?.messageId === m.id && !isRecruiter ? 'ring-4 ring-amber-400' : ''}`}
                >
                  <p className="text-xs opacity-75">
                    {isRecruiter ? 'Recruiter' : 'Candidate'}
                    {m.sentAt ? ` · ${formatDateTime(m.sentAt)}` : ''}
                  </p>
                  <p className="whitespace-pre-wrap break-words">{m.text}</p>
                  {m.id === openingId && (
                    <p data-testid="opening-note" className="mt-1 rounded bg-indigo-800/60 px-2 py-0.5 text-xs">
                      Opening message: nothing comes before it, so it is not used for training. Labeling it is optional.
                    </p>
                  )}
                  {decisionNote?.messageId === m.id && (
                    <p data-testid="decision-note" className="mt-2 rounded bg-amber-100 px-2 py-1 text-xs font-medium text-amber-950">
                      {decisionNote.text}
                    </p>
                  )}
                  {isRecruiter && evalHighlight && m.id === focusTurnId && (
                    <p data-testid="eval-highlight" className="mt-2 rounded bg-amber-100 px-2 py-1 text-xs font-medium text-amber-950">
                      Evaluation: true <strong>{evalHighlight.truth}</strong> · predicted{' '}
                      <strong className={evalHighlight.truth === evalHighlight.predicted ? '' : 'text-red-700'}>{evalHighlight.predicted}</strong>
                    </p>
                  )}
                  {isRecruiter && thread.isGolden && (
                    <p className="mt-2 border-t border-white/20 pt-2 font-mono text-xs" data-testid="golden-label">
                      golden label: {m.otherLabels[0]?.value ?? m.myLabel ?? '—'}
                    </p>
                  )}
                  {isRecruiter && !thread.isGolden && (
                    <TurnLabelBar
                      value={labels[m.id] ?? null}
                      status={status[m.id]}
                      error={errors[m.id]}
                      others={othersOf(m).others}
                      othersHidden={othersOf(m).hidden}
                      queued={!online}
                      unsavedValue={m.id in unsaved ? unsaved[m.id] : undefined}
                      onLabel={(v) => {
                        setFocused(ti);
                        write(m.id, labels[m.id] === v ? null : v);
                      }}
                      onRetry={() => retry(m.id)}
                    />
                  )}
                  {isRecruiter && !thread.isGolden && !labels[m.id] && suggestions[m.id] && (
                    <TurnSuggestion
                      suggestion={suggestions[m.id]}
                      onAccept={() => {
                        setFocused(ti);
                        write(m.id, suggestions[m.id].value, 'suggestion');
                      }}
                    />
                  )}
                  {isRecruiter && !thread.isGolden && (
                    <TurnActionsBar
                      messageId={m.id}
                      c={turnActions}
                      onFocus={() => {
                        setFocused(ti);
                        turnRefs.current[ti]?.focus({ preventScroll: true });
                      }}
                    />
                  )}
                </div>
              </div>
            </div>
          );
        })}
      </section>

      <aside className={`space-y-4 lg:sticky lg:top-4 lg:self-start ${turnActions.historyOpen && !thread.isGolden ? 'lg:hidden' : ''}`}>
        <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {thread.isGolden ? (
            <p className="text-slate-600">Golden conversation: nothing to label here.</p>
          ) : (
            <>
              <div className="mb-1 flex justify-between">
                <span>This conversation</span>
                <span data-testid="conversation-progress">
                  {myCount} / {decisions.length}
                </span>
              </div>
              <ProgressBar value={myCount} max={decisions.length} label="My progress on this conversation" />
              <TurnActionsSummary skipped={decisions.filter((t) => turnActions.skipped.has(t.id) && !labels[t.id]).length} />
            </>
          )}
          <div className="mb-1 mt-3 flex justify-between">
            <span>Overall</span>
            <span>
              {(overall.mine - initialMine + myCount).toLocaleString('en-US')} / {overall.total.toLocaleString('en-US')}
            </span>
          </div>
          <ProgressBar value={overall.mine - initialMine + myCount} max={overall.total} label="My progress overall" />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <p className="mb-2 font-medium">Keyboard</p>
          <p className="text-slate-600">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>1</kbd> END · <kbd>2</kbd> CONTINUE · <kbd>3</kbd> SCHEDULE · <kbd>a</kbd> accept suggestion · <kbd>x</kbd>{' '}
            skip · <kbd>f</kbd> flag · <kbd>m</kbd> comment · <kbd>h</kbd> history · <kbd>Ctrl+Z</kbd> undo · <kbd>n</kbd> next conversation · <kbd>?</kbd> all
            shortcuts
          </p>
          <button
            type="button"
            onClick={goNext}
            disabled={navigating}
            className="mt-3 w-full rounded bg-slate-800 px-3 py-1.5 text-white hover:bg-slate-900 disabled:opacity-60"
          >
            {navigating ? 'Finding…' : 'Next conversation needing me (n)'}
          </button>
          {view && <p className="mt-1 text-xs text-slate-500">Within the list view you came from.</p>}
          {typeof nextState === 'object' && 'none' in nextState && (
            <p role="status" className="mt-2 text-emerald-700">
              Nothing left {view ? 'in this view ' : ''}that needs you: every conversation has your labels or enough reviewers.
              {nextState.dropped > 0 && ` (${nextState.dropped} key${nextState.dropped === 1 ? '' : 's'} typed meanwhile not applied.)`}
            </p>
          )}
          {typeof nextState === 'object' && 'error' in nextState && (
            <p role="alert" className="mt-2 text-red-700">
              {nextState.error}{' '}
              {nextState.signIn && (
                <a href={signInHref(returnTo)} className="underline">
                  Sign in
                </a>
              )}
            </p>
          )}
        </div>
        <LabelLegend />
      </aside>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      {!thread.isGolden && (
        <HistoryDrawer
          c={turnActions}
          messageId={turns[focused]?.id}
          turnLabel={`Recruiter turn ${focused + 1} of ${turns.length}`}
          savedLabel={`${labels[turns[focused]?.id] ?? ''}:${status[turns[focused]?.id] ?? ''}`}
        />
      )}
      <TurnActionsToast toast={turnActions.toast} />
    </div>
  );
}

function LabelLegend() {
  const meaning: Record<LabelValueName, string> = {
    END: 'Conclude: opted out, not interested, wrong number, hired elsewhere, hostile, not a fit.',
    CONTINUE: 'Keep engaging: questions, partial answers, ambiguity, nudges.',
    SCHEDULE: 'Candidate is ready to book, proposes or accepts a time, reschedules.',
  };
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <p className="mb-2 font-medium">What the labels mean</p>
      <dl className="space-y-2">
        {LABEL_VALUES.map((v) => (
          <div key={v}>
            <dt className="font-mono text-xs font-semibold">{v}</dt>
            <dd className="text-slate-600">{meaning[v]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
