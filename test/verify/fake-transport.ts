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
 * What a host running the ping script would print: one section per `nk_ping` of the script,
 * ok when `reachable(from, to, size)` (size: the full-size probe's payload, undefined for the
 * default ping); failures look like iputils' 100% loss.
 */
export function answerPings(
  script: string,
  reachable: (from: string, to: string, size?: number) => boolean,
): string {
  const sections = [...script.matchAll(/^ {2}nk_ping (\d+) (\S+) (\S+)(?: (\d+))? &$/gm)].flatMap(
    ([, index, from, to, size]) => [
      `@@netplan-k:section:ping:${index}`,
      ...(reachable(from ?? "", to ?? "", size === undefined ? undefined : Number(size))
        ? [
            "2 packets transmitted, 2 received, 0% packet loss, time 1001ms",
            "rtt min/avg/max/mdev = 0.040/0.050/0.060/0.010 ms",
            "@@netplan-k:exit:0",
          ]
        : [
            "2 packets transmitted, 0 received, 100% packet loss, time 1020ms",
            "@@netplan-k:exit:1",
          ]),
    ],
  );
  return ["@@netplan-k:ping:2", ...sections, "@@netplan-k:end", ""].join("\n");
}
