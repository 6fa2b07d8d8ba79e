export function Forbidden({ message }: { message: string }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h1 className="mb-2 text-lg font-semibold">Not allowed</h1>
      <p className="text-sm">{message}</p>
    </div>
  );
}
