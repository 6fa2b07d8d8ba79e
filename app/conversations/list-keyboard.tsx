'use client';

import { useEffect } from 'react';
import { shortcutKey } from '@/components/labeling/keystroke-buffer';

// j / k (or ↓ / ↑) move through the rows, Enter opens the focused one (it is a link), / goes
// to the search box. Focus moves to the row's link, so the browser's own Enter and the
// screen reader both work.
export function ListKeyboard() {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const key = shortcutKey(e);
      if (key === null) return;
      if (key === '/') {
        e.preventDefault();
        document.getElementById('q')?.focus();
        return;
      }
      const d = key === 'j' || key === 'ArrowDown' ? 1 : key === 'k' || key === 'ArrowUp' ? -1 : 0;
      if (d === 0) return;
      const links = [...document.querySelectorAll<HTMLAnchorElement>('a[data-row-link]')];
      if (links.length === 0) return;
      e.preventDefault();
      const at = links.findIndex((a) => a === document.activeElement);
      const next = links[at < 0 ? (d > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + d))];
      next.focus();
      next.closest('tr')?.scrollIntoView({ block: 'nearest' });
    }
    window.addEventListener('keydown', onKey);
    document.documentElement.dataset.listKeyboardReady = 'true';
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return null;
}
