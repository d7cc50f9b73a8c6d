import { parseSnapshot, type Snapshot } from "../observe/snapshot.js";
import { readInputFile } from "./read-input-file.js";
import { CliError } from "./cli-error.js";

/** Reads a snapshot written by `netplan-k observe`; a missing or malformed file is a CliError. */
export async function readSnapshotFile(file: string): Promise<Snapshot> {
  const text = await readInputFile(file, "snapshot");
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
