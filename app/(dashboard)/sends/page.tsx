import { getPageSession } from "@/lib/auth/get-page-session";
import { FailedSends } from "@/components/outbound/failed-sends";

export const metadata = { title: "Failed sends" };

// The workspace's failed and dead sends with Meta's reason; retry one or all. The list is read from
// the messages API in the browser, so a retry's outcome shows without a page render.
export default async function FailedSendsPage() {
  await getPageSession();
  return <FailedSends />;
}
