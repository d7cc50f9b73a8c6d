import { writeFile } from "node:fs/promises";
import type { DesiredState, ExpectedBgpSession } from "../../model/index.js";
import { compileTopology } from "../../modes/compile.js";
import type { Transport } from "../../transport/transport.js";
import type { Topology } from "../../topology/topology.js";
import {
  areBgpSessionsEstablished,
  checkBgpSessions,
  checkReachability,
  isFullyReachable,
  renderBgpTable,
  renderReachabilityJson,
  renderJUnit,
  renderReachabilityTable,
  type HostBgpSessions,
  type ReachabilityMatrix,
} from "../../verify/index.js";
import { CliError } from "../cli-error.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { renderJsonErrors } from "../json-errors.js";
import { findUnbuiltLabHosts } from "../unbuilt-lab-hosts.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { keepHeldAddresses } from "../keep-held-addresses.js";
import { loadValidTopology } from "../load-valid-topology.js";
import { observeHosts } from "../observe-hosts.js";
import type { Output } from "../output.js";
import { runPerHost } from "../per-host.js";

export interface VerifyOptions extends ConnectionOptions {
  readonly parallelism: number;
  readonly output: "text" | "json";
  /** Also write the result as a JUnit XML report to this file. */
  readonly junit?: string;
}

/**
 * `netplan-k verify`: every workload pings every other from inside its namespace (one round
 * trip per host and family), and every BGP session the compiled topology expects
 * (checks.bgpSessions) must be Established. A dual-stack cluster is pinged in both families,
 * with a matrix each: IPv4's is printed as for an IPv4 cluster, IPv6's under it (in JSON as
 * `ipv6`); the JUnit report holds IPv4's.
 */
export async function runVerify(
  file: string,
  options: VerifyOptions,
  output: Output,
): Promise<number> {
  const loaded = await loadValidTopology(file, output, { json: options.output === "json" });
  if (loaded === undefined) return EXIT_ERROR;
  const unbuilt = [
    ...(
      await findUnbuiltLabHosts(
        loaded,
        loaded.hosts.map((h) => h.name),
      )
    ).values(),
  ];
  if (unbuilt.length > 0) {
    if (options.output === "json") {
      output.out(renderJsonErrors(unbuilt.map((message) => ({ code: "lab.not-built", message }))));
    }
    for (const message of unbuilt) output.err(`✗ ${message}`);
    output.err("Nothing was contacted.");
    return EXIT_ERROR;
  }
  const transports = openHostTransports(
    loaded,
    loaded.hosts.map((h) => h.name),
    options,
  );
  try {
    const topology = await keepLiveAddresses(loaded, transports, options, output);
    const reach = (family: "ipv4" | "ipv6") =>
      checkReachability({ topology, transports, parallelism: options.parallelism, family });
    // The first family's matrix (IPv4's, or IPv6's in an IPv6-only cluster), and a
    // dual-stack cluster's IPv6 one beside it.
    const { v4, v6 } = topology.cluster;
    const [matrix, matrixV6] = await Promise.all([
      reach(v4 === undefined ? "ipv6" : "ipv4"),
      v4 === undefined || v6 === undefined ? undefined : reach("ipv6"),
    ]);
    const desired = compileTopology(topology);
    const bgp = desired.hosts.some((h) => h.checks?.bgpSessions !== undefined);
    let sessions: HostBgpSessions[] = [];
    if (bgp) {
      const outcomes = await runPerHost(
        desired.hosts.map((h) => h.host),
        { parallelism: options.parallelism, output },
        async (name, report) => {
          report("checking BGP sessions");
          const expected = sessionsOf(desired, name).map((s) => s.protocol);
          return checkBgpSessions(transports.get(name) as Transport, { expected });
        },
      );
      sessions = [...outcomes].map(([host, outcome]) =>
        outcome.ok
          ? outcome.value
          : { host, status: "failed" as const, reason: outcome.error.message },
      );
    }
    if (options.junit !== undefined) {
      const report = renderJUnit({
        name: topology.name,
        matrices: matrixV6 === undefined ? [matrix] : [matrix, matrixV6],
        ...(bgp && { bgp: { expected: listExpectedSessions(desired), hosts: sessions } }),
      });
      await writeFile(options.junit, report).catch((error: unknown) => {
        throw new CliError(
          `cannot write the JUnit report to ${options.junit}: ${(error as Error).message}`,
          "Name a file in a directory that exists and can be written.",
          { cause: error },
        );
      });
    }
    if (options.output === "json") {
      const json = renderReachabilityJson(matrix, bgp ? sessions : undefined);
      output.out(matrixV6 === undefined ? json : withIpv6Matrix(json, matrixV6));
    } else {
      if (matrixV6 !== undefined) output.out("IPv4:\n");
      if (v4 === undefined) output.out("IPv6:\n");
      output.out(renderReachabilityTable(matrix, { color: output.color }));
      if (matrixV6 !== undefined) {
        output.out("IPv6:\n");
        output.out(renderReachabilityTable(matrixV6, { color: output.color }));
      }
      if (sessions.length > 0) {
        output.out(renderBgpTable(sessions, { color: output.color, roleOf: bgpRoles(desired) }));
      }
    }
    return isFullyReachable(matrix) &&
      (matrixV6 === undefined || isFullyReachable(matrixV6)) &&
      areBgpSessionsEstablished(sessions)
      ? EXIT_OK
      : EXIT_ERROR;
  } finally {
    await closeAll(transports);
  }
}

/** The JSON form of a dual-stack cluster's verify: IPv4's as always, IPv6's matrix as `ipv6`. */
function withIpv6Matrix(json: string, matrixV6: ReachabilityMatrix): string {
  const { formatVersion: _version, ...ipv6 } = JSON.parse(renderReachabilityJson(matrixV6)) as {
    formatVersion: number;
  };
  return JSON.stringify({ ...(JSON.parse(json) as object), ipv6 }, null, 2) + "\n";
}

/** The BGP sessions verify expects Established on one host (none when it speaks no BGP). */
const sessionsOf = (desired: DesiredState, host: string): readonly ExpectedBgpSession[] =>
  desired.hosts.find((h) => h.host === host)?.checks?.bgpSessions ?? [];

/** Every BGP session the compiled topology expects, host by host, with the peer's address. */
const listExpectedSessions = (desired: DesiredState): ExpectedBgpSession[] =>
  desired.hosts.flatMap(({ host }) => sessionsOf(desired, host));

/** What each session's peer is to its host, by host and BIRD protocol name. */
function bgpRoles(desired: DesiredState): (host: string, session: string) => string | undefined {
  const roles = new Map(
    listExpectedSessions(desired).map((s) => [`${s.host}/${s.protocol}`, s.role] as const),
  );
  return (host, session) => roles.get(`${host}/${session}`);
}

/**
 * The addresses to ping: with any block or workload address allocated, the ones the live
 * hosts hold (keep-held-addresses.ts), which costs one more round trip per host; with
 * everything pinned in the file, the file's.
 */
async function keepLiveAddresses(
  topology: Topology,
  transports: ReadonlyMap<string, Transport>,
  options: VerifyOptions,
  output: Output,
): Promise<Topology> {
  // Live hosts' addresses are read for IPv4 only (allocate.ts): IPv6 comes from names alone.
  const allocated = topology.hosts.some(
    (h) => h.v4?.podCidrAllocated === true || h.workloads.some((w) => w.ipV4Allocated === true),
  );
  if (!allocated) return topology;
  const { observed } = await observeHosts(transports, {
    parallelism: options.parallelism,
    output,
  });
  return keepHeldAddresses(topology, observed);
}
