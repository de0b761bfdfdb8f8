import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../prisma/generated/client";

export type { Prisma } from "../../prisma/generated/client";
export { PrismaClient };

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type PgTransaction = Awaited<ReturnType<PgAdapter["startTransaction"]>>;

/**
 * Runs the queries of one interactive transaction one after another. A transaction
 * holds ONE pg client, and Prisma's query interpreter fetches the relations of a
 * query (a `select`/`include` of two or more relations) with `Promise.all`: pg
 * queues those anyway, but warns ("Calling client.query() when the client is
 * already executing a query", pg 8.19+) and will refuse them in pg 9. Outside a
 * transaction the pool gives each query its own client, so nothing changes there.
 * (Upstream: prisma/orm#29468, prisma/orm#29979.)
 */
function serialized(tx: PgTransaction): PgTransaction {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = tail.then(work, work);
    tail = turn.catch(() => undefined);
    return turn;
  };
  const queryRaw = tx.queryRaw.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  tx.queryRaw = (query) => inTurn(() => queryRaw(query));
  tx.executeRaw = (query) => inTurn(() => executeRaw(query));
  tx.commit = () => inTurn(commit);
  tx.rollback = () => inTurn(rollback);
  return tx;
}

class SerialTransactionPg extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => serialized(await startTransaction(isolationLevel));
    return adapter;
  }
}

/**
/**
 * The connection URL with startup settings for every session of the pool:
 * - `TimeZone=UTC`: our columns are `timestamptz`, and Prisma's pg adapter (6.x)
 *   sends instants as UTC text with no offset and reads them back by replacing the
 *   offset with +00:00: both are right only in a UTC session, whatever the server's or
 *   the role's own TimeZone is;
 * - `role`, when given: the session assumes this role as it opens (like `SET ROLE`
 *   before any query), so the privileged module works with the platform role's
 *   rights, not the owner's.
 * (Set in the URL, so the URL's own `options`, if any, are kept and these win.)
 */
export function sessionUrl(url: string, opts: { role?: string } = {}): string {
  if (opts.role && !/^[a-z_][a-z0-9_]*$/.test(opts.role)) throw new Error(`Invalid role name ${opts.role}`);
  const u = new URL(url);
  const options = [u.searchParams.get("options"), "-c TimeZone=UTC", opts.role ? `-c role=${opts.role}` : null].filter(Boolean).join(" ");
  u.searchParams.set("options", options);
  return u.toString();
}

/**
 * A Prisma client over a pool of `max` connections (see `sessionUrl` for `role`).
 * `poolTimeoutMs` bounds the wait for a free connection (queries and transactions
 * alike): past it, pg-pool throws "timeout exceeded when trying to connect", which
 * the server answers 503 (server/busy.server.ts). Prisma's `maxWait` does not bound
 * that wait with a driver adapter; without this, a request queues until a
 * connection frees up, however long that takes.
 */
export function createPrismaClient(url: string, max = 10, opts: { role?: string; poolTimeoutMs?: number } = {}): PrismaClient {
  return new PrismaClient({
    adapter: new SerialTransactionPg({ connectionString: sessionUrl(url, opts), max, connectionTimeoutMillis: opts.poolTimeoutMs ?? 5_000 }),
  });
}
