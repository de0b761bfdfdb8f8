import { makeFormatter } from "../domain/locale";
import { describe, expect, it } from "vitest";
import {
  addChild,
  childCount,
  entry,
  entryList,
  formEntries,
  nestEntries,
  outcomeSentence,
  parseAddChildForm,
  parseEnrollmentForm,
  parseIntent,
  parseProgram,
  placeText,
  programValue,
  removeChild,
  scheduleLine,
  seatsText,
  studentPlaceholderEmail,
  type FormEntries,
} from "./online-enrollment-form";

const NY = "America/New_York";

function form(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) fd.append(k, one);
  return fd;
}

const opts = {
  instruments: ["Piano", "Guitar", "Violin"],
  programs: ["lesson:l1", "lesson:l2", "individual:Piano", "individual:Guitar", "individual:Violin"],
  today: "2026-11-25",
};

const valid: Record<string, string | string[]> = {
  key: "k".repeat(32),
  "guardian.firstName": "Robin",
  "guardian.lastName": "Okafor",
  "guardian.email": "Robin@Example.TEST",
  "guardian.phone": "(212) 555-0101",
  "emergency.name": "Pat Okafor",
  "emergency.phone": "+1 212 555 0199",
  "emergency.relation": "Grandparent",
  "children.0.uid": "a",
  "children.0.firstName": "Ada",
  "children.0.dateOfBirth": "2016-09-02",
  "children.0.program": "lesson:l1",
  "children.0.instrument": "Piano",
  "children.0.otherInstruments": ["Guitar", "Violin"],
  "children.0.skillLevel": "BEGINNER",
  "children.0.parentalConsent": "on",
};

const parse = (values: Record<string, string | string[]>) => parseEnrollmentForm(formEntries(form(values)), opts);

describe("form entries", () => {
  it("keeps every value typed, several values of one name as a list", () => {
    const values = formEntries(form({ a: "1", b: ["x", "y"] }));
    expect(values).toEqual({ a: "1", b: ["x", "y"] });
    expect(entry(values, "b")).toBe("x");
    expect(entryList(values, "b")).toEqual(["x", "y"]);
    expect(entryList(values, "a")).toEqual(["1"]);
    expect(entryList(values, "missing")).toEqual([]);
    expect(entry(values, "missing")).toBe("");
  });

  it("nests flat names: groups and children by index", () => {
    expect(nestEntries({ "guardian.email": "a@b.c", "children.1.firstName": "B", "children.0.firstName": "A", key: "k" })).toEqual({
      guardian: { email: "a@b.c" },
      children: [{ firstName: "A" }, { firstName: "B" }],
      key: "k",
    });
  });

  it("counts child blocks, at least one", () => {
    expect(childCount({})).toBe(1);
    expect(childCount({ "children.0.firstName": "A" })).toBe(1);
    expect(childCount({ "children.2.uid": "x" })).toBe(3);
    expect(childCount({ "children.99.uid": "x" })).toBe(8);
  });

  it("adds an empty child block after the others, keeping what was typed", () => {
    const values: FormEntries = { "guardian.firstName": "Robin", "children.0.firstName": "Ada", "children.0.program": "lesson:l1" };
    const more = addChild(values, "u2", { program: "lesson:l1" });
    expect(more).toEqual({ ...values, "children.1.uid": "u2", "children.1.program": "lesson:l1" });
    expect(childCount(more)).toBe(2);
    // A form with no child fields yet gets child 0.
    expect(addChild({}, "u1")).toEqual({ "children.0.uid": "u1" });
  });

  it("removes a child block and moves the later ones up", () => {
    const values: FormEntries = {
      "guardian.firstName": "Robin",
      "children.0.firstName": "Ada",
      "children.1.firstName": "Ben",
      "children.2.firstName": "Cleo",
      "children.2.otherInstruments": ["Piano", "Guitar"],
    };
    expect(removeChild(values, 1)).toEqual({
      "guardian.firstName": "Robin",
      "children.0.firstName": "Ada",
      "children.1.firstName": "Cleo",
      "children.1.otherInstruments": ["Piano", "Guitar"],
    });
  });

  it("reads the intent buttons", () => {
    expect(parseIntent("add-child")).toEqual({ kind: "add-child" });
    expect(parseIntent("remove-child-2")).toEqual({ kind: "remove-child", index: 2 });
    expect(parseIntent("submit")).toEqual({ kind: "submit" });
    expect(parseIntent(null)).toEqual({ kind: "submit" });
  });
});

describe("programs", () => {
  it("round-trips a class and individual lessons through one form value", () => {
    expect(parseProgram(programValue({ kind: "lesson", lessonId: "abc" }))).toEqual({ kind: "lesson", lessonId: "abc" });
    expect(parseProgram("individual:Double bass")).toEqual({ kind: "individual", instrument: "Double bass" });
    expect(parseProgram("")).toBeNull();
    expect(parseProgram("lesson:")).toBeNull();
    expect(parseProgram("other:x")).toBeNull();
  });
});

describe("the enrollment form", () => {
  it("accepts a complete form and normalises it", () => {
    const parsed = parse(valid);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data).toEqual({
      key: "k".repeat(32),
      guardian: { firstName: "Robin", lastName: "Okafor", email: "robin@example.test", phone: "(212) 555-0101" },
      guardian2: null,
      emergency: { name: "Pat Okafor", phone: "+1 212 555 0199", relation: "Grandparent" },
      children: [
        {
          firstName: "Ada",
          lastName: null,
          dateOfBirth: "2016-09-02",
          program: { kind: "lesson", lessonId: "l1" },
          instruments: ["Piano", "Guitar", "Violin"],
          skillLevel: "BEGINNER",
          parentalConsent: true,
          socialMediaConsent: false,
        },
      ],
    });
  });

  // Regression: the name fields carried phishing sentences into the school's emails.
  it("refuses names that are not names, for every person on the form", () => {
    const phishing = "Verify at https://evil.example";
    const parsed = parse({ ...valid, "guardian.firstName": phishing, "guardian2.firstName": phishing, "guardian2.lastName": "Lee", "guardian2.email": "sam@example.test", "emergency.name": phishing, "children.0.firstName": phishing, "children.0.lastName": "www.evil.example" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    for (const field of ["guardian.firstName", "guardian2.firstName", "emergency.name", "children.0.firstName", "children.0.lastName"]) {
      expect(parsed.errors[field], field).toMatch(/letters/);
    }
    expect(parsed.values["guardian.firstName"]).toBe(phishing);
  });

  it("names each missing field, children's fields by index, and keeps what was typed", () => {
    const parsed = parse({ key: "k".repeat(32), "children.0.firstName": "Ada", "children.1.uid": "b", "guardian.email": "nope" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toMatchObject({
      "guardian.firstName": "Enter a first name.",
      "guardian.lastName": "Enter a last name.",
      "guardian.email": "Enter an email address like name@example.com.",
      "guardian.phone": "Enter a phone number.",
      "emergency.name": "Enter the emergency contact's name.",
      "emergency.phone": "Enter the emergency contact's phone number.",
      "emergency.relation": "Say who they are to the child, e.g. grandparent.",
      "children.0.dateOfBirth": "Enter the date of birth.",
      "children.0.program": "Choose a class or individual lessons.",
      "children.0.parentalConsent": "A parent or guardian's consent is needed to enroll a child.",
      "children.1.firstName": "Enter the child's first name.",
    });
    expect(parsed.errors["children.0.firstName"]).toBeUndefined();
    expect(parsed.values["children.0.firstName"]).toBe("Ada");
    expect(parsed.values["guardian.email"]).toBe("nope");
  });

  it("refuses a class or instrument that is not on offer, and dates of birth in the future", () => {
    const parsed = parse({ ...valid, "children.0.program": "lesson:elsewhere", "children.0.instrument": "Theremin", "children.0.dateOfBirth": "2027-01-01" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors["children.0.program"]).toBe("Choose a class or individual lessons.");
    expect(parsed.errors["children.0.instrument"]).toBe("Choose an instrument from the list.");
    expect(parsed.errors["children.0.dateOfBirth"]).toBe("The date of birth must be in the past.");
    const odd = parse({ ...valid, "children.0.dateOfBirth": "02/09/2016" });
    expect(!odd.ok && odd.errors["children.0.dateOfBirth"]).toMatch(/as a date/);
    const old = parse({ ...valid, "children.0.dateOfBirth": "1850-01-01" });
    expect(!old.ok && old.errors["children.0.dateOfBirth"]).toMatch(/year/);
  });

  it("makes individual lessons' instrument the main one", () => {
    const parsed = parse({ ...valid, "children.0.program": "individual:Violin", "children.0.instrument": "", "children.0.otherInstruments": "Piano" });
    expect(parsed.ok && parsed.data.children[0]!.instruments).toEqual(["Violin", "Piano"]);
    const main = parse({ ...valid, "children.0.program": "individual:Guitar", "children.0.instrument": "Guitar", "children.0.otherInstruments": [] });
    expect(main.ok && main.data.children[0]!.instruments).toEqual(["Guitar"]);
  });

  it("takes a second contact only when complete, with an email of their own", () => {
    const partial = parse({ ...valid, "guardian2.firstName": "Sam" });
    expect(partial.ok).toBe(false);
    if (!partial.ok) {
      expect(partial.errors["guardian2.lastName"]).toMatch(/last name/);
      expect(partial.errors["guardian2.email"]).toMatch(/email/);
    }
    const same = parse({ ...valid, "guardian2.firstName": "Sam", "guardian2.lastName": "Okafor", "guardian2.email": "ROBIN@example.test" });
    expect(!same.ok && same.errors["guardian2.email"]).toBe("Use a different email from the first contact's.");
    const ok = parse({ ...valid, "guardian2.firstName": "Sam", "guardian2.lastName": "Okafor", "guardian2.email": "Sam@Example.test", "guardian2.phone": "" });
    expect(ok.ok && ok.data.guardian2).toEqual({ firstName: "Sam", lastName: "Okafor", email: "sam@example.test", phone: null });
  });

  it("checks phone numbers loosely", () => {
    expect(parse({ ...valid, "guardian.phone": "call me" }).ok).toBe(false);
    expect(parse({ ...valid, "guardian.phone": "12345" }).ok).toBe(false);
    expect(parse({ ...valid, "guardian.phone": "020 7946 0321" }).ok).toBe(true);
  });

  it("takes several children, each with their own class and consents", () => {
    const parsed = parse({
      ...valid,
      "children.1.firstName": "Ben",
      "children.1.lastName": "Okafor-Smith",
      "children.1.dateOfBirth": "2014-01-20",
      "children.1.program": "individual:Guitar",
      "children.1.skillLevel": "INTERMEDIATE",
      "children.1.parentalConsent": "on",
      "children.1.socialMediaConsent": "on",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data.children).toHaveLength(2);
    expect(parsed.data.children[1]).toMatchObject({ lastName: "Okafor-Smith", skillLevel: "INTERMEDIATE", socialMediaConsent: true, program: { kind: "individual", instrument: "Guitar" } });
  });

  it("refuses a form without its one-time key", () => {
    const { key: _, ...rest } = valid;
    const parsed = parse(rest);
    expect(!parsed.ok && parsed.errors.key).toMatch(/expired/);
  });

  it("refuses more children than one form takes", () => {
    const parsed = parse({ ...valid, "children.12.firstName": "Zed" });
    expect(!parsed.ok && parsed.errors.children).toMatch(/At most 8/);
  });
});

describe("the family page's add-a-child form", () => {
  it("makes enrolling optional but checks the class when one is chosen", () => {
    const base = {
      "children.0.firstName": "Cleo",
      "children.0.dateOfBirth": "2018-03-01",
      "children.0.parentalConsent": "on",
    };
    const none = parseAddChildForm(formEntries(form({ ...base, "children.0.program": "" })), opts);
    expect(none.ok && none.data).toMatchObject({ firstName: "Cleo", program: null, instruments: [] });
    const bad = parseAddChildForm(formEntries(form({ ...base, "children.0.program": "lesson:zzz" })), opts);
    expect(!bad.ok && bad.errors["children.0.program"]).toBe("Choose a class from the list.");
    const good = parseAddChildForm(formEntries(form({ ...base, "children.0.program": "lesson:l2" })), opts);
    expect(good.ok && good.data.program).toEqual({ kind: "lesson", lessonId: "l2" });
  });
});

describe("sentences", () => {
  it("describes a class's schedule in the school's zone and locale", () => {
    // 2026-09-08 16:00 in New York is 20:00 UTC (a Tuesday).
    const start = new Date("2026-09-08T20:00:00Z");
    const us = makeFormatter({ locale: "en-US", timeZone: NY, currency: "USD" });
    const london = makeFormatter({ locale: "en-GB", timeZone: "Europe/London", currency: "GBP" });
    const plain = (s: string) => s.replace(/\u202f/g, " ");
    expect(plain(scheduleLine({ recurrence: "WEEKLY", startTime: start, place: "Studio A", seatsLeft: 3 }, us))).toBe("Tuesdays 4:00 PM · Studio A · 3 seats left");
    expect(plain(scheduleLine({ recurrence: "WEEKLY", startTime: start, place: null, seatsLeft: null }, us))).toBe("Tuesdays 4:00 PM");
    expect(plain(scheduleLine({ recurrence: "WEEKLY", startTime: new Date("2026-09-12T14:00:00Z"), place: null, seatsLeft: null }, us))).toBe("Saturdays 10:00 AM");
    expect(scheduleLine({ recurrence: "WEEKLY", startTime: start, place: null, seatsLeft: null }, london)).toBe("Tuesdays 21:00");
  });

  it("says how many seats are left", () => {
    expect(seatsText(1)).toBe("1 seat left");
    expect(seatsText(0)).toBe("Full");
    expect(seatsText(null)).toBeNull();
  });

  it("names the place, with the location when the school has several", () => {
    expect(placeText("Studio A", "Main Studio", false)).toBe("Studio A");
    expect(placeText("Room 2", "Brooklyn Branch", true)).toBe("Room 2, Brooklyn Branch");
    expect(placeText(null, null, true)).toBe("Online");
  });

  it("makes placeholder addresses for children without a login", () => {
    expect(studentPlaceholderEmail("Zoë", "Müller-Lüdenscheidt", "harmony", "AB12")).toBe("zoe.mullerludenscheidt.ab12@students.harmony.invalid");
    expect(studentPlaceholderEmail("李", "", "harmony", "x1")).toBe("student.family.x1@students.harmony.invalid");
  });


  it("tells the family what happens next for each child", () => {
    expect(outcomeSentence("Ada", "ACTIVE", "Guitar Group")).toBe("Ada is enrolled in Guitar Group.");
    expect(outcomeSentence("Ada", "PENDING", "Guitar Group")).toMatch(/waiting for the school's approval/);
    expect(outcomeSentence("Ada", "WAITLISTED", "Guitar Group")).toMatch(/Guitar Group is full, so Ada is on the waitlist/);
    expect(outcomeSentence("Ada", "REQUESTED", "Individual lessons in Piano")).toBe("The school will contact you to arrange individual lessons in Piano for Ada.");
  });
});
