import { workloadMtu } from "../modes/overlay-mtu.js";
import type { Topology } from "../topology/topology.js";
import { TransportError } from "../transport/transport-error.js";
import type { Transport } from "../transport/transport.js";
import pLimit from "p-limit";
import {
  DEFAULT_MAX_PARALLEL_PINGS,
  parsePingResults,
  renderPingScript,
  type PingResult,
  type PingTarget,
} from "./ping-script.js";
import { VerifyError } from "./verify-error.js";

/**
 * Proof with real packets that the network works: every workload pings every other workload,
 * on other hosts and on its own, twice at once: with ping's default 56 bytes, and with a
 * full-size packet (the workloads' MTU minus the IP and ICMP headers: 28 bytes for IPv4, 48 for IPv6) and
 * don't-fragment set, so that a link on the path with a smaller MTU shows as an `mtu`
 * failure instead of a working path that drops every large packet. One round trip per
 * source host (the ping script), source hosts in parallel with a limit. A host that cannot be asked fills its rows with the reason
 * instead of failing the whole check: the other rows still say what works.
 */

/** A workload, where it lives and its address: a row and a column of the matrix. */
export interface Endpoint {
  readonly host: string;
  readonly workload: string;
  readonly ip: string;
}

/** One checked path: `from` pinged `to`. */
export interface ReachabilityPath {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly ok: boolean;
  readonly sent: number;
  readonly received: number;
  /** ICMP errors that came back instead of replies (unreachable, prohibited). */
  readonly errors: number;
  readonly rttAvgMs?: number;
  /** Why the path failed, for humans: ping's own complaint or its statistics. */
  readonly reason?: string;
  /**
   * Set when only the full-size probe failed (an MTU on the path below the overlay's): the
   * payload sizes, in bytes, that passed and that did not.
   */
  readonly mtu?: { readonly passedBytes: number; readonly failedBytes: number };
}

/** Payload of ping's default probe (bytes). */
export const SMALL_PING_BYTES = 56;
/** IPv4 header (20) and ICMP echo header (8): a payload of MTU − 28 fills the MTU exactly. */
const IPV4_ICMP_HEADERS = 28;
/** IPv6 header (40) and ICMPv6 echo header (8). */
const IPV6_ICMP_HEADERS = 48;

/** The address family a matrix is pinged in: a dual-stack cluster has one matrix per family. */
export type AddressFamily = "ipv4" | "ipv6";

/** The rows of one source host: its paths, or why they could not be checked. */
export type SourceHostReachability =
  | {
      readonly host: string;
      readonly status: "checked";
      readonly paths: readonly ReachabilityPath[];
    }
  | { readonly host: string; readonly status: "failed"; readonly reason: string };

export interface ReachabilityMatrix {
  /** Every workload in topology order (hosts, then their workloads): rows and columns. */
  readonly endpoints: readonly Endpoint[];
  /** One entry per host, in topology order. */
  readonly hosts: readonly SourceHostReachability[];
  /** The family its addresses are of; absent in a matrix built before families (IPv4). */
  readonly family?: AddressFamily;
}

export interface ReachabilityInput {
  readonly topology: Topology;
  /** One transport per host name; a host without one is reported as failed. */
  readonly transports: ReadonlyMap<string, Transport>;
  /** Echo requests per path (default 3). */
  readonly count?: number;
  /** Seconds to wait for a reply (default 2). */
  readonly timeoutSeconds?: number;
  /** Source hosts probed at once (default 16). */
  readonly parallelism?: number;
  /** Which addresses to ping (default ipv4); ipv6 only in a dual-stack cluster. */
  readonly family?: AddressFamily;
}

export const DEFAULT_PING_COUNT = 3;
export const DEFAULT_PING_TIMEOUT_SECONDS = 2;
export const DEFAULT_VERIFY_PARALLELISM = 16;

/** Slack on top of the pings' own time: starting the shell, ssh, `ip netns exec`. */
const SCRIPT_OVERHEAD_MS = 10_000;

/** Every workload of the topology, in order, by its address of `family`. */
export const listEndpoints = (topology: Topology, family: AddressFamily = "ipv4"): Endpoint[] =>
  topology.hosts.flatMap((host) =>
    host.workloads.flatMap((workload) => {
      const ip = family === "ipv4" ? workload.ipV4 : workload.ipV6;
      return ip === undefined ? [] : [{ host: host.name, workload: workload.name, ip }];
    }),
  );

interface SourcePlan {
  readonly host: string;
  readonly pairs: readonly { readonly from: Endpoint; readonly to: Endpoint }[];
  readonly targets: readonly PingTarget[];
  readonly script: string;
}

export async function checkReachability(input: ReachabilityInput): Promise<ReachabilityMatrix> {
  const count = input.count ?? DEFAULT_PING_COUNT;
  const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_PING_TIMEOUT_SECONDS;
  const family = input.family ?? "ipv4";
  const endpoints = listEndpoints(input.topology, family);
  const headerBytes = family === "ipv4" ? IPV4_ICMP_HEADERS : IPV6_ICMP_HEADERS;
  // A workload's full-size packet, of either family: its MTU is the smaller family's.
  const largeBytes = workloadMtu(input.topology) - headerBytes;

  // Every script is rendered (and so every name and address checked) before any host is
  // contacted: bad input is one error, not a failure on every host.
  const plans: SourcePlan[] = input.topology.hosts.map((host) => {
    const pairs = endpoints
      .filter((from) => from.host === host.name)
      .flatMap((from) => endpoints.filter((to) => to !== from).map((to) => ({ from, to })));
    // Two probes per pair, side by side: default size, then full size with don't-fragment.
    const targets = pairs.flatMap(({ from, to }) => [
      { from: from.workload, to: to.ip },
      { from: from.workload, to: to.ip, size: largeBytes },
    ]);
    return {
      host: host.name,
      pairs,
      targets,
      script: renderPingScript(targets, { count, timeoutSeconds }),
    };
  });
  const batches = (plan: SourcePlan) => Math.ceil(plan.targets.length / DEFAULT_MAX_PARALLEL_PINGS);
  // ping -c N -i 0.2 -W T sends a request every 0.2 s, then waits up to T for the last reply:
  // a second per request is a bound with room to spare.
  const timeoutMs = (plan: SourcePlan) =>
    batches(plan) * (count - 1 + timeoutSeconds + 1) * 1000 + SCRIPT_OVERHEAD_MS;

  const hosts = await pLimit(input.parallelism ?? DEFAULT_VERIFY_PARALLELISM).map(
    plans,
    async (plan): Promise<SourceHostReachability> => {
      if (plan.targets.length === 0) return { host: plan.host, status: "checked", paths: [] };
      const transport = input.transports.get(plan.host);
      if (transport === undefined) {
        return { host: plan.host, status: "failed", reason: `${plan.host}: no transport given` };
      }
      try {
        const results = await runPings(transport, plan, timeoutMs(plan));
        return {
          host: plan.host,
          status: "checked",
          paths: plan.pairs.map(({ from, to }, index) =>
            toPath(from, to, {
              small: results[2 * index] as PingResult,
              large: results[2 * index + 1] as PingResult,
              largeBytes,
              headerBytes,
              timeoutSeconds,
            }),
          ),
        };
      } catch (error) {
        if (error instanceof TransportError) {
          return { host: plan.host, status: "failed", reason: error.message };
        }
        if (error instanceof VerifyError) {
          return {
            host: plan.host,
            status: "failed",
            reason: describeHostFailure(plan.host, error),
          };
        }
        throw error;
      }
    },
  );
  return { endpoints, hosts, family };
}

/** Runs the host's script; its answer covers exactly its targets, in order (parsePingResults). */
async function runPings(
  transport: Transport,
  plan: SourcePlan,
  timeoutMs: number,
): Promise<PingResult[]> {
  const run = await transport.run(["sh", "-s"], {
    stdin: plan.script,
    timeoutMs,
    phase: "verify reachability",
  });
  if (run.exitCode !== 0) {
    throw new VerifyError(
      "verify.unreadable-output",
      `the ping script exited ${run.exitCode}: ${run.stderr.trim() || "(no stderr)"}`,
    );
  }
  return parsePingResults(transport.host, plan.targets, run.stdout);
}

/** The error's message, starting with the host's name (the output's errors already do). */
function describeHostFailure(host: string, error: VerifyError): string {
  return error.message.startsWith(`${host}: `) ? error.message : `${host}: ${error.message}`;
}

/**
 * A path from its two probes: it works when both came back; when only the full-size one
 * failed, it is an `mtu` failure that says both sizes.
 */
function toPath(
  from: Endpoint,
  to: Endpoint,
  probes: {
    readonly small: PingResult;
    readonly large: PingResult;
    readonly largeBytes: number;
    /** The IP and ICMP headers on top of the payload: the MTU is largeBytes + headerBytes. */
    readonly headerBytes: number;
    readonly timeoutSeconds: number;
  },
): ReachabilityPath {
  const { small, large, largeBytes, headerBytes, timeoutSeconds } = probes;
  const statistics = {
    sent: small.sent,
    received: small.received,
    errors: small.errors,
    ...(small.rttAvgMs === undefined ? {} : { rttAvgMs: small.rttAvgMs }),
  };
  if (!small.ok) {
    return { from, to, ok: false, ...statistics, reason: describeFailure(small, timeoutSeconds) };
  }
  if (large.ok) return { from, to, ok: true, ...statistics };
  return {
    from,
    to,
    ok: false,
    ...statistics,
    mtu: { passedBytes: SMALL_PING_BYTES, failedBytes: largeBytes },
    reason:
      `mtu: ${SMALL_PING_BYTES}-byte pings pass, ${largeBytes}-byte pings with don't-fragment fail ` +
      `(${describeFailure(large, timeoutSeconds)}): a link on the path carries less than the ` +
      `overlay MTU ${largeBytes + headerBytes}`,
  };
}

function describeFailure(result: PingResult, timeoutSeconds: number): string {
  if (result.stderr !== undefined) return result.stderr;
  if (result.errors > 0) {
    return `${result.sent} sent, ${result.received} received, ${result.errors} ICMP errors (destination unreachable)`;
  }
  if (result.sent > 0) {
    return `${result.sent} sent, ${result.received} received: no reply within ${timeoutSeconds} s`;
  }
  return `ping exited ${result.exitCode} without statistics`;
}

export interface ReachabilitySummary {
  /** Ordered pairs of distinct workloads: n·(n−1). */
  readonly total: number;
  readonly reachable: number;
  readonly failing: readonly ReachabilityPath[];
  /** Hosts whose paths could not be checked; those paths count as not reachable. */
  readonly failedHosts: readonly Extract<SourceHostReachability, { status: "failed" }>[];
}

export function summarizeReachability(matrix: ReachabilityMatrix): ReachabilitySummary {
  const paths = matrix.hosts.flatMap((host) => (host.status === "checked" ? host.paths : []));
  const n = matrix.endpoints.length;
  return {
    total: n * (n - 1),
    reachable: paths.filter((path) => path.ok).length,
    failing: paths.filter((path) => !path.ok),
    failedHosts: matrix.hosts.filter((host) => host.status === "failed"),
  };
}

/** True when every workload reached every other. */
export function isFullyReachable(matrix: ReachabilityMatrix): boolean {
  const summary = summarizeReachability(matrix);
  return summary.reachable === summary.total;
}
