import { ApplierError } from "./applier-error.js";

/**
 * Every string that goes into a script line passes through one of these checks. The topology
 * loader already validated names and addresses, but a saved plan is a file anyone may edit:
 * a value that does not look like what the kernel accepts is refused here, never quoted into
 * a command and hoped for the best.
 */

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
/** The kernel's IFNAMSIZ is 16 with the terminating zero; "." and ".." are not names. */
const INTERFACE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,15}$/;
/** A file under /run/netns: what the observation script also accepts. */
const NAMESPACE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,64}$/;
/** Aliases netplan-k writes are "netplan-k:<topology>". */
const ALIAS = /^[A-Za-z0-9:._-]{1,128}$/;
const PATH = /^\/[A-Za-z0-9_.\/-]+$/;
const SYSCTL_VALUE = /^[A-Za-z0-9._-]{1,64}$/;

function unsafe(what: string, value: unknown, expected: string): never {
  throw new ApplierError(
    "unsafe-value",
    `${what} ${JSON.stringify(value)} is not ${expected}; refusing to put it in a command`,
  );
}

function matching(pattern: RegExp, what: string, expected: string, value: string): string {
  return typeof value === "string" && pattern.test(value) ? value : unsafe(what, value, expected);
}

export const safeInterface = (value: string, what = "interface name"): string =>
  matching(INTERFACE, what, "an interface name (1-15 letters, digits, '.', '_', '-')", value);

export const safeNamespace = (value: string): string =>
  matching(NAMESPACE, "namespace name", "a namespace name (letters, digits, '.', '_', '-')", value);

export const safeIpv4 = (value: string, what = "address"): string =>
  matching(IPV4, what, "an IPv4 address", value);

export function safeCidr(value: string, what = "prefix"): string {
  const [address = "", length = "", ...rest] = typeof value === "string" ? value.split("/") : [];
  if (rest.length > 0 || !IPV4.test(address) || !/^(3[0-2]|[12]?[0-9])$/.test(length)) {
    unsafe(what, value, "an IPv4 prefix in CIDR form");
  }
  return value;
}

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
