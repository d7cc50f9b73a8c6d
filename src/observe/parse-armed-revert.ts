import type { ArmedRevert } from "../model/armed-revert.js";

/**
 * A revert's record (applier/armed-revert-script.ts): key=value lines (run, user, controller,
 * pid, since, timeout, fires; status, fired, already once its revert ran; and what an
 * observation adds: now, the host's clock; record=fired when the record was read from `fired`
 * (the timer went off); timer-start, the start time the timer recorded for itself, and
 * running-start, the start time of the process that has its pid now, empty when none has:
 * equal, the timer is alive; different or gone, it is dead). Undefined without a run id:
 * nothing that netplan-k wrote.
 */
export function parseArmedRevert(lines: readonly string[]): ArmedRevert | undefined {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const [key = "", ...value] = line.split("=");
    if (value.length > 0) fields.set(key, value.join("="));
  }
  const run = fields.get("run");
  if (run === undefined) return undefined;
  const number = (key: string): number | undefined => {
    const value = Number(fields.get(key));
    return fields.has(key) && fields.get(key) !== "" && Number.isFinite(value) ? value : undefined;
  };
  const now = number("now");
  const status = number("status");
  const firedAt = number("fired");
  const already = number("already");
  const running = fields.get("running-start");
  const recorded = fields.get("timer-start");
  // A timer from before its start time was recorded is alive while its pid runs.
  const timer =
    running === undefined
      ? undefined
      : running !== "" && (recorded === undefined || recorded === "" || recorded === running)
        ? "alive"
        : "dead";
  return {
    run,
    user: fields.get("user") ?? "?",
    controller: fields.get("controller") ?? "?",
    pid: number("pid") ?? 0,
    since: fields.get("since") ?? "?",
    timeoutSeconds: number("timeout") ?? 0,
    fires: number("fires") ?? 0,
    ...(now !== undefined && { now }),
    ...(fields.get("record") === "fired" && { firing: true }),
    ...(timer !== undefined && { timer }),
    ...(status !== undefined && { status }),
    ...(firedAt !== undefined && { firedAt }),
    ...(already !== undefined && { already }),
  };
}
