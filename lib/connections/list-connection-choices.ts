import type { ScopedDb } from "@/lib/tenancy/scoped-db";

export type ConnectionChoice = { id: string; label: string };

/** The workspace's numbers that can send (ACTIVE: the send route refuses the others), for a picker: name and number. */
export async function listConnectionChoices(db: ScopedDb): Promise<ConnectionChoice[]> {
  const rows = await db.whatsAppConnection.findMany({
    where: { status: "ACTIVE" },
    select: { id: true, name: true, verifiedName: true, displayPhoneNumber: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => {
    const name = r.name ?? r.verifiedName;
    const number = r.displayPhoneNumber ? `+${r.displayPhoneNumber.replace(/^\+/, "")}` : null;
    return { id: r.id, label: [name, number].filter(Boolean).join(" · ") || r.id };
  });
}
