import Link from "next/link";
import { redirect } from "next/navigation";
import { findPageSession } from "@/lib/auth/get-page-session";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { AuthForm } from "@/app/(auth)/auth-form";

export const metadata = { title: "Sign in" };

// `next`: the page a signed-out visitor was sent here from (proxy.ts), opened once they sign in.
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await findPageSession()) redirect(next);
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600">Know at a glance whether your WhatsApp numbers work.</p>
      <AuthForm
        endpoint="/api/v1/auth/sign-in"
        submitLabel="Sign in"
        busyLabel="Signing in…"
        redirectTo={next}
        fields={[
          { name: "email", label: "Email", type: "email", autoComplete: "email", required: true },
          { name: "password", label: "Password", type: "password", autoComplete: "current-password", required: true },
        ]}
      />
      <p className="mt-6 text-center text-sm text-slate-600">
        New to WhaTrack?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
          Create an account
        </Link>
      </p>
    </>
  );
}
