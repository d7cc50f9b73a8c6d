import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// Issue 10's --limit fault on real namespaces: node-2 and node-4 share a home block (slot 3 of
// 10.244.0.0/22) and node-2 comes first in code-unit order. node-4 converges alone on
// 10.244.3.0/24; then node-2 joins and is applied alone (`apply --limit node-2`). node-4 is
// outside the limit, yet its block is read and kept: node-2 gets 10.244.0.0/24, and the next
// full plan changes nothing on node-2.

const alone: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "yh-limit",
  cluster: { cidr: "10.244.0.0/22", mode: "vxlan", attach: "bridge" },
  hosts: [labHost("node-4", "192.0.2.14/24", "red")],
  lab: { prefix: "yhl", sshd: false },
};
const joined: TopologyFile = {
  ...alone,
  hosts: [labHost("node-2", "192.0.2.12/24", "blue"), ...alone.hosts],
};

describe("apply --limit keeps the block of a live host it leaves out (lab yhl)", () => {
  const scenario = useLabScenario(joined);
  const cni0Of = async (host: string) =>
    (
      JSON.parse(await scenario.inHostOk(host, ["ip", "-j", "addr", "show", "dev", "cni0"])) as {
        addr_info: { family: string; local: string; prefixlen: number }[];
      }[]
    )
      .flatMap((link) => link.addr_info)
      .filter((a) => a.family === "inet")
      .map((a) => `${a.local}/${a.prefixlen}`);

  it("node-2 applied alone takes a free block, not node-4's", async () => {
    expectExit(await scenario.cli(["lab", "up"]), 0);
    try {
      await scenario.write(alone);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expect(await cni0Of("node-4")).toEqual(["10.244.3.1/24"]);

      await scenario.write(joined);
      expectExit(await scenario.cli(["apply"], ["--auto-approve", "--limit", "node-2"]), 0);
      expect(await cni0Of("node-2")).toEqual(["10.244.0.1/24"]);
      expect(await cni0Of("node-4")).toEqual(["10.244.3.1/24"]);

      const plan = await scenario.cli(["plan"], ["-o", "json"]);
      expectExit(plan, 0);
      const changes = (
        JSON.parse(plan.stdout) as { hosts: { host: string; changes: { action: string }[] }[] }
      ).hosts;
      expect(changes.find((h) => h.host === "node-2")?.changes).toEqual([]);
      // node-4 only gains its new peer.
      expect(
        changes.find((h) => h.host === "node-4")?.changes.filter((c) => c.action !== "create"),
      ).toEqual([]);
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
    } finally {
      await scenario.write(joined);
    }
  }, 600_000);
});
