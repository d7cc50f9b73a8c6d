import { EXIT_SIGINT, EXIT_SIGTERM } from "./exit-codes.js";

/**
 * SIGINT and SIGTERM during apply and destroy (issue 11, point 7), caught from the first
 * moment of the process: main.ts imports this module first, and it starts catching as it is
 * loaded (the one side effect of an import in the CLI: an ES module's body runs only after
 * every module it imports, so a call in main.ts would come after the whole CLI has loaded),
 * so a Ctrl-C in the first second still reaches the run, which then says that nothing was
 * sent to any host. The first signal aborts `interruption` (the pipeline finishes the scripts
 * already sent and starts no new step); a second exits at once. Either way the exit status is
 * what a shell reports for the signal that stopped the run: 130 for SIGINT, 143 for SIGTERM.
 * Other commands keep the default handling: they change nothing.
 */

const controller = new AbortController();

/** The exit status of a run stopped by `signal`: 128 + its number, as a shell reports it. */
const exitStatusOf = (signal: "SIGINT" | "SIGTERM"): number =>
  signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;

const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
  if (controller.signal.aborted) process.exit(exitStatusOf(signal));
  controller.abort(signal);
};

/** The command named on the command line: the first argument that is not an option. */
const commandOf = (argv: readonly string[]): string | undefined =>
  argv.slice(2).find((arg) => !arg.startsWith("-"));

/**
 * Catches SIGINT and SIGTERM when `argv` runs apply or destroy (see above); returns whether it
 * does. Call once, as early as possible.
 */
function catchInterruptionsOf(argv: readonly string[]): boolean {
  const command = commandOf(argv);
  if (command !== "apply" && command !== "destroy") return false;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return true;
}

/** Aborted by the first SIGINT or SIGTERM caught (catchInterruptionsOf); never otherwise. */
export const interruption: AbortSignal = controller.signal;

/**
 * The exit status of a run that `interruption` stopped: 130 when the first signal caught was
 * SIGINT, 143 when it was SIGTERM (or when the signal was aborted by other means).
 */
export const interruptedExitStatus = (): number =>
  exitStatusOf(controller.signal.reason === "SIGINT" ? "SIGINT" : "SIGTERM");

catchInterruptionsOf(process.argv);
