import { describeRevertFiring, describeRevertOwner, NetplanError } from "../model/index.js";
import { parseRemoteOutput } from "../remote/index.js";
import type { Transport } from "../transport/index.js";
import {
  parseRevertReport,
  renderArmScript,
  renderClearFiredScript,
  renderDisarmScript,
  REVERT_KIND,
  REVERT_SECTION,
  type ArmRequest,
  type RevertReport,
} from "./armed-revert-script.js";

/**
 * Arming and disarming a confirm-timeout revert on a host (armed-revert-script.ts says what
 * lives there): one round trip each. Arming comes before the host's first change; disarming
 * is the confirmation, made after verification over a transport opened for it (a new SSH
 * connection: the proof that the path still works), or `netplan-k disarm` by hand.
 */

/** A script's bound: both write a few files and start or stop one process. */
const REVERT_SCRIPT_TIMEOUT_MS = 30_000;

async function runRevertScript(transport: Transport, stdin: string): Promise<RevertReport> {
  const result = await transport.run(["sh", "-s"], {
    stdin,
    timeoutMs: REVERT_SCRIPT_TIMEOUT_MS,
  });
  const output = parseRemoteOutput(transport.host, REVERT_KIND, result.stdout);
  const section = output.sections.find((s) => s.name === REVERT_SECTION);
  if (
    section === undefined ||
    (section.exitCode !== 0 && parseRevertReport(section.body).state === "none")
  ) {
    const why = section?.stderr || result.stderr.trim() || `exit status ${result.exitCode}`;
    throw new NetplanError(
      "apply.revert-failed",
      `${transport.host}: the confirm-timeout revert script failed: ${why}`,
      { host: transport.host },
    );
  }
  return parseRevertReport(section.body);
}

/**
 * Arms the revert of `request` on the transport's host. Throws a NetplanError naming the
 * host: apply.revert-armed when another run's revert is armed there (who, since when),
 * apply.revert-failed when the script failed, or the transport's error.
 */
export async function armRevert(transport: Transport, request: ArmRequest): Promise<RevertReport> {
  const report = await runRevertScript(transport, renderArmScript(request));
  if (report.state === "held" && report.record !== undefined) {
    throw armedElsewhereError(transport.host, report);
  }
  if (report.state !== "armed") {
    throw new NetplanError(
      "apply.revert-failed",
      `${transport.host}: the confirm-timeout revert was not armed (the script said ${report.state})`,
      { host: transport.host },
    );
  }
  return report;
}

/**
 * Disarms run `run`'s revert on the transport's host (any run's when undefined). Returns what
 * the host said: disarmed, none (nothing armed), fired (too late: the revert ran), or held
 * (another run's, left armed). Throws apply.revert-failed or the transport's error.
 */
export const disarmRevert = (
  transport: Transport,
  run: string | undefined,
): Promise<RevertReport> => runRevertScript(transport, renderDisarmScript(run));

/**
 * Removes the record of run `run`'s revert that fired (renderClearFiredScript): `cleared`, or
 * `none` when there is no such record (or a revert is armed meanwhile). Throws
 * apply.revert-failed or the transport's error.
 */
export const clearFiredRevert = (transport: Transport, run: string): Promise<RevertReport> =>
  runRevertScript(transport, renderClearFiredScript(run));

/** The error for a host where another run's revert is armed. */
export function armedElsewhereError(host: string, report: RevertReport): NetplanError {
  const record = report.record;
  const who = record === undefined ? "another run" : describeRevertOwner(record);
  return new NetplanError(
    "apply.revert-armed",
    `${host}: a confirm-timeout revert is armed by ${who}; it ${
      record === undefined ? "fires later" : describeRevertFiring(record)
    } and puts back what that run changed`,
    {
      host,
      remedy: `Wait until it fires, or disarm it: netplan-k disarm TOPOLOGY --limit ${host}`,
    },
  );
}
