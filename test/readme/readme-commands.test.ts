import { execa } from "execa";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";

// The README opens with two commands that must stay true. The second is what CI runs
// (.ci/run calls it, and this very suite is part of it). The first is run here from its
// `npm run build &&` on: installing and building again in the middle of the test run would
// pull node_modules and dist away from under the other tests, and npm test has done both.
const readme = readFileSync(`${ROOT}/README.md`, "utf8");
const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
const commands = firstBlock.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
const [mainJob = "", allTests = ""] = commands;
const labFile = /lab up (\S+)/.exec(mainJob)?.[1] ?? "";

const run = (line: string) =>
  execa("bash", ["-c", line], { cwd: ROOT, reject: false, env: { NO_COLOR: "1" } });

describe("README", () => {
  afterAll(async () => {
    await run(`node dist/cli/main.js destroy ${labFile} --auto-approve`);
    await run(`node dist/cli/main.js lab down ${labFile}`);
  });

  it("starts with the two commands: the main job on a local lab, and every test", () => {
    expect(commands).toHaveLength(2);
    expect(mainJob).toMatch(/^\.\/scripts\/install-deps\.sh && npm run build && /);
    expect(mainJob).toContain(" lab up ");
    expect(mainJob).toContain(" apply ");
    expect(mainJob).toContain(" verify ");
    expect(allTests).toBe("./scripts/install-deps.sh && npm test");
    expect(readFileSync(`${ROOT}/.ci/run`, "utf8")).toContain(allTests);
  });

  it("runs the main job: lab up, apply, and a verify matrix with every path reachable", async () => {
    const result = await run(
      mainJob.replace(/^\.\/scripts\/install-deps\.sh && npm run build && /, ""),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Apply complete");
    expect(result.stdout).toMatch(/(\d+) of \1 paths reachable/);
  });
});
