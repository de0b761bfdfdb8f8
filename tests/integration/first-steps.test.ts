// A new school's first steps: onboarding (the operator's real form action) starts it
// with the usual instruments and lesson lengths, and the dashboard's checklist ticks
// each step from what the school then has.
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, describe, expect, it } from "vitest";
import { schoolFirstSteps } from "../../app/models/dashboard.server";
import { action as onboardAction } from "../../app/routes/operator.schools.new";
import { DEMO_PASSWORD, OPERATOR_EMAIL } from "../../prisma/seed/demo";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("a new school's first steps", () => {
  it("onboarding offers the usual instruments and lengths; the checklist ticks as the school is set up", async () => {
    const context: AppLoadContext = loadContextFor(services, { kind: "platform" });
    const cookie = await context.auth.signInOperator(OPERATOR_EMAIL, DEMO_PASSWORD);
    const slug = `steps-${crypto.randomUUID().slice(0, 8)}`;
    const request = new Request("http://localhost:3000/operator/schools/new", {
      method: "POST",
      body: new URLSearchParams({ name: "Crescendo Studio", slug, timezone: "Europe/London", currency: "GBP", locale: "en-GB", adminEmail: `admin@${slug}.test`, adminFirstName: "Cleo", adminLastName: "Crescendo" }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie!.split(";")[0]! },
    });
    await onboardAction({ request, params: {}, context });
    const school = await services.platform.findSchool({ slug });
    const db = services.platform.schoolDb(school!.id);

    const catalog = await db.run(async (tx) => ({
      instruments: (await tx.instrument.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((i) => i.name),
      minutes: (await tx.lessonDuration.findMany({ select: { minutes: true }, orderBy: { minutes: "asc" } })).map((d) => d.minutes),
    }));
    expect(catalog).toEqual({ instruments: ["Cello", "Drums", "Flute", "Guitar", "Piano", "Ukulele", "Violin", "Voice"], minutes: [30, 45, 60] });

    const done = async () => (await db.run(schoolFirstSteps)).filter((s) => s.done).map((s) => s.id);
    expect(await done()).toEqual(["catalog"]);

    const location = await db.run(async (tx) => {
      await tx.term.create({ data: { name: "Spring", startDate: "2027-01-04", endDate: "2027-03-26" } });
      return tx.location.create({ data: { name: "Studio", address: "1 High Street", city: "London" }, select: { id: true } });
    });
    expect(await done()).toEqual(["term", "catalog"]); // a location without a room is not a place to teach yet
    await db.run(async (tx) => {
      await tx.room.create({ data: { name: "Room One", locationId: location.id } });
      await tx.school.update({ where: { id: school!.id }, data: { brandColor: "#0f766e", tagline: "Music for everyone" } });
    });
    expect(await done()).toEqual(["term", "places", "catalog", "branding", "landing"]);
  });
});
