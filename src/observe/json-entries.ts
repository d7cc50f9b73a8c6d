import { ObservationError } from "./observation-error.js";

/**
 * Strict access to one object of an `ip -j` array. Parsers read only the fields they need
 * through it: a needed field of the wrong type is an error naming the command, the entry and
 * the field; every other field is ignored, so newer iproute2 versions may add what they like.
 */
export interface JsonEntry {
  string(key: string): string;
  optionalString(key: string): string | undefined;
  number(key: string): number;
  optionalNumber(key: string): number | undefined;
  boolean(key: string): boolean;
  /** A field that iproute2 prints either as a name or as a number (table, protocol). */
  optionalNameOrNumber(key: string): string | number | undefined;
  /** An array of strings, empty when absent (flags, state). */
  strings(key: string): readonly string[];
  array(key: string): readonly JsonEntry[];
  optionalObject(key: string): JsonEntry | undefined;
  /** Every field the entry has, whatever its value. */
  keys(): readonly string[];
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === undefined ? "nothing" : JSON.stringify(value);

/** The entries of a top-level `ip -j` / `bridge -j` array. */
export function readEntries(json: unknown, command: string): readonly JsonEntry[] {
  if (!Array.isArray(json)) {
    throw new ObservationError(`${command}: expected a JSON array, found ${describe(json)}`);
  }
  return json.map((value, index) => entryOf(value, `${command}: entry ${index}`));
}

function entryOf(value: unknown, where: string): JsonEntry {
  if (!isObject(value)) {
    throw new ObservationError(`${where}: expected an object, found ${describe(value)}`);
  }
  const fail = (key: string, expected: string): never => {
    throw new ObservationError(
      `${where}: "${key}" must be ${expected}, found ${describe(value[key])}`,
    );
  };
  const optional = <T>(key: string, is: (v: unknown) => v is T, expected: string) => {
    const field = value[key];
    return field === undefined ? undefined : is(field) ? field : fail(key, expected);
  };
  const isString = (v: unknown): v is string => typeof v === "string";
  const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
  const isNameOrNumber = (v: unknown): v is string | number => isString(v) || isNumber(v);
  const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);
  const list = (key: string): readonly unknown[] =>
    optional(key, isArray, "an array") ?? ([] as const);

  return {
    string: (key) => optional(key, isString, "a string") ?? fail(key, "a string"),
    optionalString: (key) => optional(key, isString, "a string"),
    number: (key) => optional(key, isNumber, "a number") ?? fail(key, "a number"),
    optionalNumber: (key) => optional(key, isNumber, "a number"),
    boolean: (key) => optional(key, isBoolean, "a boolean") ?? fail(key, "a boolean"),
    optionalNameOrNumber: (key) => optional(key, isNameOrNumber, "a name or a number"),
    strings: (key) => list(key).map((v) => (isString(v) ? v : fail(key, "an array of strings"))),
    array: (key) => list(key).map((v, index) => entryOf(v, `${where}: ${key}[${index}]`)),
    keys: () => Object.keys(value),
    optionalObject: (key) => {
      const field = value[key];
      return field === undefined ? undefined : entryOf(field, `${where}: ${key}`);
    },
  };
}
