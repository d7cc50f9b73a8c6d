import { readFile } from "node:fs/promises";
import { CliError } from "./cli-error.js";

/**
 * Reads a file the user named: `document` says what it is in the message ("snapshot",
 * "saved plan"). One that cannot be read is a CliError in words, never a raw errno:
 * `cannot read snapshot state.json: no such file`.
 */
export async function readInputFile(file: string, document: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${document} ${file}: ${describeReadError(error)}`, undefined, {
      cause: error,
      code: "cli.input",
    });
  }
}

/** Why reading a file failed, in words (Node's errno codes): "no such file". */
export function describeReadError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
