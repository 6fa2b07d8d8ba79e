import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="mb-2 text-lg font-semibold">Not found</h1>
      <p className="mb-4 text-sm text-slate-600">There is nothing at this address. It may have been removed by a re-import.</p>
      <Link href="/conversations" className="text-indigo-700 underline">
        Back to conversations
      </Link>
    </div>
  );
}
