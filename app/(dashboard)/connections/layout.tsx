import type { ReactNode } from "react";

// A pass-through layout: it gives this segment its own not-found boundary, so a 404 raised before
// streaming by [id]/layout.tsx renders connections/not-found.tsx (without it, Next's bare default).
export default function ConnectionsLayout({ children }: { children: ReactNode }) {
  return children;
}
