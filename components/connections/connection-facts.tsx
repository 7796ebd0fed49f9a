import type { ConnectionView } from "@/lib/connections/connection-schemas";
import { describeExpiry, describeObserved, describeQuality, describeWebhook, formatAgo, formatPercent, formatUtc, uptimeTone } from "@/lib/connections/format-health";
import { Fact, ToneText } from "@/components/connections/tone";

/** Last check, token, quality, webhooks and uptime: the same facts on the overview and the number's page. */
export function ConnectionFacts({ c, now }: { c: ConnectionView; now: Date }) {
  const expiry = c.token ? describeExpiry(c.token.expiresAt, now) : null;
  const quality = describeQuality(c.qualityRating);
  const webhook = describeWebhook(c.webhook.subscribed);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-3 lg:grid-cols-5">
      <Fact label="Last check">
        {c.health.lastCheckAt ? (
          <time dateTime={c.health.lastCheckAt} title={formatUtc(c.health.lastCheckAt)}>
            {formatAgo(c.health.lastCheckAt, now)}
          </time>
        ) : (
          <span className="text-slate-500">Never</span>
        )}
      </Fact>
      <Fact label="Access token">
        {c.token && expiry ? (
          <span className="flex flex-col">
            <span className="font-mono text-xs text-slate-600" aria-label={`ending in ${c.token.last4.split("").join(" ")}`}>
              ••••{c.token.last4}
            </span>
            {c.token.valid ? (
              <ToneText tone={expiry.tone} title={c.token.expiresAt ? formatUtc(c.token.expiresAt) : undefined}>
                {expiry.text}
              </ToneText>
            ) : (
              <ToneText tone="bad">Rejected by Meta</ToneText>
            )}
          </span>
        ) : (
          <span className="text-slate-500">Erased</span>
        )}
      </Fact>
      <Fact label="Quality">
        <ToneText tone={quality.tone}>{quality.text}</ToneText>
      </Fact>
      <Fact label="Webhooks">
        <ToneText tone={webhook.tone} title={c.webhook.checkedAt ? `Checked ${formatUtc(c.webhook.checkedAt)}` : undefined}>
          {webhook.text}
        </ToneText>
      </Fact>
      <Fact label="Uptime" className="col-span-2 sm:col-span-1">
        <span className="flex flex-wrap gap-x-3 gap-y-1">
          {(["24h", "7d", "30d"] as const).map((w) => (
            <span key={w} className="inline-flex items-baseline gap-1 whitespace-nowrap">
              <span className="text-xs text-slate-500">{w}</span>
              <ToneText tone={uptimeTone(c.uptime[w])}>{formatPercent(c.uptime[w])}</ToneText>
              {describeObserved(w, c.uptimeObservedSeconds[w]) && c.uptime[w] != null ? <span className="text-xs text-slate-500">({describeObserved(w, c.uptimeObservedSeconds[w])})</span> : null}
            </span>
          ))}
        </span>
      </Fact>
    </dl>
  );
}
