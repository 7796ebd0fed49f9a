import Link from "next/link";

export const metadata = { title: "Page not found" };

// An unknown address. Our own page rather than Next's default, whose inline <style> carries no nonce
// and so breaks the Content Security Policy (proxy.ts).
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-lg border border-slate-200 bg-white px-6 py-10 text-center">
        <h1 className="text-lg font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is no page at this address.</p>
        <Link
          href="/"
          className="mt-5 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          Back to WhaTrack
        </Link>
      </div>
    </main>
  );
}
