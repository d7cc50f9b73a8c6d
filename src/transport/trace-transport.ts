import type { RunOptions, RunResult, Transport } from "./transport.js";

/**
 * `--debug`'s account of the round trips: every run of a transport, once it ends, as one line
 * naming the host, the phase, how long it took, its exit status (or the error that ended it),
 * and the bytes sent (stdin) and received (stdout and stderr):
 *
 *   debug: node-1 observe: 14 ms, exit 0, sent 6012 B, received 3807 B
 *
 * The phase is the run's own (RunOptions.phase), else the kind a netplan-k script names in its
 * first line ("# netplan-k observation (format 1): …", remote-script.ts), else the command.
 */

/** "observation" from a netplan-k script's first line. */
const SCRIPT_KIND = /^# netplan-k (\S+) \(format /;

const phaseOf = (argv: readonly string[], options: RunOptions | undefined): string =>
  options?.phase ?? SCRIPT_KIND.exec(options?.stdin ?? "")?.[1] ?? argv.slice(0, 3).join(" ");

const bytes = (text: string | undefined): number =>
  text === undefined ? 0 : Buffer.byteLength(text, "utf8");

/** "exit 0, sent 6012 B, received 3807 B" */
const describeResult = (options: RunOptions | undefined, result: RunResult): string =>
  `exit ${result.exitCode}, sent ${bytes(options?.stdin)} B, ` +
  `received ${bytes(result.stdout) + bytes(result.stderr)} B`;

/** "failed (transport.timeout)" for a run the transport gave up on. */
const describeFailure = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return `failed (${typeof code === "string" ? code : "no exit status"})`;
};

/**
 * `transport`, reporting each round trip to `trace` (one line each, see above) when it ends,
 * whether it succeeded or threw. Results and errors pass through unchanged. `now` is the clock
 * in milliseconds (a test's fake).
 */
export function traceTransport(
  transport: Transport,
  trace: (line: string) => void,
  now: () => number = () => performance.now(),
): Transport {
  return {
    host: transport.host,
    async run(argv, options) {
      const started = now();
      const line = (outcome: string) =>
        `debug: ${transport.host} ${phaseOf(argv, options)}: ${Math.round(now() - started)} ms, ${outcome}`;
      try {
        const result = await transport.run(argv, options);
        trace(line(describeResult(options, result)));
        return result;
      } catch (error) {
        trace(line(describeFailure(error)));
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
