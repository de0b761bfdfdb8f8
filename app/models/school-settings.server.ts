// Settings kept on the school's own row, read and written through the school-bound
// transaction: row-level security shows a school only its own row, so nothing here
// names the school.
import type { Tx } from "../../server/db/school-db.server";
import { formatterFor, type Formatter } from "../utils/format";

/** How this school writes dates, times and amounts in the emails and messages it sends. */
export async function schoolFormatter(tx: Tx): Promise<Formatter> {
  return formatterFor(await tx.school.findFirstOrThrow({ select: { locale: true, timezone: true, currency: true } }));
}

/** The calendar's label for a hybrid lesson's 1-on-1 week. */
export async function oneOnOneWeekLabel(tx: Tx): Promise<string> {
  return (await tx.school.findFirstOrThrow({ select: { oneOnOneWeekLabel: true } })).oneOnOneWeekLabel;
}

export type AttendanceRule = "END_OF_DAY" | "END_OF_WEEK";

/** By when a lesson's attendance is due: the end of its day or of its week. */
export async function attendanceRule(tx: Tx): Promise<AttendanceRule> {
  const school = await tx.school.findFirstOrThrow({ select: { attendanceDeadline: true } });
  return school.attendanceDeadline === "END_OF_WEEK" ? "END_OF_WEEK" : "END_OF_DAY";
}

/** Whether a new enrollment waits for an admin's approval. */
export async function requiresEnrollmentApproval(tx: Tx): Promise<boolean> {
  return (await tx.school.findFirstOrThrow({ select: { requireEnrollmentApproval: true } })).requireEnrollmentApproval;
}

/** Whether families may move a booked 1-on-1 session, and with how much notice. */
export function movePolicy(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { allowIndividualMoves: true, moveNoticeHours: true } });
}

const policySelect = {
  makeUpNoticeHours: true,
  makeUpCreditsPerTerm: true,
  makeUpExpiryDays: true,
  allowIndividualMoves: true,
  moveNoticeHours: true,
  oneOnOneWeekLabel: true,
} as const;

export interface PolicySettings {
  makeUpNoticeHours: number;
  makeUpCreditsPerTerm: number;
  makeUpExpiryDays: number;
  allowIndividualMoves: boolean;
  moveNoticeHours: number;
  oneOnOneWeekLabel: string;
}

/** The make-up and 1-on-1 move policy, and the 1-on-1 week's label (/admin/settings/makeups). */
export function policySettings(tx: Tx): Promise<PolicySettings> {
  return tx.school.findFirstOrThrow({ select: policySelect });
}

export async function savePolicySettings(tx: Tx, input: PolicySettings) {
  await tx.school.updateMany({ data: input });
}

/** What the branding page edits. */
export function brandingSettings(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { id: true, name: true, logoUrl: true, brandColor: true, website: true, email: true, phone: true, locale: true } });
}

/** Saves the brand color and contacts; `logoUrl` undefined keeps the logo, null removes it. */
export async function saveBranding(
  tx: Tx,
  input: { brandColor: string; email: string; phone: string | null; website: string | null; locale: string; logoUrl?: string | null },
) {
  const { logoUrl, ...rest } = input;
  await tx.school.updateMany({ data: { ...rest, ...(logoUrl !== undefined ? { logoUrl } : {}) } });
}
