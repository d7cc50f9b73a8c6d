import { ObservationError } from "./observation-error.js";
import { MARKER, OBSERVATION_FORMAT_VERSION } from "./observation-script.js";

/** One section of the observation output: what a command printed and how it ended. */
export interface ObservationSection {
  readonly body: string;
  readonly exitCode: number;
  /** The command's stderr, on one line; "" when it wrote none. */
  readonly stderr: string;
}

const BEGIN = `${MARKER}observation:`;
const SECTION = `${MARKER}section:`;
const STDERR = `${MARKER}stderr:`;
const EXIT = `${MARKER}exit:`;
const END = `${MARKER}end`;

/**
 * Cuts the output of OBSERVATION_SCRIPT into its sections, by name ("route", "route:red").
 * Lines before the begin line are skipped: a login shell may print a banner first. A missing
 * end line means the output was cut short (a dropped connection, a killed shell).
 */
export function splitObservation(host: string, output: string): Map<string, ObservationSection> {
  const lines = output.split("\n");
  const begin = lines.findIndex((line) => line.startsWith(BEGIN));
  if (begin < 0) {
    throw new ObservationError(
      `${host}: the output holds no observation (no "${BEGIN}" line); was it made by netplan-k's observation script?`,
      { host },
    );
  }
  const version = lines[begin]?.slice(BEGIN.length);
  if (version !== String(OBSERVATION_FORMAT_VERSION)) {
    throw new ObservationError(
      `${host}: observation format ${version} is not supported (this netplan-k reads ${OBSERVATION_FORMAT_VERSION})`,
      { host },
    );
  }

  const sections = new Map<string, ObservationSection>();
  let open: { name: string; body: string[]; stderr: string } | undefined;
  const truncated = (): ObservationError =>
    new ObservationError(
      `${host}: observation output is truncated` +
        (open ? ` inside section "${open.name}"` : "") +
        ` (no "${END}" line); observe again`,
      { host },
    );

  for (const [offset, line] of lines.slice(begin + 1).entries()) {
    const lineNumber = begin + offset + 2;
    if (!line.startsWith(MARKER)) {
      if (open) open.body.push(line);
      else if (line !== "") {
        throw new ObservationError(
          `${host}: line ${lineNumber} of the observation lies outside any section`,
          { host },
        );
      }
    } else if (line === END) {
      if (open) throw truncated();
      return sections;
    } else if (line.startsWith(SECTION)) {
      if (open) {
        throw new ObservationError(
          `${host}: section "${open.name}" has no exit line before line ${lineNumber}`,
          { host },
        );
      }
      const name = line.slice(SECTION.length);
      if (sections.has(name)) {
        throw new ObservationError(`${host}: section "${name}" appears twice in the observation`, {
          host,
        });
      }
      open = { name, body: [], stderr: "" };
    } else if (open && line.startsWith(STDERR)) {
      open.stderr = line.slice(STDERR.length).trim();
    } else if (open && /^\d+$/.test(line.slice(EXIT.length)) && line.startsWith(EXIT)) {
      sections.set(open.name, {
        body: open.body.join("\n").trim(),
        exitCode: Number(line.slice(EXIT.length)),
        stderr: open.stderr,
      });
      open = undefined;
    } else {
      throw new ObservationError(
        `${host}: line ${lineNumber} of the observation is an unexpected marker: ${line}`,
        { host },
      );
    }
  }
  throw truncated();
}
