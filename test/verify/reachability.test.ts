import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/transport/transport-error.js";
import type { Transport } from "../../src/transport/transport.js";
import {
  checkReachability,
  isFullyReachable,
  summarizeReachability,
  VerifyError,
} from "../../src/verify/index.js";
import { buildTopology } from "../modes/topology-fixture.js";
import { answerPings, fakeTransport } from "./fake-transport.js";

// The same workload name on two hosts is fine: each host has its own namespaces.
const topology = buildTopology({
  mode: "host-gw",
  hosts: [
    {
      name: "a",
      ip: "192.168.64.1",
      podCidr: "10.244.1.0/24",
      workloads: [
        ["red", "10.244.1.2"],
        ["blue", "10.244.1.3"],
      ],
    },
    { name: "b", ip: "192.168.64.2", podCidr: "10.244.2.0/24", workloads: [["red", "10.244.2.2"]] },
    { name: "c", ip: "192.168.64.3", podCidr: "10.244.3.0/24" },
  ],
});

const answering = (
  host: string,
  reachable: (from: string, to: string, size?: number) => boolean = () => true,
) =>
  fakeTransport(host, (_argv, options) => ({
    exitCode: 0,
    stdout: answerPings(options.stdin ?? "", reachable),
    stderr: "",
  }));

const untouchable = (host: string) =>
  fakeTransport(host, () => {
    throw new Error(`${host} must not be contacted`);
  });

const transportsOf = (...transports: Transport[]) =>
  new Map(transports.map((transport) => [transport.host, transport]));

describe("checkReachability", () => {
  it("pings every other workload, on its own host and on others, one round trip per host", async () => {
    const a = answering("a");
    const b = answering("b");
    const matrix = await checkReachability({
      topology,
      transports: transportsOf(a, b, untouchable("c")),
      count: 2,
      timeoutSeconds: 1,
    });
    expect(matrix.endpoints).toEqual([
      { host: "a", workload: "red", ip: "10.244.1.2" },
      { host: "a", workload: "blue", ip: "10.244.1.3" },
      { host: "b", workload: "red", ip: "10.244.2.2" },
    ]);
    expect(a.runs).toHaveLength(1);
    expect(a.runs[0]?.argv).toEqual(["sh", "-s"]);
    // Two batches? No: 8 pings fit one; ping -c 2 -W 1 takes 2 s at worst, plus 10 s slack.
    expect(a.runs[0]?.options.timeoutMs).toBe(13_000);
    // Per pair a default ping, then a full-size one: host-gw's MTU 1500 less 28 bytes.
    expect(a.runs[0]?.options.stdin?.match(/^ {2}nk_ping .*$/gm)).toEqual([
      "  nk_ping 0 red 10.244.1.3 &",
      "  nk_ping 1 red 10.244.1.3 1472 &",
      "  nk_ping 2 red 10.244.2.2 &",
      "  nk_ping 3 red 10.244.2.2 1472 &",
      "  nk_ping 4 blue 10.244.1.2 &",
      "  nk_ping 5 blue 10.244.1.2 1472 &",
      "  nk_ping 6 blue 10.244.2.2 &",
      "  nk_ping 7 blue 10.244.2.2 1472 &",
    ]);
    expect(a.runs[0]?.options.stdin).toContain('ping -c 2 -i 0.2 -W 1 -q $nk_size "$3"');
    expect(b.runs[0]?.options.stdin?.match(/^ {2}nk_ping .*$/gm)).toEqual([
      "  nk_ping 0 red 10.244.1.2 &",
      "  nk_ping 1 red 10.244.1.2 1472 &",
      "  nk_ping 2 red 10.244.1.3 &",
      "  nk_ping 3 red 10.244.1.3 1472 &",
    ]);
    expect(matrix.hosts.map((host) => [host.host, host.status])).toEqual([
      ["a", "checked"],
      ["b", "checked"],
      ["c", "checked"],
    ]);
    const first = matrix.hosts[0];
    expect(first?.status === "checked" && first.paths[0]).toEqual({
      from: { host: "a", workload: "red", ip: "10.244.1.2" },
      to: { host: "a", workload: "blue", ip: "10.244.1.3" },
      ok: true,
      sent: 2,
      received: 2,
      errors: 0,
      rttAvgMs: 0.05,
    });
    expect(summarizeReachability(matrix)).toMatchObject({ total: 6, reachable: 6, failing: [] });
    expect(isFullyReachable(matrix)).toBe(true);
  });

  it("reports exactly the failing pairs, with ping's statistics as the reason", async () => {
    const matrix = await checkReachability({
      topology,
      transports: transportsOf(
        answering("a", (from, to) => !(from === "blue" && to === "10.244.2.2")),
        answering("b"),
      ),
      count: 2,
      timeoutSeconds: 1,
    });
    const summary = summarizeReachability(matrix);
    expect(summary.reachable).toBe(5);
    expect(summary.failing).toEqual([
      {
        from: { host: "a", workload: "blue", ip: "10.244.1.3" },
        to: { host: "b", workload: "red", ip: "10.244.2.2" },
        ok: false,
        sent: 2,
        received: 0,
        errors: 0,
        reason: "2 sent, 0 received: no reply within 1 s",
      },
    ]);
    expect(isFullyReachable(matrix)).toBe(false);
  });

  it("records a host that cannot be asked in its row and still fills the others", async () => {
    const b = fakeTransport("b", () => {
      throw new TransportError("transport.unreachable", "b", "cannot reach 192.168.64.2 over ssh");
    });
    const matrix = await checkReachability({
      topology,
      transports: transportsOf(answering("a"), b),
    });
    expect(matrix.hosts[1]).toEqual({
      host: "b",
      status: "failed",
      reason: "b: cannot reach 192.168.64.2 over ssh",
    });
    expect(matrix.hosts[0]?.status).toBe("checked");
    const summary = summarizeReachability(matrix);
    expect([summary.total, summary.reachable, summary.failing.length]).toEqual([6, 4, 0]);
    expect(summary.failedHosts.map((host) => host.host)).toEqual(["b"]);
    expect(isFullyReachable(matrix)).toBe(false);
  });

  it("turns a missing transport, a failed script and a garbled answer into host failures", async () => {
    const failing = fakeTransport("a", () => ({
      exitCode: 1,
      stdout: "",
      stderr: "mktemp: failed to create directory via template\n",
    }));
    const withoutB = await checkReachability({ topology, transports: transportsOf(failing) });
    expect(withoutB.hosts.slice(0, 2)).toEqual([
      {
        host: "a",
        status: "failed",
        reason: "a: the ping script exited 1: mktemp: failed to create directory via template",
      },
      { host: "b", status: "failed", reason: "b: no transport given" },
    ]);

    // b answers for a target it was not asked about.
    const garbled = fakeTransport("b", (_argv, options) => ({
      exitCode: 0,
      stdout: answerPings(options.stdin ?? "", () => true).replace(
        "section:ping:1\n",
        "section:ping:9\n",
      ),
      stderr: "",
    }));
    const truncated = fakeTransport("a", (_argv, options) => ({
      exitCode: 0,
      stdout: answerPings(options.stdin ?? "", () => true).replace("@@netplan-k:end\n", ""),
      stderr: "",
    }));
    const matrix = await checkReachability({
      topology,
      transports: transportsOf(truncated, garbled),
    });
    expect(matrix.hosts.slice(0, 2)).toEqual([
      {
        host: "a",
        status: "failed",
        reason: 'a: ping output is truncated (no "@@netplan-k:end" line); verify again',
      },
      {
        host: "b",
        status: "failed",
        reason:
          'b: the ping script\'s section 1 is "ping:9", not the one of the target sent (red → 10.244.1.2): "ping:1"',
      },
    ]);
  });

  it("refuses a workload name unfit for the script before contacting any host", async () => {
    const bad = buildTopology({
      mode: "host-gw",
      hosts: [
        {
          name: "a",
          ip: "192.168.64.1",
          podCidr: "10.244.1.0/24",
          workloads: [["red", "10.244.1.2"]],
        },
        {
          name: "b",
          ip: "192.168.64.2",
          podCidr: "10.244.2.0/24",
          workloads: [["x;id", "10.244.2.2"]],
        },
      ],
    });
    const check = checkReachability({
      topology: bad,
      transports: transportsOf(untouchable("a"), untouchable("b")),
    });
    await expect(check).rejects.toThrow(VerifyError);
    await expect(check).rejects.toThrow(/"x;id" is not a usable namespace name/);
  });

  it("probes at most `parallelism` hosts at once, and keeps topology order in the result", async () => {
    const hosts = Array.from({ length: 5 }, (_, i) => ({
      name: `h${i}`,
      ip: `192.168.64.${i + 1}`,
      podCidr: `10.244.${i + 1}.0/24`,
      workloads: [["w", `10.244.${i + 1}.2`]] as const,
    }));
    let running = 0;
    let most = 0;
    const slow = (host: string) =>
      fakeTransport(host, async (_argv, options) => {
        running += 1;
        most = Math.max(most, running);
        // Later hosts answer sooner: the result must still be in topology order.
        await new Promise((resolve) => setTimeout(resolve, 30 - Number(host.slice(1)) * 5));
        running -= 1;
        return { exitCode: 0, stdout: answerPings(options.stdin ?? "", () => true), stderr: "" };
      });
    const matrix = await checkReachability({
      topology: buildTopology({ mode: "host-gw", hosts }),
      transports: transportsOf(...hosts.map((host) => slow(host.name))),
      parallelism: 2,
    });
    expect(most).toBe(2);
    expect(matrix.hosts.map((host) => host.host)).toEqual(["h0", "h1", "h2", "h3", "h4"]);
    expect(summarizeReachability(matrix)).toMatchObject({ total: 20, reachable: 20 });
  });

  it("reports a pair whose small pings pass and full-size ones fail as mtu, with both sizes", async () => {
    const vxlan = { ...topology, cluster: { ...topology.cluster, mode: "vxlan" as const } };
    const matrix = await checkReachability({
      topology: vxlan,
      transports: transportsOf(
        // Only packets above 1400 bytes are lost between a/red and b/red.
        answering(
          "a",
          (from, to, size) => !(from === "red" && to === "10.244.2.2" && (size ?? 0) > 1400),
        ),
        answering("b"),
      ),
      count: 2,
      timeoutSeconds: 1,
    });
    const summary = summarizeReachability(matrix);
    expect(summary.reachable).toBe(5);
    expect(summary.failing).toEqual([
      {
        from: { host: "a", workload: "red", ip: "10.244.1.2" },
        to: { host: "b", workload: "red", ip: "10.244.2.2" },
        ok: false,
        sent: 2,
        received: 2,
        errors: 0,
        rttAvgMs: 0.05,
        mtu: { passedBytes: 56, failedBytes: 1422 },
        reason:
          "mtu: 56-byte pings pass, 1422-byte pings with don't-fragment fail (2 sent, 0 received: no reply within 1 s): a link on the path carries less than the overlay MTU 1450",
      },
    ]);
  });
});
