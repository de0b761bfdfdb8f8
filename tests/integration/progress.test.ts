// Progress and awards against the real database (RLS on), in a school of the test's own:
// completing sections gives each section's award and the grade's once, even when teachers
// complete the last sections at the same moment; the practice log adds up a day and gives a
// streak award once per threshold, also under concurrent logging; nothing crosses schools.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertTeacherOf, completeSection, createSyllabus, giveAward, logPractice, practiceSummary, saveStreakSetting, teacherStudents } from "../../app/models/progress.server";
import { addDays, localDateTimeToUtc } from "../../app/domain/time";
import { type BillingSchool, makeBillingSchool } from "../support/billing";
import { testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const TODAY = "2031-03-20";
const NOW = localDateTimeToUtc(TODAY, "18:00", ZONE);

let s: BillingSchool;
let other: BillingSchool;
let studentId: string;
let teacherId: string;
let secondTeacherId: string;
let parentId: string;
let level1: string[];
let level2: string[];

beforeAll(async () => {
  [s, other] = await Promise.all([makeBillingSchool(services, "progress", { timezone: ZONE }), makeBillingSchool(services, "progress-other", { timezone: ZONE })]);
  ({ studentId, teacherId, secondTeacherId, parentId } = await s.run(async (tx) => {
    await tx.instrument.create({ data: { name: "Piano" } });
    const t1 = await tx.user.create({ data: { email: `t1@${s.slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    const t2 = await tx.user.create({ data: { email: `t2@${s.slug}.test`, firstName: "Theo", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    const student = await tx.student.findFirstOrThrow({ select: { id: true } });
    return { studentId: student.id, teacherId: t1.id, secondTeacherId: t2.id, parentId: s.a.guardians[0]! };
  }));
  await s.run(async (tx) => {
    const syllabus = await createSyllabus(tx, { name: "Piano grades", instrument: "Piano", levels: [{ name: "Grade 1", sections: ["Scales", "Pieces", "Aural"] }, { name: "Grade 2", sections: ["Scales"] }] });
    const levels = await tx.syllabusLevel.findMany({ where: { syllabusId: syllabus.id }, orderBy: { position: "asc" }, select: { sections: { orderBy: { position: "asc" }, select: { id: true } } } });
    level1 = levels[0]!.sections.map((x) => x.id);
    level2 = levels[1]!.sections.map((x) => x.id);
  });
});
afterAll(async () => {
  await services.close();
});

const awards = (school: BillingSchool = s) =>
  school.run((tx) => tx.progressionAward.findMany({ orderBy: [{ earnedAt: "asc" }, { title: "asc" }], select: { title: true, awardType: true, awardKey: true, awardedById: true } }));

describe("syllabus progress", () => {
  it("gives a section's award once, however often it is recorded", async () => {
    const first = await s.run((tx) => completeSection(tx, { studentId, sectionId: level1[0]!, actorId: teacherId, now: NOW }));
    const again = await s.run((tx) => completeSection(tx, { studentId, sectionId: level1[0]!, actorId: secondTeacherId, now: NOW }));
    expect(first).toEqual({ recorded: true, awards: ["Grade 1: Scales"] });
    expect(again).toEqual({ recorded: false, awards: [] });
    expect((await awards()).filter((a) => a.awardType === "SECTION_COMPLETE")).toEqual([{ title: "Grade 1: Scales", awardType: "SECTION_COMPLETE", awardKey: `section:${level1[0]}`, awardedById: teacherId }]);
  });

  it("gives the grade's award exactly once when two teachers complete its last two sections at the same moment", async () => {
    const results = await Promise.all([
      s.run((tx) => completeSection(tx, { studentId, sectionId: level1[1]!, actorId: teacherId, now: NOW })),
      s.run((tx) => completeSection(tx, { studentId, sectionId: level1[2]!, actorId: secondTeacherId, now: NOW })),
    ]);
    const given = results.flatMap((r) => r.awards).sort();
    expect(given).toEqual(["Grade 1: Aural", "Grade 1: Pieces", "Reached the end of Grade 1"]);
    const milestones = (await awards()).filter((a) => a.awardType === "GRADE_MILESTONE");
    expect(milestones).toHaveLength(1);
    expect(milestones[0]!.awardKey).toBe(`level:${(await s.run((tx) => tx.syllabusSection.findUniqueOrThrow({ where: { id: level1[0]! }, select: { levelId: true } }))).levelId}`);
    expect(await s.run((tx) => tx.studentSectionProgress.count({ where: { studentId } }))).toBe(3);
  });

  it("gives every grade's award when the last sections of several grades are completed all at once", async () => {
    const race = await s.run(async (tx) => {
      const syllabus = await createSyllabus(tx, { name: "Race", instrument: "Piano", levels: [1, 2, 3, 4, 5].map((n) => ({ name: `Step ${n}`, sections: ["A", "B"] })) });
      return tx.syllabusSection.findMany({ where: { level: { syllabusId: syllabus.id } }, select: { id: true } });
    });
    await Promise.all(race.map((x, i) => s.run((tx) => completeSection(tx, { studentId, sectionId: x.id, actorId: i % 2 ? teacherId : secondTeacherId, now: NOW }))));
    const steps = (await awards()).filter((a) => a.awardType === "GRADE_MILESTONE" && a.title.startsWith("Reached the end of Step"));
    expect(steps.map((a) => a.title).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `Reached the end of Step ${n}`));
  });

  it("keeps a teacher's own awards apart from the automatic ones, and refuses a badge not offered", async () => {
    await s.run((tx) => giveAward(tx, { studentId, title: "Spring concert", description: null, awardType: "PERFORMANCE", badgeIcon: "music", badgeColor: "#7e22ce", actorId: teacherId, now: NOW }));
    await expect(s.run((tx) => giveAward(tx, { studentId, title: "x", description: null, awardType: "CUSTOM", badgeIcon: "javascript:alert(1)", badgeColor: "#7e22ce", actorId: teacherId, now: NOW }))).rejects.toThrow("Choose one of the badge icons.");
    expect((await awards()).filter((a) => a.awardKey === null).map((a) => a.title)).toEqual(["Spring concert"]);
  });
});

describe("the practice log", () => {
  it("adds a second entry for a day to the first, up to 600 minutes", async () => {
    await s.run((tx) => logPractice(tx, { studentId, date: TODAY, minutes: 20, actorId: parentId, today: TODAY, now: NOW }));
    const second = await s.run((tx) => logPractice(tx, { studentId, date: TODAY, minutes: 15, actorId: parentId, today: TODAY, now: NOW }));
    expect(second.dayMinutes).toBe(35);
    await expect(s.run((tx) => logPractice(tx, { studentId, date: TODAY, minutes: 580, actorId: parentId, today: TODAY, now: NOW }))).rejects.toThrow("A day holds at most 600 minutes; 35 are already logged for it.");
    await expect(s.run((tx) => logPractice(tx, { studentId, date: addDays(TODAY, 1), minutes: 5, actorId: parentId, today: TODAY, now: NOW }))).rejects.toThrow("That day has not come yet");
    expect(await s.run((tx) => tx.practiceLog.findMany({ where: { studentId }, select: { date: true, minutes: true } }))).toEqual([{ date: TODAY, minutes: 35 }]);
  });

  it("gives the 7-day streak award once when the seventh day is logged from two devices at once", async () => {
    await s.run((tx) => saveStreakSetting(tx, [3, 7]));
    for (let n = 5; n >= 1; n--) await s.run((tx) => logPractice(tx, { studentId, date: addDays(TODAY, -n), minutes: 10, actorId: parentId, today: TODAY, now: NOW }));
    // Today and the 5 days before: 6. Logging the 6th day back makes 7, from two devices at once.
    const results = await Promise.all([1, 2, 3].map(() => s.run((tx) => logPractice(tx, { studentId, date: addDays(TODAY, -6), minutes: 10, actorId: parentId, today: TODAY, now: NOW }))));
    expect(results.map((r) => r.run)).toEqual([7, 7, 7]);
    expect(results.flatMap((r) => r.awards)).toEqual([7]);
    const streaks = (await awards()).filter((a) => a.awardType === "PRACTICE_STREAK").map((a) => a.awardKey);
    expect(streaks).toEqual(["streak:3", "streak:7"]);
    const summary = await s.run((tx) => practiceSummary(tx, studentId, TODAY));
    expect(summary.streak).toEqual({ current: 7, longest: 7, lastDay: TODAY });
    expect(summary.weekMinutes).toBe(35 + 6 * 10 + 20);
    // A day the next week logged again does not give the awards a second time.
    const later = await s.run((tx) => logPractice(tx, { studentId, date: addDays(TODAY, 1), minutes: 10, actorId: parentId, today: addDays(TODAY, 1), now: NOW }));
    expect(later).toMatchObject({ run: 8, awards: [] });
  });

  it("refuses minutes the database cannot hold even from a direct write", async () => {
    await expect(s.run((tx) => tx.practiceLog.create({ data: { studentId, date: "2031-01-01", minutes: 0 } }))).rejects.toThrow();
  });
});

describe("who may record a student's progress", () => {
  it("a teacher only for a student in one of their lessons, an admin for any", async () => {
    await expect(s.run((tx) => assertTeacherOf(tx, { id: secondTeacherId, role: "TEACHER" }, studentId))).rejects.toThrow("You can only do this for students you teach.");
    await s.run(async (tx) => {
      const lesson = await tx.lesson.create({
        data: { title: "Piano with Theo", type: "INDIVIDUAL", instructorId: secondTeacherId, startTime: NOW, endTime: new Date(NOW.getTime() + 30 * 60_000), duration: 30 },
        select: { id: true },
      });
      await tx.enrollment.create({ data: { lessonId: lesson.id, studentId } });
    });
    await s.run((tx) => assertTeacherOf(tx, { id: secondTeacherId, role: "TEACHER" }, studentId));
    expect((await s.run((tx) => teacherStudents(tx, secondTeacherId))).map((x) => x.name)).toEqual(["Sam Abbott"]);
    await expect(s.run((tx) => assertTeacherOf(tx, { id: teacherId, role: "TEACHER" }, studentId))).rejects.toThrow("You can only do this for students you teach.");
    await expect(s.run((tx) => assertTeacherOf(tx, { id: parentId, role: "PARENT" }, studentId))).rejects.toThrow("You can only do this for students you teach.");
    const admin = await s.run((tx) => tx.user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } }));
    await s.run((tx) => assertTeacherOf(tx, { id: admin.id, role: "ADMIN" }, studentId));
    await expect(s.run((tx) => assertTeacherOf(tx, { id: admin.id, role: "ADMIN" }, "nobody"))).rejects.toThrow("That student does not exist.");
  });
});

describe("isolation", () => {
  it("shows another school nothing of this one's progress, and refuses a section of this school to its students", async () => {
    expect(await awards(other)).toEqual([]);
    expect(await other.run((tx) => tx.practiceLog.count())).toBe(0);
    expect(await other.run((tx) => tx.syllabus.count())).toBe(0);
    const otherStudent = await other.run((tx) => tx.student.findFirstOrThrow({ select: { id: true } }));
    const otherTeacher = await other.run((tx) => tx.user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } }));
    await expect(other.run((tx) => completeSection(tx, { studentId: otherStudent.id, sectionId: level2[0]!, actorId: otherTeacher.id, now: NOW }))).rejects.toThrow("That section does not exist any more.");
  });
});
