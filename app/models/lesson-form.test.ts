import { makeFormatter } from "../domain/locale";
import { describe, expect, it } from "vitest";
import { parseForm } from "../utils/forms";
import {
  attendanceSavedMessage,
  createdNotice,
  describeSkippedDates,
  enrollmentOutcomeMessage,
  formatDuration,
  formatRate,
  lessonFormSchema,
  parseAttendanceForm,
  parsePlace,
  scheduleSummary,
  splitDates,
} from "./lesson-form";

const NY = "America/New_York";

function form(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) fd.append(k, one);
  return fd;
}

const valid = {
  title: "Piano Foundation 1",
  type: "GROUP",
  instrument: "Piano",
  instructorId: "t1",
  place: "room:r1",
  firstDate: "2027-05-04",
  startTime: "16:00",
  duration: "45",
  recurrence: "WEEKLY",
  end: "date",
  endDate: "2027-06-29",
  maxStudents: "8",
  price: "240",
};

const schema = lessonFormSchema({ instruments: ["Piano", "Guitar"] });

describe("lessonFormSchema", () => {
  it("turns a complete form into a series description", () => {
    const parsed = parseForm(form(valid), schema);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data).toMatchObject({
      title: "Piano Foundation 1",
      type: "GROUP",
      instrument: "Piano",
      place: { kind: "room", roomId: "r1" },
      onlineUrl: null,
      firstDate: "2027-05-04",
      startTime: "16:00",
      durationMinutes: 45,
      recurrence: "WEEKLY",
      endDate: "2027-06-29",
      termId: null,
      maxStudents: 8,
      pricePerStudent: "240.00",
    });
  });

  it("keeps what was typed and explains each mistake", () => {
    const parsed = parseForm(form({ ...valid, title: " ", startTime: "25:00", firstDate: "2027-02-30", type: "" }), schema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.values.startTime).toBe("25:00");
    expect(parsed.errors.title).toMatch(/Enter a title/);
    expect(parsed.errors.startTime).toMatch(/like 16:00/);
    expect(parsed.errors.firstDate).toMatch(/first lesson/);
    expect(parsed.errors.type).toBe("Choose the kind of lesson.");
  });

  it("needs a link for an online lesson, and a real one", () => {
    const missing = parseForm(form({ ...valid, place: "online" }), schema);
    expect(!missing.ok && missing.errors.onlineUrl).toMatch(/link families use/);
    const bad = parseForm(form({ ...valid, place: "online", onlineUrl: "javascript:alert(1)" }), schema);
    expect(!bad.ok && bad.errors.onlineUrl).toMatch(/https:\/\//);
    const good = parseForm(form({ ...valid, place: "online", onlineUrl: "https://meet.example.com/x" }), schema);
    expect(good.ok && good.data.place).toEqual({ kind: "online" });
    expect(good.ok && good.data.onlineUrl).toBe("https://meet.example.com/x");
  });

  // Regression: a newline in the link reached the calendar feeds as raw lines.
  it("refuses a link with spaces, newlines or other control characters, and keeps the parsed form", () => {
    for (const onlineUrl of ["https://meet.example.com/x\r\nBEGIN:VALARM", "https://meet.example.com/x\nATTACH:https://evil.example", "https://meet.example.com/a b", "https://meet.example.com/\tx"]) {
      const bad = parseForm(form({ ...valid, place: "online", onlineUrl }), schema);
      expect(bad.ok, JSON.stringify(onlineUrl)).toBe(false);
      expect(!bad.ok && bad.errors.onlineUrl).toMatch(/link/);
    }
    const good = parseForm(form({ ...valid, place: "online", onlineUrl: "  HTTPS://Meet.Example.com/x?id=1  " }), schema);
    expect(good.ok && good.data.onlineUrl).toBe("https://meet.example.com/x?id=1");
  });

  it("accepts a custom length in minutes, within reason", () => {
    const ok = parseForm(form({ ...valid, duration: "custom", customMinutes: "40" }), schema);
    expect(ok.ok && ok.data.durationMinutes).toBe(40);
    const bad = parseForm(form({ ...valid, duration: "custom", customMinutes: "forty" }), schema);
    expect(!bad.ok && bad.errors.customMinutes).toMatch(/whole minutes/);
    const late = parseForm(form({ ...valid, startTime: "23:30", duration: "60" }), schema);
    expect(!late.ok && late.errors.duration).toMatch(/by midnight/);
  });

  it("reads custom dates and refuses ones before the first lesson", () => {
    const ok = parseForm(form({ ...valid, recurrence: "CUSTOM", customDates: "2027-05-20, 2027-05-11\n2027-05-11" }), schema);
    expect(ok.ok && ok.data.customDates).toEqual(["2027-05-11", "2027-05-20"]);
    const early = parseForm(form({ ...valid, recurrence: "CUSTOM", customDates: "2027-05-01" }), schema);
    expect(!early.ok && early.errors.customDates).toMatch(/before the first lesson/);
    const junk = parseForm(form({ ...valid, recurrence: "CUSTOM", customDates: "next tuesday" }), schema);
    expect(!junk.ok && junk.errors.customDates).toMatch(/is not a date/);
    const none = parseForm(form({ ...valid, recurrence: "CUSTOM", customDates: "" }), schema);
    expect(!none.ok && none.errors.customDates).toMatch(/other dates/);
  });

  it("ends on a date, at the end of a term, or never", () => {
    const before = parseForm(form({ ...valid, endDate: "2027-05-01" }), schema);
    expect(!before.ok && before.errors.endDate).toMatch(/on or after the first lesson/);
    const term = parseForm(form({ ...valid, end: "term", termId: "" }), schema);
    expect(!term.ok && term.errors.termId).toMatch(/Choose the term/);
    const withTerm = parseForm(form({ ...valid, end: "term", termId: "term1" }), schema);
    expect(withTerm.ok && [withTerm.data.termId, withTerm.data.endDate]).toEqual(["term1", null]);
    const open = parseForm(form({ ...valid, end: "none" }), schema);
    expect(open.ok && [open.data.termId, open.data.endDate]).toEqual([null, null]);
    // A one-off lesson ignores the end.
    const once = parseForm(form({ ...valid, recurrence: "ONCE", end: "date", endDate: "" }), schema);
    expect(once.ok && once.data.endDate).toBeNull();
  });

  it("checks the instrument, the seats and the price", () => {
    const instrument = parseForm(form({ ...valid, instrument: "Theremin" }), schema);
    expect(!instrument.ok && instrument.errors.instrument).toMatch(/school’s list/);
    const seats = parseForm(form({ ...valid, maxStudents: "0" }), schema);
    expect(!seats.ok && seats.errors.maxStudents).toMatch(/number of students/);
    const unlimited = parseForm(form({ ...valid, maxStudents: "" }), schema);
    expect(unlimited.ok && unlimited.data.maxStudents).toBeNull();
    const individual = parseForm(form({ ...valid, type: "INDIVIDUAL", maxStudents: "" }), schema);
    expect(individual.ok && individual.data.maxStudents).toBe(1);
    const individualTwo = parseForm(form({ ...valid, type: "INDIVIDUAL", maxStudents: "2" }), schema);
    expect(!individualTwo.ok && individualTwo.errors.maxStudents).toMatch(/exactly 1/);
    const price = parseForm(form({ ...valid, price: "12.345" }), schema);
    expect(!price.ok && price.errors.price).toMatch(/like 240/);
    const dollars = parseForm(form({ ...valid, price: "$1,240.5" }), schema);
    expect(dollars.ok && dollars.data.pricePerStudent).toBe("1240.50");
  });
});

describe("small readers", () => {
  it("reads the Where menu", () => {
    expect(parsePlace("online")).toEqual({ kind: "online" });
    expect(parsePlace("room:abc")).toEqual({ kind: "room", roomId: "abc" });
    expect(parsePlace("location:xyz")).toEqual({ kind: "location", locationId: "xyz" });
    expect(parsePlace("room:")).toBeNull();
    expect(parsePlace("somewhere")).toBeNull();
  });

  it("splits pasted dates", () => {
    expect(splitDates(" 2027-05-01,2027-05-08\n\n2027-05-15 ; 2027-05-22 ")).toEqual(["2027-05-01", "2027-05-08", "2027-05-15", "2027-05-22"]);
  });
});

describe("parseAttendanceForm", () => {
  it("reads each student's answer, defaulting to present", () => {
    const parsed = parseAttendanceForm(
      form({
        occurrenceId: "o1",
        studentId: ["a", "b", "c"],
        "present-a": "present",
        "present-b": "absent",
        "reason-b": " Sick ",
        "reason-a": "ignored when present",
        "note-a": "Great scales",
        notes: "Worked on bars 1-16",
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        occurrenceId: "o1",
        notes: "Worked on bars 1-16",
        entries: [
          { studentId: "a", present: true, absenceReason: null, notes: "Great scales" },
          { studentId: "b", present: false, absenceReason: "Sick", notes: null },
          { studentId: "c", present: true, absenceReason: null, notes: null },
        ],
      },
    });
  });

  it("refuses a form without a lesson or with a strange answer", () => {
    expect(parseAttendanceForm(form({ studentId: "a" })).ok).toBe(false);
    expect(parseAttendanceForm(form({ occurrenceId: "o1", studentId: "a", "present-a": "maybe" }))).toEqual({ ok: false, message: "Mark each student present or absent." });
  });

  it("saves empty lesson notes as none", () => {
    const parsed = parseAttendanceForm(form({ occurrenceId: "o1", notes: "   " }));
    expect(parsed.ok && parsed.data).toEqual({ occurrenceId: "o1", entries: [], notes: null });
  });
});

describe("sentences", () => {
  it("summarises a schedule in the school's zone, written in its locale", () => {
    // 20:00 UTC on Tue 4 May 2027 is 16:00 in New York (EDT).
    const startTime = new Date("2027-05-04T20:00:00Z");
    const us = makeFormatter({ locale: "en-US", timeZone: NY, currency: "USD" });
    const gb = makeFormatter({ locale: "en-GB", timeZone: NY, currency: "USD" });
    const plain = (s: string) => s.replace(/\u202f/g, " ");
    expect(scheduleSummary({ recurrence: "WEEKLY", startTime, duration: 45 }, gb)).toBe("Tuesdays 16:00, 45 min");
    expect(plain(scheduleSummary({ recurrence: "WEEKLY", startTime, duration: 45 }, us))).toBe("Tuesdays 4:00 PM, 45 min");
    expect(scheduleSummary({ recurrence: "WEEKLY", startTime, duration: 45 }, gb, { length: false })).toBe("Tuesdays 16:00");
    expect(scheduleSummary({ recurrence: "BIWEEKLY", startTime, duration: 60 }, gb)).toBe("Every other Tuesday 16:00, 1 h");
    expect(scheduleSummary({ recurrence: "MONTHLY", startTime, duration: 90 }, gb)).toBe("Monthly on the 4th 16:00, 1 h 30 min");
    expect(scheduleSummary({ recurrence: "ONCE", startTime, duration: 30 }, gb)).toBe("Once, Tue, 4 May 2027, 16:00, 30 min");
    expect(plain(scheduleSummary({ recurrence: "ONCE", startTime, duration: 30 }, us))).toBe("Once, Tue, May 4, 2027, 4:00 PM, 30 min");
    expect(scheduleSummary({ recurrence: "CUSTOM", startTime, duration: 30, customDates: ["2027-05-04", "2027-05-09"] }, gb)).toBe("2 chosen dates, 16:00, 30 min");
  });

  it("formats lengths, rates and notices", () => {
    expect(formatDuration(45)).toBe("45 min");
    expect(formatDuration(120)).toBe("2 h");
    expect(formatRate(0.875)).toBe("88%");
    expect(formatRate(null)).toBe("—");
    const gb = makeFormatter({ locale: "en-GB", timeZone: "Europe/London", currency: "GBP" });
    const us = makeFormatter({ locale: "en-US", timeZone: "America/New_York", currency: "USD" });
    expect(createdNotice(9, "2027-05-04", "2027-06-29", gb)).toBe("Created 9 lessons from Tue, 4 May 2027 to Tue, 29 Jun 2027.");
    expect(createdNotice(1, "2027-05-04", "2027-05-04", gb)).toBe("Created 1 lesson on Tue, 4 May 2027.");
    expect(createdNotice(1, "2027-05-04", "2027-05-04", us)).toBe("Created 1 lesson on Tue, May 4, 2027.");
  });

  it("words each enrollment outcome", () => {
    expect(enrollmentOutcomeMessage("ACTIVE", "Emma Smith", "Piano 1")).toBe("Emma Smith is enrolled in Piano 1.");
    expect(enrollmentOutcomeMessage("PENDING", "Emma Smith", "Piano 1")).toMatch(/pending approval/);
    expect(enrollmentOutcomeMessage("WAITLISTED", "Emma Smith", "Piano 1", 3)).toBe("The class is full — added to the waitlist (position 3).");
    expect(enrollmentOutcomeMessage("FULL", "Emma Smith", "Piano 1")).toMatch(/not enrolled/);
  });
});

describe("attendanceSavedMessage", () => {
  it("counts and says who was emailed", () => {
    expect(attendanceSavedMessage([{ present: true }, { present: false }], 0)).toBe("Saved: 1 present, 1 absent.");
    expect(attendanceSavedMessage([{ present: false }], 1)).toBe("Saved: 0 present, 1 absent. The family of the absent student was emailed.");
    expect(attendanceSavedMessage([{ present: false }, { present: false }], 2)).toMatch(/families of 2 absent students were emailed/);
    expect(attendanceSavedMessage([], 0)).toBe("Lesson notes saved.");
  });
});

describe("describeSkippedDates", () => {
  it("names the closure like a clash, and sums up dates outside the terms", () => {
    expect(
      describeSkippedDates(
        [
          { localDate: "2027-06-08", reason: "CLOSURE", closure: { name: "Floor polishing", locationId: "l1" } },
          { localDate: "2026-11-26", reason: "CLOSURE", closure: { name: "Thanksgiving", locationId: null } },
          { localDate: "2027-07-06", reason: "OUTSIDE_TERM" },
          { localDate: "2027-07-13", reason: "OUTSIDE_TERM" },
        ],
        "Main Studio",
        makeFormatter({ locale: "en-GB", timeZone: "Europe/London", currency: "GBP" }),
      ),
    ).toEqual([
      "Main Studio is closed on 8 Jun 2027 (Floor polishing)",
      "The school is closed on 26 Nov 2026 (Thanksgiving)",
      "2 dates are outside the school’s terms (6 Jul 2027 – 13 Jul 2027)",
    ]);
  });
});
