import type { RunOptions, Transport } from "../transport/transport.js";
import { LabError } from "./lab-error.js";

/**
 * Runs argv through the transport and returns its stdout; a non-zero exit becomes a LabError
 * naming the transport's host, the command and its stderr. A host that cannot be reached stays
 * the transport's own TransportError.
 */
export async function runChecked(
  transport: Transport,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const result = await transport.run(argv, options);
  if (result.exitCode !== 0) {
    throw new LabError(
      `${transport.host}: ${argv.join(" ")} failed (exit ${result.exitCode}): ${result.stderr.trim() || "no error output"}`,
    );
  }
  return result.stdout;
}
