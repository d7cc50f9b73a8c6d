import type { ObservedHost } from "../model/index.js";
import type { Transport } from "../transport/transport.js";
import { ObservationError } from "./observation-error.js";
import { OBSERVATION_SCRIPT } from "./observation-script.js";
import { parseObservation } from "./parse-observation.js";

/**
 * One round trip: the observation script goes to the host on stdin of `sh -s`, and everything
 * the planner needs comes back in its output. Transport failures (unreachable, authentication,
 * host key) propagate as TransportError.
 */
export async function observeHost(transport: Transport): Promise<ObservedHost> {
  const result = await transport.run(["sh", "-s"], {
    stdin: OBSERVATION_SCRIPT,
    timeoutMs: 60_000,
  });
  if (result.exitCode !== 0) {
    throw new ObservationError(
      `${transport.host}: the observation script failed (exit ${result.exitCode}): ${result.stderr.trim() || "no message"}`,
      { host: transport.host },
    );
  }
  return parseObservation(transport.host, result.stdout);
}
