// Reading the forms of a server-rendered page, as a browser would submit them: for
// tests that walk the app (the form-fuzzing test). React's server output is regular
// enough for a small reader; this is not a general HTML parser.

export interface PageForm {
  /** The page the form was found on. */
  page: string;
  /** Where it posts (path and query). */
  action: string;
  multipart: boolean;
  /** Field values as the page renders them (the chosen option, checked boxes...). */
  fields: [string, string][];
  /** Fields that are files (multipart only). */
  files: string[];
  /** The submit button's name and value, when it has one (e.g. intent=delete). */
  submit: [string, string] | null;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*"([^"]*)")?/g)) out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? "");
  return out;
}

/** Same-origin links of a page (paths with their query). */
export function pageLinks(html: string): string[] {
  const links = new Set<string>();
  for (const m of html.matchAll(/<a\b([^>]*)>/g)) {
    const href = attributes(m[1]!).href;
    if (href && href.startsWith("/") && !href.startsWith("//")) links.add(href.split("#")[0]!);
  }
  return [...links];
}

/** Every POST form of a page, once per named submit button. */
export function pageForms(html: string, page: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(m[1]!);
    if ((attrs.method ?? "get").toLowerCase() !== "post") continue;
    const body = m[2]!;
    const fields: [string, string][] = [];
    const files: string[] = [];
    const radios = new Map<string, string>();
    for (const i of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributes(i[1]!);
      if (!a.name || a.disabled !== undefined) continue;
      const type = (a.type ?? "text").toLowerCase();
      if (type === "submit" || type === "button" || type === "reset" || type === "image") continue;
      if (type === "file") files.push(a.name);
      else if (type === "checkbox") {
        if (a.checked !== undefined) fields.push([a.name, a.value ?? "on"]);
      } else if (type === "radio") {
        if (a.checked !== undefined || !radios.has(a.name)) radios.set(a.name, a.value ?? "on");
      } else fields.push([a.name, a.value ?? ""]);
    }
    for (const [name, value] of radios) fields.push([name, value]);
    for (const t of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const a = attributes(t[1]!);
      if (a.name && a.disabled === undefined) fields.push([a.name, decodeEntities(t[2]!)]);
    }
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const a = attributes(s[1]!);
      if (!a.name || a.disabled !== undefined) continue;
      const options = [...s[2]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => {
        const oa = attributes(o[1]!);
        return { value: oa.value ?? decodeEntities(o[2]!.replace(/<[^>]+>/g, "")), selected: oa.selected !== undefined, disabled: oa.disabled !== undefined };
      });
      const chosen = options.find((o) => o.selected) ?? options.find((o) => o.value && !o.disabled) ?? options[0];
      if (chosen) fields.push([a.name, chosen.value]);
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>/g)]
      .map((b) => attributes(b[1]!))
      .filter((b) => (b.type ?? "submit") === "submit" && b.name)
      .map((b) => [b.name!, b.value ?? ""] as [string, string]);
    const base = { page, action: attrs.action || page, multipart: (attrs.enctype ?? "").toLowerCase() === "multipart/form-data", fields, files };
    if (buttons.length === 0) forms.push({ ...base, submit: null });
    for (const submit of uniqueBy(buttons, ([n, v]) => `${n}=${v}`)) forms.push({ ...base, submit });
  }
  return forms;
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}
