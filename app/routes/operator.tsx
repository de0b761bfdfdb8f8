import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requirePlatform } from "~/utils/auth.server";

// The operator console exists on the platform's own domain only.
export async function loader({ context }: LoaderFunctionArgs) {
  requirePlatform(context);
  return null;
}

export default function OperatorLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
