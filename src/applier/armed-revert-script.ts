import { REVERT_DIR, type ArmedRevert, type Service } from "../model/index.js";
import { parseArmedRevert } from "../observe/parse-armed-revert.js";
import type { Change } from "../planner/plan.js";
import { renderRemoteScript, type RemoteScriptKind } from "../remote/index.js";
import { applySteps, renderStepFunction, REVERT_JUDGE } from "./apply-script.js";
import { ApplierError } from "./applier-error.js";
import { changeCommands } from "./change-commands.js";
import type { LockOwner } from "./host-lock-script.js";

/**
 * The confirm-timeout revert (issue 11, point 3) as it lives on a host, next to the lock
 * (host-lock-script.ts), in REVERT_DIR, /run/netplan-k/revert (a tmpfs: a reboot ends it):
 *
 *   revert.sh   the revert (planner/revert-target.ts), a plain POSIX sh script that runs
 *               every line whatever the one before did (`ip -force -batch`; shell lines one by
 *               one), so it also undoes a half-applied host;
 *   timer.sh    the detached process: `setsid` (or `nohup` where there is none) `sh timer.sh`,
 *               its output to /dev/null, so it outlives the SSH session; it records its pid
 *               (its process group), sleeps, then fires: `mv armed fired` (atomic: a
 *               confirmation that won the race has moved `armed` away) and runs revert.sh,
 *               its output in revert.log;
 *   armed       the arming's record: run id, user@controller, pid, since (the controller's
 *               clock), timeout and fires= (seconds since the epoch, the host's clock);
 *   fired       the record once the revert ran, with its exit status (status=).
 *
 * Disarming (a confirmation, or `netplan-k disarm`) is `mv armed disarmed` (atomic), then a
 * kill of the timer's process group, then the directory's removal. No systemd, no at: lab
 * hosts and minimal machines have neither.
 *
 * The sections' bodies: `armed` or `disarmed` then the record's lines (key=value); `fired`
 * and the fired record (the revert ran already: too late to confirm); `held` and the record
 * of another run's arming (nothing was armed or disarmed); `cleared` and the fired record it
 * removed; `none` (nothing armed).
 *
 * A revert that fired leaves `fired` (its record, the revert's status, when it ended, how many
 * lines found their object already as wanted) and revert.log. Every observation reads it, so
 * plan names it and the next apply or destroy reports it; that run removes it (the clear
 * script, one round trip on that host only) once the host converged or had nothing to change,
 * so it is said until a run has seen the host whole again, and not after. Arming a new revert
 * removes it too (the arming run reported it first). A reboot removes it with /run.
 */

/** The arm and disarm scripts' begin line, in the remote-script framing. */
export const REVERT_KIND = { kind: "revert", version: 1 } as const satisfies RemoteScriptKind;

/** The section the arm and disarm scripts report in. */
export const REVERT_SECTION = "revert";

/** Exit status of an arm or disarm that found another run's arming, or a fired revert. */
export const REVERT_REFUSED_STATUS = 76;

const word = (value: string): string => value.replace(/[^A-Za-z0-9._:+-]/g, "_");

/** A delimiter the revert's own heredocs (apply-script.ts: NK_BATCH_<n>) never use. */
const REVERT_DELIMITER = "NK_REVERT_SCRIPT";

/**
 * revert.sh for `changes` (planRevert's, in plan order; `services`: the pre-apply services,
 * which say which file changes mean a reload): every step runs and every line of it, a
 * failing line does not stop it (apply-script.ts, the steps in count mode). A delete of what is
 * already absent, or a create of what is already there, leaves the host as wanted: the revert
 * of a half-applied host meets those, and they count apart. Prints `already=N` (those lines)
 * and `failed=M` (every other failing line) last, and exits with M (at most 125): 0 when the
 * host is as wanted. Throws what applySteps throws for a change it cannot express
 * (apply.unsupported-change).
 */
export function renderRevertScript(
  changes: readonly Change[],
  services: readonly Service[],
): string {
  const steps = applySteps(changes, services);
  return [
    "#!/bin/sh",
    `# netplan-k confirm-timeout revert: ${changes.length} changes, ${steps.length} steps.`,
    "LC_ALL=C",
    "export LC_ALL",
    "PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH",
    "export PATH",
    REVERT_JUDGE,
    ...steps.map((step, index) => renderStepFunction(step, index + 1, "count")),
    ...steps.map((_, index) => `nk_step_${index + 1}`),
    'printf \'already=%s\\nfailed=%s\\n\' "$nk_already" "$nk_failed"',
    'if [ "$nk_failed" -gt 125 ]; then exit 125; fi',
    'exit "$nk_failed"',
    "",
  ].join("\n");
}

/**
 * The changes of a revert that commands can express, and those they cannot: a workload's veth
 * that the apply would delete is observed without its peer (the observation does not say
 * where its other end is), so it cannot be created again (the rollback's limit too:
 * planner/rollback-target.ts). The revert leaves those out and says so; everything else it
 * restores.
 */
export function splitExpressible(changes: readonly Change[]): {
  readonly expressible: Change[];
  readonly left: Change[];
} {
  const expressible: Change[] = [];
  const left: Change[] = [];
  for (const change of changes) {
    try {
      changeCommands(change);
      expressible.push(change);
    } catch (error) {
      if (!(error instanceof ApplierError)) throw error;
      left.push(change);
    }
  }
  return { expressible, left };
}

/** The arming a run asks for: who arms it, the revert, and after how long it fires. */
export interface ArmRequest {
  readonly owner: LockOwner;
  /** revert.sh (renderRevertScript). */
  readonly revertScript: string;
  readonly timeoutSeconds: number;
}

/**
 * timer.sh: records its pid and its start time (field 22 of /proc/<pid>/stat, in clock ticks
 * since boot: a recycled pid has another), sleeps, fires; appends the revert's exit status,
 * the time it ended and its count of lines already as wanted to the fired record.
 */
const TIMER = `#!/bin/sh
# netplan-k confirm-timeout timer: fires the revert unless it is disarmed first.
cd "$(dirname "$0")" || exit 1
printf '%s\\n' "$$" >timer.pid
sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20 >timer.start
sleep "$1"
mv armed fired 2>/dev/null || exit 0
sh ./revert.sh >revert.log 2>&1
nk_status=$?
printf 'status=%s\\nfired=%s\\n' "$nk_status" "$(date +%s)" >>fired
grep '^already=' revert.log | tail -n 1 >>fired
`;

const revertFunctions = (run: string): string => `NK_REVERT=${REVERT_DIR}
NK_RUN='${word(run)}'
nk_revert_run() { sed -n 's/^run=//p' "$NK_REVERT/armed" 2>/dev/null; }
nk_revert_say() {
  printf '%s\\n' "$1"
  cat "$NK_REVERT/$2" 2>/dev/null
}
# Stops the timer (its process group: sh and its sleep) and removes the directory. Only a
# timer that is still the process it recorded: a pid recycled since (the timer killed, the
# host rebooted) is another program's, never signalled.
nk_revert_stop() {
  nk_pid=$(cat "$NK_REVERT/timer.pid" 2>/dev/null)
  nk_start=$(cat "$NK_REVERT/timer.start" 2>/dev/null)
  case $nk_pid in
    "" | *[!0-9]*) ;;
    *)
      if [ -z "$nk_start" ] ||
        [ "$(sed 's/.*) //' "/proc/$nk_pid/stat" 2>/dev/null | cut -d' ' -f20)" = "$nk_start" ]; then
        # dash's kill takes "-PID" (a process group) but no "--" before it.
        kill -TERM "-$nk_pid" 2>/dev/null || kill -TERM "$nk_pid" 2>/dev/null
      fi
      ;;
  esac
  rm -rf "$NK_REVERT"
}
# Disarms this run's arming ("" as NK_RUN: whoever armed it); reports what it found.
nk_revert_disarm() {
  if [ ! -e "$NK_REVERT/armed" ]; then
    if [ -e "$NK_REVERT/fired" ]; then
      nk_revert_say fired fired
      return ${REVERT_REFUSED_STATUS}
    fi
    printf 'none\\n'
    return 0
  fi
  if [ -n "$NK_RUN" ] && [ "$(nk_revert_run)" != "$NK_RUN" ]; then
    nk_revert_say held armed
    return ${REVERT_REFUSED_STATUS}
  fi
  if ! mv "$NK_REVERT/armed" "$NK_REVERT/disarmed" 2>/dev/null; then
    nk_revert_say fired fired
    return ${REVERT_REFUSED_STATUS}
  fi
  nk_revert_say disarmed disarmed
  nk_revert_stop
}`;

/**
 * The arm script: one round trip that refuses when another run's revert is armed (`held`),
 * clears what a fired or disarmed one left, writes revert.sh and timer.sh, writes the record
 * and starts the timer, detached. Its section says `armed` and the record.
 */
export function renderArmScript(request: ArmRequest): string {
  const { owner } = request;
  const seconds = Math.max(1, Math.ceil(request.timeoutSeconds));
  return renderRemoteScript({
    ...REVERT_KIND,
    summary: `Arms a revert that fires in ${seconds} s unless disarmed.`,
    functions: `${revertFunctions(owner.run)}
nk_revert_arm() {
  if [ -e "$NK_REVERT/armed" ]; then
    nk_revert_say held armed
    return ${REVERT_REFUSED_STATUS}
  fi
  nk_revert_stop
  mkdir -p "$NK_REVERT" || return 1
  cat >"$NK_REVERT/revert.sh" <<'${REVERT_DELIMITER}' || return 1
${request.revertScript}${REVERT_DELIMITER}
  cat >"$NK_REVERT/timer.sh" <<'${REVERT_DELIMITER}' || return 1
${TIMER}${REVERT_DELIMITER}
  printf 'run=%s\\nuser=%s\\ncontroller=%s\\npid=%s\\nsince=%s\\nverb=%s\\ntimeout=%s\\nfires=%s\\n' \\
    "$NK_RUN" '${word(owner.user)}' '${word(owner.controller)}' '${owner.pid}' \\
    '${word(owner.since)}' '${word(owner.verb)}' '${seconds}' "$(( $(date +%s) + ${seconds} ))" \\
    >"$NK_REVERT/armed" || return 1
  if command -v setsid >/dev/null 2>&1; then
    setsid sh "$NK_REVERT/timer.sh" ${seconds} </dev/null >/dev/null 2>&1 &
  else
    nohup sh "$NK_REVERT/timer.sh" ${seconds} </dev/null >/dev/null 2>&1 &
  fi
  nk_revert_say armed armed
  printf 'now=%s\\n' "$(date +%s)"
}`,
    main: `  nk_section ${REVERT_SECTION} nk_revert_arm || nk_script_status=$?`,
  });
}

/**
 * The disarm script: disarms the arming of run `run` (a confirmation), or any arming when
 * `run` is undefined (`netplan-k disarm`). Its section says `disarmed`, `fired`, `held` or
 * `none`, with the record.
 */
export function renderDisarmScript(run: string | undefined): string {
  return renderRemoteScript({
    ...REVERT_KIND,
    summary: "Disarms an armed revert.",
    functions: revertFunctions(run ?? ""),
    main: `  nk_section ${REVERT_SECTION} nk_revert_disarm || nk_script_status=$?`,
  });
}

/**
 * The clear script: removes the record of run `run`'s revert once it fired and ran (the run
 * after it reported it, and that run converged on the host: armed-revert-script's notes), unless
 * a revert is armed meanwhile. Its section says `cleared` with the record, or `none`.
 */
export function renderClearFiredScript(run: string): string {
  return renderRemoteScript({
    ...REVERT_KIND,
    summary: "Clears the record of a revert that fired.",
    functions: `${revertFunctions(run)}
nk_revert_clear() {
  if [ -e "$NK_REVERT/armed" ] || [ "$(sed -n 's/^run=//p' "$NK_REVERT/fired" 2>/dev/null)" != "$NK_RUN" ] ||
    ! grep -q '^status=' "$NK_REVERT/fired" 2>/dev/null; then
    printf 'none\\n'
    return 0
  fi
  nk_revert_say cleared fired
  rm -rf "$NK_REVERT"
}`,
    main: `  nk_section ${REVERT_SECTION} nk_revert_clear || nk_script_status=$?`,
  });
}

/** What the section of an arm or disarm script said. */
export interface RevertReport {
  readonly state: "armed" | "disarmed" | "fired" | "held" | "cleared" | "none";
  readonly record?: ArmedRevert;
}

/** The report of a revert section's body: its first line, then the record. */
export function parseRevertReport(body: string): RevertReport {
  const [first = "", ...rest] = body.split("\n");
  const state = (["armed", "disarmed", "fired", "held", "cleared"] as const).find(
    (s) => s === first,
  );
  if (state === undefined) return { state: "none" };
  const record = parseArmedRevert(rest);
  return { state, ...(record !== undefined && { record }) };
}
