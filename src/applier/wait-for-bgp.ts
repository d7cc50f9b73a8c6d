import {
  BIRD_PROTOCOL,
  isBgpEstablished,
  MAIN_TABLE,
  type BgpExpectation,
  type BirdProtocol,
} from "../model/index.js";
import { ObservationError, parseBirdProtocols, parseIpRoutes } from "../observe/index.js";
import {
  parseRemoteOutput,
  RemoteOutputError,
  renderRemoteScript,
  requireComplete,
  type RemoteScriptKind,
  type RemoteSection,
} from "../remote/index.js";
import type { Transport } from "../transport/index.js";

export interface BgpStatus {
  readonly ok: boolean;
  /** Round trips spent polling. */
  readonly polls: number;
  readonly protocols: readonly BirdProtocol[];
  readonly missingBlocks: readonly string[];
  /** Why the host is not converged yet, for messages ("" when ok). */
  readonly problem: string;
}

export interface WaitForBgpOptions {
  /** Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** Called after every poll (progress). */
  readonly onPoll?: (status: BgpStatus) => void;
}

/** A poll that takes this long means the host is in trouble, not that BGP is slow. */
const POLL_TIMEOUT_MS = 10_000;

/** The poll's begin line names it so, in the remote-script framing. */
export const BGP_POLL_KIND = { kind: "bgp-poll", version: 1 } as const satisfies RemoteScriptKind;

/** One poll, one round trip: BIRD's protocols, then the unfiltered route listing. */
const POLL_SCRIPT = renderRemoteScript({
  ...BGP_POLL_KIND,
  summary: "read-only.",
  functions: "",
  main: "  nk_section protocols birdc show protocols\n  nk_section routes ip -j route show table all",
});

/**
 * BIRD's table (with what birdc wrote on stderr after it: while BIRD starts, why it cannot
 * connect) and the route listing of one poll. An answer that cannot be read gives no
 * protocols and no routes, and says why: the poll is repeated, not failed.
 */
function readPoll(
  host: string,
  output: string,
): { birdOutput: string; routeText: string; unreadable?: string } {
  let sections: ReadonlyMap<string, RemoteSection>;
  try {
    const parsed = parseRemoteOutput(host, BGP_POLL_KIND, output);
    sections = new Map(
      requireComplete(host, BGP_POLL_KIND.kind, parsed, "polling again").map((s) => [s.name, s]),
    );
  } catch (error) {
    if (!(error instanceof RemoteOutputError)) throw error;
    return { birdOutput: "", routeText: "", unreadable: error.message };
  }
  const protocols = sections.get("protocols");
  const routes = sections.get("routes");
  return {
    birdOutput: [protocols?.body ?? "", protocols?.stderr ?? ""].filter((t) => t !== "").join("\n"),
    routeText: routes?.exitCode === 0 ? routes.body : "",
  };
}

function judge(host: string, output: string, expected: BgpExpectation, polls: number): BgpStatus {
  const { birdOutput, routeText, unreadable } = readPoll(host, output);
  // While BIRD starts, birdc prints no table: that is a poll to repeat, not an error.
  let protocols: BirdProtocol[] = [];
  try {
    protocols = parseBirdProtocols(birdOutput);
  } catch (error) {
    if (!(error instanceof ObservationError)) throw error;
  }
  let routes: ReturnType<typeof parseIpRoutes> = [];
  try {
    routes = routeText === "" ? [] : parseIpRoutes(JSON.parse(routeText));
  } catch {
    routes = [];
  }
  const learned = new Set(
    routes
      .filter((route) => route.protocol === BIRD_PROTOCOL && route.table === MAIN_TABLE)
      .map((route) => route.dst),
  );
  const missingBlocks = expected.blocks.filter((block) => !learned.has(block));
  const sessions = protocols.filter((protocol) => protocol.proto === "BGP");
  const notUp = sessions.filter((protocol) => !isBgpEstablished(protocol));
  const problems: string[] = [];
  if (unreadable !== undefined) {
    problems.push(unreadable);
  } else if (protocols.length === 0) {
    const said = birdOutput.trim().split("\n").at(-1) ?? "";
    problems.push(`birdc show protocols lists nothing${said === "" ? "" : ` (${said})`}`);
  } else if (sessions.length !== expected.sessions) {
    problems.push(`${sessions.length} BGP sessions configured, expected ${expected.sessions}`);
  }
  problems.push(
    ...notUp.map(
      (protocol) =>
        `${protocol.name} is ${[protocol.info || protocol.state, protocol.message].filter(Boolean).join(" ")}`,
    ),
  );
  if (missingBlocks.length > 0) {
    problems.push(`not learned from BGP: ${missingBlocks.join(", ")}`);
  }
  return {
    ok: problems.length === 0,
    polls,
    protocols,
    missingBlocks,
    problem: problems.join("; "),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls the host until every BGP session is Established and every expected block is in the
 * kernel as `proto bird`, or until timeoutMs has passed (BIRD's first routes take about a
 * second with the timers netplan-k configures). Each poll is one round trip. Resolves with the
 * last status either way; a TransportError propagates.
 */
export async function waitForBgp(
  transport: Transport,
  expected: BgpExpectation,
  timeoutMs: number,
  options: WaitForBgpOptions = {},
): Promise<BgpStatus> {
  const interval = options.pollIntervalMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  for (let polls = 1; ; polls++) {
    const result = await transport.run(["sh", "-s"], {
      stdin: POLL_SCRIPT,
      phase: `wait for bgp (poll ${polls})`,
      timeoutMs: POLL_TIMEOUT_MS,
    });
    const status = judge(transport.host, result.stdout, expected, polls);
    options.onPoll?.(status);
    if (status.ok || Date.now() + interval > deadline) return status;
    await sleep(interval);
  }
}
