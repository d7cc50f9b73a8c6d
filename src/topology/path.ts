/** Where a value sits in the topology document: keys and list indexes from the root. */
export type Path = readonly (string | number)[];

/** The path as a user reads it: `hosts[1].podCidr`. */
export function formatPath(path: Path): string {
  if (path.length === 0) return "the topology";
  return path
    .map((segment, i) =>
      typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`,
    )
    .join("");
}

/** A stable map key for a path. */
export const pathKey = (path: Path): string => JSON.stringify(path);

/** True when `path` is `ancestor` or lies below it. */
export const isWithin = (path: Path, ancestor: Path): boolean =>
  ancestor.length <= path.length && ancestor.every((segment, i) => path[i] === segment);

/**
 * A JSON pointer (ajv's instancePath) as a path. Segments are numbers where the document
 * has a list at that point, so a mapping key that looks like a number stays a key.
 */
export function pointerToPath(pointer: string, root: unknown): Path {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return path;
}

export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
