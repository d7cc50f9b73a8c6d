import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUp, type LabSpec, type LabStatus } from "../../src/lab/index.js";
import {
  inHost,
  isAlive,
  labHost,
  labTopology,
  mountsUnder,
  namespacesWithPrefix,
  rootNetworkSnapshot,
  run,
} from "./lab-fixture.js";

// Names unique to this file: vitest runs test files in parallel.
const prefix = "nkfx-l2";
const options = { stateDir: "/tmp/nkfx-l2-state", mntnsDir: "/run/nkfx-l2-mntns" };
const spec: LabSpec = {
  prefix,
  sshd: true,
  routers: [{ name: "gw", legs: ["198.51.100.1/24", "203.0.113.1/24"] }],
  guests: [],
};
const topology = labTopology([
  labHost("west-1", "198.51.100.11"),
  labHost("west-2", "198.51.100.12"),
  labHost("east-1", "203.0.113.21"),
]);
const ns = (host: string): string => `${prefix}-${host}`;

describe("lab on two segments joined by a router", () => {
  let rootBefore = "";
  let status: LabStatus;

  beforeAll(async () => {
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    rootBefore = rootNetworkSnapshot();
    status = await labUp(topology, spec, options);
  }, 30_000);

  afterAll(async () => {
    await labDown(prefix, options);
  }, 30_000);

  it("builds the router and one bridge per segment", () => {
    expect(status.ready).toBe(true);
    expect(status.routers).toEqual([{ name: "gw", namespace: `${prefix}-r-gw`, exists: true }]);
    const bridges = JSON.parse(
      run(["ip", "-n", `${prefix}-fabric`, "-j", "link", "show", "type", "bridge"]),
    );
    expect(bridges.map((b: { ifname: string }) => b.ifname).sort()).toEqual([
      "br-c6336400-24",
      "br-cb007100-24",
    ]);
    expect(
      run(["ip", "netns", "exec", `${prefix}-r-gw`, "sysctl", "-n", "net.ipv4.ip_forward"]).trim(),
    ).toBe("1");
  });

  it("routes each host to the other segment through the router leg on its own", () => {
    const routes = JSON.parse(
      inHost(ns("east-1"), options.mntnsDir, ["ip", "-j", "route", "show", "203.0.113.0/24"]),
    );
    expect(routes).toHaveLength(1);
    const toWest = JSON.parse(
      inHost(ns("east-1"), options.mntnsDir, ["ip", "-j", "route", "show", "198.51.100.0/24"]),
    );
    expect(toWest).toEqual([
      expect.objectContaining({ dst: "198.51.100.0/24", gateway: "203.0.113.1", dev: "eth0" }),
    ]);
  });

  it("carries packets within a segment and across the router", () => {
    expect(
      inHost(ns("west-1"), options.mntnsDir, ["ping", "-c", "1", "-W", "2", "198.51.100.12"]),
    ).toContain("1 received");
    expect(
      inHost(ns("west-1"), options.mntnsDir, ["ping", "-c", "1", "-W", "2", "203.0.113.21"]),
    ).toContain("1 received");
    const trace = inHost(ns("east-1"), options.mntnsDir, [
      "ping",
      "-c",
      "1",
      "-W",
      "2",
      "198.51.100.12",
    ]);
    // One hop through the router: the reply's TTL is one less than the sender's 64.
    expect(trace).toMatch(/ttl=63/);
  });

  it("reaches every host over ssh, across the router too", () => {
    for (const host of ["west-1", "west-2", "east-1"]) {
      expect(run(["ssh", "-F", `${options.stateDir}/ssh_config`, host, "hostname"]).trim()).toBe(
        host,
      );
    }
  });

  it("leaves nothing behind on lab down and never touched the root namespace", async () => {
    const pids = status.hosts.map((h) => h.anchorPid ?? 0);
    await labDown(prefix, options);
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(mountsUnder(options.mntnsDir)).toEqual([]);
    expect(existsSync(options.stateDir)).toBe(false);
    expect(rootNetworkSnapshot()).toBe(rootBefore);
  }, 20_000);
});
