import type { RunOptions, RunResult, Transport } from "../../src/transport/transport.js";

export interface RecordedRun {
  readonly argv: readonly string[];
  readonly options: RunOptions;
}

/** A transport that answers with `respond` and records every call. */
export function fakeTransport(
  host: string,
  respond: (argv: readonly string[], options: RunOptions) => Promise<RunResult> | RunResult,
): Transport & { readonly runs: RecordedRun[] } {
  const runs: RecordedRun[] = [];
  return {
    host,
    runs,
    async run(argv, options = {}) {
      runs.push({ argv, options });
      return respond(argv, options);
    },
    async close() {},
  };
}

/**
 * What a host running the ping script would print: one line per `nk_report` of the script,
 * ok when `reachable(from, to, size)` (size: the full-size probe's payload, undefined for the
 * default ping); failures look like iputils' 100% loss.
 */
export function answerPings(
  script: string,
  reachable: (from: string, to: string, size?: number) => boolean,
): string {
  const sizes = new Map(
    [...script.matchAll(/^ {2}nk_ping (\d+) \S+ \S+(?: (\d+))? &$/gm)].map(([, index, size]) => [
      index,
      size === undefined ? undefined : Number(size),
    ]),
  );
  const lines = [...script.matchAll(/^ {2}nk_report (\d+) (\S+) (\S+)$/gm)].map(
    ([, index, from, to]) =>
      reachable(from ?? "", to ?? "", sizes.get(index ?? ""))
        ? `@@netplan-k:ping from=${from} to=${to} ok=1 exit=0 sent=2 received=2 errors=0 rtt-avg-ms=0.050 stderr=`
        : `@@netplan-k:ping from=${from} to=${to} ok=0 exit=1 sent=2 received=0 errors=0 rtt-avg-ms= stderr=`,
  );
  return ["@@netplan-k:ping-results:1", ...lines, "@@netplan-k:end", ""].join("\n");
}
