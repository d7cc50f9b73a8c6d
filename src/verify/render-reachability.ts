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
 * failing path or unchecked host:
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
  return [
    paint(`${headline}; failing:`, "red", color),
    ...summary.failing.map((path) => `  ${describePath(path)}`),
    ...summary.failedHosts.map((host) => `  ${host.host}/* → *: not checked: ${host.reason}`),
  ];
}

const describePath = (path: ReachabilityPath): string =>
  `${endpointLabel(path.from)} → ${endpointLabel(path.to)}: ${path.reason ?? "failed"}`;

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
