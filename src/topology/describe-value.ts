const MAX_SHOWN = 48;

/**
 * A value as a message shows it: strings quoted with escapes (a hostile value with a newline
 * or a terminal escape cannot break the message apart), long ones cut short.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    if (value.length <= MAX_SHOWN) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, MAX_SHOWN))}... (${value.length} characters)`;
  }
  if (value === null || value === undefined) return "(empty)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** What kind of thing a value is, for "must be X, found Y". */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${describeValue(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return String(value);
}
