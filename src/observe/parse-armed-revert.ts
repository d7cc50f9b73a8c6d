import type { ArmedRevert } from "../model/armed-revert.js";

/**
 * An armed revert's record (applier/armed-revert-script.ts): key=value lines (run, user,
 * controller, pid, since, timeout, fires; status once fired; now when an observation read it).
 * Undefined without a run id: nothing that netplan-k wrote.
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
    return fields.has(key) && Number.isFinite(value) ? value : undefined;
  };
  const now = number("now");
  const status = number("status");
  return {
    run,
    user: fields.get("user") ?? "?",
    controller: fields.get("controller") ?? "?",
    pid: number("pid") ?? 0,
    since: fields.get("since") ?? "?",
    timeoutSeconds: number("timeout") ?? 0,
    fires: number("fires") ?? 0,
    ...(now !== undefined && { now }),
    ...(status !== undefined && { status }),
  };
}
