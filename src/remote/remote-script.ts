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

/**
 * The script text: preamble, nk_section, the caller's functions, then nk_main, which prints
 * the begin line, runs `main` and prints the end line. Pure: the same input gives the same
 * text, byte for byte.
 */
export function renderRemoteScript(script: RemoteScript): string {
  return `# netplan-k ${script.kind} (format ${script.version}): POSIX sh, ${script.summary}
${PREAMBLE}

${SECTION_FUNCTION}

${script.functions}

nk_main() {
  printf '${beginLine(script)}\\n'
${script.main}
  printf '${END_LINE}\\n'
  return "\${nk_script_status:-0}"
}
${script.setup === undefined ? "" : `\n${script.setup}\n`}
# The script arrives on stdin (sh -s): no command may read the rest of it, so nk_main's stdin
# is /dev/null.
nk_main </dev/null
`;
}
