import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(`${examplesDir}${f}`, "utf8"));

/** A seeded linear congruential generator: the same mutations on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const FRAGMENTS = [
  "",
  ":",
  " ",
  "\n",
  "\t",
  "-",
  "[",
  "]",
  "{",
  "}",
  '"',
  "'",
  "*a",
  "&a",
  "!!str",
  "#",
  "0",
  "~",
  "300",
  "/40",
  "  ",
];

test("mangled topologies give diagnostics with positions inside the text, never an exception", () => {
  const random = seededRandom(42);
  const pick = (n: number): number => Math.floor(random() * n);
  for (let round = 0; round < 1500; round++) {
    let text = examples[round % examples.length] ?? "";
    for (let edits = pick(4) + 1; edits > 0; edits--) {
      const at = pick(text.length);
      const cut = pick(8);
      text = text.slice(0, at) + (FRAGMENTS[pick(FRAGMENTS.length)] ?? "") + text.slice(at + cut);
    }
    const result = loadTopologyText(text, "mangled.yaml", modes);
    const lines = text.split("\n").length;
    const diagnostics = result.ok ? result.warnings : result.diagnostics;
    if (!result.ok) expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.line).toBeLessThanOrEqual(lines);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message).not.toMatch(/must match pattern|must NOT have|\bat .*\.js:\d+/);
    }
  }
});
