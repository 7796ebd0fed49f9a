import Link from "next/link";
import { redirect } from "next/navigation";
import { findPageSession } from "@/lib/auth/get-page-session";
import { AuthForm } from "@/app/(auth)/auth-form";

export const metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await findPageSession()) redirect("/");
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Create your workspace</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600">Then connect a WhatsApp number and watch its health.</p>
      <AuthForm
        endpoint="/api/v1/auth/sign-up"
        submitLabel="Create account"
        busyLabel="Creating your workspace…"
        fields={[
          { name: "workspaceName", label: "Business or workspace name", type: "text", autoComplete: "organization", required: true },
          { name: "name", label: "Your name", type: "text", autoComplete: "name" },
          { name: "email", label: "Email", type: "email", autoComplete: "email", required: true },
          { name: "password", label: "Password", type: "password", autoComplete: "new-password", required: true, minLength: 10, hint: "At least 10 characters and hard to guess: a few uncommon words work well." },
        ]}
      />
      <p className="mt-6 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
          Sign in
        </Link>
      </p>
    </>
  );
}
