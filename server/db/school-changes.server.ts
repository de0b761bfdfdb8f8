// Which schools' data changed, as this process knows it: a version per school that
// moves on every committed write to that school's tables. The database tells us
// (a statement trigger on every school-owned table notifies SCHOOL_CHANGED_CHANNEL
// with the school's id, or "*", at commit: server/db/rls.ts), and the server also
// moves a school's version itself when one of its requests may have written
// (app.ts), so the page that follows a form is never one rendered before it.
//
// The page cache (server/page-cache.server.ts) keeps a page with the version it was
// rendered at and serves it only while that is still the school's version, and only
// while we are listening: a notification missed while the connection was down is a
// change we know nothing about, so every version moves when it drops and again when
// it is back.
import pg from "pg";
import { SCHOOL_CHANGED_CHANNEL } from "./rls";

export class SchoolVersions {
  private readonly bySchool = new Map<string, number>();
  /** Moves every school at once (a "*" change, a lost connection). */
  private epoch = 0;

  /** The school's current version: equal strings mean nothing of it changed in between. */
  of(schoolId: string): string {
    return `${this.epoch}.${this.bySchool.get(schoolId) ?? 0}`;
  }

  changed(schoolId: string): void {
    if (schoolId === "*") return this.changedAll();
    this.bySchool.set(schoolId, (this.bySchool.get(schoolId) ?? 0) + 1);
  }

  changedAll(): void {
    this.epoch++;
    this.bySchool.clear();
  }
}

export interface SchoolChanges {
  readonly versions: SchoolVersions;
  /** True while the database's notifications reach us; cached pages are served only then. */
  readonly listening: boolean;
  /** Starts listening (idempotent); reconnects by itself until `close()`. `onError` hears every lost connection. */
  listen(onError?: (error: unknown) => void): Promise<void>;
  close(): Promise<void>;
}

export function createSchoolChanges(connectionString: string, opts: { retryMs?: number } = {}): SchoolChanges {
  const versions = new SchoolVersions();
  const retryMs = opts.retryMs ?? 1_000;
  let client: pg.Client | null = null;
  let listening = false;
  let started: Promise<void> | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let onError: ((error: unknown) => void) | undefined;

  const lost = (error?: unknown) => {
    if (error) onError?.(error);
    listening = false;
    versions.changedAll();
    const dead = client;
    client = null;
    dead?.removeAllListeners();
    dead?.on("error", () => {});
    void dead?.end().catch(() => {});
    if (!closed && !retry) retry = setTimeout(() => {
      retry = null;
      void connect();
    }, retryMs);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString });
    client = next;
    next.on("error", lost);
    next.on("end", () => client === next && lost());
    next.on("notification", (message) => {
      if (message.channel === SCHOOL_CHANGED_CHANNEL) versions.changed(message.payload || "*");
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${SCHOOL_CHANGED_CHANNEL}`);
      if (client !== next) return;
      // Whatever changed before we listened, we did not hear.
      versions.changedAll();
      listening = true;
    } catch (error) {
      if (client === next) lost(error);
    }
  }

  return {
    versions,
    get listening() {
      return listening;
    },
    listen(report) {
      onError ??= report;
      started ??= connect();
      return started;
    },
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const last = client;
      client = null;
      last?.removeAllListeners();
      last?.on("error", () => {});
      await last?.end().catch(() => {});
    },
  };
}
