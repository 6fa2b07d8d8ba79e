'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg border border-red-200 bg-white p-6">
      <h1 className="mb-2 text-lg font-semibold">Something went wrong</h1>
      <p className="mb-4 text-sm text-slate-600">
        The page could not be loaded{error.digest ? ` (reference ${error.digest})` : ''}. Your saved labels are safe.
      </p>
      <button type="button" onClick={reset} className="rounded bg-indigo-600 px-3 py-1.5 text-white">
        Try again
      </button>
    </div>
  );
}
