import { readFile } from "node:fs/promises";
import { CliError } from "./cli-error.js";

/** Reads a file the user named (a snapshot, a saved plan); a missing one is a plain CliError. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      { cause: error, code: "cli.input" },
    );
  }
}
