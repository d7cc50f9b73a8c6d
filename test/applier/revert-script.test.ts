import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRevertScript } from "../../src/applier/armed-revert-script.js";
import { change, link, route } from "./changes.js";

// Issue 11, point 3: the confirm-timeout revert run by a real kernel, in a namespace of its
// own (prefix wb, created and removed here). A revert of a half-applied host meets deletes of
// objects the apply never made and creates of objects it never removed: those leave the host
// as wanted and must not read as a failure; a line that really fails still does.

const ns = `wb-rv-${randomBytes(3).toString("hex")}`;
const inNs = (...argv: string[]) => execa("ip", ["netns", "exec", ns, ...argv], { reject: false });

/** Runs a revert script in the namespace: its exit status and its last two lines. */
async function runRevert(script: string) {
  const run = await execa("ip", ["netns", "exec", ns, "sh", "-s"], {
    input: script,
    reject: false,
  });
  const counts = Object.fromEntries(
    run.stdout
      .split("\n")
      .filter((line) => /^(already|failed)=\d+$/.test(line))
      .map((line) => line.split("=") as [string, string]),
  );
  return { status: run.exitCode, counts, stderr: run.stderr };
}

const bridgeCreate = change({
  kind: "link",
  action: "create",
  after: { name: "wbbr0", kind: "bridge", mtu: 1500, up: true },
});
const bridgeAddress = change({
  kind: "address",
  action: "create",
  after: { dev: "wbbr0", cidr: "10.77.0.1/24" },
});
/** What the apply would have made and the revert deletes: none of it exists here. */
const absent = [
  change({ kind: "route", action: "delete", before: route("10.77.9.0/24", { dev: "wbbr0" }) }),
  change({ kind: "address", action: "delete", before: { dev: "wbbr0", cidr: "10.77.0.9/24" } }),
  change({ kind: "link", action: "delete", before: link("wbgone0", { kind: "bridge" }) }),
];

describe("the revert script against a kernel", () => {
  beforeAll(async () => {
    await execa("ip", ["netns", "add", ns]);
    // The pre-apply state the revert puts back is there already: the apply never removed it.
    await inNs("ip", "link", "add", "wbbr0", "type", "bridge");
    await inNs("ip", "link", "set", "wbbr0", "up");
    await inNs("ip", "addr", "add", "10.77.0.1/24", "dev", "wbbr0");
  });
  afterAll(async () => {
    await execa("ip", ["netns", "del", ns], { reject: false });
  });

  it("counts deletes of absent objects and creates of present ones as already done: status 0", async () => {
    const revert = await runRevert(
      renderRevertScript([...absent, bridgeCreate, bridgeAddress], []),
    );
    expect(revert.stderr).toMatch(/No such process|Address not found|File exists/);
    expect(revert.counts).toEqual({ already: "5", failed: "0" });
    expect(revert.status).toBe(0);
  });

  it("still counts a line that really fails, and runs every line after it", async () => {
    const unreachable = change({
      kind: "route",
      action: "create",
      after: route("10.77.8.0/24", { dev: "wbbr0", via: "10.99.0.1" }),
    });
    const later = change({
      kind: "address",
      action: "create",
      after: { dev: "wbbr0", cidr: "10.77.0.2/24" },
    });
    const revert = await runRevert(renderRevertScript([unreachable, ...absent, later], []));
    expect(revert.stderr).toContain("Nexthop has invalid gateway");
    expect(revert.counts).toEqual({ already: "3", failed: "1" });
    expect(revert.status).toBe(1);
    expect((await inNs("ip", "-br", "addr", "show", "dev", "wbbr0")).stdout).toContain(
      "10.77.0.2/24",
    );
  });
});
