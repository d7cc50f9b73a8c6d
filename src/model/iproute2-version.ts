/**
 * iproute2 versions as `ip -V` prints them: "ip utility, iproute2-6.1.0, libbpf 1.1.2" since
 * 5.9 or so, "ip utility, iproute2-ss200127" (a snapshot date, YYMMDD) before that.
 */

/**
 * The oldest iproute2 whose `-j` output netplan-k reads: every listing it parses (`ip -j -d
 * link`, `ip -j addr`, `ip -j route show table all`, `ip -j neigh`, `bridge -j fdb`,
 * `ip -j netns list`) must be valid JSON with the keys the parsers use (README, "What
 * netplan-k checks on a host before changing it", gives the evidence). `released` is the
 * snapshot date that older `ip -V` output carries instead of a version number.
 */
export const MINIMUM_IPROUTE2: Iproute2Minimum = { version: "5.0.0", released: "190301" };

/** A minimum version, with the date that stands for it in snapshot-style `ip -V` output. */
export interface Iproute2Minimum {
  /** Dotted version, e.g. "5.0.0". */
  readonly version: string;
  /** Its release as YYMMDD; a snapshot date on or after it counts as recent enough. */
  readonly released: string;
}

/** A version read from `ip -V`: a dotted version, or a snapshot date (YYMMDD). */
export type Iproute2Version =
  | { readonly kind: "version"; readonly parts: readonly number[] }
  | { readonly kind: "snapshot"; readonly date: string };

/** Reads "iproute2-6.1.0" or "iproute2-ss180129" (with or without the rest of `ip -V`); undefined when neither. */
export function parseIproute2Version(text: string): Iproute2Version | undefined {
  const snapshot = /iproute2-ss(\d{6})\b/.exec(text);
  if (snapshot) return { kind: "snapshot", date: snapshot[1] as string };
  const dotted = /iproute2-v?(\d+(?:\.\d+)*)/.exec(text);
  if (dotted) return { kind: "version", parts: (dotted[1] as string).split(".").map(Number) };
  return undefined;
}

const compareParts = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};

/**
 * Whether `ip -V` output (or the "iproute2-..." part of it) names a version at least
 * `minimum`; undefined when it names no version netplan-k can read: unknown, which is never
 * a reason to refuse a host.
 */
export function isIproute2AtLeast(text: string, minimum: Iproute2Minimum): boolean | undefined {
  const version = parseIproute2Version(text);
  if (version === undefined) return undefined;
  if (version.kind === "snapshot") return version.date >= minimum.released;
  return compareParts(version.parts, minimum.version.split(".").map(Number)) >= 0;
}

/** The one sentence a host with too old an iproute2 gets; `found` as HostFacts.iproute2 has it. */
export const iproute2TooOld = (host: string, found: string, minimum: Iproute2Minimum): string =>
  `${host} has ${found} (ip -V), but netplan-k reads the JSON output of iproute2 ` +
  `${minimum.version} (ss${minimum.released}) or newer: upgrade iproute2 on ${host}.`;
