import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { parseMermaid } from "../graph/check-syntax.js";
import { expectExit, useLabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// `netplan-k graph --live` on a real lab: two segments joined by a router, vxlan with
// directRouting, so the pairs take both kinds of path. After apply every pair is green; with
// one host's route to a peer's block deleted by hand, that pair (and only it) turns red and
// the command exits 1, as verify does.

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "xe-graph-live",
  cluster: {
    cidr: "10.47.0.0/16",
    mode: "vxlan",
    attach: "routed",
    vxlan: { directRouting: true },
  },
  hosts: [
    { ...labHost("a-1", "192.0.2.41/24", "web"), podCidr: "10.47.1.0/24" },
    { ...labHost("a-2", "192.0.2.42/24", "api"), podCidr: "10.47.2.0/24" },
    { ...labHost("b-1", "198.51.100.41/24", "db"), podCidr: "10.47.3.0/24" },
  ],
  lab: {
    prefix: "xegl",
    sshd: false,
    routers: [{ name: "r1", legs: ["192.0.2.1/24", "198.51.100.1/24"] }],
  },
};

describe("graph --live", () => {
  const lab = useLabScenario(topology);

  it("colours every pair green on a converged lab", async () => {
    expectExit(await lab.cli(["lab", "up"]), 0);
    expectExit(await lab.cli(["apply"], ["--auto-approve"]), 0);
    const run = await lab.cli(["graph"], ["--live"]);
    expectExit(run, 0);
    expect(run.stdout).toContain('h0 ---|"direct (reachable)"| h1');
    expect(run.stdout).toContain('h0 -.-|"vxlan (reachable)"| h2');
    expect(run.stdout).toContain('h1 -.-|"vxlan (reachable)"| h2');
    expect(run.stdout).toContain("linkStyle 2,3,4 stroke:#2e7d32");
    await parseMermaid(run.stdout);
  }, 120_000);

  it("colours the pair whose route is gone red, and exits 1", async () => {
    await lab.inHostOk("b-1", ["ip", "route", "del", "10.47.1.0/24"]);
    const run = await lab.cli(["graph"], ["--live", "-o", "dot"]);
    expectExit(run, 1);
    expect(run.stdout).toContain(
      'h0 -- h2 [label="vxlan (failing)", style=dashed, color="#c62828"',
    );
    expect(run.stdout).toContain('h0 -- h1 [label="direct (reachable)"');
    expect(run.stdout).toContain('h1 -- h2 [label="vxlan (reachable)"');
  }, 120_000);
});
