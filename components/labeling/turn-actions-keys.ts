'use client';

// Keys for skip, flag, comment, undo and history. Listens in the capture phase on window and
// stops a key it handles, so the thread's own key handler (labels, j/k, n) never sees it: while
// the flag picker is open, 1/2/3 pick a reason instead of a label.
import { useEffect, useRef } from 'react';
import { TURN_FLAG_REASONS, type TurnFlagReasonName } from '@/lib/labeling/turn-actions-flag-reasons';
import type { TurnActionsController } from './turn-actions-state';

const REASON_KEYS = Object.keys(TURN_FLAG_REASONS) as TurnFlagReasonName[];

export function useTurnActionKeys(c: TurnActionsController, opts: { focusedTurnId: () => number | undefined; disabled: boolean }) {
  const latest = useRef({ c, opts });
  useEffect(() => {
    latest.current = { c, opts };
  });

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const { c, opts } = latest.current;
      if (opts.disabled) return;
      const t = e.target as HTMLElement | null;
      // Typing a comment: its own keys (and the browser's own Ctrl+Z) belong to the text box.
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      const handled = () => {
        e.preventDefault();
        e.stopPropagation();
      };
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && key === 'z') {
        handled();
        return c.undo();
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const turn = opts.focusedTurnId();

      if (c.flagPickerFor !== null) {
        const i = ['1', '2', '3'].indexOf(key);
        if (i >= 0) {
          handled();
          return c.chooseFlag(c.flagPickerFor, REASON_KEYS[i]);
        }
        if (key === '0' || key === 'Delete') {
          handled();
          return c.chooseFlag(c.flagPickerFor, null);
        }
        if (key === 'Escape' || key === 'f') {
          handled();
          return c.setFlagPickerFor(null);
        }
        return;
      }
      if (key === 'Backspace' || key === 'u') {
        handled();
        return c.undo();
      }
      if (key === 'Escape' && c.historyOpen) {
        handled();
        return c.setHistoryOpen(false);
      }
      if (key === 'h') {
        handled();
        return c.setHistoryOpen(!c.historyOpen);
      }
      if (turn === undefined) return;
      if (key === 'x') {
        handled();
        return c.toggleSkip(turn);
      }
      if (key === 'f') {
        handled();
        return c.setFlagPickerFor(turn);
      }
      if (key === 'm') {
        handled();
        return c.setCommentBoxFor(turn);
      }
    }
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}
