// npm run create-operator -- <email> [--name "Full Name"]
// Creates a platform operator (or finds an existing one) and prints a one-time link,
// valid for a day, to set the password. The first operator of a new deployment is
// made this way; so are later ones. Runs the migrations first, like the server.
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashToken, randomToken } from "../../app/utils/tokens.server";
import { prepareDatabase } from "../db/setup.server";
import { loadEnv } from "../env.server";
import { createServices } from "../services.server";
import { publicAddressOf, publicLinks } from "../../tenants/links";

export const OPERATOR_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { name: { type: "string" } } });
const email = z.string().trim().toLowerCase().email().safeParse(positionals[0] ?? "");
if (!email.success) {
  console.error("usage: npm run create-operator -- <email> [--name \"Full Name\"]");
  process.exit(2);
}
const name = (values.name ?? email.data.split("@")[0] ?? "Operator").trim().slice(0, 120);

const env = loadEnv();
const db = await prepareDatabase(env, { log: (m) => console.error(m) });
const services = createServices(env, db);
try {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + OPERATOR_LINK_TTL_MS);
  const { created } = await services.platform.issueOperatorToken({ email: email.data, name, tokenHash: hashToken(token), expiresAt });
  console.error(created ? `Created operator ${email.data}.` : `Operator ${email.data} exists: earlier links no longer work.`);
  console.error(`This link sets the password. It works once, until ${expiresAt.toISOString()}:`);
  console.log(publicLinks(publicAddressOf(env)).platform(`/operator/set-password?token=${token}`));
} finally {
  await services.close();
  await db.stop();
}
