import Link from 'next/link';

const linkClass = 'rounded border bg-white px-3 py-1 hover:bg-slate-100';

/** Previous / next links of a keyset-paginated table; a missing href hides its link. */
export function PaginationNav({ prevHref, prevLabel = '← Previous', nextHref }: { prevHref?: string | null; prevLabel?: string; nextHref?: string | null }) {
  return (
    <nav aria-label="Pagination" className="flex justify-between text-sm">
      {prevHref ? (
        <Link href={prevHref} className={linkClass}>
          {prevLabel}
        </Link>
      ) : (
        <span />
      )}
      {nextHref && (
        <Link href={nextHref} className={linkClass}>
          Next →
        </Link>
      )}
    </nav>
  );
}
