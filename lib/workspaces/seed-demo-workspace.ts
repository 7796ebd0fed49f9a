import { prisma } from "@/lib/db/client";
import { createConnection } from "@/lib/connections/create-connection";
import { createOwner } from "@/lib/users/create-owner";
import { DEMO } from "@/lib/workspaces/demo-workspace";

/** Idempotent: creates what is missing and returns the workspace and connection. */
export async function seedDemoWorkspace(options: { accessToken: string; password?: string }) {
  const workspace = await prisma.workspace.upsert({
    where: { slug: DEMO.slug },
    create: { slug: DEMO.slug, name: DEMO.name },
    update: {},
  });
  await createOwner({ workspaceId: workspace.id, email: DEMO.ownerEmail, name: "Demo Owner", password: options.password, isAdmin: true });
  const connection =
    (await prisma.whatsAppConnection.findUnique({ where: { workspaceId_phoneNumberId: { workspaceId: workspace.id, phoneNumberId: DEMO.phoneNumberId } } })) ??
    (await createConnection({
      workspaceId: workspace.id,
      wabaId: DEMO.wabaId,
      phoneNumberId: DEMO.phoneNumberId,
      displayPhoneNumber: DEMO.displayPhoneNumber,
      name: "Demo number",
      accessToken: options.accessToken,
    }));
  return { workspace, connection };
}
