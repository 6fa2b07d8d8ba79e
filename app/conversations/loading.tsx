export default function Loading() {
  return (
    <div role="status" className="mt-8 text-center text-slate-500">
      Loading conversations…
    </div>
  );
}
