import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

// A lab topology whose lab was never built (prefix xgnone: nothing of it exists, nothing is
// created here): every command that would contact a host says to build the lab, at once.
const scratch = mkdtempSync(join(tmpdir(), "netplan-k-xg-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = join(scratch, "xg-lab.yaml");
writeFileSync(
  file,
  [
    "apiVersion: netplan-k/v1",
    "name: xg-lab",
    "cluster:",
    "  cidr: 10.42.0.0/16",
    "  mode: bgp",
    "hosts:",
    "  - name: a1",
    "    address: 198.51.100.11/24",
    "  - name: a6",
    "    address: 198.51.100.16/24",
    "lab:",
    "  prefix: xgnone",
    "  sshd: true",
    "",
  ].join("\n"),
);
const hint = (host: string): string =>
  `${host}: not built in lab xgnone: run \`netplan-k lab up ${file}\``;

describe("a lab host that is not built", () => {
  it("plan names it with the command that builds it, without trying ssh", async () => {
    const run = await runCli(["plan", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `a1:\n  ✗ error: ${hint("a1")}\n\na6:\n  ✗ error: ${hint("a6")}\n`,
    );
    // No connection was tried: no ssh failure, no banner timeout.
    expect(run.stdout + run.stderr).not.toMatch(/ssh|cannot reach/);
  });

  it("apply and verify say the same and contact nothing", async () => {
    const apply = await runCli(["apply", file, "--auto-approve"]);
    expect(apply.exitCode).toBe(1);
    expect(apply.stdout).toContain(`✗ error: ${hint("a6")}`);
    expect(apply.stderr).toContain("Nothing was changed.");
    const verify = await runCli(["verify", file]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stderr).toBe(`✗ ${hint("a1")}\n✗ ${hint("a6")}\nNothing was contacted.`);
  });

  it("lab status of a lab that is down gives no ssh command and no sshd state, but lab up", async () => {
    const run = await runCli(["lab", "status", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(
      [
        "lab xgnone: not ready",
        "  fabric   xgnone-fabric            missing",
        "  host     xgnone-a1                missing",
        "  host     xgnone-a6                missing",
        `  build or repair it: netplan-k lab up ${file}`,
      ].join("\n"),
    );
  });
});
