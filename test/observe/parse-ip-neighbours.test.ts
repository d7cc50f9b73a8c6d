import { describe, expect, test } from "vitest";
import { neighbourKey } from "../../src/model/neighbour.js";
import { parseIpNeighbours } from "../../src/observe/parse-ip-neighbours.js";
import { readJsonFixture } from "./fixtures.js";

describe("parseIpNeighbours", () => {
  test("reads permanent and non-permanent neighbours of the assorted fixture", () => {
    // The kernel lists neighbours in hash order, which differs from one recording to the next.
    const neighbours = parseIpNeighbours(readJsonFixture("kernel/assorted/neigh.json"));
    expect(neighbours.sort((a, b) => neighbourKey(a).localeCompare(neighbourKey(b)))).toEqual([
      { dev: "eth0", dst: "192.0.2.6", lladdr: "02:00:00:00:00:06", permanent: true },
      { dev: "eth0", dst: "192.0.2.7", lladdr: "02:00:00:00:00:07", permanent: false },
      { dev: "flannel.1", dst: "10.1.3.0", lladdr: "0e:00:00:00:00:03", permanent: true },
    ]);
  });

  test("skips the kernel's IPv6 entries and keeps an unresolved entry without lladdr", () => {
    expect(
      parseIpNeighbours([
        { dst: "fe80::1", dev: "eth0", lladdr: "02:00:00:00:00:01", state: ["REACHABLE"] },
        { dst: "ff02::16", dev: "eth0", lladdr: "33:33:00:00:00:16", state: ["NOARP"] },
        { dst: "192.0.2.9", dev: "eth0", state: ["FAILED"] },
      ]),
    ).toEqual([{ dev: "eth0", dst: "192.0.2.9", permanent: false }]);
  });

  test("keeps a link-local entry pinned by hand: the kernel never pins one", () => {
    expect(
      parseIpNeighbours([
        { dst: "fe80::1", dev: "eth0", lladdr: "02:00:00:00:00:01", state: ["PERMANENT"] },
      ]),
    ).toEqual([{ dev: "eth0", dst: "fe80::1", lladdr: "02:00:00:00:00:01", permanent: true }]);
  });

  test("a state that is not an array of strings is an error", () => {
    expect(() => parseIpNeighbours([{ dst: "192.0.2.9", dev: "eth0", state: "STALE" }])).toThrow(
      'ip -j neigh show nud all: entry 0: "state" must be an array, found "STALE"',
    );
  });
});
