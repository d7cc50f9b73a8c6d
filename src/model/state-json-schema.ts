import type { ErrorObject } from "ajv";
import { KERNEL_DRIVERS } from "./host-requirements.js";
import { ROUTE_SCOPES, ROUTE_TYPES } from "./route-vocabulary.js";

/**
 * JSON Schemas of the model's objects, for files that carry them: snapshots (observed state)
 * and saved plans (the objects each change creates or removes). Closed objects, so a misspelt
 * field is an error rather than a silently missing value.
 */

export const string = { type: "string" } as const;
export const integer = { type: "integer" } as const;
export const boolean = { type: "boolean" } as const;
/** A routing table or route protocol: a number, or a name only the host's iproute2 knows. */
const integerOrName = { anyOf: [integer, string] } as const;
export const list = (items: object) => ({ type: "array", items });
export const record = (
  required: Record<string, object>,
  optional: Record<string, object> = {},
) => ({
  type: "object",
  required: Object.keys(required),
  properties: { ...required, ...optional },
  additionalProperties: false,
});

export const linkSchema = record(
  { name: string, kind: string, mtu: integer, up: boolean },
  {
    mac: string,
    alias: string,
    master: string,
    vxlan: record({ id: integer, local: string, dev: string, port: integer, learning: boolean }),
    peer: record({ netns: string, name: string }),
    port: record(
      { state: string, learning: boolean, flood: boolean },
      { isolated: boolean, bcastFlood: boolean, mcastFlood: boolean },
    ),
    noarp: boolean,
    stp: boolean,
    ifindex: integer,
    otherEnd: { anyOf: [record({ name: string }), record({ nsid: integer, ifindex: integer })] },
    lower: string,
  },
);
export const addressSchema = record({ dev: string, cidr: string }, { dadFailed: boolean });
export const routeSchema = record(
  {
    dst: string,
    table: integerOrName,
    type: { enum: ROUTE_TYPES },
    metric: integer,
    onlink: boolean,
    scope: { enum: ROUTE_SCOPES },
    protocol: integerOrName,
  },
  {
    via: string,
    dev: string,
    prefsrc: string,
    nexthops: list(record({}, { via: string, dev: string, onlink: boolean })),
  },
);
export const neighbourSchema = record(
  { dev: string, dst: string, permanent: boolean },
  { lladdr: string, noarp: boolean },
);
export const fdbEntrySchema = record(
  { dev: string, mac: string, dst: string },
  { port: integer, vni: integer },
);
export const sysctlSchema = record({ key: string, value: string });
export const managedFileSchema = record({ path: string, content: string });
/** BirdProtocolState. */
export const birdProtocolSchema = record(
  { name: string, proto: string, state: string, info: string },
  // purpose: desired only, in a saved plan's after (model/bird-protocol.ts).
  { message: string, purpose: string },
);
/** Service; `protocols` came later (snapshots without it load: not known). */
export const serviceSchema = record(
  {
    name: { enum: ["bird"] },
    running: boolean,
    configPath: string,
  },
  { protocols: list(birdProtocolSchema) },
);

export const bridgeFdbEntrySchema = record(
  { port: string, bridge: string, mac: string, state: { enum: ["static", "permanent"] } },
  { sticky: boolean },
);

/** PathMtuException. */
export const pathMtuExceptionSchema = record(
  { dst: string, mtu: integer },
  { dev: string, via: string },
);

export const netStateSchema = record(
  {
    links: list(linkSchema),
    addresses: list(addressSchema),
    routes: list(routeSchema),
    neighbours: list(neighbourSchema),
    fdb: list(fdbEntrySchema),
  },
  { bridgeFdb: list(bridgeFdbEntrySchema), pathMtuExceptions: list(pathMtuExceptionSchema) },
);
export const routingRuleSchema = record(
  { priority: integer, from: string, to: string, selective: boolean },
  {
    table: integerOrName,
    action: { enum: ["goto", "nop", "blackhole", "unreachable", "prohibit"] },
    goto: integer,
    suppressPrefixLength: integer,
  },
);
export const hostStateSchema = record(
  {
    root: netStateSchema,
    namespaces: list(
      record(
        { name: string, net: netStateSchema },
        {
          owner: string,
          nsid: integer,
          rules: list(routingRuleSchema),
          sysctls: list(sysctlSchema),
        },
      ),
    ),
    sysctls: list(sysctlSchema),
    files: list(managedFileSchema),
    services: list(serviceSchema),
  },
  { rules: list(routingRuleSchema) },
);
/**
 * HostFacts. `ipip` is how snapshots written before `drivers` existed say whether the ipip
 * driver was there (read as drivers.ipip); any fact left out is unknown.
 */
export const factsSchema = record(
  { iproute2: string, kernel: string },
  {
    drivers: record({}, Object.fromEntries(KERNEL_DRIVERS.map((driver) => [driver, boolean]))),
    bird: boolean,
    ipip: boolean,
  },
);
/** ManagementPath; optional in an observed host (snapshots from before it, no SSH session). */
export const managementPathSchema = record(
  {
    clientAddress: string,
    clientPort: integer,
    serverAddress: string,
    serverPort: integer,
    dev: string,
  },
  { src: string, gateway: string },
);
/** ArmedRevert; optional in an observed host (none armed, or a snapshot from before it). */
export const armedRevertSchema = record(
  {
    run: string,
    user: string,
    controller: string,
    pid: integer,
    since: string,
    timeoutSeconds: integer,
    fires: integer,
  },
  {
    now: integer,
    timer: { enum: ["alive", "dead"] },
    firing: boolean,
    status: integer,
    firedAt: integer,
    already: integer,
  },
);
export const observedHostSchema = record(
  { host: string, state: hostStateSchema, facts: factsSchema },
  {
    managementPath: managementPathSchema,
    armedRevert: armedRevertSchema,
    warnings: list(string),
    unmountedNamespaces: list(string),
  },
);

/** "/hosts/2/state/root/routes/0" as "hosts[2].state.root.routes[0]". */
function pathOfPointer(pointer: string): string {
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

/** One ajv error in plain words; `document` names the kind of file ("snapshot", "plan"). */
export function describeSchemaError(error: ErrorObject, document: string, prefix = ""): string {
  const own = pathOfPointer(error.instancePath);
  const path = prefix === "" ? own : own === "" ? prefix : `${prefix}.${own}`;
  const child = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
  switch (error.keyword) {
    case "required":
      return `${child(error.params["missingProperty"])} is missing`;
    case "additionalProperties":
      return `${child(error.params["additionalProperty"])} is not a ${document} field`;
    case "type":
      return `${path || `the ${document}`} must be ${/^[aeiou]/.test(String(error.params["type"])) ? "an" : "a"} ${String(error.params["type"])}`;
    case "enum":
      return `${path} must be one of ${(error.params["allowedValues"] as unknown[]).join(", ")}`;
    default:
      return `${path || `the ${document}`} ${error.message ?? "is invalid"}`;
  }
}
