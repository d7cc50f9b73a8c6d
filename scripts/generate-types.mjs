// Builds src/topology/topology-file.generated.ts from schemas/topology.schema.json, so the
// TypeScript types of the file format cannot drift from its one definition.
// Run: npm run generate. test/topology/generated-types.test.ts fails when the file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = new URL("..", import.meta.url);
export const schemaPath = fileURLToPath(new URL("schemas/topology.schema.json", root));
export const generatedPath = fileURLToPath(
  new URL("src/topology/topology-file.generated.ts", root),
);

export async function generateTopologyTypes() {
  const schema = JSON.parse(await readFile(schemaPath, "utf8"));
  return compile(schema, "TopologyFile", {
    bannerComment:
      "// Generated from schemas/topology.schema.json by scripts/generate-types.mjs (npm run generate).\n// Do not edit: change the schema and regenerate.",
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { printWidth: 100 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(generatedPath, await generateTopologyTypes());
  console.log(`wrote ${generatedPath}`);
}
