import { execa, type ResultPromise } from "execa";
import { expect } from "vitest";
import { DEFAULT_MNTNS_DIR } from "../../src/lab/lab-paths.js";
import type { LabScenario } from "../e2e/lab-scenario.js";

/**
 * Packets between workloads of a namespace lab: a continuous ping that runs while the
 * topology changes under it, a counted ping, a workload's address and a device's TX counter.
 * Every command enters the lab host the way the netns transport does (its network and its
 * private mount namespace, where the workload namespaces live), then `ip netns exec`.
 */

export interface PingCount {
  readonly transmitted: number;
  readonly received: number;
  /** From the first packet sent to the last, as ping reports it. */
  readonly elapsedMs: number;
}

export const packetsLost = (count: PingCount): number => count.transmitted - count.received;

/**
 * The outage the lost packets stand for: each lost packet is one real interval, which on a
 * busy machine is longer than the one asked for (measured: 10 ms asked, 12–16 ms seen).
 */
export function outageMs(count: PingCount): number {
  const interval = count.transmitted > 1 ? count.elapsedMs / (count.transmitted - 1) : 0;
  return Math.round(packetsLost(count) * interval);
}

/**
 * iputils' summary: "483 packets transmitted, 480 received, +3 errors, 0.6% packet loss,
 * time 7989ms".
 */
export function parsePingCount(output: string): PingCount {
  const match = /(\d+) packets transmitted, (\d+) received.*, time (\d+)ms/.exec(output);
  if (match === null) throw new Error(`no ping summary in:\n${output}`);
  return { transmitted: Number(match[1]), received: Number(match[2]), elapsedMs: Number(match[3]) };
}

const inWorkload = (
  scenario: LabScenario,
  host: string,
  workload: string,
  argv: readonly string[],
): string[] => {
  const namespace = `${scenario.prefix}-${host}`;
  return [
    "nsenter",
    `--net=/run/netns/${namespace}`,
    `--mount=${DEFAULT_MNTNS_DIR}/${namespace}`,
    "--",
    "ip",
    "netns",
    "exec",
    workload,
    ...argv,
  ];
};

/** The workload's own address: the IPv4 address on its eth0. */
export async function workloadAddress(
  scenario: LabScenario,
  host: string,
  workload: string,
): Promise<string> {
  const namespace = `${scenario.prefix}-${host}`;
  const listed = await scenario.inHostOk(host, [
    "ip",
    "netns",
    "exec",
    workload,
    "ip",
    "-j",
    "-4",
    "addr",
    "show",
    "dev",
    "eth0",
  ]);
  const links = JSON.parse(listed) as { addr_info?: { local?: string }[] }[];
  const address = links[0]?.addr_info?.[0]?.local;
  if (address === undefined) throw new Error(`${namespace}/${workload} has no address on eth0`);
  return address;
}

export interface RunningPing {
  /** Interrupts the ping (SIGINT, so it prints its summary) and returns the counts. */
  stop(): Promise<PingCount>;
}

/**
 * A ping every `intervalSeconds` from the workload to `address` until stopped. No -w: with a
 * deadline iputils stops at the first ICMP error ("+1 errors"), which would hide the rest of
 * an outage. `timeout` bounds it should the test die before stop, and forwards the SIGINT.
 */
export function startPing(
  scenario: LabScenario,
  host: string,
  workload: string,
  address: string,
  intervalSeconds: number,
  limitSeconds = 120,
): RunningPing {
  const [file = "", ...args] = inWorkload(scenario, host, workload, [
    "timeout",
    "-s",
    "INT",
    String(limitSeconds),
    "ping",
    "-q",
    "-n",
    "-i",
    String(intervalSeconds),
    address,
  ]);
  const child: ResultPromise = execa(file, args, { reject: false, stdin: "ignore", all: true });
  return {
    async stop() {
      child.kill("SIGINT");
      const result = await child;
      return parsePingCount(String(result.all ?? ""));
    },
  };
}

/** `count` pings 0.1 s apart, and what came back. */
export async function pingTimes(
  scenario: LabScenario,
  host: string,
  workload: string,
  address: string,
  count: number,
): Promise<PingCount> {
  const run = await scenario.inHost(host, [
    "ip",
    "netns",
    "exec",
    workload,
    "ping",
    "-q",
    "-n",
    "-c",
    String(count),
    "-i",
    "0.1",
    "-W",
    "1",
    address,
  ]);
  return parsePingCount(run.stdout);
}

/** The device's transmitted-packets counter in the lab host's own namespace. */
export async function txPackets(scenario: LabScenario, host: string, dev: string): Promise<number> {
  const listed = await scenario.inHostOk(host, ["ip", "-s", "-j", "link", "show", "dev", dev]);
  const links = JSON.parse(listed) as { stats64?: { tx?: { packets?: number } } }[];
  const packets = links[0]?.stats64?.tx?.packets;
  expect(packets, `${host}: no TX counter for ${dev} in ${listed}`).toBeTypeOf("number");
  return packets as number;
}
