import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { HostState, ObservedHost } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { parseIpNeighbours } from "../../src/observe/parse-ip-neighbours.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import type { HostPlan } from "../../src/planner/plan.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { readFixture, readJsonFixture } from "../observe/fixtures.js";
import { dualStackTopology } from "../modes/dual-stack-topology.js";

// IPv6 objects judged by the same rules as their IPv4 twins (issue 9 point 3). Each case takes
// the converged dual-stack cluster of test/modes/dual-stack-converged.test.ts (recorded after
// apply: its plan is empty) and adds to node-1 what a breaker added by hand, as the kernel
// lists it: test/fixtures/kernel/ipv6-judged/ (scripts/record-ipv6-judged-fixtures.sh).

const recorded = "kernel/ipv6-judged";
const routes = parseIpRoutes(readJsonFixture(`${recorded}/route.json`));
const rules6 = parseIpRules(readJsonFixture(`${recorded}/rule6.json`), "inet6");
const neighbours = parseIpNeighbours(readJsonFixture(`${recorded}/neigh.json`));
const addresses = parseIpAddresses(readJsonFixture(`${recorded}/addr.json`));
const dadFailed = parseIpAddresses(readJsonFixture(`${recorded}/addr-dadfailed.json`));

const route = (dst: string, table: number) => {
  const found = routes.find((r) => r.dst === dst && r.table === table);
  if (found === undefined) throw new Error(`no route ${dst} table ${table} in the fixture`);
  return found;
};
/** The kernel's IPv6 rules (0 and 32766) with the recorded ones of these priorities. */
const ipv6RulesWith = (...priorities: number[]) =>
  rules6.filter((r) => [0, 32766, ...priorities].includes(r.priority));

type Edit = (state: HostState) => HostState;

/** node-1's plan after `edit` of its converged observation. */
function planNode1(mode: string, attach: string, edit: Edit): HostPlan {
  const loaded = loadTopologyText(dualStackTopology(mode, attach), "fx.yaml", modes);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join("\n"));
  const dir = `test/fixtures/converged/dual-stack-${mode}-${attach}`;
  const observed: ObservedHost[] = ["node-1", "node-2"].map((host) => {
    const parsed = parseObservation(host, readFileSync(`${dir}/${host}.txt`, "utf8"));
    return host === "node-1" ? { ...parsed, state: edit(parsed.state) } : parsed;
  });
  const plan = planTopology({
    desired: compileTopology(loaded.topology),
    observed,
    against: "snapshot",
  });
  const node1 = plan.hosts.find((h) => h.host === "node-1");
  if (node1 === undefined) throw new Error("node-1 not planned");
  return node1;
}

const withRoot =
  (change: (root: HostState["root"]) => Partial<HostState["root"]>): Edit =>
  (state) => ({ ...state, root: { ...state.root, ...change(state.root) } });
const addRoutes = (...added: ReturnType<typeof route>[]): Edit =>
  withRoot((root) => ({ routes: [...root.routes, ...added] }));
const withHostRules =
  (...priorities: number[]): Edit =>
  (state) => ({ ...state, rules: [...(state.rules ?? []), ...ipv6RulesWith(...priorities)] });
const both =
  (...edits: Edit[]): Edit =>
  (state) =>
    edits.reduce((s, edit) => edit(s), state);
const inRed =
  (change: (ns: HostState["namespaces"][number]) => Partial<HostState["namespaces"][number]>) =>
  (state: HostState): HostState => ({
    ...state,
    namespaces: state.namespaces.map((ns) => (ns.name === "red" ? { ...ns, ...change(ns) } : ns)),
  });
const reasons = (plan: HostPlan): string[] => plan.conflicts.map((c) => c.reason);

describe("1: a foreign IPv6 route inside the cluster's IPv6 range", () => {
  it("in main, more specific than a peer's block: a conflict, as its IPv4 twin", () => {
    const plan = planNode1("host-gw", "bridge", addRoutes(route("fd00:10:6:2::/80", 254)));
    expect(reasons(plan)).toEqual([
      expect.stringMatching(
        /^route fd00:10:6:2::\/80 dev eth0 .*is not netplan-k's and takes fd00:10:6:2::\/80 of fd00:10:6:2::\/64 \(route fd00:10:6:2::\/64 via 2001:db8::12 dev eth0.*\); remove it \(ip route del fd00:10:6:2::\/80 table 254 metric 5\) or change the topology$/,
      ),
    ]);
  });

  it("in a table an IPv6 rule consults before main: a conflict", () => {
    const plan = planNode1(
      "vxlan",
      "bridge",
      both(addRoutes(route("fd00:10:6:2::/64", 100)), withHostRules(120)),
    );
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/fd00:10:6:2::/64/1024"]);
  });

  it("in a table no rule consults: none", () => {
    const plan = planNode1("vxlan", "bridge", addRoutes(route("fd00:10:6:2::/64", 100)));
    expect(plan.conflicts).toEqual([]);
  });
});

describe("2: IPv6 policy rules are walked", () => {
  it("a prohibit rule for a peer's IPv6 block: a conflict removed with ip -6 rule", () => {
    const plan = planNode1("host-gw", "routed", withHostRules(100));
    expect(reasons(plan)).toEqual([
      expect.stringMatching(
        /^rule 100: to fd00:10:6:2::\/64 prohibit is not netplan-k's and takes fd00:10:6:2::\/64 \(route fd00:10:6:2::\/64 via 2001:db8::12 .*\): packets to it are dropped \(prohibit\) before table main is looked up; remove it \(ip -6 rule del pref 100\) or change the topology$/,
      ),
    ]);
  });

  it("a goto to a priority no IPv6 rule has is passed over, as the kernel does: none", () => {
    expect(planNode1("host-gw", "routed", withHostRules(110)).conflicts).toEqual([]);
  });

  it("in a workload: a prohibit rule takes its traffic to the peer's IPv6 block", () => {
    const plan = planNode1(
      "vxlan",
      "routed",
      inRed((ns) => ({ rules: [...(ns.rules ?? []), ...ipv6RulesWith(100)] })),
    );
    expect(reasons(plan)).toEqual([
      "rule 100: to fd00:10:6:2::/64 prohibit in namespace red is not netplan-k's and takes " +
        "fd00:10:6:2::/64 of the cluster's traffic from workload red: its packets are dropped " +
        "(prohibit); remove it (ip -n red -6 rule del pref 100)",
    ]);
  });
});

describe("3, 4: a workload's IPv6 table local and lo", () => {
  it("3: a blackhole route in red's table local takes its packets before main", () => {
    const blackhole = route("fd00:10:6:2::/64", 255);
    const plan = planNode1(
      "host-gw",
      "bridge",
      inRed((ns) => ({ net: { ...ns.net, routes: [...ns.net.routes, blackhole] } })),
    );
    expect(reasons(plan)).toEqual([
      expect.stringMatching(
        /^route blackhole fd00:10:6:2::\/64 .*in namespace red is not netplan-k's and takes fd00:10:6:2::\/64 of the cluster's traffic from workload red through rule 0: from all lookup local, before table main is looked up; remove the route \(ip -n red route del blackhole fd00:10:6:2::\/64 table local\)$/,
      ),
    ]);
  });

  it("4: blue's IPv6 address on red's lo is a conflict naming blue", () => {
    const onLo = addresses.filter((a) => a.dev === "lo" && a.cidr === "fd00:10:6:2::2/128");
    expect(onLo).toHaveLength(1);
    const plan = planNode1(
      "vxlan",
      "bridge",
      inRed((ns) => ({ net: { ...ns.net, addresses: [...ns.net.addresses, ...onLo] } })),
    );
    expect(reasons(plan)).toEqual([
      "address fd00:10:6:2::2/128 on lo in workload namespace red is not netplan-k's and takes " +
        "fd00:10:6:2::2, the address of workload blue on host node-2: packets red sends there " +
        "stay inside it; remove it (ip -n red address del fd00:10:6:2::2/128 dev lo)",
    ]);
  });
});

describe("5, 6: the IPv6 underlay address and its subnet's route", () => {
  const withoutUnderlay6 = withRoot((root) => ({
    addresses: root.addresses.filter((a) => a.cidr !== "2001:db8::11/64"),
  }));

  it("5: an underlay IPv6 address whose DAD failed refuses the host", () => {
    const failed = dadFailed.filter((a) => a.cidr === "2001:db8::11/64");
    expect(failed).toEqual([{ dev: "eth0", cidr: "2001:db8::11/64", dadFailed: true }]);
    const plan = planNode1(
      "vxlan",
      "bridge",
      both(
        withoutUnderlay6,
        withRoot((root) => ({ addresses: [...root.addresses, ...failed] })),
      ),
    );
    expect(plan.errors).toEqual([
      "node-1: the underlay interface eth0 holds 2001:db8::11/64, but its Duplicate Address " +
        "Detection failed (dadfailed: another machine on the link holds it), so the kernel " +
        "neither sends from it nor accepts packets for it: free the address on the other " +
        "machine, then add it again (ip address del 2001:db8::11/64 dev eth0; ip address add " +
        "2001:db8::11/64 dev eth0), or change hosts[].address.",
    ]);
  });

  it("5: an underlay IPv6 address removed refuses the host, as the IPv4 one", () => {
    const plan = planNode1("host-gw", "bridge", withoutUnderlay6);
    expect(plan.errors).toEqual([
      "node-1: the underlay interface eth0 holds no IPv6 address, but the topology gives it " +
        "2001:db8::11/64, the address every peer sends node-1's traffic to: give eth0 that " +
        "address again, or change hosts[].address.",
    ]);
  });

  it("6: the underlay's IPv6 subnet route removed leaves no route to the peer", () => {
    const plan = planNode1(
      "host-gw",
      "bridge",
      withRoot((root) => ({ routes: root.routes.filter((r) => r.dst !== "2001:db8::/64") })),
    );
    expect(reasons(plan)).toEqual([
      expect.stringMatching(/^no route to peer 2001:db8::12 \(next hop of route fd00:10:6:2::\/64/),
    ]);
  });
});

describe("7, 8: the path to a peer's IPv6 underlay address", () => {
  const detour = both(addRoutes(route("2001:db8::12/128", 50)), withHostRules(130));

  it("7, vxlan: a VTEP on the subnet sent to a gateway by a rule's table is a conflict", () => {
    const plan = planNode1("vxlan", "bridge", detour);
    expect(reasons(plan)).toEqual([
      expect.stringMatching(
        /^route 2001:db8::12\/128 via 2001:db8::fe dev eth0 .*is not netplan-k's and takes the underlay path to peer 2001:db8::12 \(VTEP of fdb .*\): packets to it would go to gateway 2001:db8::fe, though the peer is on eth0's own subnet/,
      ),
    ]);
  });

  it("7, host-gw: a next hop out of the underlay is not walked (as for IPv4)", () => {
    expect(planNode1("host-gw", "bridge", detour).conflicts).toEqual([]);
  });

  it("8: a wrong MAC pinned for the peer in the IPv6 neighbour table is a conflict", () => {
    const pinned = neighbours.filter((n) => n.dst === "2001:db8::12");
    expect(pinned).toHaveLength(1);
    const plan = planNode1(
      "host-gw",
      "routed",
      withRoot((root) => ({ neighbours: [...root.neighbours, ...pinned] })),
    );
    expect(reasons(plan)).toEqual([
      expect.stringMatching(
        /^neighbour 2001:db8::12 on eth0 lladdr 02:00:00:00:00:99 permanent is not netplan-k's and takes the underlay path to peer 2001:db8::12 .*the kernel never re-resolves a permanent entry; remove it \(ip neigh del 2001:db8::12 dev eth0\) or change the topology$/,
      ),
    ]);
  });
});

describe("11: a multipath IPv6 route of netplan-k's", () => {
  it("shows its next hops, not via (none)", () => {
    const multipath = route("fd00:10:6:2::/64", 254);
    expect(multipath.nexthops).toEqual([
      { via: "2001:db8::12", dev: "eth0" },
      { via: "2001:db8::14", dev: "eth0" },
    ]);
    const plan = planNode1(
      "host-gw",
      "bridge",
      withRoot((root) => ({
        routes: [
          ...root.routes.filter((r) => !(r.dst === multipath.dst && r.table === 254)),
          multipath,
        ],
      })),
    );
    expect(plan.changes.map((c) => c.reason)).toEqual([
      "route fd00:10:6:2::/64 metric 1024: nexthops via 2001:db8::12 dev eth0, via " +
        "2001:db8::14 dev eth0 → via 2001:db8::12 dev eth0",
    ]);
    expect(plan.conflicts).toEqual([]);
  });
});

describe("10: disable_ipv6 on netplan-k's own device", () => {
  it("is set back to 0 before the IPv6 address the kernel dropped is added again", () => {
    // nk_sysctls' lines in the recording namespace, and its cni0 as the kernel left it.
    const sysctls = readFixture(`${recorded}/sysctl-cni0-ipv6-disabled.txt`)
      .split("\n")
      .filter((line) => line.startsWith("net.ipv6.conf.cni0."))
      .map((line) => ({ key: line.split("=")[0] ?? "", value: line.split("=")[1] ?? "" }));
    expect(sysctls).toEqual([{ key: "net.ipv6.conf.cni0.disable_ipv6", value: "1" }]);
    expect(parseIpAddresses(readJsonFixture(`${recorded}/addr-cni0-ipv6-disabled.json`))).toEqual(
      [],
    );
    const plan = planNode1("vxlan", "bridge", (state) => ({
      ...state,
      sysctls: [...state.sysctls, ...sysctls],
      root: {
        ...state.root,
        addresses: state.root.addresses.filter((a) => !(a.dev === "cni0" && a.cidr.includes(":"))),
      },
    }));
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      "update sysctl net.ipv6.conf.cni0.disable_ipv6",
      "create address cni0/fd00:10:6:1::1/64",
    ]);
    expect(plan.conflicts).toEqual([]);
  });
});

describe("9: routed attach's IPv6 gateway on the host veth", () => {
  it("deleted by hand, it is added back", () => {
    const gateway = "fe80::ecee:eeff:feee:eeee/64";
    const plan = planNode1(
      "vxlan",
      "routed",
      withRoot((root) => ({ addresses: root.addresses.filter((a) => a.cidr !== gateway) })),
    );
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      expect.stringMatching(/^create address nk[0-9a-f]+\/fe80::ecee:eeff:feee:eeee\/64$/),
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it("on a veth whose MAC the plan changes (attach switch), the link update derives it, not a create", () => {
    const gateway = "fe80::ecee:eeff:feee:eeee/64";
    const plan = planNode1("vxlan", "routed", (state) => {
      const veth = state.root.addresses.find((a) => a.cidr === gateway)?.dev ?? "";
      return {
        ...state,
        root: {
          ...state.root,
          // As a bridge attach's veth is found: its own MAC, so no routed gateway yet.
          links: state.root.links.map((l) =>
            l.name === veth ? { ...l, mac: "52:54:00:12:34:56" } : l,
          ),
          addresses: state.root.addresses.filter((a) => a.cidr !== gateway),
        },
      };
    });
    const changes = plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`);
    expect(changes).toEqual([expect.stringMatching(/^update link nk[0-9a-f]+$/)]);
    expect(plan.conflicts).toEqual([]);
  });

  it("with IPv6 off on the veth, only disable_ipv6 is set back: the kernel re-adds it", () => {
    const plan = planNode1("vxlan", "routed", (state) => {
      const veth = state.root.addresses.find((a) => a.cidr.startsWith("fe80:"))?.dev ?? "";
      return {
        ...state,
        sysctls: [...state.sysctls, { key: `net.ipv6.conf.${veth}.disable_ipv6`, value: "1" }],
        root: {
          ...state.root,
          // What the kernel leaves on the veth: no IPv6 address, no IPv6 route through it.
          addresses: state.root.addresses.filter((a) => !(a.dev === veth && a.cidr.includes(":"))),
          routes: state.root.routes.filter((r) => !(r.dev === veth && r.dst.includes(":"))),
        },
      };
    });
    expect(plan.changes.map((c) => `${c.action} ${c.kind}`)).toEqual([
      "update sysctl",
      "create route",
    ]);
  });
});

describe("12: routed attach's IPv6 gateway pinned in a workload with a wrong MAC", () => {
  it("is read, and its removal planned as any pinned entry there: NDP then finds the veth", () => {
    const gateway = "fe80::ecee:eeff:feee:eeee";
    const pinned = parseIpNeighbours(
      readJsonFixture(`${recorded}/neigh-routed-gateway-pinned.json`),
    ).filter((n) => n.dst === gateway);
    expect(pinned).toEqual([
      { dev: "eth0", dst: gateway, lladdr: "02:00:00:00:00:01", permanent: true },
    ]);
    const plan = planNode1(
      "vxlan",
      "routed",
      inRed((ns) => ({ net: { ...ns.net, neighbours: [...ns.net.neighbours, ...pinned] } })),
    );
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.netns} ${c.key}`)).toEqual([
      `delete neighbour red eth0/${gateway}`,
    ]);
    expect(plan.conflicts).toEqual([]);
  });
});

describe("13: disable_ipv6 on a workload's eth0", () => {
  it("is read in the namespace's sysctl section and set back to 0 before its IPv6 objects", () => {
    // nk_namespace_sysctls' lines for the recording's second namespace, in red's section.
    const recordedLines = readFixture(`${recorded}/sysctl-workload-ipv6-disabled.txt`);
    const text = readFileSync("test/fixtures/converged/dual-stack-vxlan-routed/node-1.txt", "utf8");
    const withSection = text.replace(
      /(@@netplan-k:section:sysctl:red\n)[^@]*/,
      (_, begin: string) => `${begin}${recordedLines}`,
    );
    expect(withSection).not.toEqual(text);
    const redSysctls = parseObservation("node-1", withSection).state.namespaces.find(
      (ns) => ns.name === "red",
    )?.sysctls;
    expect(redSysctls).toContainEqual({ key: "net.ipv6.conf.eth0.disable_ipv6", value: "1" });
    const plan = planNode1(
      "vxlan",
      "routed",
      // What the kernel leaves in red: no IPv6 address or route on eth0.
      inRed((ns) => ({
        sysctls: redSysctls ?? [],
        net: {
          ...ns.net,
          addresses: ns.net.addresses.filter((a) => !a.cidr.includes(":")),
          routes: ns.net.routes.filter((r) => !r.dst.includes(":")),
        },
      })),
    );
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.netns} ${c.key}`)).toEqual([
      "update sysctl red net.ipv6.conf.eth0.disable_ipv6",
      expect.stringMatching(/^create address red eth0\/fd00:.*\/128$/),
      expect.stringMatching(/^create route red .*::\/0/),
    ]);
    expect(plan.conflicts).toEqual([]);
  });
});
