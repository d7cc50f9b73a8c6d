/**
 * The one shape of every script netplan-k sends to a host (observe, apply, the BGP wait, the
 * ping probe): POSIX sh, sent on stdin to `sh -s` (over ssh, locally, or under `ip netns
 * exec`), so that each phase costs one round trip. It must not depend on bash (Debian's sh is
 * dash). Its output is one framing, read by parseRemoteOutput:
 *
 *   @@netplan-k:<kind>:<format version>
 *   @@netplan-k:section:<name>
 *   <the command's stdout>
 *   @@netplan-k:stderr:<a line of its stderr>      (one per line, only when it wrote some)
 *   @@netplan-k:exit:<its exit status>
 *   ...
 *   @@netplan-k:end                                (a missing end line = truncated)
 *
 * A script may carry a lock section (LOCK_SECTION, the applier's per-host lock): one command
 * run as a section like any other, first (the script stops after it, end line included, when
 * it fails) or last. parseRemoteOutput hands it back apart from the script's own sections.
 *
 * Only marker lines start with "@@netplan-k:": a body line that would (a command printing a
 * marker of its own) is sent as "@@netplan-k:line:<the line>" and read back as body, so no
 * command output can end a section, fake an exit status or end the stream.
 */

export const MARKER = "@@netplan-k:";

/** What a script is for, as its first output line names it ("observation", "apply", ...). */
export interface RemoteScriptKind {
  readonly kind: string;
  readonly version: number;
}

/** The name of the lock section in every script's output. */
export const LOCK_SECTION = "lock";

/** The section that runs a script under a lock (see the notes above). */
export interface LockSection {
  /** Shell functions the command calls, each with a comment saying what it does. */
  readonly functions: string;
  /** The command run as the section; its stdout is the section's body. */
  readonly command: string;
  /**
   * "first": before the main part, which does not run when the command fails (the script then
   * prints the end line and exits with the command's status); "last": after the main part,
   * leaving the script's exit status as the main part set it.
   */
  readonly at: "first" | "last";
}

export interface RemoteScript extends RemoteScriptKind {
  /** The first comment line: what the script does ("read-only", "changes nothing"). */
  readonly summary: string;
  /** Shell functions the main part calls, each with a comment saying what it does. */
  readonly functions: string;
  /**
   * The body of nk_main: nk_section calls (and loops, conditions), indented by two spaces. It
   * may set nk_script_status, which becomes the script's exit status (0 when left unset).
   */
  readonly main: string;
  /** Lines run before nk_main (a scratch directory and its trap, say); none when left out. */
  readonly setup?: string;
  /** The lock section; none when left out. */
  readonly lock?: LockSection;
}

/**
 * The preamble: a fixed locale (the parsers read English messages and "." decimals), and
 * the sbin directories, which non-interactive ssh sessions of non-root users often lack.
 */
const PREAMBLE = `LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH
export PATH
nk_newline='
'`;

/**
 * nk_section runs a command inside a subshell that captures its stderr, the command's stdout
 * inside that in a second one; fd 3 carries the body out to the function's own stdout, so a
 * section may be written to a file (a background job's) as well as to the script's output.
 * Command substitution drops trailing newlines, and then exactly one is printed: the JSON
 * listings end without one, and a marker must start its own line. Escaping costs a sed only
 * in the rare section whose output holds a marker-like line.
 */
const SECTION_FUNCTION = `# nk_section NAME COMMAND...: runs COMMAND as section NAME of the output: its stdout is the
# body (a line starting with the marker is escaped as a "line:" marker), each line of its
# stderr a stderr marker, its exit status the exit marker; returns that exit status.
nk_section() {
  printf '${MARKER}section:%s\\n' "$1"
  shift
  {
    nk_err=$(
      {
        nk_out=$("$@" 2>&4 3>&- 4>&-)
        nk_rc=$?
        case $nk_out in
          '${MARKER}'* | *"$nk_newline${MARKER}"*)
            printf '%s\\n' "$nk_out" | sed 's/^${MARKER}/${MARKER}line:&/' >&3
            ;;
          *) printf '%s\\n' "$nk_out" >&3 ;;
        esac
        exit "$nk_rc"
      } 4>&1
    )
    nk_rc=$?
  } 3>&1
  if [ -n "$nk_err" ]; then
    printf '%s\\n' "$nk_err" | sed 's/^/${MARKER}stderr:/'
  fi
  printf '${MARKER}exit:%s\\n' "$nk_rc"
  return "$nk_rc"
}`;

/** The begin line of a script's output: "@@netplan-k:observation:1". */
export const beginLine = ({ kind, version }: RemoteScriptKind): string =>
  `${MARKER}${kind}:${version}`;

/** The last line of a complete output. */
export const END_LINE = `${MARKER}end`;

/** nk_main's lines before and after the main part for the script's lock section. */
function lockLines(lock: LockSection | undefined): { before: string; after: string } {
  if (lock === undefined) return { before: "", after: "" };
  const section = `  nk_section ${LOCK_SECTION} ${lock.command}`;
  return lock.at === "first"
    ? {
        before: `${section} || {
    nk_script_status=$?
    printf '${END_LINE}\\n'
    return "$nk_script_status"
  }
`,
        after: "",
      }
    : { before: "", after: `${section}\n` };
}

/**
 * The script text: preamble, nk_section, the caller's functions (and the lock's), then
 * nk_main, which prints the begin line, runs the lock section first, `main`, the lock section
 * last, and prints the end line. Pure: the same input gives the same text, byte for byte.
 */
export function renderRemoteScript(script: RemoteScript): string {
  const lock = lockLines(script.lock);
  return `# netplan-k ${script.kind} (format ${script.version}): POSIX sh, ${script.summary}
${PREAMBLE}

${SECTION_FUNCTION}

${script.functions}
${script.lock === undefined ? "" : `\n${script.lock.functions}\n`}
nk_main() {
  printf '${beginLine(script)}\\n'
${lock.before}${script.main}
${lock.after}  printf '${END_LINE}\\n'
  return "\${nk_script_status:-0}"
}
${script.setup === undefined ? "" : `\n${script.setup}\n`}
# The script arrives on stdin (sh -s): no command may read the rest of it, so nk_main's stdin
# is /dev/null.
nk_main </dev/null
`;
}
