import { readFile } from "node:fs/promises";
import { parseSnapshot, type Snapshot } from "../observe/snapshot.js";
import { CliError } from "./cli-error.js";

/** Reads a snapshot written by `netplan-k observe`; a missing or malformed file is a CliError. */
export async function readSnapshotFile(file: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      { cause: error },
    );
  }
  try {
    return parseSnapshot(text, file);
  } catch (error) {
    throw new CliError(
      (error as Error).message,
      "Make the snapshot with `netplan-k observe TOPOLOGY > state.json`.",
      { cause: error },
    );
  }
}
