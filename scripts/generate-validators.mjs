// Builds src/topology/topology-validator.generated.ts: ajv's standalone code for
// schemas/topology.schema.json, so the CLI validates a topology without compiling the schema
// (and ajv's meta-schemas) at every start: that compile took ~250 ms of each command's run.
// Run: npm run generate. test/topology/generated-validator.test.ts fails when the file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";

const root = new URL("..", import.meta.url);
export const schemaPath = fileURLToPath(new URL("schemas/topology.schema.json", root));
export const generatedValidatorPath = fileURLToPath(
  new URL("src/topology/topology-validator.generated.ts", root),
);

/**
 * The validator module's source: the options are those validate-shape.ts relies on (every
 * error, with the offending data and schema, strict schema checking at generation).
 */
export async function generateTopologyValidator() {
  const schema = JSON.parse(await readFile(schemaPath, "utf8"));
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    // cluster.cidr, addresses and blocks are a string or a list (dual-stack): one keyword each.
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  // An ES module is strict anyway.
  const code = standaloneCode(ajv, ajv.compile(schema)).replace(/^"use strict";\n?/, "");
  const banner = [
    "// Generated from schemas/topology.schema.json by scripts/generate-validators.mjs (npm run generate).",
    "// Do not edit: change the schema and regenerate.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    // ajv's "esm" output still loads its runtime helpers (deep equality for uniqueItems) with
    // require(), which an ES module lacks; ajv's own require keeps the helper's CommonJS shape.
    'import { createRequire } from "node:module";',
    "const require = createRequire(import.meta.url);",
  ].join("\n");
  // Left as ajv writes it (.prettierignore): formatting 117 KB took the staleness test 7 s.
  return `${banner}\n${code}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(generatedValidatorPath, await generateTopologyValidator());
  console.log(`wrote ${generatedValidatorPath}`);
}
