import { describe, expect, test } from "vitest";
import type { Route } from "../../src/model/route.js";
import { parseIpRoutes } from "../../src/observe/parse-ip-routes.js";
import { readJsonFixture } from "./fixtures.js";

/** A main-table unicast route with the defaults ip -j leaves out. */
const route = (fields: Partial<Route> & { dst: string }): Route => ({
  table: 254,
  type: "unicast",
  metric: 0,
  onlink: false,
  scope: "global",
  protocol: 3,
  ...fields,
});

describe("parseIpRoutes", () => {
  test("reads every IPv4 route of every table of the assorted fixture", () => {
    expect(parseIpRoutes(readJsonFixture("kernel/assorted/route.json"))).toEqual([
      route({ dst: "203.0.113.0/24", table: 100, via: "192.0.2.1", dev: "eth0", protocol: 77 }),
      route({ dst: "0.0.0.0/0", via: "192.0.2.1", dev: "eth0", protocol: 3 }),
      route({ dst: "10.1.1.0/24", dev: "cni0", prefsrc: "10.1.1.1", scope: "link", protocol: 2 }),
      route({ dst: "10.1.1.0/24", type: "blackhole", metric: 1024, protocol: 77 }),
      route({ dst: "10.1.1.2/32", dev: "vethred", scope: "link", protocol: 77 }),
      route({ dst: "10.1.2.0/24", via: "192.0.2.6", dev: "eth0", protocol: 77 }),
      route({ dst: "10.1.3.0/24", via: "10.1.3.0", dev: "flannel.1", onlink: true, protocol: 77 }),
      route({ dst: "10.1.4.0/24", via: "192.0.2.8", dev: "eth0", protocol: 12 }),
      route({ dst: "192.0.2.0/24", dev: "eth0", prefsrc: "192.0.2.5", scope: "link", protocol: 2 }),
      route({ dst: "198.51.100.0/24", via: "192.0.2.1", dev: "eth0", protocol: 4 }),
      ...[
        { type: "local", dst: "10.1.1.0/32", dev: "flannel.1", prefsrc: "10.1.1.0" },
        { type: "local", dst: "10.1.1.1/32", dev: "cni0", prefsrc: "10.1.1.1" },
        { type: "broadcast", dst: "10.1.1.255/32", dev: "cni0", prefsrc: "10.1.1.1" },
        { type: "local", dst: "127.0.0.0/8", dev: "lo", prefsrc: "127.0.0.1" },
        { type: "local", dst: "127.0.0.1/32", dev: "lo", prefsrc: "127.0.0.1" },
        { type: "broadcast", dst: "127.255.255.255/32", dev: "lo", prefsrc: "127.0.0.1" },
        { type: "local", dst: "192.0.2.5/32", dev: "eth0", prefsrc: "192.0.2.5" },
        { type: "broadcast", dst: "192.0.2.255/32", dev: "eth0", prefsrc: "192.0.2.5" },
      ].map((local) =>
        route({
          table: 255,
          protocol: 2,
          scope: local.type === "local" ? "host" : "link",
          ...(local as Partial<Route>),
          dst: local.dst,
        }),
      ),
    ]);
  });

  test("foreign routes as a real host has them: dhcp, unspec, zebra, bird in table 100", () => {
    expect(parseIpRoutes(readJsonFixture("kernel/foreign-routes/route.json"))).toEqual([
      route({ dst: "203.0.113.0/24", table: 100, via: "192.0.2.9", dev: "eth0", protocol: 12 }),
      route({ dst: "0.0.0.0/0", via: "192.0.2.1", dev: "eth0", metric: 100, protocol: 16 }),
      route({ dst: "10.9.0.0/24", via: "192.0.2.9", dev: "eth0", metric: 5, protocol: 11 }),
      route({ dst: "192.0.2.0/24", dev: "eth0", prefsrc: "192.0.2.5", scope: "link", protocol: 2 }),
      route({ dst: "198.51.100.0/24", dev: "eth0", scope: "link", protocol: 0 }),
      ...[
        // 192.0.2.77 is a secondary address: its routes name the primary as source.
        { type: "local", dst: "192.0.2.5/32", scope: "host", prefsrc: "192.0.2.5" },
        { type: "local", dst: "192.0.2.77/32", scope: "host", prefsrc: "192.0.2.5" },
        { type: "broadcast", dst: "192.0.2.255/32", scope: "link", prefsrc: "192.0.2.5" },
      ].map((local) =>
        route({
          table: 255,
          protocol: 2,
          dev: "eth0",
          ...(local as Partial<Route>),
          dst: local.dst,
        }),
      ),
    ]);
  });

  describe("normalisation", () => {
    test("default is 0.0.0.0/0 and a bare address is a /32", () => {
      expect(
        parseIpRoutes([
          { dst: "default", gateway: "192.0.2.1", dev: "eth0", flags: [] },
          { dst: "192.0.2.9", dev: "eth0", scope: "link", flags: [] },
        ]).map((r) => r.dst),
      ).toEqual(["0.0.0.0/0", "192.0.2.9/32"]);
    });

    test("a route without protocol is boot (3); names and numeric strings are numbers", () => {
      expect(
        parseIpRoutes([
          { dst: "10.1.2.0/24", dev: "eth0", flags: [] },
          { dst: "10.1.3.0/24", dev: "eth0", protocol: "77", flags: [] },
          { dst: "10.1.4.0/24", dev: "eth0", protocol: "bird", flags: [] },
          { dst: "10.1.5.0/24", dev: "eth0", protocol: "kernel", flags: [] },
          { dst: "10.1.6.0/24", dev: "eth0", protocol: 80, flags: [] },
        ]).map((r) => r.protocol),
      ).toEqual([3, 77, 12, 2, 80]);
    });

    test("tables: absent is main, names and numeric strings are numbers", () => {
      expect(
        parseIpRoutes([
          { dst: "10.1.2.0/24", dev: "eth0", flags: [] },
          { dst: "10.1.3.0/24", dev: "eth0", table: "main", flags: [] },
          { dst: "10.1.4.0/24", dev: "eth0", table: "local", flags: [] },
          { dst: "10.1.5.0/24", dev: "eth0", table: "default", flags: [] },
          { dst: "10.1.6.0/24", dev: "eth0", table: "100", flags: [] },
        ]).map((r) => r.table),
      ).toEqual([254, 254, 255, 253, 100]);
    });

    test("blackhole keeps its metric, has no dev, and onlink comes from flags", () => {
      expect(
        parseIpRoutes([
          { type: "blackhole", dst: "10.1.1.0/24", protocol: "77", metric: 1024, flags: [] },
          {
            dst: "10.1.3.0/24",
            gateway: "10.1.3.0",
            dev: "flannel.1",
            protocol: "77",
            flags: ["onlink"],
          },
        ]),
      ).toEqual([
        route({ dst: "10.1.1.0/24", type: "blackhole", metric: 1024, protocol: 77 }),
        route({
          dst: "10.1.3.0/24",
          via: "10.1.3.0",
          dev: "flannel.1",
          onlink: true,
          protocol: 77,
        }),
      ]);
    });

    test("IPv6 routes are skipped", () => {
      expect(
        parseIpRoutes([
          { dst: "fe80::/64", dev: "eth0", protocol: "kernel", metric: 256, flags: [] },
          { type: "multicast", dst: "ff00::/8", dev: "eth0", table: "local", flags: [] },
        ]),
      ).toEqual([]);
    });
  });

  test("a protocol or table name only the host knows is kept as printed, never an error", () => {
    // As iproute2 6.1 prints them: proto 0 is "unspec", rt_tables and rt_protos entries by name.
    expect(
      parseIpRoutes([
        { dst: "198.51.100.0/24", dev: "eth0", protocol: "unspec", scope: "link", flags: [] },
        { dst: "198.51.100.0/24", dev: "eth0", table: "vpn", protocol: "nhrp", flags: [] },
        { dst: "203.0.113.0/24", dev: "eth0", table: "100", protocol: "zebra", flags: [] },
      ]).map((r) => [r.table, r.protocol]),
    ).toEqual([
      [254, 0],
      ["vpn", "nhrp"],
      [100, 11],
    ]);
  });

  test("a malformed entry is an error naming the entry", () => {
    expect(() => parseIpRoutes([{ dst: "10.1.2.0/24", type: "nat", flags: [] }])).toThrow(
      'ip -j route show table all: entry 0: "type" is "nat", expected one of unicast, blackhole',
    );
    expect(() => parseIpRoutes([{ dev: "eth0" }])).toThrow(
      'ip -j route show table all: entry 0: "dst" must be a string, found nothing',
    );
  });
});
