import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  FOREIGN_ADDRESS_V6,
  FOREIGN_ROUTE_V6,
  recordForeignObjects,
  recordForeignObjectsV6,
  seedForeignObjects,
  seedForeignObjectsV6,
  type ForeignObjects,
} from "./foreign-objects.js";
import { describeRun, expectExit, useLabScenario } from "./lab-scenario.js";
import { observeOwnedObjects } from "./owned-objects.js";
import { expectEveryPairBothFamilies } from "./verify-both-families.js";

/**
 * Issue 9 in a lab: a dual-stack vxlan cluster with attach bridge (examples/lab-dual-stack.yaml's
 * layout, reached through nsenter) goes through apply → verify in both families → an empty
 * second plan → destroy, with objects netplan-k does not own, of both families, untouched.
 */

const CIDR_V4 = "10.46.0.0/16";
const CIDR_V6 = "fd00:10:46::/56";

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-dual-stack",
  cluster: { cidr: [CIDR_V4, CIDR_V6], mode: "vxlan", attach: "bridge" },
  hosts: [
    {
      name: "node-1",
      address: ["192.0.2.31/24", "2001:db8::31/64"],
      podCidr: ["10.46.1.0/24", "fd00:10:46:1::/64"],
      namespaces: [{ name: "red" }, { name: "pink" }],
    },
    {
      name: "node-2",
      address: ["192.0.2.32/24", "2001:db8::32/64"],
      podCidr: ["10.46.2.0/24", "fd00:10:46:2::/64"],
      namespaces: [{ name: "blue" }],
    },
    {
      name: "node-3",
      address: ["192.0.2.33/24", "2001:db8::33/64"],
      podCidr: ["10.46.3.0/24", "fd00:10:46:3::/64"],
      namespaces: [{ name: "green" }],
    },
  ],
  lab: { prefix: "u4", sshd: false },
};

const STEP_TIMEOUT_MS = 120_000;

// One lab for the whole file: the last describe rides the lab the first one built.
const scenario = useLabScenario(topology);

describe("lab u4: dual-stack vxlan, attach bridge (nsenter)", () => {
  let foreign: ForeignObjects | undefined;
  let foreignV6 = "";

  it(
    "lab up gives every host both underlay addresses, and seeds foreign objects of both families",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      const eth0 = await scenario.inHostOk("node-2", ["ip", "-o", "addr", "show", "dev", "eth0"]);
      expect(eth0).toContain("192.0.2.32/24");
      expect(eth0).toContain("2001:db8::32/64");
      await seedForeignObjects(scenario, "node-1", "192.0.2.31");
      await seedForeignObjectsV6(scenario, "node-1");
      foreign = await recordForeignObjects(scenario, "node-1", "192.0.2.31");
      foreignV6 = await recordForeignObjectsV6(scenario, "node-1");
      expect(foreignV6).toContain(FOREIGN_ROUTE_V6);
      expect(foreignV6).toContain(FOREIGN_ADDRESS_V6.split("/")[0]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "apply converges every host, and verify right after reaches every pair in both families",
    async () => {
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      await expectEveryPairBothFamilies(scenario, 12);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "the second plan is empty",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "destroy removes every owned object of both families and leaves the foreign ones as they were",
    async () => {
      expect(await observeOwnedObjects(scenario, topology)).toContain(
        "node-1 route fd00:10:46:2::/64 proto 77",
      );
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
      expect(await observeOwnedObjects(scenario, topology)).toEqual([]);
      expect(await recordForeignObjects(scenario, "node-1", "192.0.2.31")).toEqual(foreign);
      expect(await recordForeignObjectsV6(scenario, "node-1")).toBe(foreignV6);
    },
    STEP_TIMEOUT_MS,
  );
});

/**
 * Issue 9 point 3 on the same lab, after the destroy above: foreign IPv6 objects that cut the
 * cluster's IPv6 packets are conflicts, as their IPv4 twins are (each found by hand on a lab,
 * where verify's IPv6 matrix failed while the plan said No changes). Each case puts node-1
 * into the bad state with plain `ip`, sees the plan refuse it, undoes it and sees the plan
 * empty; verify then reaches every pair in both families.
 */
describe("lab u4: foreign IPv6 objects are judged as their IPv4 twins", () => {
  const ipOn = (host: string, ...argv: string[]) => scenario.inHostOk(host, ["ip", ...argv]);

  /** blue's global IPv4 and IPv6 addresses, as node-2 lists them. */
  async function blueAddresses(): Promise<[string, string]> {
    const blue = JSON.parse(
      await scenario.inHostOk("node-2", ["ip", "-n", "blue", "-j", "addr", "show", "dev", "eth0"]),
    ) as { addr_info: { family: string; local: string; scope: string }[] }[];
    const global = blue[0]?.addr_info.filter((a) => a.scope === "global") ?? [];
    return [
      global.find((a) => a.family === "inet")?.local ?? "",
      global.find((a) => a.family === "inet6")?.local ?? "",
    ];
  }

  /**
   * One don't-fragment ping of each family from red to blue at full size for red's eth0
   * (1430): 28 bytes of IPv4 and ICMP headers, 48 of IPv6's.
   */
  const fullSizeFromRed = (blue4: string, blue6: string) => {
    const inRed = (...argv: string[]) =>
      scenario.inHost("node-1", ["ip", "netns", "exec", "red", ...argv]);
    return Promise.all([
      inRed("ping", "-c1", "-W1", "-M", "do", "-s", "1402", blue4),
      inRed("ping", "-6", "-c1", "-W1", "-M", "do", "-s", "1382", blue6),
    ]);
  };

  /**
   * Stale exceptions in place: the plan names each of `lines` and exits 2, apply flushes them,
   * red's full-size pings pass, verify reaches every pair in both families, the next plan is
   * empty.
   */
  async function expectFlushedByApply(
    blue4: string,
    blue6: string,
    lines: readonly string[],
  ): Promise<void> {
    const plan = await scenario.cli(["plan"], ["--detailed-exitcode"]);
    for (const line of lines) expect(plan.stdout, describeRun(plan)).toContain(line);
    expect(plan.exitCode, describeRun(plan)).toBe(2);
    expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
    const flushed = await fullSizeFromRed(blue4, blue6);
    expect(
      flushed.map((run) => run.exitCode),
      flushed.map(describeRun).join("\n"),
    ).toEqual([0, 0]);
    await expectEveryPairBothFamilies(scenario, 12);
    expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
  }

  /** node-1 in a bad state: the plan names it and fails; undone, the plan is empty again. */
  async function expectJudged(
    make: () => Promise<unknown>,
    undo: () => Promise<unknown>,
    expected: string,
  ): Promise<void> {
    await make();
    try {
      const plan = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expect(plan.stdout + plan.stderr, describeRun(plan)).toContain(expected);
      expect(plan.exitCode, describeRun(plan)).toBe(1);
    } finally {
      await undo();
    }
    expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
  }

  it(
    "apply converges the lab again",
    async () => {
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "1: a foreign IPv6 route inside a peer's IPv6 block",
    async () => {
      await expectJudged(
        () =>
          ipOn("node-1", "-6", "route", "add", "fd00:10:46:2::/80", "dev", "eth0", "metric", "5"),
        () =>
          ipOn("node-1", "-6", "route", "del", "fd00:10:46:2::/80", "dev", "eth0", "metric", "5"),
        "route fd00:10:46:2::/80 dev eth0 proto boot metric 5 is not netplan-k's and takes " +
          "fd00:10:46:2::/80 of fd00:10:46:2::/64",
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "2: an IPv6 rule that prohibits a peer's IPv6 block",
    async () => {
      await expectJudged(
        () =>
          ipOn("node-1", "-6", "rule", "add", "pref", "100", "to", "fd00:10:46:2::/64", "prohibit"),
        () => ipOn("node-1", "-6", "rule", "del", "pref", "100"),
        "rule 100: to fd00:10:46:2::/64 prohibit is not netplan-k's and takes fd00:10:46:2::/64",
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "5: the IPv6 underlay address whose Duplicate Address Detection failed",
    async () => {
      const underlay = "2001:db8::31/64";
      await expectJudged(
        async () => {
          // node-2 holds node-1's address first; node-1's copy, added again with DAD, fails.
          await ipOn("node-2", "addr", "add", underlay, "dev", "eth0", "nodad");
          await ipOn("node-1", "addr", "del", underlay, "dev", "eth0");
          await ipOn("node-1", "addr", "add", underlay, "dev", "eth0");
          await expect
            .poll(() => ipOn("node-1", "-6", "addr", "show", "dev", "eth0", "dadfailed"), {
              timeout: 5_000,
              interval: 100,
            })
            .toContain("2001:db8::31");
        },
        async () => {
          await ipOn("node-2", "addr", "del", underlay, "dev", "eth0");
          await ipOn("node-1", "addr", "del", underlay, "dev", "eth0");
          await ipOn("node-1", "addr", "add", underlay, "dev", "eth0", "nodad");
        },
        "node-1: the underlay interface eth0 holds 2001:db8::31/64, but its Duplicate Address " +
          "Detection failed",
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "8: a wrong MAC pinned for a peer in the IPv6 neighbour table",
    async () => {
      await expectJudged(
        () =>
          ipOn(
            "node-1",
            "-6",
            "neigh",
            "replace",
            "2001:db8::32",
            "lladdr",
            "02:00:00:00:00:99",
            "dev",
            "eth0",
            "nud",
            "permanent",
          ),
        () => ipOn("node-1", "-6", "neigh", "del", "2001:db8::32", "dev", "eth0"),
        "neighbour 2001:db8::32 on eth0 lladdr 02:00:00:00:00:99 permanent is not netplan-k's " +
          "and takes the underlay path to peer 2001:db8::32",
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "13: disable_ipv6 on a workload's eth0 is read there and set back before its address",
    async () => {
      await scenario.inHostOk("node-1", [
        "ip",
        "netns",
        "exec",
        "red",
        "sysctl",
        "-qw",
        "net.ipv6.conf.eth0.disable_ipv6=1",
      ]);
      const plan = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expect(plan.stdout, describeRun(plan)).toContain(
        "[red] sysctl net.ipv6.conf.eth0.disable_ipv6",
      );
      expect(plan.exitCode, describeRun(plan)).toBe(2);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "14: a stale path-MTU exception in a workload is planned (exit 2) and flushed by apply",
    async () => {
      // node-1's VTEPs lowered by hand while red sends one full-size don't-fragment ping of each
      // family to blue: node-1 answers "fragmentation needed" / "packet too big" and red learns
      // mtu 1400; the VTEPs put back by hand (not by apply, which would flush) leave it stale.
      const [blue4, blue6] = await blueAddresses();
      const fullSize = () => fullSizeFromRed(blue4, blue6);
      await ipOn("node-1", "link", "set", "dev", "flannel.1", "mtu", "1400");
      await ipOn("node-1", "link", "set", "dev", "flannel-v6.1", "mtu", "1400");
      try {
        await fullSize();
      } finally {
        await ipOn("node-1", "link", "set", "dev", "flannel.1", "mtu", "1450");
        await ipOn("node-1", "link", "set", "dev", "flannel-v6.1", "mtu", "1430");
      }
      // Sent again with the VTEPs back: still refused. This also binds red's new IPv4
      // exception to a route, which is when the kernel first lists it (parse-ip-route-cache.ts).
      const stale = await fullSize();
      expect(stale.map((run) => run.exitCode)).toEqual([1, 1]);
      expect(stale.map((run) => run.stdout + run.stderr).join("")).toContain("mtu=1400");

      await expectFlushedByApply(blue4, blue6, [
        `~ [red] route cache to ${blue4}  (mtu 1400 below eth0's 1430: stale; flush)`,
        `~ [red] route cache to ${blue6}  (mtu 1400 below eth0's 1430: stale; flush)`,
      ]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "15: a stale path-MTU exception of node-1 itself, toward blue through its VTEP, is planned and flushed",
    async () => {
      // The breaker's trial: node-2's cni0 lowered by hand while node-1 sends one full-size DF
      // ping -6 to blue (node-2 answers "packet too big", node-1 learns mtu 1380 through
      // flannel-v6.1), cni0 put back by hand. IPv6 forwarding uses node-1's exception: red's
      // full-size ping is then refused by node-1 itself, and verify failed while plan was empty.
      const [blue4, blue6] = await blueAddresses();
      await ipOn("node-2", "link", "set", "dev", "cni0", "mtu", "1380");
      try {
        await scenario.inHost("node-1", [
          "ping",
          "-6",
          "-c1",
          "-W1",
          "-M",
          "do",
          "-s",
          "1382",
          blue6,
        ]);
      } finally {
        await ipOn("node-2", "link", "set", "dev", "cni0", "mtu", "1430");
      }
      const stale = await fullSizeFromRed(blue4, blue6);
      expect(stale.map((run) => run.exitCode)).toEqual([0, 1]);
      expect(stale[1]?.stdout, describeRun(stale[1]!)).toContain("mtu=1380");

      await expectFlushedByApply(blue4, blue6, [
        `~ route cache to ${blue6}  (mtu 1380 below flannel-v6.1's 1430: stale; flush)`,
      ]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "every state undone, verify reaches every pair in both families",
    async () => {
      const verify = await scenario.cli(["verify"]);
      expectExit(verify, 0);
      expect(verify.stdout, describeRun(verify)).not.toContain("✗");
    },
    STEP_TIMEOUT_MS,
  );
});
