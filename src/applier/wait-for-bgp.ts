import { BIRD_PROTOCOL, MAIN_TABLE, type BgpExpectation } from "../model/index.js";
import { parseIpRoutes } from "../observe/index.js";
import type { Transport } from "../transport/index.js";
import { isBgpEstablished, parseBirdProtocols, type BirdProtocol } from "../verify/bgp-sessions.js";
import { VerifyError } from "../verify/verify-error.js";

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

const SEPARATOR = "@@netplan-k:routes";
/** A poll that takes this long means the host is in trouble, not that BGP is slow. */
const POLL_TIMEOUT_MS = 10_000;

/** One poll, one round trip: BIRD's protocols, then the unfiltered route listing. */
const POLL_SCRIPT = `LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH
birdc show protocols 2>&1 </dev/null
printf '\\n${SEPARATOR}\\n'
ip -j route show table all </dev/null
`;

function judge(output: string, expected: BgpExpectation, polls: number): BgpStatus {
  const separator = output.lastIndexOf(`\n${SEPARATOR}\n`);
  const birdOutput = separator < 0 ? output : output.slice(0, separator);
  const routeText = separator < 0 ? "" : output.slice(separator + SEPARATOR.length + 2).trim();
  // While BIRD starts, birdc prints no table: that is a poll to repeat, not an error.
  let protocols: BirdProtocol[] = [];
  try {
    protocols = parseBirdProtocols(birdOutput);
  } catch (error) {
    if (!(error instanceof VerifyError)) throw error;
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
  if (protocols.length === 0) {
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
      timeoutMs: POLL_TIMEOUT_MS,
    });
    const status = judge(result.stdout, expected, polls);
    options.onPoll?.(status);
    if (status.ok || Date.now() + interval > deadline) return status;
    await sleep(interval);
  }
}
