import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { getPageSession } from "@/lib/auth/get-page-session";
import { listSessions } from "@/lib/auth/list-sessions";
import { scopedDb } from "@/lib/tenancy/scoped-db";
import { SignOutEverywhereButton } from "@/components/sign-out-button";
import { LocalTime } from "@/components/time/local-time";
import { ApiKeysSection } from "@/app/(dashboard)/settings/api-keys-section";
import { ChangePasswordForm } from "@/app/(dashboard)/settings/change-password-form";

export const metadata = { title: "Account" };

// The signed-in user's own account — password, the devices signed in as them — and the workspace's API keys.
export default async function SettingsPage() {
  const { session } = await getPageSession();
  const [sessions, apiKeys] = await Promise.all([listSessions(session.userId, session.sessionId), listApiKeys(scopedDb(session.workspaceId))]);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Account</h1>
        <p className="text-sm text-slate-600">{session.email}</p>
      </div>

      <section aria-labelledby="password-heading" className="space-y-3">
        <h2 id="password-heading" className="text-lg font-semibold text-slate-900">
          Password
        </h2>
        <ChangePasswordForm />
      </section>

      <section aria-labelledby="devices-heading" className="space-y-3">
        <h2 id="devices-heading" className="text-lg font-semibold text-slate-900">
          Signed-in devices
        </h2>
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {sessions.map((s) => (
            <li key={s.id} data-testid="session" className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm">
              <span className="font-medium text-slate-900">
                {describeDevice(s.userAgent)}
                {s.current ? <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-medium text-brand-700">this device</span> : null}
              </span>
              <span className="text-slate-600">
                {s.ip ? `${s.ip} · ` : ""}signed in <LocalTime iso={s.createdAt.toISOString()} />, active <LocalTime iso={s.lastSeenAt.toISOString()} format="relative" />
              </span>
            </li>
          ))}
        </ul>
        <p className="text-sm text-slate-600">Lost a phone, or signed in on a shared computer? End every session, this one included.</p>
        <SignOutEverywhereButton />
      </section>

      <section aria-labelledby="api-keys-heading" className="space-y-3">
        <h2 id="api-keys-heading" className="text-lg font-semibold text-slate-900">
          API keys <span className="text-sm font-normal text-slate-600">for {session.workspaceName}</span>
        </h2>
        <ApiKeysSection initialKeys={apiKeys} />
      </section>
    </div>
  );
}

/** "Chrome on Linux" from a user agent: enough to tell one's own devices apart. */
function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const os = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}
