import type { MetaDescriptor } from "@remix-run/node";

interface RootData {
  school: { name: string } | null;
}

interface MatchLike {
  id: string;
  data?: unknown;
}

/**
 * The page title with the school's name (or Encore's on the platform's own domain):
 * a route's `meta` replaces its parents', so every route builds its title here.
 */
export function pageTitle(matches: readonly MatchLike[], page?: string): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as RootData | undefined;
  const site = root?.school?.name ?? "Encore";
  return [{ title: page ? `${page} · ${site}` : site }];
}
