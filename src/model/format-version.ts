import { NetplanError, type NetplanErrorOptions } from "./netplan-error.js";

/**
 * Reading JSON files that netplan-k wrote, possibly with another version of itself:
 * snapshots (`observe`) and saved plans (`plan --out`). Each carries `formatVersion`.
 *
 * How a format grows: a field added later is optional in the reader's schema (absent means
 * "not known": an older netplan-k did not record it), so files of every earlier version
 * keep loading without a new version number. Only a change an old file cannot be read
 * under (a field renamed, a meaning changed) bumps the version, with an upgrade step from
 * the previous one in `upgrades`. A file from a newer netplan-k is refused with a message
 * that says so, never checked field by field against a schema it does not follow.
 */

/** The versions of one kind of file, and how an older one becomes the current one. */
export interface FormatHistory {
  /** What the file is, in messages: "snapshot", "saved plan". */
  readonly document: string;
  /** The version this netplan-k writes. */
  readonly current: number;
  /** The oldest version it reads; older ones get `tooOld`. */
  readonly oldest: number;
  /** `upgrades[v]` turns a version-v document into a version v+1 one. */
  readonly upgrades: Readonly<Record<number, (json: Record<string, unknown>) => object>>;
}

/** Parsed JSON that is not an object (an array, a string) or whose version is unreadable. */
export class FormatVersionError extends NetplanError {
  override readonly name = "FormatVersionError";
  declare readonly code: "file.unsupported-format";
  constructor(message: string, options?: NetplanErrorOptions) {
    super("file.unsupported-format", message, options);
  }
}

/**
 * The document as the current version, from JSON of any version `history` reads. Throws
 * FormatVersionError naming `file`, the version found and the versions read, when the
 * version is missing, not a whole number, older than `oldest` or newer than `current`.
 * The result still has to be checked against the current schema.
 */
export function upgradeToCurrent(json: unknown, file: string, history: FormatHistory): unknown {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new FormatVersionError(`${file}: not a ${history.document} (the JSON is not an object)`);
  }
  const version = (json as { formatVersion?: unknown }).formatVersion;
  const reads =
    history.oldest === history.current
      ? `format ${history.current}`
      : `formats ${history.oldest} to ${history.current}`;
  if (version === undefined) {
    throw new FormatVersionError(
      `${file}: formatVersion is missing, so this is not a ${history.document} netplan-k wrote (it reads ${reads})`,
    );
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new FormatVersionError(
      `${file}: formatVersion ${JSON.stringify(version)} is not a version netplan-k writes (it reads ${reads})`,
    );
  }
  if (version > history.current) {
    throw new FormatVersionError(
      `${file}: this ${history.document} was written by a newer netplan-k (format ${version}; this one reads ${reads}): use that netplan-k, or make it again with this one`,
    );
  }
  if (version < history.oldest) {
    throw new FormatVersionError(
      `${file}: this ${history.document} was written by an older netplan-k (format ${version}; this one reads ${reads}): make it again with this one`,
    );
  }
  let document = json as Record<string, unknown>;
  for (let from = version; from < history.current; from++) {
    const upgrade = history.upgrades[from];
    if (upgrade === undefined) throw new Error(`no upgrade of ${history.document} format ${from}`);
    document = { ...upgrade(document), formatVersion: from + 1 } as Record<string, unknown>;
  }
  return document;
}

/**
 * JSON.parse with a message for people: a file cut short (a write that did not finish, a
 * full disk) says so, rather than "Unexpected end of JSON input".
 */
export function parseJsonDocument(text: string, file: string, document: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // V8 names where it stopped; stopping at the very end means the text ran out.
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const reason =
      text.trim() === ""
        ? "the file is empty"
        : /end of JSON input|Unterminated string/.test(message) || position >= text.trimEnd().length
          ? "the file ends before the JSON does: it was cut short"
          : `not valid JSON: ${message}`;
    throw new FormatVersionError(`${file}: cannot read the ${document}: ${reason}`, {
      cause: error,
    });
  }
}
