import type { ErrorObject, ValidateFunction } from "ajv";
import { findClosestName } from "./closest-name.js";
import { describePatternError } from "./describe-pattern-error.js";
import { describeKind, describeValue } from "./describe-value.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath, isRecord, pointerToPath, type Path } from "./path.js";
import { topologySchema } from "./schema.js";
import { validate } from "./topology-validator.generated.js";

/** The result of checking the document's shape against schemas/topology.schema.json. */
export interface ShapeResult {
  readonly findings: readonly Finding[];
  /** Every path ajv complained about; values at or below them are not used by later checks. */
  readonly invalidPaths: readonly Path[];
}

/**
 * ajv's validator for schemas/topology.schema.json, generated ahead of time (npm run generate)
 * with allErrors, verbose and strict: compiling the schema at every start cost each command
 * ~250 ms.
 */
const validateTopology = validate as ValidateFunction;

/**
 * Validates shape with ajv and rewrites its errors in plain language: the path in the user's
 * terms, the offending value, and the schema's own description of what is expected.
 */
export function validateShape(data: unknown): ShapeResult {
  if (validateTopology(data)) return { findings: [], invalidPaths: [] };
  const errors = validateTopology.errors ?? [];
  const invalidPaths = errors.map((e) => pointerToPath(e.instancePath, data));
  const findings = selectTransportBranches(errors).flatMap((e) =>
    describeError(e, pointerToPath(e.instancePath, data)),
  );
  return { findings, invalidPaths };
}

const TRANSPORT_ONE_OF = "#/$defs/Transport/oneOf";
const TRANSPORT_KINDS = ["ssh", "local", "netns"] as const;

/**
 * ajv reports a failed `oneOf` with the errors of every branch: three messages where the user
 * made one mistake. The transport's `kind` says which branch the user meant, so only that
 * branch's errors are kept; a missing or unknown kind gets a message of its own.
 */
function selectTransportBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const chosen = new Map<string, number>();
  for (const e of errors) {
    if (e.keyword !== "oneOf" || e.schemaPath !== TRANSPORT_ONE_OF) continue;
    const kind: unknown = isRecord(e.data) ? e.data["kind"] : undefined;
    chosen.set(e.instancePath, TRANSPORT_KINDS.indexOf(kind as (typeof TRANSPORT_KINDS)[number]));
  }
  return errors.filter((e) => {
    if (!e.schemaPath.startsWith(`${TRANSPORT_ONE_OF}/`)) return true;
    const branch = Number(e.schemaPath.slice(TRANSPORT_ONE_OF.length + 1).split("/")[0]);
    for (const [transportPath, index] of chosen) {
      if (e.instancePath === transportPath || e.instancePath.startsWith(`${transportPath}/`)) {
        return index === branch;
      }
    }
    return true;
  });
}

function describeError(e: ErrorObject, path: Path): Finding[] {
  const where = formatPath(path);
  const parent = e.parentSchema ?? {};
  const description = typeof parent["description"] === "string" ? parent["description"] : undefined;
  switch (e.keyword) {
    case "required": {
      const field = String(e.params["missingProperty"]);
      // `mdoe: vxlan` is one mistake: the unknown key's "did you mean mode?" says it all.
      if (misspells(e.data, parent, field)) return [];
      return [
        errorAt(path, `${where} is missing the required field ${field}`, fieldHint(parent, field)),
      ];
    }
    case "additionalProperties": {
      const field = String(e.params["additionalProperty"]);
      const known = isRecord(parent["properties"]) ? Object.keys(parent["properties"]) : [];
      const closest = findClosestName(field, known);
      const hint =
        closest !== undefined
          ? `did you mean ${closest}?`
          : `known fields here: ${known.join(", ")}`;
      return [
        {
          ...errorAt(
            [...path, field],
            `${formatPath([...path, field])} is not a known field`,
            hint,
          ),
          at: "key",
        },
      ];
    }
    case "type":
      if (path.length === 0 && (e.data === null || e.data === undefined)) {
        return [
          errorAt(
            path,
            "the file holds no topology",
            "a topology has apiVersion, name, cluster and hosts",
          ),
        ];
      }
      return [
        errorAt(
          path,
          `${where} must be ${typeNoun(String(e.params["type"]))}, found ${describeKind(e.data)}`,
          description,
        ),
      ];
    case "const":
      return [
        errorAt(
          path,
          `${where} ${describeValue(e.data)} is not supported: it must be ${String(e.params["allowedValue"])}`,
        ),
      ];
    case "enum":
      return [
        describeEnumError(
          path,
          e.data,
          (e.params["allowedValues"] as unknown[]).map(String),
          description,
        ),
      ];
    case "pattern":
      return [describePatternError(path, e.data, String(e.params["pattern"]), description)];
    case "minimum":
    case "maximum":
      return [
        errorAt(
          path,
          `${where} ${describeValue(e.data)} is out of range: it must be from ${String(parent["minimum"])} to ${String(parent["maximum"])}`,
          description,
        ),
      ];
    case "minItems": {
      const limit = Number(e.params["limit"]);
      return [
        errorAt(
          path,
          `${where} must list at least ${limit} ${limit === 1 ? "entry" : "entries"}`,
          description,
        ),
      ];
    }
    case "oneOf":
      return describeTransportKind(path, e.data);
    default:
      return [errorAt(path, `${where} ${describeValue(e.data)} is not valid here`, description)];
  }
}

/** The transport's oneOf itself: only said when no branch was chosen by a valid kind. */
function describeTransportKind(path: Path, data: unknown): Finding[] {
  const kinds = TRANSPORT_KINDS.join(", ");
  if (!isRecord(data)) {
    return [
      errorAt(
        path,
        `${formatPath(path)} must be a mapping with a kind (${kinds}), found ${describeKind(data)}`,
      ),
    ];
  }
  const kind = data["kind"];
  if (kind === undefined) {
    return [
      errorAt(
        path,
        `${formatPath(path)} is missing the required field kind`,
        `kind is one of ${kinds}`,
      ),
    ];
  }
  if (TRANSPORT_KINDS.includes(kind as (typeof TRANSPORT_KINDS)[number])) return [];
  return [
    errorAt(
      [...path, "kind"],
      `${formatPath([...path, "kind"])} ${describeValue(kind)} is not one of ${kinds}`,
      "ssh (the default), local (this machine) or netns (a local network namespace)",
    ),
  ];
}

function describeEnumError(
  path: Path,
  value: unknown,
  allowed: readonly string[],
  description?: string,
): Finding {
  const where = formatPath(path);
  if (path.join(".") === "cluster.mode" && value === "udp") {
    return errorAt(
      path,
      `${where} "udp" is not supported: flannel's UDP backend is deprecated upstream (it copies every packet between kernel and user space); use vxlan`,
      "mode: vxlan is its replacement and keeps the packets in the kernel",
    );
  }
  return errorAt(
    path,
    `${where} ${describeValue(value)} is not one of ${allowed.join(", ")}`,
    description,
  );
}

/** True when `data` has an unknown key whose closest known name is the missing `field`. */
function misspells(
  data: unknown,
  parent: Readonly<Record<string, unknown>>,
  field: string,
): boolean {
  const properties = parent["properties"];
  if (!isRecord(data) || !isRecord(properties)) return false;
  const known = Object.keys(properties);
  return Object.keys(data).some(
    (key) => !known.includes(key) && findClosestName(key, known) === field,
  );
}

const defs = (topologySchema["$defs"] ?? {}) as Readonly<
  Record<string, { readonly description?: string }>
>;

function fieldHint(parent: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const properties = parent["properties"];
  if (!isRecord(properties)) return undefined;
  const property = properties[field];
  if (!isRecord(property)) return undefined;
  const ref = typeof property["$ref"] === "string" ? property["$ref"].split("/").pop() : undefined;
  const description =
    property["description"] ?? (ref !== undefined ? defs[ref]?.description : undefined);
  return typeof description === "string" ? `${field}: ${description}` : undefined;
}

function typeNoun(type: string): string {
  switch (type) {
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "integer":
      return "a whole number";
    case "string,array":
      return "a string or a list";
    case "boolean":
      return "true or false";
    default:
      return `a ${type}`;
  }
}
