import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

// unlock as a new user meets it: --help says what a lock is and when one is left, and the
// command does something useful without --limit. --force without --limit is refused before
// any host is contacted (examples/vxlan.yaml's hosts are not reachable from here).

describe("netplan-k unlock, without a lab", () => {
  it("--help teaches: what a lock is, when one is left, and an example without --limit", async () => {
    const run = await runCli(["unlock", "--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("What a lock is: apply and destroy each take a lock");
    expect(run.stdout).toContain("/run/netplan-k/lock");
    expect(run.stdout).toContain("When one is left: the run was killed");
    expect(run.stdout).toMatch(/^ {2}netplan-k unlock topology\.yaml {2,}every host/m);
    expect(run.stdout).not.toContain("required)");
  });

  it("--force without --limit is refused, naming what to run instead", async () => {
    const run = await runCli(["unlock", "examples/vxlan.yaml", "--force"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("unlock --force needs --limit");
    expect(run.stderr).toContain(
      'hint: Run "netplan-k unlock examples/vxlan.yaml" first to see who holds which host',
    );
  });
});
