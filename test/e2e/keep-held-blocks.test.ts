import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// c12 on real namespaces: node-2 and node-4 share a home block (slot 3 of 10.244.0.0/22) and
// node-2 comes first in code-unit order. node-4 converges alone on 10.244.3.0/24; then node-2
// joins. From names alone node-2 would take that block and node-4 move; apply keeps node-4's
// block, and verify pings the addresses the hosts hold.

const alone: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "xd-held",
  cluster: { cidr: "10.244.0.0/22", mode: "vxlan", attach: "bridge" },
  hosts: [labHost("node-4", "192.0.2.14/24", "red")],
  lab: { prefix: "xdk", sshd: false },
};
const joined: TopologyFile = {
  ...alone,
  hosts: [labHost("node-2", "192.0.2.12/24", "blue"), ...alone.hosts],
};

/** The addresses on a device of a lab host, as "10.244.3.1/24". */
async function addressesOn(
  scenario: ReturnType<typeof useLabScenario>,
  host: string,
  argv: readonly string[],
): Promise<string[]> {
  const json = await scenario.inHostOk(host, [...argv]);
  return (
    JSON.parse(json) as { addr_info: { family: string; local: string; prefixlen: number }[] }[]
  )
    .flatMap((link) => link.addr_info)
    .filter((a) => a.family === "inet")
    .map((a) => `${a.local}/${a.prefixlen}`);
}

describe("adding a host never moves a live host's block (lab xdk)", () => {
  const scenario = useLabScenario(joined);

  it("node-4 keeps 10.244.3.0/24 and its workload's address when node-2 joins", async () => {
    expectExit(await scenario.cli(["lab", "up"]), 0);
    try {
      await scenario.write(alone);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expect(
        await addressesOn(scenario, "node-4", ["ip", "-j", "addr", "show", "dev", "cni0"]),
      ).toEqual(["10.244.3.1/24"]);
      const redOnNode4 = () =>
        addressesOn(scenario, "node-4", ["ip", "-n", "red", "-j", "addr", "show", "dev", "eth0"]);
      const red = await redOnNode4();

      await scenario.write(joined);
      const offline = await scenario.cli(["validate"]);
      expect(offline.stdout).toMatch(/node-2 .* 10\.244\.3\.0\/24 \(allocated\)/);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expect(
        await addressesOn(scenario, "node-4", ["ip", "-j", "addr", "show", "dev", "cni0"]),
      ).toEqual(["10.244.3.1/24"]);
      expect(await redOnNode4()).toEqual(red);
      expect(
        await addressesOn(scenario, "node-2", ["ip", "-j", "addr", "show", "dev", "cni0"]),
      ).toEqual(["10.244.0.1/24"]);
      const verify = await scenario.cli(["verify"]);
      expectExit(verify, 0);
      expect(verify.stdout).toMatch(/2 of 2 paths reachable/);
      const plan = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expectExit(plan, 0);
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
    } finally {
      // lab down (after all) reads the file: it must name both hosts again.
      await scenario.write(joined);
    }
  }, 600_000);
});
