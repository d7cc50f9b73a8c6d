import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

/**
 * Every file in bad/ opens with `# expect: LINE:COL: <fragment>`: loading it must fail with a
 * diagnostic at exactly that position whose message contains the fragment.
 */
const folder = fileURLToPath(new URL("bad/", import.meta.url));
const files = readdirSync(folder)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("bad topologies", () => {
  test("the corpus is large enough", () => {
    expect(files.length).toBeGreaterThan(120);
  });

  test.each(files)("%s", (file) => {
    const text = readFileSync(`${folder}${file}`, "utf8");
    const expectation = /^# expect: (\d+):(\d+): (.+)$/m.exec(text.split("\n")[0] ?? "");
    expect(expectation, `${file} must start with "# expect: LINE:COL: fragment"`).not.toBeNull();
    const [, line, column, fragment] = expectation ?? [];
    const result = loadTopologyText(text, file, modes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const matching = result.diagnostics.filter(
      (d) =>
        d.severity === "error" &&
        d.line === Number(line) &&
        d.column === Number(column) &&
        d.message.includes(fragment ?? ""),
    );
    expect(matching, result.diagnostics.map(formatDiagnostic).join("\n")).toHaveLength(1);
  });
});
