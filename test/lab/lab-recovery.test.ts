import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabError, labDown, labStatus, labUp, type LabSpec } from "../../src/lab/index.js";
import { labHost, labTopology, namespacesWithPrefix, run } from "./lab-fixture.js";

// Names unique to this file: vitest runs test files in parallel.
const prefix = "nkfx-l3";
const options = { stateDir: "/run/nkfx-l3-state", mntnsDir: "/run/nkfx-l3-mntns" };
const spec: LabSpec = { prefix, sshd: false, routers: [], guests: [] };
const topology = labTopology([labHost("a", "192.0.2.21"), labHost("b", "192.0.2.22")]);
const foreign = `${prefix}-b`;

describe("lab up against damage and foreign namespaces", () => {
  beforeAll(() => {
    expect(namespacesWithPrefix(prefix)).toEqual([]);
  });

  afterAll(async () => {
    try {
      await labDown(prefix, options);
    } finally {
      if (namespacesWithPrefix(prefix).includes(foreign)) run(["ip", "netns", "del", foreign]);
    }
  }, 30_000);

  it("restarts a dead anchor and recreates a deleted veth, keeping the rest", async () => {
    const first = await labUp(topology, spec, options);
    const [anchorA, anchorB] = first.hosts.map((h) => h.anchorPid ?? 0);
    process.kill(anchorA ?? 0, "SIGKILL");
    run(["ip", "-n", `${prefix}-b`, "link", "del", "dev", "eth0"]);
    expect((await labStatus(topology, spec, options)).ready).toBe(false);

    const second = await labUp(topology, spec, options);
    expect(second.ready).toBe(true);
    expect(second.hosts[0]?.anchorPid).not.toBe(anchorA);
    expect(second.hosts[1]?.anchorPid).toBe(anchorB);
    const ping = run([
      "nsenter",
      `--net=/run/netns/${prefix}-a`,
      `--mount=${options.mntnsDir}/${prefix}-a`,
      "--",
      "ping",
      "-c",
      "1",
      "-W",
      "2",
      "192.0.2.22",
    ]);
    expect(ping).toContain("1 received");
    await labDown(prefix, options);
  }, 20_000);

  it("refuses to take over an unmarked namespace, and lab down leaves it alone", async () => {
    run(["ip", "netns", "add", foreign]);
    const attempt = labUp(topology, spec, options);
    await expect(attempt).rejects.toBeInstanceOf(LabError);
    await expect(attempt).rejects.toThrow(
      `network namespace ${foreign} exists but was not made by lab ${prefix}`,
    );
    await labDown(prefix, options);
    expect(namespacesWithPrefix(prefix)).toEqual([foreign]);
  }, 20_000);
});
