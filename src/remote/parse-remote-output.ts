import { RemoteOutputError } from "./remote-output-error.js";
import {
  MARKER,
  beginLine,
  END_LINE,
  LOCK_SECTION,
  type RemoteScriptKind,
} from "./remote-script.js";

/** One section of a remote script's output: what a command printed and how it ended. */
export interface RemoteSection {
  readonly name: string;
  /** The command's stdout, trimmed. */
  readonly body: string;
  readonly exitCode: number;
  /** The command's stderr, its lines trimmed and joined by "\n"; "" when it wrote none. */
  readonly stderr: string;
}

export interface RemoteOutput {
  /** The script's own closed sections, in the order it printed them. */
  readonly sections: readonly RemoteSection[];
  /** The lock section (LOCK_SECTION), when the script carried one and it closed. */
  readonly lock?: RemoteSection;
  /** The end line came: the script ran to its end. */
  readonly complete: boolean;
  /** When not complete: the section that was open when the stream stopped, if one was. */
  readonly cutInside?: string;
}

const SECTION = `${MARKER}section:`;
const LINE = `${MARKER}line:`;
const STDERR = `${MARKER}stderr:`;
const EXIT = `${MARKER}exit:`;

/**
 * Cuts the output of a script made by renderRemoteScript into its sections, the lock section
 * apart from the script's own (a lock that stopped the script is the only one). Lines before the
 * begin line are skipped: a login shell may print a banner first. A stream without the end
 * line (a dropped connection, a killed shell; an empty output too) is returned with `complete` false, the sections
 * closed so far and the one it was cut inside; requireComplete turns that into an error.
 *
 * Throws RemoteOutputError (starting with `host`, naming the section where there is one) when
 * there is no begin line, the format version differs, a section opens twice or before the
 * previous one closed, or a line lies outside any section.
 */
export function parseRemoteOutput(
  host: string,
  expected: RemoteScriptKind,
  output: string,
): RemoteOutput {
  const { kind } = expected;
  const begin = `${MARKER}${kind}:`;
  // Nothing at all: the stream was cut before the script printed its first line.
  if (output.trim() === "") return { sections: [], complete: false };
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.startsWith(begin));
  if (start < 0) {
    throw new RemoteOutputError(
      `${host}: the output holds no ${kind} (no "${begin}" line); was it made by netplan-k's ${kind} script?`,
      { host },
    );
  }
  const version = lines[start]?.slice(begin.length);
  if (lines[start] !== beginLine(expected)) {
    throw new RemoteOutputError(
      `${host}: ${kind} format ${version} is not supported (this netplan-k reads ${expected.version})`,
      { host },
    );
  }

  const sections: RemoteSection[] = [];
  let lock: RemoteSection | undefined;
  const names = new Set<string>();
  let open: { name: string; body: string[]; stderr: string[] } | undefined;
  for (const [offset, line] of lines.slice(start + 1).entries()) {
    const where = `line ${start + offset + 2} of the ${kind} output`;
    if (line.startsWith(LINE) || !line.startsWith(MARKER)) {
      const text = line.startsWith(LINE) ? line.slice(LINE.length) : line;
      if (open) open.body.push(text);
      else if (line !== "") {
        const after = sections.at(-1);
        throw new RemoteOutputError(
          `${host}: ${where} lies outside any section` +
            (after === undefined ? "" : ` (after section "${after.name}")`),
          { host },
        );
      }
    } else if (line === END_LINE) {
      const closed = { sections, ...(lock && { lock }) };
      if (open) return { ...closed, complete: false, cutInside: open.name };
      return { ...closed, complete: true };
    } else if (line.startsWith(SECTION)) {
      if (open) {
        throw new RemoteOutputError(
          `${host}: section "${open.name}" has no exit line before ${where}`,
          { host },
        );
      }
      const name = line.slice(SECTION.length);
      if (names.has(name)) {
        throw new RemoteOutputError(
          `${host}: section "${name}" appears twice in the ${kind} output`,
          { host },
        );
      }
      names.add(name);
      open = { name, body: [], stderr: [] };
    } else if (open && line.startsWith(STDERR)) {
      open.stderr.push(line.slice(STDERR.length).trim());
    } else if (open && line.startsWith(EXIT) && /^\d+$/.test(line.slice(EXIT.length))) {
      const section: RemoteSection = {
        name: open.name,
        body: open.body.join("\n").trim(),
        exitCode: Number(line.slice(EXIT.length)),
        stderr: open.stderr.filter((text) => text !== "").join("\n"),
      };
      if (section.name === LOCK_SECTION) lock = section;
      else sections.push(section);
      open = undefined;
    } else {
      throw new RemoteOutputError(
        `${host}: ${where} is an unexpected marker` +
          (open ? ` inside section "${open.name}"` : "") +
          `: ${line}`,
        { host },
      );
    }
  }
  return {
    sections,
    ...(lock && { lock }),
    complete: false,
    ...(open && { cutInside: open.name }),
  };
}

/**
 * The sections of a complete output. Throws RemoteOutputError naming the host and the section
 * the stream was cut inside; `retry` says what to do ("observe again").
 */
export function requireComplete(
  host: string,
  kind: string,
  output: RemoteOutput,
  retry: string,
): readonly RemoteSection[] {
  if (output.complete) return output.sections;
  throw new RemoteOutputError(
    `${host}: ${kind} output is truncated` +
      (output.cutInside === undefined ? "" : ` inside section "${output.cutInside}"`) +
      ` (no "${END_LINE}" line); ${retry}`,
    { host },
  );
}
