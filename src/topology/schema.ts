import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The one definition of the file format, read at runtime rather than bundled so that
 * `netplan-k schema`, ajv and editors (yaml-language-server) all see the same bytes.
 * The relative path holds from src/topology (tests) and dist/topology (the built CLI).
 */
export const topologySchemaPath = fileURLToPath(
  new URL("../../schemas/topology.schema.json", import.meta.url),
);

export type JsonSchema = { readonly [keyword: string]: unknown };

export const topologySchema: JsonSchema = JSON.parse(readFileSync(topologySchemaPath, "utf8"));
