// A new school's first steps: the checklist its dashboard shows until the school is
// set up, each step ticked by what the school has (never by a box someone clicked).
// Pure: the facts are counted by app/models/dashboard.server.ts.

/** What onboarding offers a new school (it edits them under Setup). */
export const STARTER_INSTRUMENTS = ["Piano", "Guitar", "Violin", "Cello", "Voice", "Drums", "Flute", "Ukulele"] as const;
export const STARTER_LESSON_MINUTES = [30, 45, 60] as const;

export interface SetupFacts {
  terms: number;
  locations: number;
  rooms: number;
  instruments: number;
  lessonLengths: number;
  /** Teachers who have joined (set a password) and are active. */
  teachers: number;
  lessons: number;
  /** A logo or a brand color of the school's own. */
  branded: boolean;
  /** A tagline or an "about" text on the public page. */
  landingWritten: boolean;
  /** A registration fee set (or explicitly none) on the enrollment settings. */
  paymentsSet: boolean;
}

export type StepId = "term" | "places" | "catalog" | "teachers" | "lesson" | "branding" | "landing" | "payments";

export interface Step {
  id: StepId;
  title: string;
  hint: string;
  href: string;
  done: boolean;
}

export function firstSteps(f: SetupFacts): Step[] {
  return [
    { id: "term", title: "Set your first term", hint: "Its dates, and the closures (holidays) within it.", href: "/admin/terms", done: f.terms > 0 },
    { id: "places", title: "Add a location and its rooms", hint: "Where lessons happen; rooms are never double-booked.", href: "/admin/places", done: f.locations > 0 && f.rooms > 0 },
    { id: "catalog", title: "Check your instruments and lesson lengths", hint: "We started you with the usual ones; keep what you teach.", href: "/admin/setup", done: f.instruments > 0 && f.lessonLengths > 0 },
    { id: "teachers", title: "Invite your teachers", hint: "Ticked when the first one has accepted the invitation.", href: "/admin/people", done: f.teachers > 0 },
    { id: "lesson", title: "Schedule a first lesson", hint: "A weekly class or a 1-on-1 series for the term.", href: "/admin/lessons/new", done: f.lessons > 0 },
    { id: "branding", title: "Make it yours", hint: "Your logo and brand color on every page and email.", href: "/admin/settings/branding", done: f.branded },
    { id: "landing", title: "Write your public page", hint: "A tagline and a few words about the school, for families who find you.", href: "/admin/settings/enrollment", done: f.landingWritten },
    { id: "payments", title: "Set your enrollment fee", hint: "What a new family owes when it enrolls online.", href: "/admin/settings/enrollment", done: f.paymentsSet },
  ];
}

export function stepsDone(steps: readonly Step[]): number {
  return steps.filter((s) => s.done).length;
}
