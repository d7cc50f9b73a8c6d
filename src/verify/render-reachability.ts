import type { HostBgpSessions } from "./bgp-sessions.js";
import { paint } from "./paint.js";
import {
  summarizeReachability,
  type Endpoint,
  type ReachabilityMatrix,
  type ReachabilityPath,
} from "./reachability.js";

/**
 * The matrix for a terminal or a CI log: one row per source workload (`host/workload`), one
 * column per destination, then a summary line and, when something failed, one line per
 * failing path (a source's paths failing for one reason share a line) or unchecked host:
 *
 *   from \ to  a/red  a/blue  b/red
 *   a/red      -      ok      ok
 *   a/blue     ok     -       ✗
 *   b/red      ok     ✗       -
 *   4 of 6 paths reachable; failing:
 *     a/blue → b/red: 3 sent, 0 received: no reply within 2 s
 *     b/red → a/blue: ping: connect: Network is unreachable
 *
 * A host that could not be asked shows the reason on its rows instead of cells.
 */

const OK = "ok";
const FAILED = "✗";
const SELF = "-";
const CORNER = "from \\ to";

export const endpointLabel = (endpoint: Endpoint): string =>
  `${endpoint.host}/${endpoint.workload}`;

/** By name, not identity: a matrix read back from its JSON form renders the same. */
const sameEndpoint = (a: Endpoint, b: Endpoint): boolean =>
  a.host === b.host && a.workload === b.workload;

export function renderReachabilityTable(
  matrix: ReachabilityMatrix,
  options: { readonly color: boolean },
): string {
  const color = options.color;
  const labels = matrix.endpoints.map(endpointLabel);
  const firstWidth = Math.max(CORNER.length, ...labels.map((label) => label.length));
  const widths = labels.map((label) => Math.max(label.length, OK.length));
  // Padding stays outside the colour codes (which have no width on a terminal), so the
  // trailing spaces of a row can be trimmed.
  const line = (first: string, cells: readonly string[]) =>
    [first.padEnd(firstWidth), ...cells].join("  ").trimEnd();

  const rows = matrix.endpoints.map((from, row) => {
    const label = labels[row] ?? "";
    const host = matrix.hosts.find((entry) => entry.host === from.host);
    if (host?.status === "failed") {
      return line(label, [paint(`not checked: ${host.reason}`, "red", color)]);
    }
    const cells = matrix.endpoints.map((to, column) => {
      const width = widths[column] ?? 0;
      if (sameEndpoint(to, from)) return SELF.padEnd(width);
      const path = host?.paths.find(
        (entry) => sameEndpoint(entry.from, from) && sameEndpoint(entry.to, to),
      );
      return path?.ok === true
        ? paint(OK, "green", color) + " ".repeat(width - OK.length)
        : paint(FAILED, "red", color) + " ".repeat(width - FAILED.length);
    });
    return line(label, cells);
  });

  const header = line(
    CORNER,
    labels.map((label, column) => label.padEnd(widths[column] ?? 0)),
  );
  return [header, ...rows, ...renderSummaryLines(matrix, color)].join("\n") + "\n";
}

function renderSummaryLines(matrix: ReachabilityMatrix, color: boolean): string[] {
  const summary = summarizeReachability(matrix);
  const headline = `${summary.reachable} of ${summary.total} paths reachable`;
  if (summary.reachable === summary.total) return [paint(headline, "green", color)];
  const failing = groupFailures(summary.failing, matrix.endpoints.length - 1);
  return [
    paint(`${headline}; failing:`, "red", color),
    ...failing.map((line) => `  ${line}`),
    ...summary.failedHosts.map((host) => `  ${host.host}/* → *: not checked: ${host.reason}`),
    ...(summary.failing.some((path) => path.reason?.includes(MISSING_NAMESPACE) === true)
      ? [`  hint: ${MISSING_NAMESPACE_HINT}`]
      : []),
  ];
}

/** What `ip netns exec` says of a namespace that is not there (iproute2's netns.c). */
const MISSING_NAMESPACE = "Cannot open network namespace";
const MISSING_NAMESPACE_HINT =
  "a workload's namespace does not exist: has the topology been applied? `netplan-k plan` names what is missing";

const reasonOf = (path: ReachabilityPath): string => path.reason ?? "failed";

/**
 * One line per failing path, `a/blue → b/red: <reason>`, except that the failures of one
 * source sharing one reason make one line: `a/red → every other workload (3): <reason>`, or
 * `a/red → b/red, c/green: <reason>` (a workload missing fails every path from it alike).
 * `others` is how many destinations each source has.
 */
function groupFailures(failing: readonly ReachabilityPath[], others: number): string[] {
  const groups = new Map<string, ReachabilityPath[]>();
  for (const path of failing) {
    const key = `${endpointLabel(path.from)}\n${reasonOf(path)}`;
    groups.set(key, [...(groups.get(key) ?? []), path]);
  }
  return [...groups.values()].map((paths) => {
    const first = paths[0] as ReachabilityPath;
    const destinations =
      paths.length === 1
        ? endpointLabel(first.to)
        : paths.length === others
          ? `every other workload (${others})`
          : paths.map((path) => endpointLabel(path.to)).join(", ");
    return `${endpointLabel(first.from)} → ${destinations}: ${reasonOf(first)}`;
  });
}

/** Version of the JSON form below; bumped when a field changes meaning or goes away. */
export const REACHABILITY_JSON_VERSION = 1;

/**
 * The matrix as JSON for tools: its family ("ipv4", or "ipv6": an IPv6-only cluster's one
 * matrix, a dual-stack cluster's `ipv6`), the summary counts, then the matrix as it is (every
 * path with its statistics, every unchecked host with its reason). In mode bgp, `bgp` follows
 * with the count of established sessions and every host's sessions as BIRD showed them.
 */
export function renderReachabilityJson(
  matrix: ReachabilityMatrix,
  bgpSessions?: readonly HostBgpSessions[],
): string {
  const summary = summarizeReachability(matrix);
  const sessions = (bgpSessions ?? []).flatMap((host) =>
    host.status === "checked" ? host.sessions : [],
  );
  return (
    JSON.stringify(
      {
        formatVersion: REACHABILITY_JSON_VERSION,
        family: matrix.family ?? "ipv4",
        total: summary.total,
        reachable: summary.reachable,
        endpoints: matrix.endpoints,
        hosts: matrix.hosts,
        ...(bgpSessions !== undefined && {
          bgp: {
            total: sessions.length,
            established: sessions.filter((session) => session.established).length,
            hosts: bgpSessions,
          },
        }),
      },
      null,
      2,
    ) + "\n"
  );
}
