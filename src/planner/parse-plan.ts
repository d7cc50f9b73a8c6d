import type { ValidateFunction } from "ajv";
import { lazyAjv } from "../model/lazy-ajv.js";
import {
  addressSchema,
  boolean,
  describeSchemaError,
  fdbEntrySchema,
  linkSchema,
  list,
  managedFileSchema,
  neighbourSchema,
  record,
  routeSchema,
  serviceSchema,
  string,
  sysctlSchema,
  pathMtuExceptionSchema,
} from "../model/state-json-schema.js";
import {
  FormatVersionError,
  parseJsonDocument,
  upgradeToCurrent,
  type FormatHistory,
} from "../model/format-version.js";
import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";
import type { ObjectKind, Plan } from "./plan.js";
import { PLAN_FORMAT_VERSION } from "./plan.js";

/** A saved plan that cannot be read: the message names the file and the field. */
export class PlanFileError extends NetplanError {
  override readonly name = "PlanFileError";
  declare readonly code: "plan.invalid-file";
  constructor(message: string, options?: NetplanErrorOptions) {
    super("plan.invalid-file", message, options);
  }
}

/**
 * Saved plans are applied soon after they are made, and one from another netplan-k may lack
 * checks this one makes before changing a host: only the current format is applied, and any
 * other is refused with a message saying to plan again.
 */
const PLAN_HISTORY: FormatHistory = {
  document: "saved plan",
  current: PLAN_FORMAT_VERSION,
  oldest: PLAN_FORMAT_VERSION,
  upgrades: {},
};

interface PlanValidators {
  readonly plan: ValidateFunction<Plan>;
  readonly objects: Record<ObjectKind, ValidateFunction>;
}
let compiled: PlanValidators | undefined;

/**
 * The saved plan's validators, compiled on first use: only `apply <saved plan>` reads one,
 * and compiling them when the module loaded cost every command ~150 ms at start.
 */
function planValidators(): PlanValidators {
  if (compiled !== undefined) return compiled;
  const ajv = new (lazyAjv())({ strict: true });
  /** The model object each kind of change carries in `before` and `after`. */
  const objects: Record<ObjectKind, ValidateFunction> = {
    namespace: ajv.compile(record({ name: string })),
    link: ajv.compile(linkSchema),
    address: ajv.compile(addressSchema),
    route: ajv.compile(routeSchema),
    neighbour: ajv.compile(neighbourSchema),
    fdb: ajv.compile(fdbEntrySchema),
    sysctl: ajv.compile(sysctlSchema),
    file: ajv.compile(managedFileSchema),
    service: ajv.compile(serviceSchema),
    pathMtu: ajv.compile(pathMtuExceptionSchema),
  };
  const kinds = Object.keys(objects);

  const plan = ajv.compile<Plan>(
    record(
      {
        formatVersion: { const: PLAN_FORMAT_VERSION },
        topology: string,
        against: { enum: ["hosts", "snapshot", "empty"] },
        hosts: list(
          record(
            {
              host: string,
              observedFingerprint: string,
              errors: list(string),
              conflicts: list(
                record(
                  { kind: { enum: [...kinds, "rule"] }, key: string, reason: string },
                  { netns: string },
                ),
              ),
              changes: list(
                record(
                  {
                    kind: { enum: kinds },
                    action: { enum: ["create", "update", "delete", "replace"] },
                    key: string,
                    reason: string,
                    disruptive: boolean,
                  },
                  {
                    netns: string,
                    before: { type: "object" },
                    after: { type: "object" },
                    createdWith: string,
                  },
                ),
              ),
            },
            { firedRevert: string, warnings: list(string) },
          ),
        ),
      },
      // summary is derived from hosts (renderPlanJson writes it for readers); never read back.
      { source: record({ file: string, sha256: string }), summary: { type: "object" } },
    ),
  );
  compiled = { plan, objects };
  return compiled;
}

/**
 * Reads a plan saved by `plan --out`. The applier turns its objects into commands, so every
 * object is checked against the model's shape here (and every value again where it is placed
 * into a command).
 */
export function parsePlan(text: string, file: string): Plan {
  let json: unknown;
  try {
    json = upgradeToCurrent(parseJsonDocument(text, file, "saved plan"), file, PLAN_HISTORY);
  } catch (error) {
    if (!(error instanceof FormatVersionError)) throw error;
    throw new PlanFileError(error.message, { cause: error });
  }
  const validators = planValidators();
  if (!validators.plan(json)) {
    const [error] = validators.plan.errors ?? [];
    throw new PlanFileError(
      `${file}: ${error ? describeSchemaError(error, "plan") : "not a plan"}`,
    );
  }
  json.hosts.forEach((host, h) =>
    host.changes.forEach((change, c) => {
      for (const side of ["before", "after"] as const) {
        const value = change[side];
        const validate = validators.objects[change.kind];
        if (value !== undefined && !validate(value)) {
          const [error] = validate.errors ?? [];
          const where = `hosts[${h}].changes[${c}].${side}`;
          throw new PlanFileError(
            `${file}: ${error ? describeSchemaError(error, "plan", where) : where}`,
          );
        }
      }
    }),
  );
  return json;
}
