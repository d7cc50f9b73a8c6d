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
    // Every host has a failing path: c could not be asked, and b's blue did not reach c's green.
    expect([...marks.hosts].sort()).toEqual([
      ["a", "failing"],
      ["b", "failing"],
      ["c", "failing"],
    ]);
    expect([...marks.pairs].sort()).toEqual([
      ["a b", "reachable"],
      ["a c", "failing"],
      ["b c", "failing"],
    ]);
  });

  it("marks every host of a converged cluster reachable, also hosts with one workload", () => {
    // graph --live on a converged lab marked only the host with two workloads (node-1) before.
    const matrix: ReachabilityMatrix = {
      endpoints: [red, pink, blue, green],
      hosts: [
        {
          host: "a",
          status: "checked",
          paths: [red, pink].flatMap((from) =>
            [red, pink, blue, green].filter((to) => to !== from).map((to) => path(from, to, true)),
          ),
        },
        {
          host: "b",
          status: "checked",
          paths: [red, pink, green].map((to) => path(blue, to, true)),
        },
        {
          host: "c",
          status: "checked",
          paths: [red, pink, blue].map((to) => path(green, to, true)),
        },
      ],
    };
    const marks = markReachability(matrix);
    expect([...marks.hosts].sort()).toEqual([
      ["a", "reachable"],
      ["b", "reachable"],
      ["c", "reachable"],
    ]);
    expect([...marks.pairs.values()]).toEqual(["reachable", "reachable", "reachable"]);
  });
});
