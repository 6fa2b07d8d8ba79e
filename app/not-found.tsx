import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="mb-2 text-lg font-semibold">Not found</h1>
      <p className="mb-4 text-sm text-slate-600">
        There is nothing at this address: what it names does not exist (it may have been removed by a re-import), or a value in it (an id, a page cursor, a
        search) is not a valid one.
      </p>
      <Link href="/conversations" className="text-indigo-700 underline">
        Back to conversations
      </Link>
    </div>
  );
}
