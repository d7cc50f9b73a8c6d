import { describeValue } from "./describe-value.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath, type Path } from "./path.js";
import { topologySchema } from "./schema.js";

const defs = (topologySchema["$defs"] ?? {}) as Readonly<
  Record<string, { readonly description?: string }>
>;
const ruleOf = (def: string): string => {
  const text = defs[def]?.description ?? "";
  return (text.charAt(0).toLowerCase() + text.slice(1)).replace(/\.$/, "");
};

const IP_CIDRS =
  "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}/[0-9]{1,3})$";
const IP_ADDRESSES = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7})$";

/**
 * What each pattern of the schema means, keyed by the pattern itself: the schema describes
 * some formats (Identifier) but most descriptions say what a field is for, not how it looks.
 */
const PATTERN_MEANINGS: Readonly<Record<string, { readonly noun: string; readonly rule: string }>> =
  {
    "^[a-z0-9][a-z0-9-]{0,31}$": { noun: "name", rule: ruleOf("Identifier") },
    "^[A-Za-z0-9_.-]{1,15}$": {
      noun: "interface name",
      rule: "at most 15 characters (the kernel's limit) from letters, digits, '.', '_' and '-'",
    },
    // cluster.cidr, a host's address and podCidr (IpCidrs), a lab router's legs (IpCidr), a
    // workload's ip (IpAddresses).
    [IP_CIDRS]: {
      noun: "CIDR",
      rule: "an IPv4 address and prefix length such as 10.244.0.0/16, or an IPv6 one such as fd00:10:244::/56",
    },
    [IP_ADDRESSES]: {
      noun: "IPv4 address",
      rule: "four numbers 0-255 separated by dots, such as 10.244.1.2, or an IPv6 address such as fd00:10:244:1::2",
    },
    "^[a-z_][a-z0-9_-]{0,31}$": {
      noun: "user name",
      rule: "lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters",
    },
    "^[A-Za-z0-9_./~+-]{1,255}$": {
      noun: "file path",
      rule: "letters, digits and the characters _ . / ~ + -, at most 255 characters",
    },
    "^[A-Za-z0-9_.@:,-]{1,255}$": {
      noun: "jump host list",
      rule: "[user@]host[:port] entries separated by commas, from letters, digits and _ . @ : -",
    },
    "^[A-Za-z0-9_.:-]{1,253}$": {
      noun: "host name or address",
      rule: "letters, digits and the characters _ . : -, at most 253 characters",
    },
    "^[A-Za-z0-9_.-]{1,64}$": {
      noun: "namespace name",
      rule: "letters, digits, '_', '.' and '-', at most 64 characters",
    },
    "^[a-z][a-z0-9]{0,5}$": {
      noun: "lab prefix",
      rule: "a lower-case letter followed by up to 5 lower-case letters or digits",
    },
  };

export function describePatternError(
  path: Path,
  value: unknown,
  pattern: string,
  description?: string,
): Finding {
  const meaning = PATTERN_MEANINGS[pattern];
  const shown = `${formatPath(path)} ${describeValue(value)}`;
  if (meaning === undefined)
    return errorAt(path, `${shown} does not have the expected form`, description);
  // A workload's ip written with colons was meant as IPv6: name that family.
  const noun =
    pattern === IP_ADDRESSES && typeof value === "string" && value.includes(":")
      ? "IPv6 address"
      : meaning.noun;
  return errorAt(path, `${shown} is not a valid ${noun}: ${meaning.rule}`);
}
