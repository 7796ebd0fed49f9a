import Link from "next/link";

// An unknown id, or another workspace's number: the same answer either way.
export default function ConnectionNotFound() {
  return (
    <div className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white px-6 py-10 text-center">
      <h1 className="text-lg font-semibold">Number not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is no such number in this workspace.</p>
      <Link
        href="/"
        className="mt-5 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      >
        Back to overview
      </Link>
    </div>
  );
}
