import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/utils/auth.server";

const HOME = { ADMIN: "/admin", TEACHER: "/teach", PARENT: "/family", STUDENT: "/family" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  throw redirect(HOME[user.role]);
}
