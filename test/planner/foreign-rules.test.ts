import { describe, expect, it } from "vitest";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { readJsonFixture } from "../observe/fixtures.js";
import { conflictReasons, foreignRoute, planWith, rule, rulesWith } from "./foreign-host.js";

// Policy rules judged by where they send the cluster's packets (rule-walk.ts): actions
// without a table, suppress_prefixlength, and selective or source rules. The host routes
// 10.244.1.0/24 (cni0's address) and 10.244.2.0/24 (a peer's block) in main.

const PEER_ROUTE = "route 10.244.2.0/24 via 192.168.64.6 dev eth0";

describe("rules without a table: blackhole, unreachable, prohibit", () => {
  it("a prohibit rule for a peer's block, before main, takes it", () => {
    const plan = planWith({
      rules: rulesWith(rule(100, { to: "10.244.2.0/24", action: "prohibit" })),
    });
    expect(plan.conflicts).toEqual([
      {
        kind: "rule",
        key: "rule 100: to 10.244.2.0/24 prohibit",
        reason:
          `rule 100: to 10.244.2.0/24 prohibit is not netplan-k's and takes 10.244.2.0/24 ` +
          `(${PEER_ROUTE}): packets to it are dropped (prohibit) before table main is looked ` +
          "up; remove it (ip rule del pref 100) or change the topology",
      },
    ]);
    expect(plan.changes).toEqual([]);
  });

  it("a blackhole rule for part of the host's block takes that part", () => {
    const plan = planWith({
      rules: rulesWith(rule(100, { to: "10.244.1.0/26", action: "blackhole" })),
    });
    expect(conflictReasons(plan)).toEqual([
      expect.stringContaining(
        "is not netplan-k's and takes 10.244.1.0/26 of 10.244.1.0/24 (address 10.244.1.1/24 on cni0)",
      ),
    ]);
  });

  it("an unreachable rule for packets from the host's pods takes them", () => {
    const plan = planWith({
      rules: rulesWith(rule(100, { from: "10.244.1.0/24", action: "unreachable" })),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["rule 100: from 10.244.1.0/24 unreachable"]);
  });

  it("no conflict: the rule selects other packets, or comes after main", () => {
    const plan = planWith({
      rules: rulesWith(
        rule(100, { to: "198.51.100.0/24", action: "prohibit" }),
        rule(101, { from: "192.0.2.5/32", action: "blackhole" }),
        rule(32767, { action: "unreachable" }),
      ),
    });
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual([]);
  });
});

describe("goto: the rules between a goto and its target are skipped", () => {
  it("a goto over main, to a table that has nothing for the cluster, takes its packets", () => {
    const plan = planWith({
      rules: rulesWith(rule(100, { to: "10.244.0.0/16", action: "goto", goto: 32767 })),
    });
    expect(conflictReasons(plan)[0]).toBe(
      "rule 100: to 10.244.0.0/16 goto 32767 is not netplan-k's and takes 10.244.2.0/24 " +
        `(${PEER_ROUTE}): it jumps over the lookup of table main, and no later rule finds ` +
        "the route; remove it (ip rule del pref 100) or change the topology",
    );
    expect(plan.conflicts).toHaveLength(1);
  });

  it("a goto to a rule that sends the cluster to a foreign table: the route there takes it", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100 })],
      rules: rulesWith(
        rule(100, { to: "10.244.0.0/16", action: "goto", goto: 30000 }),
        rule(30000, { table: 100 }),
      ),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/10.244.2.0/25/0"]);
  });

  it("no conflict: a goto that skips a foreign table and lands on main", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100 })],
      rules: rulesWith(
        rule(100, { to: "10.244.0.0/16", action: "goto", goto: 32766 }),
        rule(200, { table: 100 }),
      ),
    });
    expect(plan.conflicts).toEqual([]);
  });

  it("no conflict: nop, and a goto whose target no rule has (the kernel passes over it)", () => {
    const plan = planWith({
      rules: rulesWith(rule(100, { action: "nop" }), rule(101, { action: "goto", goto: 500 })),
    });
    expect(plan.conflicts).toEqual([]);
  });
});

describe("suppress_prefixlength N: routes of N bits or fewer are passed over, per route", () => {
  // wg-quick's layout: main with suppression, then the tunnel's table for everything else.
  const wgQuick = (suppressPrefixLength: number) =>
    rulesWith(
      rule(32764, { table: 254, suppressPrefixLength }),
      rule(32765, { selective: true, table: 51820 }),
    );
  const tunnelDefault = foreignRoute("0.0.0.0/0", { table: 51820, via: undefined, dev: "wg0" });

  it("N=24 passes over the /24 blocks in main: the tunnel's default route takes them", () => {
    const plan = planWith({ routes: [tunnelDefault], rules: wgQuick(24) });
    expect(conflictReasons(plan)).toEqual([
      "route 0.0.0.0/0 dev wg0 proto static table 51820 is not netplan-k's and takes " +
        `10.244.2.0/24 (${PEER_ROUTE}) (only packets that rule 32765 selects by fwmark, iif, ` +
        "uid or the like); remove it (ip route del 0.0.0.0/0 table 51820) or change the topology",
    ]);
  });

  it("no conflict: N=0 (wg-quick) or N=23 keeps the /24 blocks in main", () => {
    for (const length of [0, 23]) {
      expect(planWith({ routes: [tunnelDefault], rules: wgQuick(length) }).conflicts).toEqual([]);
    }
  });

  it("a route of a suppressed table longer than N still takes the packets", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100 })],
      rules: rulesWith(rule(100, { table: 100, suppressPrefixLength: 24 })),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/10.244.2.0/25/0"]);
  });

  it("no conflict: a route of N bits or fewer in the suppressed table", () => {
    const plan = planWith({
      routes: [
        foreignRoute("10.244.0.0/16", { table: 100 }),
        foreignRoute("10.244.2.0/24", { table: 100 }),
      ],
      rules: rulesWith(rule(100, { table: 100, suppressPrefixLength: 24 })),
    });
    expect(plan.conflicts).toEqual([]);
  });
});

describe("rules that match some of the cluster's traffic carry it (selective or by source)", () => {
  it("a rule from one block to main does not keep the others' packets from a foreign table", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100 })],
      rules: rulesWith(
        rule(50, { from: "10.244.1.0/24", table: 254 }),
        rule(100, { to: "10.244.0.0/16", table: 100 }),
      ),
    });
    expect(plan.conflicts.map((c) => c.key)).toEqual(["100/10.244.2.0/25/0"]);
  });

  it("a selective rule to a foreign table: the conflict says it matches only some packets", () => {
    const plan = planWith({
      routes: [foreignRoute("10.244.2.0/25", { table: 100 })],
      rules: rulesWith(rule(100, { selective: true, table: 100 })),
    });
    expect(conflictReasons(plan)).toEqual([
      expect.stringContaining(
        "takes 10.244.2.0/25 of 10.244.2.0/24 (route 10.244.2.0/24 via 192.168.64.6 dev eth0) " +
          "(only packets that rule 100 selects by fwmark, iif, uid or the like)",
      ),
    ]);
  });

  it("no conflict: a source outside the cluster (the host's own underlay address)", () => {
    const plan = planWith({
      routes: [foreignRoute("0.0.0.0/0", { table: 100 })],
      rules: rulesWith(rule(100, { from: "192.168.64.5/32", table: 100 })),
    });
    expect(plan.conflicts).toEqual([]);
  });
});

describe("main's rule 32766: cluster packets that no rule leads to main are unrouted", () => {
  // Recorded in a namespace (test/fixtures/kernel/underlay-faults): 32766 deleted and added
  // back as `iif lo lookup main`; it also holds `to 192.0.2.13 prohibit` at 100.
  const narrowed = parseIpRules(readJsonFixture("kernel/underlay-faults/rule.json"));

  it("32766 narrowed to iif lo: forwarded cluster packets miss main", () => {
    const plan = planWith({ rules: narrowed });
    expect(plan.conflicts).toEqual([
      {
        kind: "rule",
        key: "no rule looks up table main",
        reason:
          `no rule looks up table main for all of 10.244.2.0/24 (${PEER_ROUTE}): some of its ` +
          "packets match no rule that finds a route and the kernel answers " +
          '"network unreachable"; add the rule back (ip rule add pref 32766 from all lookup ' +
          "main) or change the topology",
      },
    ]);
  });

  it("32766 deleted: the same conflict", () => {
    const deleted = rulesWith().filter((r) => r.priority !== 32766);
    expect(planWith({ rules: deleted }).conflicts.map((c) => c.key)).toEqual([
      "no rule looks up table main",
    ]);
  });

  it("no conflict: main looked up from all at another priority, or a foreign table first", () => {
    const moved = rulesWith(rule(1000, { table: 254 })).filter((r) => r.priority !== 32766);
    expect(planWith({ rules: moved }).conflicts).toEqual([]);
    const vpn = rulesWith(rule(100, { selective: true, table: 51820 }));
    expect(planWith({ rules: vpn }).conflicts).toEqual([]);
  });
});

describe("a foreign route in a table looked up before main, going where netplan-k's goes", () => {
  const toTable100 = rulesWith(rule(100, { to: "10.244.0.0/16", table: 100 }));

  it("no conflict: the same prefix, device and gateway (measured: every path passes)", () => {
    const same = foreignRoute("10.244.2.0/24", { via: "192.168.64.6", table: 100 });
    expect(planWith({ routes: [same], rules: toTable100 }).conflicts).toEqual([]);
  });

  it("another gateway, or another device, takes the block", () => {
    const otherGateway = foreignRoute("10.244.2.0/24", { via: "192.168.64.7", table: 100 });
    const otherDevice = foreignRoute("10.244.2.0/24", {
      via: "192.168.64.6",
      dev: "docker0",
      table: 100,
    });
    for (const route of [otherGateway, otherDevice]) {
      expect(planWith({ routes: [route], rules: toTable100 }).conflicts.map((c) => c.key)).toEqual([
        "100/10.244.2.0/24/0",
      ]);
    }
  });
});
