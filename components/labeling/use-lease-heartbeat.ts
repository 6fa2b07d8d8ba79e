'use client';

// Keeps the reviewer's lease on the open conversation while they work: taken (or renewed)
// when the page opens, renewed every minute in which they pressed a key or clicked, released
// when they leave (also when the tab closes: `keepalive`). A lease that ran out while they
// were away may have gone to someone else; the page says so, and their labels still save.
import { useEffect, useState } from 'react';
import type { LeaseState } from '@/lib/labeling/lease';

const BEAT_MS = 60_000;

export function useLeaseHeartbeat(conversationId: number, enabled: boolean): LeaseState | null {
  const [lease, setLease] = useState<LeaseState | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const url = `/conversations/${conversationId}/lease`;
    let active = true;
    let cancelled = false;
    const beat = async () => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
        if (res.ok && !cancelled) setLease((await res.json()) as LeaseState);
      } catch {
        // offline or the server restarting: the next beat tries again
      }
    };
    const markActive = () => {
      active = true;
    };
    void beat();
    active = false;
    const timer = setInterval(() => {
      if (!active) return;
      active = false;
      void beat();
    }, BEAT_MS);
    const release = () => {
      void fetch(url, { method: 'DELETE', keepalive: true }).catch(() => {});
    };
    window.addEventListener('keydown', markActive, { capture: true });
    window.addEventListener('pointerdown', markActive, { capture: true });
    window.addEventListener('pagehide', release);
    return () => {
      cancelled = true;
      clearInterval(timer);
      window.removeEventListener('keydown', markActive, { capture: true });
      window.removeEventListener('pointerdown', markActive, { capture: true });
      window.removeEventListener('pagehide', release);
      release();
    };
  }, [conversationId, enabled]);

  return lease;
}
