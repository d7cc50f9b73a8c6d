import { Address4 } from "ip-address";

export type Parsed =
  | { readonly ok: true; readonly address: Address4 }
  | { readonly ok: false; readonly problem: string };

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
