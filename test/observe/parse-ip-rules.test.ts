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
      { priority: 300, from: "10.9.0.0/16", to: "0.0.0.0/0", selective: false },
      { priority: 32766, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 254 },
      { priority: 32767, from: "0.0.0.0/0", to: "0.0.0.0/0", selective: false, table: 253 },
    ]);
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
