'use client';

// Keys typed while the next conversation loads belong to that conversation, never to the one
// being left. From the moment `n` (or "Start labeling") asks for the next conversation until
// the new thread takes them, one window listener in the capture phase catches every shortcut
// key before any page handler sees it. The buffer lives in this module, not in a component:
// the old thread unmounts (and the loading screen shows) before the new one mounts.

interface Pending {
  from: number | null;
  keys: string[];
  listener: (e: KeyboardEvent) => void;
  timer: ReturnType<typeof setTimeout>;
}

let pending: Pending | null = null;
// A navigation that never lands (a hard failure) must not swallow keys for ever.
const GIVE_UP_MS = 20_000;

/** The key as the labeling shortcuts read it (letters lower-cased), or null for keys they ignore. */
export function shortcutKey(e: KeyboardEvent): string | null {
  if (e.metaKey || e.ctrlKey || e.altKey) return null;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return null;
  if (e.key.length === 1) return e.key.toLowerCase();
  return e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Escape' ? e.key : null;
}

function stop() {
  if (!pending) return;
  window.removeEventListener('keydown', pending.listener, { capture: true });
  clearTimeout(pending.timer);
  pending = null;
}

/** Starts holding shortcut keys; `from` is the conversation being left (null: the list). */
export function startBuffering(from: number | null) {
  stop();
  const keys: string[] = [];
  const listener = (e: KeyboardEvent) => {
    const key = shortcutKey(e);
    if (key === null) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    keys.push(key);
  };
  window.addEventListener('keydown', listener, { capture: true });
  pending = { from, keys, listener, timer: setTimeout(stop, GIVE_UP_MS) };
}

/** The new thread takes the keys typed on the way to it (none if it is the one being left). */
export function takeBufferedKeys(threadId: number): string[] {
  if (!pending || pending.from === threadId) return [];
  const keys = pending.keys;
  stop();
  return keys;
}

/** No conversation to go to: stop holding keys, and say how many were not applied. */
export function cancelBuffering(): number {
  const n = pending?.keys.length ?? 0;
  stop();
  return n;
}

// Conversations the reviewer left unfinished this session: `n` moves on instead of handing
// the same one back (the server comes back to them once nothing else is left).
const SKIPPED_KEY = 'labeling:skipped';
const MAX_SKIPPED = 200;

export function skippedConversations(): number[] {
  try {
    const raw = JSON.parse(sessionStorage.getItem(SKIPPED_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter((x): x is number => Number.isInteger(x) && x > 0).slice(-MAX_SKIPPED) : [];
  } catch {
    return [];
  }
}

export function rememberSkipped(id: number) {
  try {
    const list = skippedConversations().filter((x) => x !== id);
    list.push(id);
    sessionStorage.setItem(SKIPPED_KEY, JSON.stringify(list.slice(-MAX_SKIPPED)));
  } catch {
    // storage unavailable (private mode): `n` simply does not remember skips
  }
}
