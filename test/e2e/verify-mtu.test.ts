import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// verify sends a full-size probe with don't-fragment next to each small ping: a converged
// lab passes; once red's veth on node-1 is lowered to MTU 1400 by hand (below the overlay's
// 1450), small pings still pass and every path through it fails as `mtu`.

const lab: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "yh-mtu",
  cluster: { cidr: "10.61.0.0/16", mode: "vxlan", attach: "bridge" },
  hosts: [labHost("node-1", "192.0.2.71/24", "red"), labHost("node-2", "192.0.2.72/24", "blue")],
  lab: { prefix: "yhm", sshd: false },
};

describe("verify finds an MTU below the overlay's on the path (lab yhm)", () => {
  const scenario = useLabScenario(lab);

  it("a good lab passes; a lowered veth fails verify as mtu with both sizes", async () => {
    expectExit(await scenario.cli(["lab", "up"]), 0);
    expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
    const good = await scenario.cli(["verify"]);
    expectExit(good, 0);
    expect(good.stdout).toMatch(/2 of 2 paths reachable/);
    expect(good.stdout).not.toContain("mtu");

    const ports = JSON.parse(
      await scenario.inHostOk("node-1", ["ip", "-j", "link", "show", "master", "cni0"]),
    ) as { ifname: string }[];
    expect(ports).toHaveLength(1);
    await scenario.inHostOk("node-1", [
      "ip",
      "link",
      "set",
      "dev",
      ports[0]!.ifname,
      "mtu",
      "1400",
    ]);
    const bad = await scenario.cli(["verify"]);
    expect(bad.exitCode, describeRun(bad)).not.toBe(0);
    expect(bad.stdout).toMatch(
      /node-1\/red → node-2\/blue: mtu: 56-byte pings pass, 1422-byte pings with don't-fragment fail \(.*\): a link on the path carries less than the overlay MTU 1450/,
    );
    expect(bad.stdout).toMatch(/node-2\/blue → node-1\/red: mtu: 56-byte pings pass, 1422-byte/);
  }, 300_000);
});
