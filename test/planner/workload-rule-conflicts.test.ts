import { describe, expect, it } from "vitest";
import type { HostState, RoutingRule } from "../../src/model/index.js";
import { parseIpAddresses } from "../../src/observe/parse-ip-addresses.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { rule, rulesWith } from "./foreign-host.js";
import { desiredVxlanHost, diff, observedVxlanHost, route } from "./states.js";

// Rules recorded in a namespace (test/fixtures/kernel/truth-faults/rule-workload.json):
// `ip rule add pref 100 to 10.244.2.0/24 blackhole`, `ip rule add pref 101 to 10.244.0.0/16
// lookup 100`, besides the kernel's three.
const recorded = parseIpRules(readJsonFixture("kernel/truth-faults/rule-workload.json"));

/** The converged vxlan host whose workload red holds `rules` and `routes` besides its own. */
function redWith(rules: RoutingRule[], routes = [] as ReturnType<typeof route>[]): HostState {
  const observed = observedVxlanHost();
  return {
    ...observed,
    namespaces: observed.namespaces.map((ns) => ({
      ...ns,
      net: { ...ns.net, routes: [...ns.net.routes, ...routes] },
      rules,
    })),
  };
}

const conflicts = (observed: HostState) => diff(desiredVxlanHost(), observed).conflicts;

describe("rules inside a workload namespace that take its cluster traffic are conflicts", () => {
  it("a blackhole rule for a peer's block", () => {
    const rules = recorded.filter((r) => r.priority !== 101);
    expect(conflicts(redWith(rules))).toEqual([
      {
        kind: "rule",
        netns: "red",
        key: "rule 100: to 10.244.2.0/24 blackhole",
        reason:
          "rule 100: to 10.244.2.0/24 blackhole in namespace red is not netplan-k's and takes " +
          "10.244.2.0/24 of the cluster's traffic from workload red: its packets are dropped " +
          "(blackhole); remove it (ip -n red rule del pref 100)",
      },
    ]);
  });

  it("a rule sending the cluster to a table whose route wins over the default route", () => {
    const rules = recorded.filter((r) => r.priority !== 100);
    const other = route("10.244.0.0/16", { via: "10.244.1.99", dev: "eth0", table: 100 });
    expect(conflicts(redWith(rules, [other]))).toEqual([
      expect.objectContaining({
        kind: "route",
        netns: "red",
        reason: expect.stringContaining(
          "route 10.244.0.0/16 via 10.244.1.99 dev eth0 table 100 in namespace red is not " +
            "netplan-k's and takes 10.244.0.0/16 of the cluster's traffic from workload red " +
            "through rule 101: to 10.244.0.0/16 lookup 100",
        ),
      }),
    ]);
  });

  it("main's rule deleted: the workload's packets match no rule", () => {
    const rules = rulesWith().filter((r) => r.priority !== 32766);
    expect(conflicts(redWith(rules)).map((c) => c.key)).toEqual(["no rule looks up table main"]);
  });

  it("no false alarm: the kernel's rules, a rule to an empty table, a prohibit elsewhere", () => {
    expect(conflicts(redWith(rulesWith()))).toEqual([]);
    expect(conflicts(redWith(recorded.filter((r) => r.priority !== 100)))).toEqual([]);
    const elsewhere = rulesWith(rule(102, { to: "203.0.113.0/24", action: "prohibit" }));
    expect(conflicts(redWith(elsewhere))).toEqual([]);
  });

  it("no false alarm: main narrowed to iif lo still routes the workload's own packets", () => {
    const narrowed = rulesWith().map((r) => (r.priority === 32766 ? { ...r, selective: true } : r));
    expect(conflicts(redWith(narrowed))).toEqual([]);
  });

  it("a deleted default route is repaired by the keyed diff, not reported as a conflict", () => {
    const observed = redWith(recorded.filter((r) => r.priority !== 100));
    const withoutDefault: HostState = {
      ...observed,
      namespaces: observed.namespaces.map((ns) => ({
        ...ns,
        net: { ...ns.net, routes: ns.net.routes.filter((r) => r.dst !== "0.0.0.0/0") },
      })),
    };
    const plan = diff(desiredVxlanHost(), withoutDefault);
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => c.reason)).toEqual(["route 0.0.0.0/0: missing"]);
  });
});

// Recorded in a namespace holding red's eth0 (10.244.1.2/24, its default route with proto 77):
// test/fixtures/kernel/truth-faults/route-workload-kernel.json (the kernel's own local and
// broadcast routes) and route-workload-local-blackhole.json (after `ip route add blackhole
// 10.244.2.0/24 table local`); addr-workload-eth0.json is its `ip -j addr show`.
describe("routes in a workload namespace's local table are judged (rule 0 looks it up first)", () => {
  const redAddresses = parseIpAddresses(
    readJsonFixture("kernel/truth-faults/addr-workload-eth0.json"),
  ).filter((address) => address.dev === "eth0" || address.dev === "lo");
  /** The converged host whose workload red holds the recorded routes (and the kernel's rules). */
  function redHolding(fixture: string): HostState {
    const observed = observedVxlanHost();
    const routes = parseIpRoutes(readJsonFixture(`kernel/truth-faults/${fixture}`));
    return {
      ...observed,
      namespaces: observed.namespaces.map((ns) => ({
        ...ns,
        net: { ...ns.net, routes, addresses: redAddresses },
        rules: rulesWith(),
      })),
    };
  }

  it("a blackhole for the peer's block in red's local table is a conflict", () => {
    expect(conflicts(redHolding("route-workload-local-blackhole.json"))).toEqual([
      {
        kind: "route",
        netns: "red",
        key: "255/10.244.2.0/24/0",
        reason:
          "route blackhole 10.244.2.0/24 proto boot table 255 in namespace red is not netplan-k's " +
          "and takes 10.244.2.0/24 of the cluster's traffic from workload red through rule 0: " +
          "from all lookup local, before table main is looked up; remove the route " +
          "(ip -n red route del blackhole 10.244.2.0/24 table local)",
      },
    ]);
  });

  it("no false alarm: the kernel's own local and broadcast routes of red's addresses", () => {
    const plan = diff(desiredVxlanHost(), redHolding("route-workload-kernel.json"));
    expect(plan.conflicts).toEqual([]);
  });
});
