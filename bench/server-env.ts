// The environment of the production server the benchmarks start (bench/run.ts,
// bench/serve.ts): the production build on loopback over the benchmark's own embedded
// database, no jobs, no seed, no outside services, warnings and errors only.
/** The Dockerfile's and `npm start`'s NODE_OPTIONS. */
export const SERVER_NODE_OPTIONS = "--max-old-space-size=256";

export function benchServerEnv(opts: { port: number; ownerUrl: string; appUrl: string; dataDir: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    // As the Dockerfile and `npm start` run it (glibc's allocator: two arenas, not one per thread).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
    // The server's own Node options, not the benchmark's: by default the Dockerfile's heap cap.
    NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? SERVER_NODE_OPTIONS,
    PUBLIC_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(opts.port),
    DATABASE_URL: opts.ownerUrl,
    APP_DATABASE_URL: opts.appUrl,
    FILE_URL_SECRET: "bench-file-url-secret-0123456789abcdef",
    DATA_DIR: opts.dataDir,
    SEED: "none",
    JOBS: "off",
    // Warnings and errors only (bench/run.ts keeps and summarizes them), not a JSON line per request.
    LOG_LEVEL: "warn",
    RATE_LIMIT_SIGNIN: "100000000",
    RESEND_API_KEY: "",
    UPSTASH_REDIS_REST_URL: "",
    UPLOADTHING_TOKEN: "",
  };
}
