import { describe, expect, it } from "vitest";
import { parseTrialForm, scheduleRequestForm, trialSettingForm } from "./lesson-request-form";
import { parseEnrollmentForm, type FormEntries } from "./online-enrollment-form";

const family: FormEntries = {
  key: "k".repeat(20),
  "guardian.firstName": "Robin",
  "guardian.lastName": "Okafor",
  "guardian.email": "Robin@Example.test",
  "guardian.phone": "(212) 555-0101",
  "emergency.name": "Pat Okafor",
  "emergency.phone": "(212) 555-0199",
  "emergency.relation": "Grandparent",
  "children.0.firstName": "Ada",
  "children.0.dateOfBirth": "2016-09-02",
  "children.0.parentalConsent": "on",
};
const opts = { instruments: ["Piano", "Cello"], programs: ["individual:Piano", "lesson:abc"], today: "2026-11-24", durations: [30, 45] };

describe("the enrollment form's preferences for individual lessons", () => {
  it("are read for individual lessons, days in order", () => {
    const parsed = parseEnrollmentForm({ ...family, "children.0.program": "individual:Piano", "children.0.days": ["4", "2"], "children.0.times": "EVENING", "children.0.duration": "30", "children.0.requestNotes": " After school " }, opts);
    expect(parsed.ok && parsed.data.children[0]!.request).toEqual({ days: [2, 4], times: ["EVENING"], durationMinutes: 30, notes: "After school" });
  });

  it("are none for a class, whatever was ticked", () => {
    const parsed = parseEnrollmentForm({ ...family, "children.0.program": "lesson:abc", "children.0.days": "1" }, opts);
    expect(parsed.ok && (parsed.data.children[0]!.request ?? null)).toBeNull();
  });

  it("refuse values not offered, in words, keyed by field", () => {
    const parsed = parseEnrollmentForm({ ...family, "children.0.program": "individual:Piano", "children.0.days": "9", "children.0.times": "NIGHT", "children.0.duration": "50" }, opts);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toMatchObject({ "children.0.days": "Choose days from the list.", "children.0.times": "Choose times of day from the list.", "children.0.duration": "Choose a lesson length from the list." });
  });
});

describe("scheduleRequestForm", () => {
  it("reads a teacher, date, time, length, place and term", () => {
    const r = scheduleRequestForm.safeParse({ teacherId: "t1", firstDate: "2026-12-03", startTime: "17:00", duration: "30", place: "room:r1", termId: "" });
    expect(r.success && r.data).toEqual({ teacherId: "t1", firstDate: "2026-12-03", startTime: "17:00", durationMinutes: 30, place: { kind: "room", roomId: "r1" }, termId: null });
  });

  it("says what is wrong", () => {
    const r = scheduleRequestForm.safeParse({ teacherId: "", firstDate: "3/12", startTime: "5pm", duration: "x", place: "garage" });
    expect(r.success).toBe(false);
    const messages = r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining(["teacherId: Choose a teacher.", "firstDate: Enter the first date as a date, like 2026-12-07.", "startTime: Enter the time like 16:30."]));
  });
});

describe("trialSettingForm", () => {
  it("is off without the box, a length with it", () => {
    expect(trialSettingForm.parse({ trialMinutes: "30" })).toEqual({ trialLessonMinutes: null });
    expect(trialSettingForm.parse({ trialEnabled: "on", trialMinutes: "45" })).toEqual({ trialLessonMinutes: 45 });
    expect(trialSettingForm.safeParse({ trialEnabled: "on", trialMinutes: "5" }).success).toBe(false);
  });
});

describe("parseTrialForm", () => {
  const slot = "t1|2026-12-03T22:00:00.000Z";
  it("reads one child, an instrument and a time still free", () => {
    const r = parseTrialForm({ ...family, instrument: "Piano", slot }, { instruments: ["Piano"], today: "2026-11-24", slots: [slot] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({ instrument: "Piano", teacherId: "t1", start: new Date("2026-12-03T22:00:00Z") });
    expect(r.data.enrollment.children[0]).toMatchObject({ firstName: "Ada", program: null, instruments: ["Piano"] });
  });

  it("refuses a time no longer free and a missing one, in words", () => {
    expect(parseTrialForm({ ...family, instrument: "Piano", slot }, { instruments: ["Piano"], today: "2026-11-24", slots: [] })).toMatchObject({ ok: false, errors: { slot: "That time is no longer free. Please choose another one." } });
    expect(parseTrialForm({ ...family, instrument: "Piano" }, { instruments: ["Piano"], today: "2026-11-24", slots: [slot] })).toMatchObject({ ok: false, errors: { slot: "Choose a time for the trial lesson." } });
  });
});
