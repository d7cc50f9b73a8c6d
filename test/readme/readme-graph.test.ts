import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli, ROOT } from "../cli/run-cli.js";

// The README shows the rendered graph of one example: the file must be what the command
// makes today. Regenerate it with `npx vitest -u test/readme/readme-graph.test.ts`.
const readme = readFileSync(`${ROOT}/README.md`, "utf8");

describe("README graph", () => {
  it("shows docs/graph-lab-vxlan-direct.svg, and says how it was made", () => {
    expect(readme).toContain("![");
    expect(readme).toContain("(docs/graph-lab-vxlan-direct.svg)");
    expect(readme).toContain(
      "graph examples/lab-vxlan-direct.yaml -o svg --out docs/graph-lab-vxlan-direct.svg",
    );
  });

  it("has the SVG that `netplan-k graph -o svg` draws now", async () => {
    const run = await runCli(["graph", "examples/lab-vxlan-direct.yaml", "-o", "svg"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    await expect(run.stdout + "\n").toMatchFileSnapshot("../../docs/graph-lab-vxlan-direct.svg");
  });
});
