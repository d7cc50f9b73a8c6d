/**
 * JSON with every object's keys sorted, so that equal values give equal text whatever order
 * their properties were built in.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, member]) => [key, sortKeysDeep(member)]),
    );
  }
  return value;
}

export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeysDeep(value));
