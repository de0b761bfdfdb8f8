// Reads the model list from prisma/schema.prisma. The RLS migration generator and
// the isolation tests both use it, so a new school-owned model is covered by both
// without anyone editing a list.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface SchemaModel {
  name: string;
  fields: string[];
  schoolOwned: boolean;
}

export const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

export function readSchemaModels(schemaText = readFileSync(SCHEMA_PATH, "utf8")): SchemaModel[] {
  const models: SchemaModel[] = [];
  const re = /^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
  for (const match of schemaText.matchAll(re)) {
    const [, name = "", body = ""] = match;
    const fields = body
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, "").trim())
      .filter((line) => line && !line.startsWith("@@"))
      .map((line) => line.split(/\s+/)[0] ?? "");
    models.push({ name, fields, schoolOwned: fields.includes("schoolId") });
  }
  return models;
}

/** Models that belong to one school: row-level security applies to each of them. */
export function schoolOwnedModels(schemaText?: string): string[] {
  return readSchemaModels(schemaText)
    .filter((m) => m.schoolOwned)
    .map((m) => m.name);
}
