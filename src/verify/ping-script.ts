import { isIP } from "node:net";
import { VerifyError } from "./verify-error.js";

/**
 * The reachability probe of one host: a POSIX sh script (sent on stdin to `sh -s`, so one
 * round trip whatever the number of targets) that pings every target from inside its
 * workload namespace, all at once in background jobs, and prints one line per target in the
 * order given:
 *
 *   @@netplan-k:ping-results:1
 *   @@netplan-k:ping from=red to=10.244.2.2 ok=1 exit=0 sent=2 received=2 errors=0 rtt-avg-ms=0.061 stderr=
 *   @@netplan-k:ping from=red to=10.244.3.2 ok=0 exit=2 sent= received= errors=0 rtt-avg-ms= stderr=ping: connect: Network is unreachable
 *   @@netplan-k:end
 *
 * Each job writes its own files and the lines are printed after `wait`, one by one, so lines
 * of parallel pings never interleave. A missing end line means the output was cut short.
 *
 * ok is ping's own verdict (exit 0: at least one reply came back). exit 1 is loss (no reply
 * within -W); exit 2 an error before sending (no route); 255 comes from `ip netns exec`
 * itself (no such namespace). With -q, ping prints ICMP errors (Destination Host
 * Unreachable) only as a count in its statistics line: "+2 errors".
 */

export const PING_FORMAT_VERSION = 1;
const HEADER = `@@netplan-k:ping-results:${PING_FORMAT_VERSION}`;
const LINE_PREFIX = "@@netplan-k:ping ";
const END = "@@netplan-k:end";

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
      "E_VERIFY_TARGET",
      `ping target ${index}: ${JSON.stringify(target.from)} is not a usable namespace name; ` +
        "use letters, digits, '_', '.' and '-', not starting with '.' or '-'",
    );
  }
  if (target.size !== undefined) checkInteger(target.size, `target ${index} size`, 0, 65_507);
  if (!ADDRESS_CHARACTERS.test(target.to) || isIP(target.to) === 0) {
    throw new VerifyError(
      "E_VERIFY_TARGET",
      `ping target ${index}: ${JSON.stringify(target.to)} is not an IPv4 or IPv6 address`,
    );
  }
}

function checkInteger(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VerifyError(
      "E_VERIFY_TARGET",
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

  const starts = targets.flatMap((target, index) => {
    const size = target.size === undefined ? "" : ` ${target.size}`;
    const start = `  nk_ping ${index} ${target.from} ${target.to}${size} &`;
    // A full batch must finish before the next starts.
    const isBatchEnd = (index + 1) % maxParallel === 0 || index === targets.length - 1;
    return isBatchEnd ? [start, "  wait"] : [start];
  });
  const reports = targets.map(
    (target, index) => `  nk_report ${index} ${target.from} ${target.to}`,
  );

  return `# netplan-k verify (format ${PING_FORMAT_VERSION}): ping from workload namespaces. POSIX sh; changes nothing.
LC_ALL=C
export LC_ALL
# Non-interactive ssh sessions of non-root users often lack the sbin directories.
PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH
export PATH

# nk_ping N NETNS ADDRESS [SIZE]: one ping; with SIZE, a full-size probe: SIZE bytes of
# payload, don't fragment (SIZE is a checked number, so it splits into words safely). Its
# stdout, stderr and exit status go to files N.*.
nk_ping() {
  nk_size=\${4:+-M do -s $4}
  ip netns exec "$2" ping -c ${options.count} -W ${options.timeoutSeconds} -q $nk_size "$3" >"$nk_dir/$1.out" 2>"$nk_dir/$1.err"
  echo "$?" >"$nk_dir/$1.rc"
}

# nk_report N NETNS ADDRESS: the result line of ping N, read from its statistics:
#   iputils: "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1004ms"
#            "rtt min/avg/max/mdev = 0.060/0.233/0.407/0.173 ms"
#   busybox: "2 packets transmitted, 2 packets received, 0% packet loss"
#            "round-trip min/avg/max = 0.060/0.233/0.407 ms"
nk_report() {
  nk_rc=$(cat "$nk_dir/$1.rc")
  if [ "$nk_rc" = 0 ]; then nk_ok=1; else nk_ok=0; fi
  nk_sent=$(sed -n 's/^\\([0-9]*\\) packets transmitted, .*/\\1/p' "$nk_dir/$1.out")
  nk_received=$(sed -n 's/^[0-9]* packets transmitted, \\([0-9]*\\) [a-z ]*received.*/\\1/p' "$nk_dir/$1.out")
  nk_errors=$(sed -n 's/^[0-9]* packets transmitted, .*, +\\([0-9]*\\) errors.*/\\1/p' "$nk_dir/$1.out")
  nk_avg=$(sed -n 's|^[a-z-]* min/avg/max[a-z/]* = [0-9.]*/\\([0-9.]*\\)/.*|\\1|p' "$nk_dir/$1.out")
  nk_stderr=$(cut -c 1-200 "$nk_dir/$1.err" | tr '\\n' ' ')
  printf '${LINE_PREFIX}from=%s to=%s ok=%s exit=%s sent=%s received=%s errors=%s rtt-avg-ms=%s stderr=%s\\n' \\
    "$2" "$3" "$nk_ok" "$nk_rc" "$nk_sent" "$nk_received" "\${nk_errors:-0}" "$nk_avg" "$nk_stderr"
}

nk_main() {
  printf '${HEADER}\\n'
${starts.join("\n")}
${reports.join("\n")}
  printf '${END}\\n'
}

nk_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$nk_dir"' EXIT
trap 'exit 1' HUP INT TERM
# The script arrives on stdin under sh -s: no command may read the rest of it.
nk_main </dev/null
`;
}

const RESULT_LINE =
  /^from=(\S+) to=(\S+) ok=([01]) exit=(\d+) sent=(\d*) received=(\d*) errors=(\d+) rtt-avg-ms=(\d+(?:\.\d+)?)? stderr=(.*)$/;

/**
 * Reads the output of a ping script. Throws E_VERIFY_OUTPUT when the output is not the
 * script's (no header), cut short (no end line) or holds a line it cannot read.
 */
export function parsePingResults(output: string): PingResult[] {
  // The last element is what follows the final newline: empty unless the output was cut.
  const lines = output.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const start = lines.indexOf(HEADER);
  if (start === -1) {
    throw new VerifyError(
      "E_VERIFY_OUTPUT",
      `ping output does not start with ${HEADER}: ${JSON.stringify(output.slice(0, 200))}`,
    );
  }
  const results: PingResult[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === END) return results;
    if (!line.startsWith(LINE_PREFIX)) {
      throw new VerifyError("E_VERIFY_OUTPUT", `unexpected line in ping output: ${line}`);
    }
    results.push(parsePingLine(line.slice(LINE_PREFIX.length)));
  }
  throw new VerifyError(
    "E_VERIFY_OUTPUT",
    `ping output ends after ${results.length} results without ${END}: it was cut short`,
  );
}

function parsePingLine(body: string): PingResult {
  const match = RESULT_LINE.exec(body);
  if (match === null) {
    throw new VerifyError("E_VERIFY_OUTPUT", `unreadable ping result: ${body}`);
  }
  const [, from = "", to = "", ok, exit, sent, received, errors, rtt, stderr = ""] = match;
  const detail = stderr.trim();
  return {
    from,
    to,
    ok: ok === "1",
    exitCode: Number(exit),
    sent: Number(sent),
    received: Number(received),
    errors: Number(errors),
    ...(rtt === undefined ? {} : { rttAvgMs: Number(rtt) }),
    ...(detail === "" ? {} : { stderr: detail }),
  };
}
