import { isBgpEstablished, type BirdProtocol } from "../model/bird-protocol.js";
import { ObservationError } from "../observe/observation-error.js";
import { parseBirdProtocols } from "../observe/parse-bird-protocols.js";
import { TransportError } from "../transport/transport-error.js";
import type { Transport } from "../transport/transport.js";
import { paint } from "./paint.js";

/**
 * Are the BGP sessions up? Asks BIRD through `birdc show protocols` on the host, read by the
 * observation's parser (observe/parse-bird-protocols.ts).
 */

/** A BGP session and whether it carries routes. */
export interface BgpSession {
  readonly name: string;
  /** Established: BIRD's state "up" with info "Established". */
  readonly established: boolean;
  /** The row BIRD showed; absent when an expected session is not configured at all. */
  readonly protocol?: BirdProtocol;
}

export type HostBgpSessions =
  | { readonly host: string; readonly status: "checked"; readonly sessions: readonly BgpSession[] }
  | { readonly host: string; readonly status: "failed"; readonly reason: string };

export interface BgpCheckOptions {
  /** birdc's control socket (-s); default: BIRD's own (/run/bird/bird.ctl on Debian). */
  readonly socket?: string;
  /**
   * Protocol names that must be there (from the host's desired BIRD configuration); a
   * missing one is listed as a session that is not established.
   */
  readonly expected?: readonly string[];
  readonly timeoutMs?: number;
}

/** One round trip: `birdc show protocols`, keeping the BGP rows. */
export async function checkBgpSessions(
  transport: Transport,
  options: BgpCheckOptions = {},
): Promise<HostBgpSessions> {
  const host = transport.host;
  const argv = [
    "birdc",
    ...(options.socket === undefined ? [] : ["-s", options.socket]),
    "show",
    "protocols",
  ];
  try {
    const run = await transport.run(argv, {
      timeoutMs: options.timeoutMs ?? 10_000,
      phase: "verify bgp sessions",
    });
    if (run.exitCode !== 0) {
      const said = (run.stderr.trim() || run.stdout.trim()).replaceAll("\n", " ");
      return {
        host,
        status: "failed",
        reason: `${host}: ${argv.join(" ")} failed (exit ${run.exitCode}): ${said || "(no output)"}; is BIRD running?`,
      };
    }
    const bgp = parseBirdProtocols(run.stdout).filter((protocol) => protocol.proto === "BGP");
    const seen = new Set(bgp.map((protocol) => protocol.name));
    const missing = (options.expected ?? []).filter((name) => !seen.has(name));
    return {
      host,
      status: "checked",
      sessions: [
        ...bgp.map((protocol) => ({
          name: protocol.name,
          established: isBgpEstablished(protocol),
          protocol,
        })),
        ...missing.map((name) => ({ name, established: false })),
      ],
    };
  } catch (error) {
    if (error instanceof TransportError) return { host, status: "failed", reason: error.message };
    if (error instanceof ObservationError) {
      return { host, status: "failed", reason: `${host}: ${error.message}` };
    }
    throw error;
  }
}

/** True when every host answered and every session of every host is Established. */
export const areBgpSessionsEstablished = (hosts: readonly HostBgpSessions[]): boolean =>
  hosts.every(
    (host) => host.status === "checked" && host.sessions.every((session) => session.established),
  );

/**
 * One line per session, then a summary. With `roleOf` (what the peer is to the host, from
 * the topology: "rr client", "route reflector", "mesh peer"), a role column follows the session:
 *
 *   host  session  role             state  since         info
 *   a     peer_b   route reflector  up     02:08:17.029  Established
 *   b     peer_a   rr client        start  02:08:14.639  Active: Socket: Connection refused
 *   c     -                         not checked: c: birdc show protocols failed (exit 1): ...
 *   1 of 2 BGP sessions established
 */
export function renderBgpTable(
  hosts: readonly HostBgpSessions[],
  options: {
    readonly color: boolean;
    readonly roleOf?: (host: string, session: string) => string | undefined;
  },
): string {
  const color = options.color;
  const roleOf = options.roleOf;
  // The cells that name the session; the rest say how it is, or one sentence spans them.
  const lead = (host: string, session: string): string[] =>
    roleOf === undefined
      ? [host, session]
      : [host, session, session === "-" ? "" : (roleOf(host, session) ?? "")];
  type Row = { cells: readonly string[]; good: boolean };
  const rows: Row[] = hosts.flatMap((host): Row[] => {
    if (host.status === "failed") {
      return [{ cells: [...lead(host.host, "-"), `not checked: ${host.reason}`], good: false }];
    }
    return host.sessions.map((session) => {
      const protocol = session.protocol;
      if (protocol === undefined) {
        return {
          cells: [...lead(host.host, session.name), "missing: not configured in BIRD"],
          good: false,
        };
      }
      const info =
        protocol.message === undefined ? protocol.info : `${protocol.info}: ${protocol.message}`;
      return {
        cells: [...lead(host.host, session.name), protocol.state, protocol.since, info],
        good: session.established,
      };
    });
  });
  const header = [
    ...(roleOf === undefined ? ["host", "session"] : ["host", "session", "role"]),
    "state",
    "since",
    "info",
  ];
  const leadColumns = header.length - 3;
  // A row whose cell after the lead is a sentence spans the remaining columns: it sets no width.
  const widths = header.map((title, column) =>
    Math.max(
      title.length,
      ...rows
        .filter((row) => row.cells.length === header.length || column < leadColumns)
        .map((row) => row.cells[column]?.length ?? 0),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();

  const sessions = hosts.flatMap((host) => (host.status === "checked" ? host.sessions : []));
  const established = sessions.filter((session) => session.established).length;
  const unchecked = hosts.filter((host) => host.status === "failed").length;
  const allGood = established === sessions.length && unchecked === 0;
  const summary =
    `${established} of ${sessions.length} BGP sessions established` +
    (unchecked === 0 ? "" : `; ${unchecked} ${unchecked === 1 ? "host" : "hosts"} not checked`);
  return (
    [
      line(header),
      ...rows.map((row) => (row.good ? line(row.cells) : paint(line(row.cells), "red", color))),
      paint(summary, allGood ? "green" : "red", color),
    ].join("\n") + "\n"
  );
}
