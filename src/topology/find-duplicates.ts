import type { Finding } from "./finding.js";

/** One finding per repeat, pointing at the later occurrence and naming the first. */
export function findDuplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  report: (item: T, first: T) => Finding,
): Finding[] {
  const first = new Map<string, T>();
  const findings: Finding[] = [];
  for (const item of items) {
    const earlier = first.get(keyOf(item));
    if (earlier === undefined) first.set(keyOf(item), item);
    else findings.push(report(item, earlier));
  }
  return findings;
}
