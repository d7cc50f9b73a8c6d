import { Listr } from "listr2";
import { mapWithLimit } from "../verify/map-with-limit.js";
import type { Output } from "./output.js";

/** What a host's work reports while it runs ("observing", "applying 12 changes"). */
export type ReportProgress = (message: string) => void;

export type HostOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

/**
 * Runs `work` for every host, at most `parallelism` at once, and keeps going when a host
 * fails: every host gets an outcome. Progress goes to stderr (stdout carries plans and JSON):
 * listr2's live view on a terminal, otherwise one plain line per event, for CI logs.
 */
export async function runPerHost<T>(
  hosts: readonly string[],
  options: { readonly parallelism: number; readonly output: Output },
  work: (host: string, report: ReportProgress) => Promise<T>,
): Promise<Map<string, HostOutcome<T>>> {
  const outcomes = new Map<string, HostOutcome<T>>();
  const settle = async (host: string, report: ReportProgress): Promise<void> => {
    try {
      outcomes.set(host, { ok: true, value: await work(host, report) });
    } catch (error) {
      outcomes.set(host, {
        ok: false,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  };
  if (options.output.interactive) {
    await new Listr(
      hosts.map((host) => ({
        title: host,
        task: async (_: unknown, task: { title: string }) => {
          await settle(host, (message) => (task.title = `${host}: ${message}`));
          const outcome = outcomes.get(host);
          if (outcome?.ok === false) throw outcome.error;
        },
      })),
      {
        concurrent: options.parallelism,
        exitOnError: false,
        rendererOptions: { collapseErrors: false },
      },
    ).run();
  } else {
    await mapWithLimit(hosts, options.parallelism, (host) =>
      settle(host, (message) => options.output.err(`${host}: ${message}`)),
    );
  }
  // Keep the topology's host order whatever order the hosts finished in.
  return new Map(hosts.map((host) => [host, outcomes.get(host) as HostOutcome<T>]));
}
