import { getPageSession } from "@/lib/auth/get-page-session";
import { listActivityQuery } from "@/lib/activity/activity-schemas";
import { listActivity } from "@/lib/activity/list-activity";
import { ActivityFeed } from "@/app/(dashboard)/activity/activity-feed";

export const metadata = { title: "Activity" };

export default async function ActivityPage() {
  const { db } = await getPageSession();
  const initial = await listActivity(db, listActivityQuery.parse({}));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Activity</h1>
        <p className="text-sm text-slate-600">Everything that happens on your numbers, as it happens: messages, failures, health changes, webhooks.</p>
      </div>
      <ActivityFeed initial={initial} />
    </div>
  );
}
