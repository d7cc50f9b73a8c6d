import { NetplanError } from "../model/netplan-error.js";
import type { Transport } from "../transport/transport.js";
import { isLeftByDeadRunHere } from "./host-lock.js";
import { LOCK_DIR, lockSection, parseLockReport, type LockOwner } from "./host-lock-script.js";
import { parseRemoteOutput, renderRemoteScript, type RemoteScriptKind } from "../remote/index.js";

/**
 * `netplan-k unlock`: the lock of one host, shown and removed when that is safe. A lock is
 * removed when its lease has run out, when its owner was a process of this machine that no
 * longer exists (the rules runs break locks by, host-lock.ts), or with `force`. A forced or
 * dead-owner removal names the lock's run id, so it removes exactly the lock it was shown,
 * never one another run took in between.
 */

/** What unlock found on a host, and what it did. */
export type UnlockResult =
  | { readonly kind: "none" }
  | { readonly kind: "removed"; readonly owner: LockOwner | undefined; readonly why: UnlockWhy }
  | { readonly kind: "held"; readonly owner: LockOwner | undefined };

/** stale: its lease ran out; dead: its process on this machine is gone; forced: --force. */
export type UnlockWhy = "stale" | "dead" | "forced";

/** The script that only shows and breaks the lock: its main part is empty. */
const UNLOCK_KIND = { kind: "lock-unlock", version: 1 } as const satisfies RemoteScriptKind;

/** The unlock script's bound: a few shell lines. */
const UNLOCK_TIMEOUT_MS = 15_000;

/**
 * Shows and, when stale or forced, removes the lock of `transport`'s host: one round trip, two
 * when a live-looking lock is to be broken by its run id. Throws TransportError when the host
 * cannot be reached, NetplanError "apply.lock-failed" when the script fails.
 */
export async function unlockHost(
  transport: Transport,
  self: LockOwner,
  force: boolean,
): Promise<UnlockResult> {
  const first = await runUnlock(transport, self, undefined);
  if (first.kind !== "held" || first.owner === undefined) return first;
  const why: UnlockWhy | undefined = isLeftByDeadRunHere(first.owner, self)
    ? "dead"
    : force
      ? "forced"
      : undefined;
  if (why === undefined) return first;
  const second = await runUnlock(transport, self, first.owner.run);
  return second.kind === "removed" ? { ...second, why } : second;
}

async function runUnlock(
  transport: Transport,
  self: LockOwner,
  breakRun: string | undefined,
): Promise<UnlockResult> {
  const result = await transport.run(["sh", "-s"], {
    stdin: renderRemoteScript({
      ...UNLOCK_KIND,
      summary: "shows the per-host lock, and removes it when it is stale or named.",
      functions: "",
      main: "",
      lock: lockSection(self, { kind: "unlock", ...(breakRun !== undefined && { breakRun }) }),
    }),
    timeoutMs: UNLOCK_TIMEOUT_MS,
    phase: "unlock",
  });
  const report = parseLockReport(
    result.exitCode === 0
      ? parseRemoteOutput(transport.host, UNLOCK_KIND, result.stdout).lock
      : undefined,
  );
  switch (report.state) {
    case "broken":
      return { kind: "removed", owner: report.broken ?? report.owner, why: "stale" };
    case "held":
      return { kind: "held", owner: report.owner };
    default:
      if (result.exitCode !== 0) {
        throw new NetplanError(
          "apply.lock-failed",
          `${transport.host}: the unlock script failed (exit ${result.exitCode}): ${result.stderr.trim() || "no message"}`,
          {
            host: transport.host,
            remedy: `netplan-k needs to remove ${LOCK_DIR} on the host: run it as root there.`,
          },
        );
      }
      return { kind: "none" };
  }
}
