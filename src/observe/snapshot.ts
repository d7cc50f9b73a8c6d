import { Ajv, type ErrorObject } from "ajv";
import type { ObservedHost } from "../model/host-state.js";
import { ObservationError } from "./observation-error.js";
import { ROUTE_SCOPES, ROUTE_TYPES } from "./route-vocabulary.js";

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
    throw new ObservationError(`${file}: ${error ? describeError(error) : "not a snapshot"}`);
  }
  return json;
}

// The snapshot's shape, mirroring src/model. Closed objects: a misspelt field is an error.
const string = { type: "string" } as const;
const integer = { type: "integer" } as const;
const boolean = { type: "boolean" } as const;
const list = (items: object) => ({ type: "array", items });
const record = (required: Record<string, object>, optional: Record<string, object> = {}) => ({
  type: "object",
  required: Object.keys(required),
  properties: { ...required, ...optional },
  additionalProperties: false,
});

const link = record(
  { name: string, kind: string, mtu: integer, up: boolean },
  {
    mac: string,
    alias: string,
    master: string,
    vxlan: record({ id: integer, local: string, dev: string, port: integer, learning: boolean }),
    peer: record({ netns: string, name: string }),
  },
);
const route = record(
  {
    dst: string,
    table: integer,
    type: { enum: ROUTE_TYPES },
    metric: integer,
    onlink: boolean,
    scope: { enum: ROUTE_SCOPES },
    protocol: integer,
  },
  { via: string, dev: string },
);
const netState = record({
  links: list(link),
  addresses: list(record({ dev: string, cidr: string })),
  routes: list(route),
  neighbours: list(record({ dev: string, dst: string, permanent: boolean }, { lladdr: string })),
  fdb: list(record({ dev: string, mac: string, dst: string })),
});
const hostState = record({
  root: netState,
  namespaces: list(record({ name: string, net: netState }, { owner: string })),
  sysctls: list(record({ key: string, value: string })),
  files: list(record({ path: string, content: string })),
  services: list(record({ name: { enum: ["bird"] }, running: boolean, configPath: string })),
});
const snapshotSchema = record({
  formatVersion: { const: SNAPSHOT_FORMAT_VERSION },
  topology: string,
  hosts: list(
    record({
      host: string,
      state: hostState,
      facts: record({ ipip: boolean, iproute2: string, kernel: string }),
    }),
  ),
});

const validateSnapshot = new Ajv({ strict: true }).compile<Snapshot>(snapshotSchema);

/** "/hosts/2/state/root/routes/0" as "hosts[2].state.root.routes[0]". */
function pathOf(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
      "",
    );
}

function describeError(error: ErrorObject): string {
  const path = pathOf(error.instancePath);
  const child = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
  switch (error.keyword) {
    case "required":
      return `${child(error.params["missingProperty"])} is missing`;
    case "additionalProperties":
      return `${child(error.params["additionalProperty"])} is not a snapshot field`;
    case "type":
      return `${path || "the snapshot"} must be ${/^[aeiou]/.test(String(error.params["type"])) ? "an" : "a"} ${String(error.params["type"])}`;
    case "enum":
      return `${path} must be one of ${(error.params["allowedValues"] as unknown[]).join(", ")}`;
    default:
      return `${path || "the snapshot"} ${error.message ?? "is invalid"}`;
  }
}
