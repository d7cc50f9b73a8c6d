import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, labStateDir, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// A lab host renumbered in the topology (node-2: 192.0.2.82 → .92), then `lab up` again: its
// sshd must listen on the new address and ssh_config point there, so that netplan-k still
// reaches node-2 over ssh.

const before: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "yh-renumber",
  cluster: { cidr: "10.62.0.0/16", mode: "vxlan", attach: "bridge" },
  hosts: [labHost("node-1", "192.0.2.81/24", "red"), labHost("node-2", "192.0.2.82/24", "blue")],
  lab: { prefix: "yhr", sshd: true },
};
const after: TopologyFile = {
  ...before,
  hosts: [before.hosts[0]!, labHost("node-2", "192.0.2.92/24", "blue")],
};

describe("lab up converges a renumbered host's sshd (lab yhr)", () => {
  const scenario = useLabScenario(before);

  it("after renumbering node-2, sshd listens on its new address and observe reaches it", async () => {
    expectExit(await scenario.cli(["lab", "up"]), 0);
    expectExit(await scenario.cli(["observe"]), 0);

    await scenario.write(after);
    expectExit(await scenario.cli(["lab", "up"]), 0);
    const listening = await scenario.inHostOk("node-2", ["ss", "-Htln", "sport", "= :22"]);
    expect(listening).toContain("192.0.2.92:22");
    expect(listening).not.toContain("192.0.2.82:22");
    const sshConfig = await readFile(join(labStateDir(scenario.prefix), "ssh_config"), "utf8");
    expect(sshConfig).toContain("192.0.2.92");
    expect(sshConfig).not.toContain("192.0.2.82");
    expectExit(await scenario.cli(["observe"]), 0);
  }, 300_000);
});
