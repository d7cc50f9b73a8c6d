import { Listr } from "listr2";
import pLimit from "p-limit";
import type { Output } from "./output.js";

/** What a host's work reports while it runs ("observing", "building (3 steps)"). */
export type ReportProgress = (message: string) => void;

export type HostOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

/**
 * Where per-host progress goes: stderr, since stdout carries plans and JSON. On a terminal a
 * listr2 view with one live line per host; otherwise one plain line per event, for CI logs.
 */
export interface HostProgress {
  report(host: string, message: string): void;
  /** The host's line ends: ✔, or ✖ with its last message. */
  finish(host: string, ok: boolean): void;
  /** Ends every line not finished yet and waits until the view is drawn for the last time. */
  close(): Promise<void>;
}

export function startHostProgress(hosts: readonly string[], output: Output): HostProgress {
  if (!output.interactive) {
    return {
      report: (host, message) => output.err(`${host}: ${message}`),
      finish: () => undefined,
      close: async () => undefined,
    };
  }
  const lastMessage = new Map<string, string>();
  const titles = new Map<string, { title: string }>();
  const settle = new Map<string, (ok: boolean) => void>();
  const finished = new Map(
    hosts.map((host) => [host, new Promise<boolean>((resolve) => settle.set(host, resolve))]),
  );
  const view = new Listr(
    hosts.map((host) => ({
      title: host,
      task: async (_: unknown, task: { title: string }) => {
        titles.set(host, task);
        const message = lastMessage.get(host);
        if (message !== undefined) task.title = `${host}: ${message}`;
        if (!(await finished.get(host)))
          throw new Error(`${host}: ${lastMessage.get(host) ?? "failed"}`);
      },
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
  );
  const drawn = view.run().then(
    () => undefined,
    () => undefined,
  );
  return {
    report: (host, message) => {
      lastMessage.set(host, message);
      const task = titles.get(host);
      if (task !== undefined) task.title = `${host}: ${message}`;
    },
    finish: (host, ok) => settle.get(host)?.(ok),
    close: async () => {
      for (const resolve of settle.values()) resolve(true);
      await drawn;
    },
  };
}

/**
 * Runs `work` for every host, at most `parallelism` at once, and keeps going when a host
 * fails: every host gets an outcome, in the order the hosts were given.
 */
export async function runPerHost<T>(
  hosts: readonly string[],
  options: {
    readonly parallelism: number;
    readonly output: Output;
    /** Where each host's progress goes; by default startHostProgress on the output. */
    readonly progress?: HostProgress;
  },
  work: (host: string, report: ReportProgress) => Promise<T>,
): Promise<Map<string, HostOutcome<T>>> {
  const progress = options.progress ?? startHostProgress(hosts, options.output);
  const outcomes = await pLimit(options.parallelism).map(hosts, async (host) => {
    let outcome: HostOutcome<T>;
    try {
      outcome = { ok: true, value: await work(host, (message) => progress.report(host, message)) };
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    progress.finish(host, outcome.ok);
    return outcome;
  });
  await progress.close();
  return new Map(hosts.map((host, index) => [host, outcomes[index] as HostOutcome<T>]));
}
