import { Ajv } from "ajv";
import type { HostFacts, ObservedHost } from "../model/host-state.js";
import { ObservationError } from "./observation-error.js";
import {
  describeSchemaError,
  list,
  observedHostSchema,
  record,
  string,
} from "../model/state-json-schema.js";

/**
 * What `netplan-k observe` prints and `plan --state FILE` reads: the observed state of every
 * host of a topology, so a plan can be made later without access to the hosts.
 */
export interface Snapshot {
  readonly formatVersion: 1;
  readonly topology: string;
  readonly hosts: readonly ObservedHost[];
}

export const SNAPSHOT_FORMAT_VERSION = 1;

/** Pretty JSON, two spaces, one trailing newline: the same snapshot always reads the same. */
export function renderSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** Reads a snapshot; every problem is one ObservationError naming the file and the field. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ObservationError(`${file}: not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof json === "object" && json !== null && version !== undefined) {
    if (version !== SNAPSHOT_FORMAT_VERSION) {
      throw new ObservationError(
        `${file}: formatVersion ${JSON.stringify(version)} is not supported (this netplan-k reads ${SNAPSHOT_FORMAT_VERSION}); make the snapshot again with this version`,
      );
    }
  }
  if (!validateSnapshot(json)) {
    const [error] = validateSnapshot.errors ?? [];
    throw new ObservationError(
      `${file}: ${error ? describeSchemaError(error, "snapshot") : "not a snapshot"}`,
    );
  }
  return {
    ...json,
    hosts: json.hosts.map((observed) => ({
      ...observed,
      facts: readSnapshotFacts(observed.facts),
    })),
  };
}

/** The facts of a snapshot as the schema admits them: older snapshots have no drivers. */
interface SnapshotFacts extends Omit<HostFacts, "drivers"> {
  readonly drivers?: HostFacts["drivers"];
  readonly ipip?: boolean;
}

/** Older snapshots say only whether ipip was there (`ipip`); every other driver is unknown. */
function readSnapshotFacts({ ipip, drivers, ...facts }: SnapshotFacts): HostFacts {
  return { drivers: drivers ?? (ipip === undefined ? {} : { ipip }), ...facts };
}

const snapshotSchema = record({
  formatVersion: { const: SNAPSHOT_FORMAT_VERSION },
  topology: string,
  hosts: list(observedHostSchema),
});

/** A snapshot file as the schema admits it, before readSnapshotFacts. */
interface SnapshotFile extends Omit<Snapshot, "hosts"> {
  readonly hosts: readonly (Omit<ObservedHost, "facts"> & { readonly facts: SnapshotFacts })[];
}

const validateSnapshot = new Ajv({ strict: true }).compile<SnapshotFile>(snapshotSchema);
