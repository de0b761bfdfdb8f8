// The school-bound database: every query runs inside a transaction that first sets
// `app.school_id`, and the app role is subject to row-level security, so a query
// can only ever see and write the rows of this school — whatever its `where` says.
import type { Prisma, PrismaClient } from "./clients.server";
import { SCHOOL_SETTING } from "./rls";

export type Tx = Prisma.TransactionClient;

export interface RunOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeout?: number;
}

export class SchoolDb {
  constructor(
    private readonly prisma: PrismaClient,
    readonly schoolId: string,
  ) {}

  run<T>(work: (tx: Tx) => Promise<T>, options: RunOptions = {}): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT set_config(${SCHOOL_SETTING}, ${this.schoolId}, true)`;
        return work(tx);
      },
      { maxWait: 5_000, timeout: options.timeout ?? 15_000, isolationLevel: options.isolationLevel },
    );
  }
}
