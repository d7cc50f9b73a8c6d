import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { expectExit, useLabScenario, type LabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// Preconditions end to end (cases c02, c03, c08 of shared/cases/real-hosts, and a kernel
// without the ipip driver): a converged 2-host vxlan lab made to look like real hosts, then
// put into each bad state with plain `ip` commands or a topology asking for what the hosts
// lack. plan and apply must refuse, name the host and the fact, and change nothing anywhere.

const STEP_TIMEOUT_MS = 120_000;
const HOSTS = ["node-1", "node-2"] as const;

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "xa-preconditions",
  cluster: { cidr: "10.31.0.0/16", mode: "vxlan", attach: "bridge" },
  hosts: [labHost("node-1", "192.0.2.31/24", "red"), labHost("node-2", "192.0.2.32/24", "blue")],
  lab: { prefix: "xa", sshd: false },
};

/**
 * What a real host holds besides the cluster: a default route (its gateway inside the lab
 * underlay), a DHCP-style second address (dynamic, with lifetimes), a docker0 bridge on
 * 172.17.0.1/16, and routes a routing daemon put in its own table.
 */
const realHostCommands = (octet: number): string[][] => [
  ["ip", "route", "add", "default", "via", "192.0.2.1", "dev", "eth0"],
  ["ip", "addr", "add", `198.51.100.${octet}/24`, "dev", "eth0"].concat([
    "valid_lft",
    "3600",
    "preferred_lft",
    "3600",
  ]),
  ["ip", "link", "add", "docker0", "type", "bridge"],
  ["ip", "addr", "add", "172.17.0.1/16", "dev", "docker0"],
  ["ip", "link", "set", "docker0", "up"],
  ["ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.1", "dev", "eth0"].concat([
    "table",
    "100",
    "proto",
    "bird",
  ]),
  ["ip", "route", "add", "10.99.0.0/16", "via", "192.0.2.1", "dev", "eth0"].concat([
    "table",
    "100",
    "proto",
    "186",
  ]),
];

/**
 * Everything a plan could change on a host, in the host and in its workloads. What the
 * kernel changes by itself is left out: lifetimes of the dynamic address and the bridges'
 * timers count down, neighbour states age.
 */
async function kernelState(scenario: LabScenario, host: string): Promise<string> {
  const listings = [
    ["ip", "-j", "-d", "link"],
    ["ip", "-j", "addr"],
    ["ip", "-j", "route", "show", "table", "all"],
    ["bridge", "-j", "fdb"],
    ["ip", "-j", "netns", "list"],
  ];
  const workload = host === "node-1" ? "red" : "blue";
  const outputs = await Promise.all(
    [...listings, ["ip", "-n", workload, "-j", "addr"], ["ip", "-n", workload, "-j", "route"]].map(
      (argv) => scenario.inHostOk(host, argv),
    ),
  );
  return outputs
    .join("\n")
    .replace(/"(valid|preferred)_life_time":\d+/g, "")
    .replace(/"\w+_timer":[\d.]+/g, "");
}

const everyKernelState = (scenario: LabScenario) =>
  Promise.all(HOSTS.map((host) => kernelState(scenario, host)));

const DAD_SETTLE_MS = 10_000;

/**
 * Waits until no IPv6 address on any host or workload is `tentative`: the kernel finishes
 * Duplicate Address Detection of a link-local address by itself, 1-2 s after its link came up
 * (docker0 made just now, cni0 and flannel.1 of an apply that took less), and then adds the
 * address's `local` route. A snapshot taken before that would see the kernel's own change as
 * one netplan-k made. Throws after DAD_SETTLE_MS, naming what is still tentative.
 */
async function settleDad(scenario: LabScenario): Promise<void> {
  const deadline = Date.now() + DAD_SETTLE_MS;
  for (;;) {
    const tentative = await Promise.all(
      HOSTS.flatMap((host) => {
        const workload = host === "node-1" ? "red" : "blue";
        return [
          ["ip", "-6", "-o", "addr", "show", "tentative"],
          ["ip", "-n", workload, "-6", "-o", "addr", "show", "tentative"],
        ].map(async (argv) => (await scenario.inHostOk(host, argv)).trim());
      }),
    );
    const left = tentative.filter((listing) => listing !== "");
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`DAD did not finish:\n${left.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** plan, then apply: both exit 1, say `fragments`, and no host changes. */
async function expectRefusal(scenario: LabScenario, fragments: readonly string[]): Promise<void> {
  await settleDad(scenario);
  const before = await everyKernelState(scenario);
  const plan = await scenario.cli(["plan"]);
  expectExit(plan, 1);
  for (const fragment of fragments) expect(plan.stdout).toContain(fragment);
  // The cluster is never called converged ("No changes on …" may name the hosts that match).
  expect(plan.stdout).not.toContain("No changes. Every host matches the topology.");
  const apply = await scenario.cli(["apply"], ["--auto-approve"]);
  expectExit(apply, 1);
  for (const fragment of fragments) expect(apply.stdout).toContain(fragment);
  expect(apply.stderr).toContain("Nothing was changed.");
  expect(await everyKernelState(scenario)).toEqual(before);
}

describe("preconditions on lab hosts", () => {
  const scenario = useLabScenario(topology);

  it(
    "a converged host that looks like a real one is not refused",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      for (const [index, host] of HOSTS.entries()) {
        for (const argv of realHostCommands(31 + index)) await scenario.inHostOk(host, argv);
      }
      const plan = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expectExit(plan, 0);
      expect(plan.stdout).toContain("No changes. Every host matches the topology.");
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c02: a topology naming an underlay interface the host lacks is refused",
    async () => {
      const [first, second] = topology.hosts;
      await scenario.write({ ...topology, hosts: [first!, { ...second!, interface: "ens3" }] });
      await expectRefusal(scenario, [
        "node-2: no underlay interface ens3 (it has eth0, docker0)",
        "set hosts[].interface (or defaults.interface) to eth0, which holds 192.0.2.32/24.",
      ]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c03: cluster.mtu 9000 over a 1500 underlay is refused, naming the largest overlay that fits",
    async () => {
      await scenario.write({ ...topology, cluster: { ...topology.cluster, mtu: 9000 } });
      await expectRefusal(
        scenario,
        HOSTS.map(
          (host) =>
            `${host}: the underlay interface eth0 has MTU 1500, but the overlay needs 9000 (overlay MTU 8950 + 50 bytes of vxlan); the largest overlay MTU eth0 carries is 1450`,
        ),
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a kernel without the ipip driver refuses mode ipip on every host",
    async () => {
      await scenario.write({ ...topology, cluster: { ...topology.cluster, mode: "ipip" } });
      await expectRefusal(
        scenario,
        HOSTS.map((host) => `the kernel of ${host} has no ipip driver`),
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c05: a host whose ip -V names an iproute2 older than 5.0.0 gets one sentence, not a parse error",
    async () => {
      await scenario.write(topology);
      // In node-1's private mount namespace only: a tmpfs over /usr/local/sbin, first on the
      // observation script's PATH, holding an ip that answers -V as Ubuntu 18.04's does.
      const oldIp = [
        "#!/bin/sh",
        '[ "$1" = -V ] && { echo "ip utility, iproute2-ss180129"; exit 0; }',
        'exec /bin/ip "$@"',
      ];
      await scenario.inHostOk("node-1", ["mount", "-t", "tmpfs", "xa-old-ip", "/usr/local/sbin"]);
      try {
        const write = 'printf "%s\\n" "$@" > /usr/local/sbin/ip && chmod +x /usr/local/sbin/ip';
        await scenario.inHostOk("node-1", ["sh", "-c", write, "sh", ...oldIp]);
        await expectRefusal(scenario, [
          "node-1 has iproute2-ss180129 (ip -V), but netplan-k reads the JSON output of iproute2 5.0.0 (ss190301) or newer: upgrade iproute2 on node-1.",
        ]);
      } finally {
        await scenario.inHostOk("node-1", ["umount", "/usr/local/sbin"]);
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c08: an underlay interface that lost its address is refused, not called converged",
    async () => {
      await scenario.write(topology);
      await scenario.inHostOk("node-2", ["ip", "-4", "addr", "flush", "dev", "eth0"]);
      await expectRefusal(scenario, [
        "node-2: the underlay interface eth0 holds no IPv4 address, but the topology gives it 192.0.2.32/24",
      ]);
    },
    STEP_TIMEOUT_MS,
  );
});
