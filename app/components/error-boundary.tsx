import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That did not work", body: "The request was not understood. Check what you entered and try again." },
  403: { title: "Not for your account", body: "Your account does not have access to this page." },
  404: { title: "Page not found", body: "There is nothing at this address. Check the link you followed." },
  429: { title: "Too many attempts", body: "Please wait a few minutes and try again." },
};

/** Per-status messages for any route; unexpected errors never show internals. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (typeof error.data === "string" && error.data && status < 500) detail = error.data;
  } else if (typeof document !== "undefined") {
    console.error(error);
  }
  const message = MESSAGES[status] ?? {
    title: "Something went wrong",
    body: "An unexpected error happened on our side. It has been logged; please try again.",
  };
  return (
    <section className="card narrow" role="alert">
      <p className="eyebrow">Error {status}</p>
      <h1>{message.title}</h1>
      <p>{detail ?? message.body}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
