import { isIP } from "node:net";
import {
  parseRemoteOutput,
  RemoteOutputError,
  renderRemoteScript,
  requireComplete,
  type RemoteScriptKind,
  type RemoteSection,
} from "../remote/index.js";
import { VerifyError } from "./verify-error.js";

/**
 * The reachability probe of one host: a script (see src/remote/remote-script.ts, so one round
 * trip whatever the number of targets) that pings every target from inside its workload
 * namespace, all at once in background jobs. Ping n is the output's section "ping:<n>": ping's
 * statistics, its stderr and its exit status. Each job writes its section to its own file and
 * the files are printed in order after `wait`, so sections of parallel pings never
 * interleave.
 *
 * ok is ping's own verdict (exit 0: at least one reply came back). exit 1 is loss (no reply
 * within -W); exit 2 an error before sending (no route); 255 comes from `ip netns exec`
 * itself (no such namespace). With -q, ping prints ICMP errors (Destination Host
 * Unreachable) only as a count in its statistics line: "+2 errors".
 */

export const PING_FORMAT_VERSION = 2;

/** The probe's begin line names it so, in the remote-script framing. */
export const PING_KIND = {
  kind: "ping",
  version: PING_FORMAT_VERSION,
} as const satisfies RemoteScriptKind;

const PING_SECTION = "ping:";

/** One ping to run: from inside workload namespace `from` to address `to`. */
export interface PingTarget {
  readonly from: string;
  readonly to: string;
  /**
   * A full-size probe: this many bytes of payload (ping -s) with don't-fragment set
   * (-M do, iputils), so a packet larger than a link on the path carries fails instead of
   * being fragmented. Left out: ping's default 56 bytes, fragmentation allowed.
   */
  readonly size?: number;
}

export interface PingOptions {
  /** Echo requests per target (ping -c). */
  readonly count: number;
  /** Seconds to wait for a reply (ping -W); whole seconds, which every ping accepts. */
  readonly timeoutSeconds: number;
  /**
   * Pings running at once on the host (default 64): a large host pinging a large cluster
   * would otherwise start thousands of processes together.
   */
  readonly maxParallel?: number;
}

export const DEFAULT_MAX_PARALLEL_PINGS = 64;

export interface PingResult {
  readonly from: string;
  readonly to: string;
  /** At least one reply came back (ping's exit status 0). */
  readonly ok: boolean;
  /** The exit status of `ip netns exec <from> ping …`. */
  readonly exitCode: number;
  /** 0 when ping printed no statistics (it failed before sending). */
  readonly sent: number;
  readonly received: number;
  /** ICMP errors received instead of replies (unreachable, prohibited). */
  readonly errors: number;
  /** Average round trip of the replies, when there were any. */
  readonly rttAvgMs?: number;
  /** What ping or ip netns exec wrote on stderr, on one line (cut to 200 characters). */
  readonly stderr?: string;
}

/**
 * A namespace name as `ip netns` accepts it and the script can carry bare: no leading '-'
 * (an option) or '.' (".", ".."), no '/', no shell metacharacter.
 */
const NAMESPACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;
/** Characters of a bare IPv4 or IPv6 address; a zone ("%eth0") is not accepted. */
const ADDRESS_CHARACTERS = /^[0-9A-Fa-f:.]+$/;

function checkTarget(target: PingTarget, index: number): void {
  if (!NAMESPACE_NAME.test(target.from)) {
    throw new VerifyError(
      "verify.unsafe-target",
      `ping target ${index}: ${JSON.stringify(target.from)} is not a usable namespace name; ` +
        "use letters, digits, '_', '.' and '-', not starting with '.' or '-'",
    );
  }
  if (target.size !== undefined) checkInteger(target.size, `target ${index} size`, 0, 65_507);
  if (!ADDRESS_CHARACTERS.test(target.to) || isIP(target.to) === 0) {
    throw new VerifyError(
      "verify.unsafe-target",
      `ping target ${index}: ${JSON.stringify(target.to)} is not an IPv4 or IPv6 address`,
    );
  }
}

function checkInteger(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VerifyError(
      "verify.unsafe-target",
      `ping ${name} must be a whole number from ${min} to ${max}, not ${value}`,
    );
  }
}

export function renderPingScript(targets: readonly PingTarget[], options: PingOptions): string {
  const maxParallel = options.maxParallel ?? DEFAULT_MAX_PARALLEL_PINGS;
  checkInteger(options.count, "count", 1, 100);
  checkInteger(options.timeoutSeconds, "timeout", 1, 60);
  checkInteger(maxParallel, "parallelism", 1, 10_000);
  targets.forEach(checkTarget);

  const main = targets.flatMap((target, index) => {
    const size = target.size === undefined ? "" : ` ${target.size}`;
    const start = `  nk_ping ${index} ${target.from} ${target.to}${size} &`;
    // A full batch must finish before the next starts; then its sections are printed.
    const batchStart = index - (index % maxParallel);
    const isBatchEnd = (index + 1) % maxParallel === 0 || index === targets.length - 1;
    if (!isBatchEnd) return [start];
    const files = Array.from(
      { length: index + 1 - batchStart },
      (_, offset) => `"$nk_dir/${batchStart + offset}"`,
    );
    return [start, "  wait", `  cat ${files.join(" ")}`];
  });

  return renderRemoteScript({
    ...PING_KIND,
    summary: "pings from workload namespaces; changes nothing.",
    functions: `# nk_ping N NETNS ADDRESS [SIZE]: one ping, as section ping:N written to the file N; with
# SIZE, a full-size probe: SIZE bytes of payload, don't fragment (SIZE is a checked number, so
# it splits into words safely).
# -i 0.2: requests 0.2 s apart, not ping's default 1 s: -c 3 answered took 2 s a host, 0.4 s now.
nk_ping() {
  nk_size=\${4:+-M do -s $4}
  nk_section "${PING_SECTION}$1" ip netns exec "$2" ping -c ${options.count} -i 0.2 -W ${options.timeoutSeconds} -q $nk_size "$3" >"$nk_dir/$1"
}`,
    main: main.join("\n"),
    setup: `nk_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$nk_dir"' EXIT
trap 'exit 1' HUP INT TERM`,
  });
}

/**
 * Reads the output of the ping script rendered for `targets` on `host`: one result per
 * target, in order. Throws verify.unreadable-output (naming the host, and the section where there is
 * one) when the output is not the script's, is cut short, or its sections do not match the
 * targets.
 */
export function parsePingResults(
  host: string,
  targets: readonly PingTarget[],
  output: string,
): PingResult[] {
  let sections: readonly RemoteSection[];
  try {
    const parsed = parseRemoteOutput(host, PING_KIND, output);
    sections = requireComplete(host, PING_KIND.kind, parsed, "verify again");
  } catch (error) {
    if (!(error instanceof RemoteOutputError)) throw error;
    throw new VerifyError("verify.unreadable-output", error.message, { cause: error });
  }
  if (sections.length !== targets.length) {
    throw new VerifyError(
      "verify.unreadable-output",
      `${host}: the ping script answered ${sections.length} results for ${targets.length} targets`,
    );
  }
  return targets.map((target, index) => {
    const section = sections[index] as RemoteSection;
    if (section.name !== `${PING_SECTION}${index}`) {
      throw new VerifyError(
        "verify.unreadable-output",
        `${host}: the ping script's section ${index} is "${section.name}", ` +
          `not the one of the target sent (${target.from} → ${target.to}): "${PING_SECTION}${index}"`,
      );
    }
    return readPingSection(target, section);
  });
}

/**
 * The statistics ping prints with -q:
 *   iputils: "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1004ms"
 *            "rtt min/avg/max/mdev = 0.060/0.233/0.407/0.173 ms"
 *   busybox: "2 packets transmitted, 2 packets received, 0% packet loss"
 *            "round-trip min/avg/max = 0.060/0.233/0.407 ms"
 * Left out when ping failed before sending: then 0 sent and received.
 */
const SENT = /^(\d+) packets transmitted, /m;
const RECEIVED = /^\d+ packets transmitted, (\d+) [a-z ]*received/m;
const ERRORS = /^\d+ packets transmitted, .*, \+(\d+) errors/m;
const RTT_AVG = /^[a-z-]* min\/avg\/max[a-z/]* = [0-9.]*\/([0-9.]+)\//m;
/** What ping or ip netns exec wrote on stderr is cut to this many characters a line. */
const STDERR_LINE_LENGTH = 200;

function readPingSection(target: PingTarget, section: RemoteSection): PingResult {
  const statistic = (pattern: RegExp): string | undefined => pattern.exec(section.body)?.[1];
  const rtt = statistic(RTT_AVG);
  const detail = section.stderr
    .split("\n")
    .map((line) => line.slice(0, STDERR_LINE_LENGTH).trim())
    .join(" ")
    .trim();
  return {
    from: target.from,
    to: target.to,
    ok: section.exitCode === 0,
    exitCode: section.exitCode,
    sent: Number(statistic(SENT) ?? 0),
    received: Number(statistic(RECEIVED) ?? 0),
    errors: Number(statistic(ERRORS) ?? 0),
    ...(rtt === undefined ? {} : { rttAvgMs: Number(rtt) }),
    ...(detail === "" ? {} : { stderr: detail }),
  };
}
