import Link from "next/link";
import { getPageSession } from "@/lib/auth/get-page-session";
import { ConnectNumberForm } from "@/components/connections/connect-number-form";

export const metadata = { title: "Connect a number" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const digitsOnly = (v: string | string[] | undefined) => (typeof v === "string" && /^\d{1,25}$/.test(v) ? v : undefined);

// Connect a WhatsApp number: the form posts to /api/v1/connections, which checks everything with Meta
// first and shows Meta's reason when it refuses. ?wabaId=&phoneNumberId= prefill it (reconnecting).
export default async function ConnectNumberPage({ searchParams }: Props) {
  await getPageSession();
  const sp = await searchParams;
  return (
    <div className="mx-auto max-w-xl">
      <Link href="/" className="rounded text-sm text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600">
        ← Overview
      </Link>
      <h1 className="mt-2 text-xl font-semibold">Connect a WhatsApp number</h1>
      <p className="mt-1 text-sm text-slate-600">
        WhaTrack checks the number and the token with Meta, subscribes to the account&apos;s webhooks, and then watches the number&apos;s health for you.
      </p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <ConnectNumberForm defaults={{ wabaId: digitsOnly(sp.wabaId), phoneNumberId: digitsOnly(sp.phoneNumberId) }} />
      </div>
    </div>
  );
}
