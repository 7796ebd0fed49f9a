import Link from "next/link";
import type { ReactNode } from "react";
import { getPageSession } from "@/lib/auth/get-page-session";
import { NavLinks } from "@/components/nav-links";
import { SignOutButton } from "@/components/sign-out-button";

export const dynamic = "force-dynamic";

// The signed-in shell: every page under (dashboard) requires a session.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { session } = await getPageSession();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <span className="text-lg font-semibold text-brand-700">WhaTrack</span>
          <span className="text-sm text-slate-500" data-testid="workspace-name">
            {session.workspaceName}
          </span>
          <div className="ml-auto flex items-center gap-2 text-sm text-slate-600">
            <Link href="/settings" className="hidden rounded-md px-2 py-1.5 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600 sm:inline" title="Account: password and signed-in devices">
              {session.email}
            </Link>
            <Link href="/settings" className="rounded-md px-2 py-1.5 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600 sm:hidden">
              Account
            </Link>
            <SignOutButton />
          </div>
          <div className="w-full">
            <NavLinks />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
