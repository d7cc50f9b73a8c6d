import { parseSnapshot, type Snapshot, type SnapshotTopology } from "../observe/snapshot.js";
import { readInputFile } from "./read-input-file.js";
import { CliError } from "./cli-error.js";

/**
 * Reads a snapshot written by `netplan-k observe`; a missing or malformed file, or a host not
 * of `topology` (when given), is a CliError.
 */
export async function readSnapshotFile(
  file: string,
  topology?: SnapshotTopology,
): Promise<Snapshot> {
  const text = await readInputFile(file, "snapshot");
  try {
    return parseSnapshot(text, file, topology);
  } catch (error) {
    throw new CliError(
      (error as Error).message,
      "Make the snapshot with `netplan-k observe TOPOLOGY > state.json`.",
      { cause: error },
    );
  }
}
