import type { ValidateFunction } from "ajv";
import { lazyAjv } from "../model/lazy-ajv.js";
import type { HostFacts, ObservedHost } from "../model/host-state.js";
import { ObservationError } from "./observation-error.js";
import { findSnapshotValueProblem } from "./check-snapshot-values.js";
import { positionInJson, stepsOfPointer } from "../model/json-position.js";
import {
  FormatVersionError,
  parseJsonDocument,
  upgradeToCurrent,
  type FormatHistory,
} from "../model/format-version.js";
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
 *
 * Snapshots are kept for a long time, so every version netplan-k ever wrote keeps loading
 * (see format-version.ts): a field added to an observed host later is optional in
 * observedHostSchema, absent meaning "not observed". test/fixtures/real-hosts/ holds
 * formatVersion-1 snapshots from real use that the tests load and plan with.
 */
export interface Snapshot {
  readonly formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  readonly topology: string;
  readonly hosts: readonly ObservedHost[];
}

/** The topology a snapshot is planned with: its name and its hosts' names. */
export interface SnapshotTopology {
  readonly name: string;
  readonly hosts: readonly string[];
}

/** The version `observe` writes. */
export const SNAPSHOT_FORMAT_VERSION = 1;

const SNAPSHOT_HISTORY: FormatHistory = {
  document: "snapshot",
  current: SNAPSHOT_FORMAT_VERSION,
  oldest: 1,
  upgrades: {},
};

/** Pretty JSON, two spaces, one trailing newline: the same snapshot always reads the same. */
export function renderSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Reads a snapshot of any version netplan-k wrote; every problem (not JSON, cut short, a
 * version this netplan-k does not read, a field that does not fit, a value no kernel printed:
 * check-snapshot-values.ts; a host not in `topology`, when given) is one ObservationError naming the file, the line and column of
 * the value (`state.json:12:20: …`) and the field.
 */
export function parseSnapshot(text: string, file: string, topology?: SnapshotTopology): Snapshot {
  let json: unknown;
  try {
    json = upgradeToCurrent(parseJsonDocument(text, file, "snapshot"), file, SNAPSHOT_HISTORY);
  } catch (error) {
    if (!(error instanceof FormatVersionError)) throw error;
    throw new ObservationError(error.message, { cause: error });
  }
  const validateSnapshot = snapshotValidator();
  if (!validateSnapshot(json)) {
    const [error] = validateSnapshot.errors ?? [];
    if (error === undefined) throw new ObservationError(`${file}: not a snapshot`);
    const path = stepsOfPointer(error.instancePath);
    const extra = error.params["additionalProperty"];
    throw new ObservationError(
      `${file}:${positionInJson(text, typeof extra === "string" ? [...path, extra] : path)}: ${describeSchemaError(error, "snapshot")}`,
    );
  }
  // Another topology's snapshot is the caller's to name, not each of its hosts.
  const problem = findSnapshotValueProblem(
    json.hosts,
    topology !== undefined && json.topology === topology.name ? topology.hosts : undefined,
  );
  if (problem !== undefined) {
    throw new ObservationError(`${file}:${positionInJson(text, problem.path)}: ${problem.message}`);
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

let compiledSnapshotValidator: ValidateFunction<SnapshotFile> | undefined;

/**
 * The snapshot's validator, compiled on first use: only `plan --state` reads a snapshot, and
 * compiling it when the module loaded cost every command ~150 ms at start.
 */
function snapshotValidator(): ValidateFunction<SnapshotFile> {
  compiledSnapshotValidator ??= new (lazyAjv())({ strict: true }).compile<SnapshotFile>(
    snapshotSchema,
  );
  return compiledSnapshotValidator;
}
