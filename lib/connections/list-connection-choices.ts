import type { ScopedDb } from "@/lib/tenancy/scoped-db";

export type ConnectionChoice = { id: string; label: string };

/** The workspace's numbers (not disconnected by the owner) for a picker: name, number, and a word when sends would wait. */
export async function listConnectionChoices(db: ScopedDb): Promise<ConnectionChoice[]> {
  const rows = await db.whatsAppConnection.findMany({
    where: { status: { not: "REMOVED" } },
    select: { id: true, status: true, name: true, verifiedName: true, displayPhoneNumber: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => {
    const name = r.name ?? r.verifiedName;
    const number = r.displayPhoneNumber ? `+${r.displayPhoneNumber.replace(/^\+/, "")}` : null;
    const label = [name, number].filter(Boolean).join(" · ") || r.id;
    // Sends to a number whose token Meta refused wait in the outbox until the token is fixed.
    return { id: r.id, label: r.status === "INVALID" ? `${label} (token refused: sends wait)` : label };
  });
}
