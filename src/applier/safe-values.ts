import { Address4, Address6 } from "ip-address";
import { ApplierError } from "./applier-error.js";

/**
 * Every string that goes into a script line passes through one of these checks. The topology
 * loader already validated names and addresses, but a saved plan is a file anyone may edit:
 * a value that does not look like what the kernel accepts is refused here, never quoted into
 * a command and hoped for the best.
 */

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
/** The kernel's IFNAMSIZ is 16 with the terminating zero; "." and ".." are not names. */
const INTERFACE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,15}$/;
/** A file under /run/netns: what the observation script also accepts. */
const NAMESPACE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,64}$/;
/** Aliases netplan-k writes are "netplan-k:<topology>". */
const ALIAS = /^[A-Za-z0-9:._-]{1,128}$/;
const PATH = /^\/[A-Za-z0-9_.\/-]+$/;
const SYSCTL_VALUE = /^[A-Za-z0-9._-]{1,64}$/;
/** A BIRD symbol: a letter or '_', then letters, digits and '_' (what bird-config.ts writes). */
const BIRD_SYMBOL = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function unsafe(what: string, value: unknown, expected: string): never {
  throw new ApplierError(
    "apply.unsafe-value",
    `${what} ${JSON.stringify(value)} is not ${expected}; refusing to put it in a command`,
  );
}

function matching(pattern: RegExp, what: string, expected: string, value: string): string {
  return typeof value === "string" && pattern.test(value) ? value : unsafe(what, value, expected);
}

export const safeInterface = (value: string, what = "interface name"): string =>
  matching(INTERFACE, what, "an interface name (1-15 letters, digits, '.', '_', '-')", value);

export const safeBirdSymbol = (value: string): string =>
  matching(BIRD_SYMBOL, "BIRD protocol name", "a BIRD symbol (letters, digits, '_')", value);

export const safeNamespace = (value: string): string =>
  matching(NAMESPACE, "namespace name", "a namespace name (letters, digits, '.', '_', '-')", value);

/** Either family's class of ip-address: what canonicalForm needs of it. */
type AddressClass = {
  isValid(value: string): boolean;
  new (value: string): { correctForm(): string; subnet: string };
};

/**
 * `value` as ip-address writes it back ("10.0.0.1", "fd00::1", or with "/n" when
 * `withPrefix`), or undefined when it is not one of `family`: only the canonical form (no
 * leading zeros, IPv6 compressed as the kernel prints it, RFC 5952, nothing around it) goes
 * into a command.
 */
function canonicalForm(
  value: unknown,
  withPrefix: boolean,
  family: AddressClass,
): string | undefined {
  if (typeof value !== "string" || value.includes("/") !== withPrefix) return undefined;
  if (!family.isValid(value)) return undefined;
  const address = new family(value);
  return `${address.correctForm()}${withPrefix ? address.subnet : ""}`;
}

const canonicalIpv4 = (value: unknown, withPrefix: boolean): string | undefined =>
  canonicalForm(value, withPrefix, Address4);

export const safeIpv4 = (value: string, what = "address"): string =>
  canonicalIpv4(value, false) === value ? value : unsafe(what, value, "an IPv4 address");

export const safeCidr = (value: string, what = "prefix"): string =>
  canonicalIpv4(value, true) === value ? value : unsafe(what, value, "an IPv4 prefix in CIDR form");

const canonicalIpv6 = (value: unknown, withPrefix: boolean): string | undefined =>
  canonicalForm(value, withPrefix, Address6);

/** An address of either family (IPv6 has colons), each held to its canonical form. */
export const safeAddress = (value: string, what = "address"): string =>
  typeof value === "string" && value.includes(":")
    ? canonicalIpv6(value, false) === value
      ? value
      : unsafe(what, value, "an IPv6 address in its compressed form")
    : safeIpv4(value, what);

/** A prefix in CIDR form of either family, each held to its canonical form. */
export const safePrefix = (value: string, what = "prefix"): string =>
  typeof value === "string" && value.includes(":")
    ? canonicalIpv6(value, true) === value
      ? value
      : unsafe(what, value, "an IPv6 prefix in CIDR form, compressed")
    : safeCidr(value, what);

export const safeMac = (value: string): string =>
  matching(MAC, "MAC address", "a MAC address (six hex pairs separated by ':')", value);

export const safeAlias = (value: string): string =>
  matching(ALIAS, "alias", "an alias of letters, digits, ':', '.', '_', '-'", value);

export function safePath(value: string): string {
  if (typeof value !== "string" || !PATH.test(value) || value.split("/").includes("..")) {
    unsafe("path", value, "an absolute path of letters, digits, '.', '_', '-' and '/'");
  }
  return value;
}

export const safeSysctlValue = (value: string): string =>
  matching(SYSCTL_VALUE, "sysctl value", "a plain value (letters, digits, '.', '_', '-')", value);

/** A route's table or protocol may be a name only the host knows: never written, so refused. */
export function safeInteger(
  value: number | string,
  what: string,
  min: number,
  max: number,
): string {
  if (typeof value !== "number") unsafe(what, value, `an integer from ${min} to ${max}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    unsafe(what, value, `an integer from ${min} to ${max}`);
  }
  return String(value);
}
