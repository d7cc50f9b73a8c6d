/**
 * JSON with every object's keys sorted, so that equal values give equal text whatever order
 * their properties were built in.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    // Keys in code-unit order (sort's own, no comparator), members copied in that order: a
    // JSON plan copies millions of objects so, and entries with a sort and a rebuild cost 3×.
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      // An assignment to "__proto__" would set the prototype (parsed JSON may carry the key).
      if (key === "__proto__") {
        Object.defineProperty(sorted, key, {
          value: sortKeysDeep(member),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else sorted[key] = sortKeysDeep(member);
    }
    return sorted;
  }
  return value;
}

export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeysDeep(value));
