import Link from 'next/link';

/** For ML leads and admins on the conversations list: import a file, download the raw labels. */
export function ImportExportLinks() {
  const a = 'text-indigo-700 underline';
  return (
    <nav aria-label="Import and export" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
      <Link href="/imports/new" className="rounded bg-indigo-600 px-3 py-1 font-medium text-white hover:bg-indigo-700">
        Import conversations
      </Link>
      <span className="text-slate-600">
        Export labels:{' '}
        <a href="/api/labels/export?format=csv" className={a} download>
          CSV
        </a>{' '}
        ·{' '}
        <a href="/api/labels/export?format=jsonl" className={a} download>
          JSONL
        </a>{' '}
        · with history:{' '}
        <a href="/api/labels/export?format=csv&history=1" className={a} download>
          CSV
        </a>{' '}
        ·{' '}
        <a href="/api/labels/export?format=jsonl&history=1" className={a} download>
          JSONL
        </a>
      </span>
    </nav>
  );
}
