import { execa } from "execa";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";

// The README opens with three commands that must stay true. The third is what CI runs
// (.ci/run calls it, and this very suite is part of it). The first is run here from its
// `npm run build &&` on: installing and building again in the middle of the test run would
// pull node_modules and dist away from under the other tests, and npm test has done both.
// The second, the cleanup, is run here as written, after the first.
const readme = readFileSync(`${ROOT}/README.md`, "utf8");
const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
const commands = firstBlock.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
const [mainJob = "", cleanup = "", allTests = ""] = commands;
const labFile = /lab up (\S+)/.exec(mainJob)?.[1] ?? "";

const run = (line: string) =>
  execa("bash", ["-c", line], { cwd: ROOT, reject: false, env: { NO_COLOR: "1" } });

describe("README", () => {
  afterAll(async () => {
    // Whatever the test below did: the README's own cleanup, then a net under it.
    await run(cleanup);
    await run(`node dist/cli/main.js lab down ${labFile}`);
  });

  it("starts with the three commands: the main job on a local lab, its cleanup, and every test", () => {
    expect(commands).toHaveLength(3);
    expect(mainJob).toMatch(/^\.\/scripts\/install-deps\.sh && npm run build && /);
    expect(mainJob).toContain(" lab up ");
    expect(mainJob).toContain(" apply ");
    expect(mainJob).toContain(" verify ");
    expect(cleanup).toBe(
      `node dist/cli/main.js destroy ${labFile} --auto-approve && node dist/cli/main.js lab down ${labFile}`,
    );
    expect(allTests).toBe("./scripts/install-deps.sh && npm test");
    expect(readFileSync(`${ROOT}/.ci/run`, "utf8")).toContain(allTests);
  });

  it("names no lab's own paths: labs differ by prefix, and lab status prints them", () => {
    expect(readme).not.toMatch(/\/run\/netplan-k\/lab\//);
    expect(readme).toContain("lab status examples/lab-vxlan.yaml");
  });

  it("says up front that host-gw and bgp need one L2 segment, and what to pick instead", () => {
    const firstParagraph = readme.split("\n\n")[1] ?? "";
    expect(firstParagraph).toMatch(/`host-gw` and `bgp`[^.]*one L2 segment/);
    expect(firstParagraph).toContain("pick `vxlan`");
  });

  it("runs the main job: lab up, apply, and a verify matrix with every path reachable", async () => {
    const result = await run(
      mainJob.replace(/^\.\/scripts\/install-deps\.sh && npm run build && /, ""),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Apply complete");
    expect(result.stdout).toMatch(/(\d+) of \1 paths reachable/);
    const removed = await run(cleanup);
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toContain("Destroy complete");
  });
});
