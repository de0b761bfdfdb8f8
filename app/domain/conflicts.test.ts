import { describe, expect, it } from "vitest";
import {
  type Availability,
  type Booking,
  type ConflictCandidate,
  type ConflictContext,
  type TimeOff,
  findConflicts,
  findSeriesConflicts,
} from "./conflicts";
import { makeFormatter } from "./locale";
import { expandSeries } from "./recurrence";
import type { Closure } from "./terms";
import { addDays, localDateTimeToUtc, overlaps } from "./time";

const NY = "America/New_York";
const at = (date: string, time: string, zone = NY) => localDateTimeToUtc(date, time, zone);

// Tuesday 3 March 2026, 16:00–17:00 New York time.
const candidate: ConflictCandidate = {
  lessonId: "new-lesson",
  title: "Piano Group",
  teacherId: "johnson",
  teacherName: "Ms. Johnson",
  roomId: "studio-a",
  roomName: "Studio A",
  roomCapacity: 12,
  locationId: "downtown",
  locationName: "Downtown",
  start: at("2026-03-03", "16:00"),
  end: at("2026-03-03", "17:00"),
  expectedStudents: 10,
};

const piano: Booking = {
  occurrenceId: "occ-piano",
  lessonId: "piano-1",
  lessonTitle: "Piano Foundation 1",
  teacherId: "johnson",
  teacherName: "Ms. Johnson",
  roomId: "studio-a",
  roomName: "Studio A",
  start: at("2026-03-03", "16:00"),
  end: at("2026-03-03", "16:45"),
};

const guitar: Booking = {
  occurrenceId: "occ-guitar",
  lessonId: "guitar-1",
  lessonTitle: "Guitar Group",
  teacherId: "smith",
  teacherName: "Mr. Smith",
  roomId: "studio-a",
  roomName: "Studio A",
  start: at("2026-03-03", "16:00"),
  end: at("2026-03-03", "17:00"),
};

/** The messages as an en-GB school writes them (24-hour, day before month). */
const gb = (timeZone: string) => makeFormatter({ locale: "en-GB", timeZone, currency: "GBP" });

const empty: ConflictContext = { fmt: gb(NY), existing: [], availability: [], timeOff: [], closures: [] };

function check(overrides: Partial<ConflictContext> = {}, c: Partial<ConflictCandidate> = {}) {
  return findConflicts({ ...empty, ...overrides, candidate: { ...candidate, ...c } });
}

describe("double bookings", () => {
  it("names the teacher's clash in local time", () => {
    const conflicts = check({ existing: [piano] });
    expect(conflicts.map((c) => c.kind)).toEqual(["TEACHER_DOUBLE_BOOKED", "ROOM_DOUBLE_BOOKED"]);
    expect(conflicts[0]!.message).toBe("Ms. Johnson is already teaching Piano Foundation 1 in Studio A at 16:00 on Tue 3 Mar");
    expect(conflicts[0]!.booking).toBe(piano);
  });

  it("names the room's clash", () => {
    const conflicts = check({ existing: [guitar] });
    expect(conflicts).toEqual([
      { kind: "ROOM_DOUBLE_BOOKED", message: "Studio A is already booked for Guitar Group at 16:00 on Tue 3 Mar", booking: guitar },
    ]);
  });

  it("leaves out the room when the clashing lesson has none", () => {
    const online: Booking = { ...piano, roomId: null, roomName: null, lessonTitle: "Theory Online" };
    expect(check({ existing: [online] }).map((c) => c.message)).toEqual([
      "Ms. Johnson is already teaching Theory Online at 16:00 on Tue 3 Mar",
    ]);
  });

  it("back-to-back lessons do not clash (half-open intervals)", () => {
    const before: Booking = { ...piano, start: at("2026-03-03", "15:00"), end: at("2026-03-03", "16:00") };
    const after: Booking = { ...guitar, start: at("2026-03-03", "17:00"), end: at("2026-03-03", "18:00") };
    expect(check({ existing: [before, after] })).toEqual([]);
  });

  it("a long booking that started earlier still clashes", () => {
    const workshop: Booking = { ...guitar, lessonTitle: "Band Workshop", start: at("2026-03-03", "10:00"), end: at("2026-03-03", "16:30") };
    const short: Booking = { ...guitar, occurrenceId: "x", lessonTitle: "Short", start: at("2026-03-03", "14:00"), end: at("2026-03-03", "14:30") };
    expect(check({ existing: [short, workshop] }).map((c) => c.message)).toEqual([
      "Studio A is already booked for Band Workshop at 10:00 on Tue 3 Mar",
    ]);
  });

  it("another teacher in another room is no clash", () => {
    expect(check({ existing: [{ ...guitar, roomId: "studio-b", roomName: "Studio B" }] })).toEqual([]);
  });

  it("a candidate without a room never clashes on rooms", () => {
    expect(check({ existing: [guitar] }, { roomId: null, roomName: null, roomCapacity: null })).toEqual([]);
  });

  it("ignores the lesson being edited and the occurrence itself", () => {
    expect(check({ existing: [piano], ignoreLessonId: "piano-1" })).toEqual([]);
    expect(check({ existing: [piano] }, { occurrenceId: "occ-piano" })).toEqual([]);
    expect(check({ existing: [piano, guitar], ignoreLessonId: "piano-1" }).map((c) => c.kind)).toEqual(["ROOM_DOUBLE_BOOKED"]);
  });

  it("shows the clash in the school's zone, not UTC", () => {
    const londonCandidate = { start: at("2026-03-03", "16:00", "Europe/London"), end: at("2026-03-03", "17:00", "Europe/London") };
    const londonBooking = { ...guitar, ...londonCandidate };
    const [c] = findConflicts({ ...empty, fmt: gb("Europe/London"), existing: [londonBooking], candidate: { ...candidate, ...londonCandidate } });
    expect(c!.message).toBe("Studio A is already booked for Guitar Group at 16:00 on Tue 3 Mar");
    // Same instants seen from Sydney are 03:00 on Wednesday 4 March.
    const [s] = findConflicts({ ...empty, fmt: gb("Australia/Sydney"), existing: [londonBooking], candidate: { ...candidate, ...londonCandidate } });
    expect(s!.message).toBe("Studio A is already booked for Guitar Group at 03:00 on Wed 4 Mar");
  });

  it("writes dates and times the school's way: an en-US school reads 12-hour times and month first", () => {
    const us = makeFormatter({ locale: "en-US", timeZone: NY, currency: "USD" });
    expect(findConflicts({ ...empty, fmt: us, existing: [guitar], candidate }).map((c) => c.message)).toEqual([
      "Studio A is already booked for Guitar Group at 4:00 PM on Tue, Mar 3",
    ]);
    const closures: Closure[] = [{ id: "spring", name: "Spring holiday", locationId: null, startDate: "2026-03-02", endDate: "2026-03-06" }];
    expect(findConflicts({ ...empty, fmt: us, closures, candidate })[0]!.message).toBe("The school is closed on Mar 3, 2026 (Spring holiday)");
  });
});

describe("room capacity", () => {
  it("flags a room smaller than the class", () => {
    expect(check({}, { roomCapacity: 6, expectedStudents: 10 })).toEqual([
      { kind: "ROOM_TOO_SMALL", message: "Studio A holds 6 students; this class allows 10" },
    ]);
    expect(check({}, { roomCapacity: 1, expectedStudents: 2 })[0]!.message).toBe("Studio A holds 1 student; this class allows 2");
  });

  it("is fine when it fits or is unknown", () => {
    expect(check({}, { roomCapacity: 10, expectedStudents: 10 })).toEqual([]);
    expect(check({}, { roomCapacity: null, expectedStudents: 50 })).toEqual([]);
    expect(check({}, { roomCapacity: 4, expectedStudents: null })).toEqual([]);
  });
});

describe("availability", () => {
  const tue = (startTime: string, endTime: string, extra: Partial<Availability> = {}): Availability => ({
    teacherId: "johnson",
    dayOfWeek: 2,
    startTime,
    endTime,
    locationId: null,
    ...extra,
  });

  it("a teacher with no availability rows is unrestricted", () => {
    expect(check({ availability: [{ ...tue("09:00", "10:00"), teacherId: "smith" }] })).toEqual([]);
  });

  it("fits inside a window on that weekday", () => {
    expect(check({ availability: [tue("15:00", "18:00")] })).toEqual([]);
    expect(check({ availability: [tue("16:00", "17:00")] })).toEqual([]); // exact fit
  });

  it("flags a lesson outside the windows, naming the weekday and local times", () => {
    const conflicts = check({ availability: [tue("09:00", "12:00"), tue("16:30", "18:00")] });
    expect(conflicts).toEqual([
      { kind: "OUTSIDE_AVAILABILITY", message: "Ms. Johnson is not available on Tuesdays 16:00–17:00" },
    ]);
  });

  it("must lie fully within the windows (partial overlap is not enough)", () => {
    expect(check({ availability: [tue("15:00", "16:30")] }).map((c) => c.kind)).toEqual(["OUTSIDE_AVAILABILITY"]);
  });

  it("merges contiguous windows", () => {
    expect(check({ availability: [tue("16:30", "18:00"), tue("14:00", "16:30")] })).toEqual([]);
    expect(check({ availability: [tue("16:31", "18:00"), tue("14:00", "16:30")] })).toHaveLength(1);
  });

  it("uses the local weekday", () => {
    const monday = { ...tue("15:00", "18:00"), dayOfWeek: 1 };
    expect(check({ availability: [monday] })).toHaveLength(1);
    // 16:00 Tuesday in New York is 21:00 UTC — still Tuesday. At 21:00 NY it is Wednesday in UTC.
    const late = { start: at("2026-03-03", "21:00"), end: at("2026-03-03", "22:00") };
    expect(check({ availability: [tue("20:00", "23:00")] }, late)).toEqual([]);
  });

  it("uses local wall time across DST: a 16:00–18:00 window fits a 16:00 lesson in winter and in summer", () => {
    const summer = { start: at("2026-07-07", "16:00"), end: at("2026-07-07", "17:00") };
    expect(check({ availability: [tue("16:00", "18:00")] })).toEqual([]);
    expect(check({ availability: [tue("16:00", "18:00")] }, summer)).toEqual([]);
  });

  it("respects validFrom / validUntil (strings or Prisma dates)", () => {
    expect(check({ availability: [tue("15:00", "18:00", { validFrom: "2026-03-04" })] })).toHaveLength(1);
    expect(check({ availability: [tue("15:00", "18:00", { validFrom: "2026-03-03" })] })).toEqual([]);
    expect(check({ availability: [tue("15:00", "18:00", { validUntil: "2026-03-02" })] })).toHaveLength(1);
    expect(check({ availability: [tue("15:00", "18:00", { validUntil: new Date("2026-03-03T00:00:00Z") })] })).toEqual([]);
  });

  it("a window tied to a location only covers lessons there", () => {
    expect(check({ availability: [tue("15:00", "18:00", { locationId: "downtown" })] })).toEqual([]);
    expect(check({ availability: [tue("15:00", "18:00", { locationId: "uptown" })] })).toHaveLength(1);
    expect(check({ availability: [tue("15:00", "18:00", { locationId: "uptown" })] }, { locationId: null })).toHaveLength(1);
  });

  it("a window may end at 24:00; a lesson crossing midnight never fits", () => {
    const lateLesson = { start: at("2026-03-03", "23:00"), end: at("2026-03-04", "00:00") };
    expect(check({ availability: [tue("20:00", "24:00")] }, lateLesson)).toEqual([]);
    const crossing = { start: at("2026-03-03", "23:30"), end: at("2026-03-04", "00:30") };
    const both = [tue("20:00", "24:00"), { ...tue("00:00", "08:00"), dayOfWeek: 3 }];
    expect(check({ availability: both }, crossing).map((c) => c.kind)).toEqual(["OUTSIDE_AVAILABILITY"]);
  });
});

describe("time off and closures", () => {
  const dayOff: TimeOff = {
    teacherId: "johnson",
    start: at("2026-03-03", "00:00"),
    end: at("2026-03-04", "00:00"),
    reason: "Dentist",
  };

  it("flags time off overlapping the lesson, without exposing the reason", () => {
    const conflicts = check({ timeOff: [dayOff] });
    expect(conflicts).toEqual([{ kind: "TIME_OFF", message: "Ms. Johnson is on time off on 3 Mar 2026", timeOff: dayOff }]);
  });

  it("ignores other teachers' time off and time off that ends as the lesson starts", () => {
    expect(check({ timeOff: [{ ...dayOff, teacherId: "smith" }] })).toEqual([]);
    expect(check({ timeOff: [{ ...dayOff, end: at("2026-03-03", "16:00") }] })).toEqual([]);
  });

  const closures: Closure[] = [
    { id: "c1", name: "Spring holiday", startDate: "2026-03-03", endDate: "2026-03-03", locationId: null },
    { id: "c2", name: "Boiler repair", startDate: "2026-03-10", endDate: "2026-03-10", locationId: "downtown" },
  ];

  it("flags a school-wide closure", () => {
    expect(check({ closures })).toEqual([
      { kind: "CLOSURE", message: "The school is closed on 3 Mar 2026 (Spring holiday)", closure: closures[0] },
    ]);
  });

  it("flags a location closure only at that location", () => {
    const nextWeek = { start: at("2026-03-10", "16:00"), end: at("2026-03-10", "17:00") };
    expect(check({ closures }, nextWeek).map((c) => c.message)).toEqual(["Downtown is closed on 10 Mar 2026 (Boiler repair)"]);
    expect(check({ closures }, { ...nextWeek, locationId: "uptown" })).toEqual([]);
    expect(check({ closures }, { ...nextWeek, locationId: null })).toEqual([]);
  });

  it("reports every kind together in a stable order", () => {
    const kinds = check(
      { closures, timeOff: [dayOff], availability: [{ teacherId: "johnson", dayOfWeek: 1, startTime: "09:00", endTime: "17:00", locationId: null }], existing: [piano] },
      { roomCapacity: 4 },
    ).map((c) => c.kind);
    expect(kinds).toEqual(["CLOSURE", "TIME_OFF", "OUTSIDE_AVAILABILITY", "TEACHER_DOUBLE_BOOKED", "ROOM_DOUBLE_BOOKED", "ROOM_TOO_SMALL"]);
  });

  it("rejects a candidate that does not end after it starts", () => {
    expect(() => check({}, { end: candidate.start })).toThrow(RangeError);
  });
});

describe("series (batch) conflicts", () => {
  const occurrences = expandSeries({
    timeZone: NY,
    firstStart: at("2026-01-06", "16:00"),
    durationMinutes: 60,
    recurrence: "WEEKLY",
    until: "2026-12-31",
  });
  const candidates = occurrences.map((o) => ({ ...candidate, start: o.start, end: o.end }));

  it("returns only the dates that clash, with their index", () => {
    const existing: Booking[] = [
      { ...guitar, start: at("2026-03-10", "16:30"), end: at("2026-03-10", "17:30") }, // after the DST change
      { ...piano, start: at("2026-11-03", "15:00"), end: at("2026-11-03", "16:15") }, // after the autumn change
      { ...piano, start: at("2026-05-05", "17:00"), end: at("2026-05-05", "18:00") }, // touches, no clash
    ];
    const result = findSeriesConflicts({ ...empty, existing, candidates });
    expect(result.map((r) => occurrences[r.index]!.localDate)).toEqual(["2026-03-10", "2026-11-03"]);
    expect(result[0]!.conflicts.map((c) => c.message)).toEqual(["Studio A is already booked for Guitar Group at 16:30 on Tue 10 Mar"]);
    expect(result[1]!.conflicts.map((c) => c.kind)).toEqual(["TEACHER_DOUBLE_BOOKED", "ROOM_DOUBLE_BOOKED"]);
    expect(result[1]!.candidate).toBe(candidates[result[1]!.index]);
  });

  it("agrees with a brute-force check on random data", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const teachers = ["johnson", "smith", "lee"];
    const rooms = ["studio-a", "studio-b", null];
    const existing: Booking[] = [];
    for (let i = 0; i < 2000; i++) {
      const day = addDays("2026-01-01", Math.floor(rand() * 365));
      const startMin = 8 * 60 + Math.floor(rand() * 48) * 15;
      const start = localDateTimeToUtc(day, startMin, NY);
      const room = rooms[Math.floor(rand() * 3)]!;
      existing.push({
        occurrenceId: `b${i}`,
        lessonId: `l${i % 50}`,
        lessonTitle: `Lesson ${i % 50}`,
        teacherId: teachers[Math.floor(rand() * 3)]!,
        teacherName: "T",
        roomId: room,
        roomName: room,
        start,
        end: new Date(start.getTime() + (15 + Math.floor(rand() * 8) * 15) * 60_000),
      });
    }
    const result = findSeriesConflicts({ ...empty, existing, candidates, ignoreLessonId: "l7" });

    const expected: string[] = [];
    candidates.forEach((c, index) => {
      for (const b of existing) {
        if (b.lessonId === "l7" || !overlaps(c.start, c.end, b.start, b.end)) continue;
        if (b.teacherId === c.teacherId) expected.push(`${index}:TEACHER_DOUBLE_BOOKED:${b.occurrenceId}`);
        if (b.roomId !== null && b.roomId === c.roomId) expected.push(`${index}:ROOM_DOUBLE_BOOKED:${b.occurrenceId}`);
      }
    });
    const actual = result.flatMap((r) => r.conflicts.map((c) => `${r.index}:${c.kind}:${c.booking!.occurrenceId}`));
    expect(expected.length).toBeGreaterThan(10);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it("is fast for thousands of candidates against tens of thousands of bookings", () => {
    const existing: Booking[] = [];
    for (let d = 0; d < 365; d++) {
      const day = addDays("2026-01-01", d);
      for (let slot = 0; slot < 60; slot++) {
        const start = localDateTimeToUtc(day, 9 * 60 + (slot % 12) * 45, NY);
        existing.push({
          lessonId: `l${slot}`,
          lessonTitle: "L",
          teacherId: `t${slot}`,
          teacherName: "T",
          roomId: `r${slot % 20}`,
          roomName: "R",
          start,
          end: new Date(start.getTime() + 45 * 60_000),
        });
      }
    }
    const many: ConflictCandidate[] = [];
    for (let d = 0; d < 365; d++) {
      for (let k = 0; k < 15; k++) {
        const start = localDateTimeToUtc(addDays("2026-01-01", d), 9 * 60 + k * 40, NY);
        many.push({ ...candidate, teacherId: `t${k}`, roomId: `r${k}`, start, end: new Date(start.getTime() + 30 * 60_000) });
      }
    }
    // Correctness at volume only: how fast this is, bench/ measures (tests never assert wall-clock time).
    const result = findSeriesConflicts({ ...empty, existing, candidates: many });
    expect(result.length).toBeGreaterThan(0);
    expect(result.length).toBeLessThan(many.length);
  });
});
