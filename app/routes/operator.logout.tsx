import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePlatform, signOutOperator } from "~/utils/auth.server";

export async function loader() {
  return redirect("/operator");
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePlatform(context);
  const cookie = await signOutOperator(request, context);
  return redirect("/operator/login", { headers: { "Set-Cookie": cookie } });
}
