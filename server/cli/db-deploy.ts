// npm run db:deploy: applies pending migrations as the owner (DATABASE_URL), which
// grant the roles their rights, then checks that APP_DATABASE_URL is bound by
// row-level security. The server does the same at start; this runs it alone, e.g.
// as a release step before new servers start.
import { prepareDatabase } from "../db/setup.server";
import { loadEnv } from "../env.server";

const env = loadEnv();
const db = await prepareDatabase(env, { log: (m) => console.error(m) });
console.error("database is up to date; the app role is bound by row-level security");
await db.stop();
