'use client';

// What a reviewer must know about their saves: offline (labels wait, in order, and go out
// when the connection is back), or signed out (a link to sign in that comes back here).
import { onlineManager } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

export function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => onlineManager.subscribe(notify),
    () => onlineManager.isOnline(),
    () => true,
  );
}

/** The sign-in page, coming back to this turn (and list view) afterwards. */
export function signInHref(returnTo: string): string {
  return `/sign-in?next=${encodeURIComponent(returnTo)}`;
}

export function ConnectionNotice({ online, queued, signedOut, returnTo }: { online: boolean; queued: number; signedOut: boolean; returnTo: string }) {
  if (signedOut) {
    return (
      <p role="alert" data-testid="signed-out-notice" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
        Your session has ended, so labels are not being saved.{' '}
        <a href={signInHref(returnTo)} className="font-medium underline">
          Sign in
        </a>{' '}
        to come back to this turn, then press Retry on the turns marked not saved.
      </p>
    );
  }
  if (!online) {
    return (
      <p role="status" data-testid="offline-notice" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
        You are offline.{' '}
        {queued > 0
          ? `${queued} label change${queued === 1 ? ' is' : 's are'} queued and will be sent in order when the connection is back.`
          : 'Labels you give now are queued and sent in order when the connection is back.'}
      </p>
    );
  }
  return null;
}
