import { Address4, Address6 } from "ip-address";

export type Parsed<A = Address4> =
  { readonly ok: true; readonly address: A } | { readonly ok: false; readonly problem: string };

/**
 * Parses what the schema's patterns let through (`300.1.2.3`, `10.0.0.0/40`), saying which
 * part is wrong. ip-address has the last word on validity.
 */
export function parseIpv4(text: string, withPrefix: boolean): Parsed {
  const [addressPart = "", prefixPart] = text.split("/");
  for (const octet of addressPart.split(".")) {
    if (Number(octet) > 255) return { ok: false, problem: `octet ${octet} is over 255` };
    if (octet.length > 1 && octet.startsWith("0")) {
      return {
        ok: false,
        problem: `octet ${octet} has a leading zero (it would be read as octal by some tools)`,
      };
    }
  }
  if (withPrefix && prefixPart !== undefined && Number(prefixPart) > 32) {
    return { ok: false, problem: `prefix length /${prefixPart} is over 32` };
  }
  try {
    return { ok: true, address: new Address4(text) };
  } catch {
    return {
      ok: false,
      problem: withPrefix ? "it is not an IPv4 CIDR" : "it is not an IPv4 address",
    };
  }
}

/**
 * The IPv6 counterpart of parseIpv4, for what the schema's pattern lets through (hex groups
 * and colons: `fd00:::1`, `fd00::/129`). ip-address has the last word on validity.
 */
export function parseIpv6(text: string, withPrefix: boolean): Parsed<Address6> {
  const [addressPart = "", prefixPart] = text.split("/");
  if (withPrefix && prefixPart !== undefined && Number(prefixPart) > 128) {
    return { ok: false, problem: `prefix length /${prefixPart} is over 128` };
  }
  if (addressPart.includes(":::")) return { ok: false, problem: "it has three colons in a row" };
  if ((addressPart.match(/::/g) ?? []).length > 1) {
    return { ok: false, problem: `"::" may stand for zeros only once` };
  }
  try {
    return { ok: true, address: new Address6(text) };
  } catch {
    return {
      ok: false,
      problem: withPrefix ? "it is not an IPv6 CIDR" : "it is not an IPv6 address",
    };
  }
}

/** An address's family as written: IPv6 has colons, IPv4 never does. */
export const isIpv6Text = (text: string): boolean => text.includes(":");
