import { describe, expect, it } from "vitest";
import { parseIpRouteCache } from "../../src/observe/parse-ip-route-cache.js";
import { readJsonFixture } from "./fixtures.js";

// Recorded by scripts/record-route-cache-fixtures.sh: a workload's stale exceptions of both
// families, and its listing once they were flushed and the peer reached at full size.

describe("parseIpRouteCache", () => {
  it("reads the path-MTU exceptions of both families from one listing, without the expiry", () => {
    expect(parseIpRouteCache(readJsonFixture("kernel/route-cache/stale.json"))).toEqual([
      { dst: "10.6.2.2", mtu: 1400, dev: "eth0", via: "10.6.1.1" },
      { dst: "fd00:10:6:2::2", mtu: 1400, dev: "eth0", via: "fd00:10:6:1::1" },
    ]);
  });

  it("leaves out what IPv4 lists after a flush: a destination with no MTU learnt", () => {
    expect(parseIpRouteCache(readJsonFixture("kernel/route-cache/after-flush.json"))).toEqual([]);
  });

  it("names the command and the entry when a field has the wrong type", () => {
    expect(() => parseIpRouteCache([{ dst: "10.6.2.2", metrics: [{ mtu: "1400" }] }])).toThrow(
      'ip -j route show table all cache: entry 0: metrics[0]: "mtu" must be a number, found "1400"',
    );
  });
});
