import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labStatus, labUp, type LabSpec, type LabStatus } from "../../src/lab/index.js";
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
const prefix = "nkfx-l1";
const options = { stateDir: "/run/nkfx-l1-state", mntnsDir: "/run/nkfx-l1-mntns" };
const spec: LabSpec = { prefix, sshd: true, routers: [], guests: [] };
const topology = labTopology(
  [labHost("a", "192.0.2.11"), labHost("b", "192.0.2.12"), labHost("c", "192.0.2.13")],
  1400,
);
const ns = (host: string): string => `${prefix}-${host}`;

describe("lab on one segment, with sshd", () => {
  let rootBefore = "";
  let first: LabStatus;
  const events: string[] = [];

  beforeAll(async () => {
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    rootBefore = rootNetworkSnapshot();
    first = await labUp(topology, spec, { ...options, onEvent: (e) => events.push(e) });
  }, 30_000);

  afterAll(async () => {
    await labDown(prefix, options);
  }, 30_000);

  it("builds every namespace and reports the lab ready", () => {
    expect(events).toEqual(["fabric", "controller", "host a", "host b", "host c"]);
    expect(first.ready).toBe(true);
    expect(first.hosts.map((h) => [h.name, h.exists, h.published, h.sshd])).toEqual([
      ["a", true, true, "answering"],
      ["b", true, true, "answering"],
      ["c", true, true, "answering"],
    ]);
    expect(namespacesWithPrefix(prefix).sort()).toEqual(
      [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`, `${prefix}-ctl`, `${prefix}-fabric`].sort(),
    );
  });

  it("gives eth0 the underlay address and the cluster MTU", () => {
    const [link] = JSON.parse(
      inHost(ns("b"), options.mntnsDir, ["ip", "-j", "-4", "addr", "show", "dev", "eth0"]),
    );
    expect(link.mtu).toBe(1400);
    expect(link.operstate).toBe("UP");
    expect(
      link.addr_info.map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`),
    ).toEqual(["192.0.2.12/24"]);
  });

  it("carries packets between every pair of hosts", () => {
    for (const [from, to] of [
      ["a", "192.0.2.12"],
      ["b", "192.0.2.13"],
      ["c", "192.0.2.11"],
    ] as const) {
      expect(inHost(ns(from), options.mntnsDir, ["ping", "-c", "1", "-W", "2", to])).toContain(
        "1 received",
      );
    }
  });

  it("gives every host its own /run/netns and hostname", () => {
    inHost(ns("a"), options.mntnsDir, ["ip", "netns", "add", "red"]);
    expect(inHost(ns("a"), options.mntnsDir, ["ip", "netns", "list"])).toContain("red");
    expect(inHost(ns("b"), options.mntnsDir, ["ip", "netns", "list"])).not.toContain("red");
    expect(
      run(["ip", "netns", "list"])
        .split("\n")
        .map((l) => l.split(" ")[0]),
    ).not.toContain("red");
    // The same workload name on a second host must not collide (LAB-NOTES: "File exists").
    inHost(ns("b"), options.mntnsDir, ["ip", "netns", "add", "red"]);
    const anchor = first.hosts[2]?.anchorPid ?? 0;
    expect(run(["nsenter", "-t", String(anchor), "--uts", "--", "hostname"]).trim()).toBe("c");
  });

  it("is harmless when run twice: same anchors, same sshds, same links", async () => {
    const linksBefore = inHost(ns("a"), options.mntnsDir, [
      "ip",
      "-j",
      "link",
      "show",
      "dev",
      "eth0",
    ]);
    const second = await labUp(topology, spec, options);
    expect(second).toEqual(first);
    expect(inHost(ns("a"), options.mntnsDir, ["ip", "-j", "link", "show", "dev", "eth0"])).toBe(
      linksBefore,
    );
    const status = await labStatus(topology, spec, options);
    expect(status.hosts.map((h) => h.anchorPid)).toEqual(first.hosts.map((h) => h.anchorPid));
  }, 20_000);

  it("answers ssh on every host through the generated ssh_config", () => {
    for (const host of ["a", "b", "c", "192.0.2.13"]) {
      const output = run([
        "ssh",
        "-F",
        `${options.stateDir}/ssh_config`,
        "-o",
        "ConnectTimeout=5",
        host,
        "hostname; ip netns list",
      ]);
      const expected = host === "192.0.2.13" ? "c" : host;
      expect(output.split("\n")[0]).toBe(expected);
      // Sessions live in the host's mount namespace: they see its workloads.
      expect(output.includes("red")).toBe(expected !== "c");
    }
  });

  it("leaves nothing behind on lab down, twice, and never touched the root namespace", async () => {
    const pids = (await labStatus(topology, spec, options)).hosts.map((h) => h.anchorPid ?? 0);
    const sshdPids = ["a", "b", "c"].map((h) =>
      Number(run(["cat", `${options.stateDir}/hosts/${h}/sshd.pid`]).trim()),
    );
    expect(pids.every((pid) => pid > 0 && isAlive(pid))).toBe(true);
    await labDown(prefix, options);
    await labDown(prefix, options);
    expect(namespacesWithPrefix(prefix)).toEqual([]);
    expect([...pids, ...sshdPids].filter(isAlive)).toEqual([]);
    expect(mountsUnder(options.mntnsDir)).toEqual([]);
    expect(existsSync(options.mntnsDir)).toBe(false);
    expect(existsSync(options.stateDir)).toBe(false);
    expect(rootNetworkSnapshot()).toBe(rootBefore);
    const status = await labStatus(topology, spec, options);
    expect(status.ready).toBe(false);
    expect(status.fabric.exists).toBe(false);
  }, 20_000);
});
