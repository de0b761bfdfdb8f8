import type { Tx } from "../../server/db/school-db.server";

export function listSchoolEmails(tx: Tx, take = 100) {
  return tx.emailMessage.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, text: true, transport: true, status: true, createdAt: true },
  });
}
