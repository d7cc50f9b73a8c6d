import type { LockSection, RemoteSection } from "../remote/index.js";

/**
 * The per-host lock of apply and destroy, as the lock section (src/remote) of the scripts a
 * run sends anyway, so the lock costs no round trip of its own:
 *
 *   observe (round trip 1)    takes it: `mkdir /run/netplan-k/lock` (atomic), then writes
 *                             `owner` in it: run id, user@controller, pid, start time and a
 *                             lease (expires=, in the host's own clock);
 *   build / remove scripts    first check it is still this run's and renew the lease; a lock
 *                             taken over by another run stops the script before any step;
 *   verify (the last script)  removes it after its own sections;
 *   release                   a script of its own, only for a host whose run ended early;
 *   unlock                    `netplan-k unlock`: shows the lock, and breaks it when it is
 *                             stale (or is the run `breakRun` names: dead, or --force).
 *
 * A lock is stale, and the next run breaks it, when its lease has run out (a killed run stops
 * renewing it), or when the controller names it by run id (`breakRuns`: the owner was a process
 * of the controller's own machine that no longer exists, or a run of this controller's user
 * that recorded its end, finished-runs.ts) and no script of that run still runs
 * on the host: each script that takes or renews the lock writes its own shell's pid (`script=`),
 * and a killed controller's last script, which goes on running on the host, holds the lock
 * until it ends (/proc/<pid> is gone), so two runs never interleave there. Breaking is serialised by a second
 * directory (`lock.break`), so two runs never both break one lock and then remove each other's.
 *
 * The lock section's body, one block per thing that happened:
 *
 *   taken | held | lost | released | broken
 *   <key>=<value>                 the owner file's lines, after held / lost / broken
 */

/** Where the lock lives on every host (a tmpfs: a reboot frees it). */
export const LOCK_DIR = "/run/netplan-k/lock";

/** Exit status of a script stopped by the lock: nothing after the lock section ran. */
export const LOCK_EXIT_STATUS = 75;

/**
 * The lease a lock is taken with in the observation: long enough to plan and be asked; a run
 * that changes nothing on a host leaves it to run out (releasing it would cost a round trip).
 */
export const OBSERVE_LEASE_SECONDS = 30;

/** The lease each later script renews: its own bound and the BGP wait after it. */
export const PHASE_LEASE_SECONDS = 300;

/** Who holds a lock, as its owner file says. Values are words: [A-Za-z0-9._:+-]. */
export interface LockOwner {
  readonly run: string;
  readonly user: string;
  readonly controller: string;
  readonly pid: number;
  /** When the run started, ISO 8601 (the controller's clock). */
  readonly since: string;
  readonly verb: string;
  /** When the lease runs out, seconds since the epoch (the host's clock). */
  readonly expires?: number;
  /** The pid, on the host, of the last script of the run that took or renewed the lock. */
  readonly script?: number;
  /**
   * observe: only the observation took it (its run sent no script that changes the host:
   * a run that found nothing to do there leaves this short lease to run out, and so does a run
   * stopped before its build); change: a script that may change the host renewed it. Absent in
   * owner files written before it was recorded.
   */
  readonly stage?: "observe" | "change";
}

/** What a script's lock section says: its last state and the owner file it showed. */
export interface LockReport {
  readonly state: "taken" | "held" | "lost" | "released" | "broken" | "none";
  readonly owner?: LockOwner;
  /** With "broken" followed by "taken": the stale lock that was broken. */
  readonly broken?: LockOwner;
}

/** What a script does with the lock before (take, check) or after (release) its own sections. */
export type LockAction =
  /** breakRuns: runs of this controller known gone (dead, or finished: finished-runs.ts). */
  | { readonly kind: "take"; readonly breakRuns?: readonly string[] }
  | { readonly kind: "check" }
  | { readonly kind: "release" }
  | { readonly kind: "unlock"; readonly breakRun?: string };

const word = (value: string): string => value.replace(/[^A-Za-z0-9._:+-]/g, "_");

/**
 * Shell definitions; every value is a word (see `word`) inside single quotes; NK_BREAK holds
 * the runs that may be broken, words separated by spaces.
 */
function lockFunctions(owner: LockOwner, breakRuns: readonly string[]): string {
  return `NK_LOCK=${LOCK_DIR}
NK_RUN='${word(owner.run)}'
NK_BREAK='${breakRuns.map(word).join(" ")}'
nk_lock_run() { sed -n 's/^run=//p' "$NK_LOCK/owner" 2>/dev/null; }
# Whether the lock's run is one of NK_BREAK.
nk_lock_named() {
  nk_named=$(nk_lock_run)
  [ -n "$nk_named" ] || return 1
  case " $NK_BREAK " in
    *" $nk_named "*) return 0 ;;
  esac
  return 1
}
# A lock dir without an owner file is a take cut between mkdir and the write: its age counts.
nk_lock_expired() {
  nk_expires=$(sed -n 's/^expires=//p' "$NK_LOCK/owner" 2>/dev/null)
  if [ -z "$nk_expires" ]; then
    nk_expires=$(( $(stat -c %Y "$NK_LOCK" 2>/dev/null || echo 0) + ${OBSERVE_LEASE_SECONDS} ))
  fi
  [ "$(date +%s)" -ge "$nk_expires" ]
}
# A script of the lock's run still running on this host (a killed controller's last one).
nk_lock_busy() {
  nk_pid=$(sed -n 's/^script=//p' "$NK_LOCK/owner" 2>/dev/null)
  [ -n "$nk_pid" ] && [ "$nk_pid" != "$$" ] && [ -d "/proc/$nk_pid" ]
}
nk_lock_stale() {
  nk_lock_expired || { [ -n "$NK_BREAK" ] && nk_lock_named && ! nk_lock_busy; }
}
# nk_lock_write LEASE STAGE: STAGE is observe (taken by an observation) or change (renewed by a
# script that may change the host).
nk_lock_write() {
  printf 'run=%s\\nuser=%s\\ncontroller=%s\\npid=%s\\nsince=%s\\nverb=%s\\nexpires=%s\\nscript=%s\\nstage=%s\\n' \\
    "$NK_RUN" '${word(owner.user)}' '${word(owner.controller)}' '${owner.pid}' \\
    '${word(owner.since)}' '${word(owner.verb)}' "$(( $(date +%s) + $1 ))" "$$" "$2" >"$NK_LOCK/owner.new" &&
    mv -f "$NK_LOCK/owner.new" "$NK_LOCK/owner"
}
nk_lock_say() {
  printf '%s\\n' "$1"
  cat "$NK_LOCK/owner" 2>/dev/null
}
nk_lock_take() {
  mkdir -p "\${NK_LOCK%/*}" || return 1
  # A breaker killed inside its few milliseconds leaves lock.break: a minute later it is void.
  if [ -n "$(find "$NK_LOCK.break" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then
    rmdir "$NK_LOCK.break" 2>/dev/null
  fi
  if [ -d "$NK_LOCK" ] && nk_lock_stale && mkdir "$NK_LOCK.break" 2>/dev/null; then
    if [ -d "$NK_LOCK" ] && nk_lock_stale; then
      nk_lock_say broken
      rm -rf "$NK_LOCK"
    fi
    rmdir "$NK_LOCK.break"
  fi
  if mkdir "$NK_LOCK" 2>/dev/null; then
    nk_lock_write ${OBSERVE_LEASE_SECONDS} observe || return 1
    printf 'taken\\n'
    return 0
  fi
  nk_lock_say held
  return ${LOCK_EXIT_STATUS}
}
nk_lock_check() {
  if [ "$(nk_lock_run)" = "$NK_RUN" ]; then
    nk_lock_write ${PHASE_LEASE_SECONDS} change
    return
  fi
  nk_lock_say lost
  return ${LOCK_EXIT_STATUS}
}
# Prints nothing when there is no lock; "broken" and its owner when it was stale and is gone
# now; "held" and its owner when it stays.
nk_lock_unlock() {
  [ -d "$NK_LOCK" ] || return 0
  if nk_lock_stale && mkdir "$NK_LOCK.break" 2>/dev/null; then
    if [ -d "$NK_LOCK" ] && nk_lock_stale; then
      nk_lock_say broken
      rm -rf "$NK_LOCK"
      rmdir "$NK_LOCK.break"
      return 0
    fi
    rmdir "$NK_LOCK.break"
  fi
  [ -d "$NK_LOCK" ] && nk_lock_say held
  return 0
}
nk_lock_release() {
  if [ "$(nk_lock_run)" = "$NK_RUN" ]; then
    rm -rf "$NK_LOCK" && printf 'released\\n'
  fi
}
`;
}

/**
 * The lock section (src/remote's LockSection) that does `action` for `owner`: take or check
 * run first, and a failure stops the script with LOCK_EXIT_STATUS before its own sections;
 * release runs last.
 */
export function lockSection(owner: LockOwner, action: LockAction): LockSection {
  const functions = lockFunctions(
    owner,
    action.kind === "take"
      ? (action.breakRuns ?? [])
      : action.kind === "unlock" && action.breakRun !== undefined
        ? [action.breakRun]
        : [],
  );
  switch (action.kind) {
    case "take":
      return { functions, command: "nk_lock_take", at: "first" };
    case "check":
      return { functions, command: "nk_lock_check", at: "first" };
    case "release":
      return { functions, command: "nk_lock_release", at: "last" };
    case "unlock":
      return { functions, command: "nk_lock_unlock", at: "first" };
  }
}

function ownerOf(fields: ReadonlyMap<string, string>): LockOwner | undefined {
  const run = fields.get("run");
  if (run === undefined) return undefined;
  const expires = Number(fields.get("expires"));
  const script = Number(fields.get("script"));
  const stage = fields.get("stage");
  return {
    run,
    user: fields.get("user") ?? "?",
    controller: fields.get("controller") ?? "?",
    pid: Number(fields.get("pid") ?? "0"),
    since: fields.get("since") ?? "?",
    verb: fields.get("verb") ?? "?",
    ...(Number.isFinite(expires) && expires > 0 && { expires }),
    ...(Number.isInteger(script) && script > 0 && { script }),
    ...((stage === "observe" || stage === "change") && { stage }),
  };
}

const REPORT_STATES: ReadonlySet<string> = new Set(["taken", "held", "lost", "released", "broken"]);
const isReportState = (line: string): line is LockReport["state"] => REPORT_STATES.has(line);

/**
 * What a script's lock section says (see the notes above); "none" when the script carried
 * none, or it printed nothing (a take that could not even make the lock's directory).
 */
export function parseLockReport(section: RemoteSection | undefined): LockReport {
  const blocks: { state: LockReport["state"]; fields: Map<string, string> }[] = [];
  for (const line of section?.body.split("\n") ?? []) {
    const [key = "", ...value] = line.split("=");
    if (value.length > 0) blocks.at(-1)?.fields.set(key, value.join("="));
    // Only the script's own words start a block: a line of a foreign or damaged owner file
    // (shown after "held") must not pass for a state, nor hide the lock it belongs to.
    else if (isReportState(line)) blocks.push({ state: line, fields: new Map() });
  }
  const last = blocks.at(-1);
  if (last === undefined) return { state: "none" };
  const broken = blocks.find((block) => block.state === "broken");
  const owner = ownerOf(last.fields);
  const brokenOwner = broken === undefined ? undefined : ownerOf(broken.fields);
  return {
    state: last.state,
    ...(owner !== undefined && { owner }),
    ...(brokenOwner !== undefined && { broken: brokenOwner }),
  };
}

/** "alice@laptop (pid 4242) since 2026-11-29T20:50:00.000Z": who holds a lock, for messages. */
export const describeLockOwner = (owner: LockOwner): string =>
  `${owner.user}@${owner.controller} (pid ${owner.pid}) since ${owner.since}`;
