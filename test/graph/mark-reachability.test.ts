import { describe, expect, it } from "vitest";
import { markReachability } from "../../src/graph/index.js";
import type { Endpoint, ReachabilityMatrix, ReachabilityPath } from "../../src/verify/index.js";

const red: Endpoint = { host: "a", workload: "red", ip: "10.0.1.2" };
const pink: Endpoint = { host: "a", workload: "pink", ip: "10.0.1.3" };
const blue: Endpoint = { host: "b", workload: "blue", ip: "10.0.2.2" };
const green: Endpoint = { host: "c", workload: "green", ip: "10.0.3.2" };

const path = (from: Endpoint, to: Endpoint, ok: boolean): ReachabilityPath => ({
  from,
  to,
  ok,
  sent: 3,
  received: ok ? 3 : 0,
  errors: 0,
});

describe("markReachability", () => {
  it("marks a pair reachable only when every path both ways answered", () => {
    const matrix: ReachabilityMatrix = {
      endpoints: [red, pink, blue, green],
      hosts: [
        {
          host: "a",
          status: "checked",
          paths: [
            path(red, pink, true),
            path(pink, red, true),
            path(red, blue, true),
            path(pink, blue, true),
            path(red, green, true),
            path(pink, green, true),
          ],
        },
        {
          host: "b",
          status: "checked",
          paths: [path(blue, red, true), path(blue, pink, true), path(blue, green, false)],
        },
        { host: "c", status: "failed", reason: "unreachable" },
      ],
    };
    const marks = markReachability(matrix);
    expect([...marks.hosts]).toEqual([["a", "reachable"]]);
    expect([...marks.pairs].sort()).toEqual([
      ["a b", "reachable"],
      ["a c", "failing"],
      ["b c", "failing"],
    ]);
  });
});
