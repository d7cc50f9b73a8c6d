import { describe, expect, test } from "vitest";
import { parseIpRules } from "../../src/observe/parse-ip-rules.js";
import { readJsonFixture } from "./fixtures.js";

describe("parseIpRules", () => {
  test("reads every rule of the foreign-routes fixture, selectors as CIDR, tables as numbers", () => {
    expect(parseIpRules(readJsonFixture("kernel/foreign-routes/rule.json"))).toEqual([
      { priority: 0, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 255 },
      // fwmark is not kept, only that the rule selects by something more.
      { priority: 99, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: true, table: 254 },
      { priority: 100, from: "0.0.0.0/0", to: "10.9.0.0/16", selective: false, table: 100 },
      { priority: 200, from: "192.0.2.5/32", to: "0.0.0.0/0", selective: false, table: 101 },
      {
        priority: 300,
        from: "10.9.0.0/16",
        to: "0.0.0.0/0",
        selective: false,
        action: "blackhole",
      },
      { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 254 },
      { priority: 32767, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 253 },
    ]);
  });

  test("reads every action of the rule-actions fixture: blackhole, unreachable, prohibit, goto, nop, suppress_prefixlength", () => {
    const everywhere = { from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false };
    expect(parseIpRules(readJsonFixture("kernel/rule-actions/rule.json"))).toEqual([
      { priority: 0, ...everywhere, table: 255 },
      { priority: 100, ...everywhere, to: "10.244.1.0/24", action: "prohibit" },
      { priority: 101, ...everywhere, to: "10.244.2.0/24", action: "blackhole" },
      { priority: 102, ...everywhere, from: "10.244.3.0/24", action: "unreachable" },
      { priority: 103, ...everywhere, to: "10.244.0.0/16", action: "goto", goto: 200 },
      { priority: 104, ...everywhere, action: "nop" },
      // No rule has priority 400: iproute2 adds "unresolved", which is no selector.
      { priority: 105, ...everywhere, action: "goto", goto: 400 },
      { priority: 200, ...everywhere, table: 254, suppressPrefixLength: 24 },
      { priority: 201, ...everywhere, selective: true, table: 100 },
      { priority: 202, ...everywhere, selective: true, table: 100 },
      { priority: 203, ...everywhere, selective: true, table: 100 },
      // `not from 10.0.0.0/8`: inverted, so it may match anything.
      { priority: 204, ...everywhere, selective: true, table: 100 },
      // l3mdev: a VRF's table, chosen per device; no table named, no action.
      { priority: 205, ...everywhere, selective: true },
      { priority: 206, ...everywhere, table: 100, suppressPrefixLength: 0 },
      { priority: 207, ...everywhere, selective: true, table: 100 },
      { priority: 32766, ...everywhere, table: 254 },
      { priority: 32767, ...everywhere, table: 253 },
    ]);
  });

  test("an action netplan-k does not know is an error naming the entry", () => {
    expect(() => parseIpRules([{ priority: 5, src: "all", action: "17" }])).toThrow(
      'ip -j rule show: entry 0: "action" is "17", expected one of blackhole, unreachable, prohibit',
    );
  });

  test("a table name only the host's rt_tables knows is kept as printed", () => {
    expect(parseIpRules([{ priority: 1000, src: "all", table: "vpn" }])).toEqual([
      { priority: 1000, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: "vpn" },
    ]);
  });

  test("a malformed entry is an error naming the command and the entry", () => {
    expect(() => parseIpRules([{ priority: 0, src: 5 }])).toThrow(
      'ip -j rule show: entry 0: "src" must be a string, found 5',
    );
  });
});
