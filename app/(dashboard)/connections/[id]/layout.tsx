import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { getPageSession } from "@/lib/auth/get-page-session";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import { AppError } from "@/lib/http/app-error";

// Looks the number up outside this segment's loading boundary, so another workspace's (or a made-up) id
// answers with a real 404 status before any streaming starts.
export default async function ConnectionLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { db } = await getPageSession();
  try {
    await getConnectionOrThrow(db, (await params).id);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  return children;
}
