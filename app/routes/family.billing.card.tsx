// POST /family/billing/card — a guardian manages the family's saved card and autopay
// (app/models/autopay.server.ts): "save" sends them to Stripe's page to save a card (a
// setup-mode Checkout; nothing is charged), "remove" detaches it (autopay goes off with it),
// "autopay-on" / "autopay-off" turn autopay on or off. Students (and other roles) get 403.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { setAutopay } from "~/models/autopay.server";
import { familyOfUser, isPaymentError } from "~/models/payments.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";

const refusal = (message: string, status: number) => new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function loader() {
  return redirect("/family/billing#saved-card");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "PARENT" });
  const { db } = requireSchool(context);
  const familyGroupId = await db.run((tx) => familyOfUser(tx, user.id));
  if (!familyGroupId) return refusal("Only a guardian of the family can manage its saved card.", 403);
  const parsed = parseForm(await request.formData(), z.object({ intent: z.enum(["save", "remove", "autopay-on", "autopay-off"], { errorMap: () => ({ message: "Choose what to do with the card." }) }) }));
  if (!parsed.ok) return refusal(parsed.errors.intent ?? "Choose what to do with the card.", 400);
  const origin = context.links.origin;
  try {
    switch (parsed.data.intent) {
      case "save": {
        const { url } = await context.payments!.startCardSetup({
          familyGroupId,
          userId: user.id,
          email: user.email,
          successUrl: `${origin}/family/billing?card=saved&session={CHECKOUT_SESSION_ID}#saved-card`,
          cancelUrl: `${origin}/family/billing#saved-card`,
        });
        return redirect(url);
      }
      case "remove":
        await context.payments!.removeCard({ familyGroupId });
        return redirect("/family/billing?card=removed#saved-card");
      case "autopay-on":
      case "autopay-off":
        await db.run((tx) => setAutopay(tx, { familyGroupId, on: parsed.data.intent === "autopay-on" }));
        return redirect(`/family/billing?autopay=${parsed.data.intent === "autopay-on" ? "on" : "off"}#saved-card`);
    }
  } catch (error) {
    if (isPaymentError(error)) return refusal(error.message, error.status);
    throw error;
  }
}
