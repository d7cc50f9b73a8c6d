import type { Address4, Address6 } from "ip-address";
import { cidrText, isNetwork, type IpPrefix } from "./block-math.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import type {
  DraftCluster,
  DraftHost,
  DraftRouter,
  DraftTopology,
  Families,
  Field,
  Given,
} from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { isIpv6Text, parseIpv4, parseIpv6, type Parsed } from "./parse-address.js";
import { formatPath, isRecord, isWithin, type Path } from "./path.js";
import type { ModeName } from "./topology.js";

export interface DraftResult {
  readonly draft: DraftTopology;
  readonly findings: readonly Finding[];
}

/**
 * Reads the usable parts of the document into a draft. A value is usable when it is there
 * and the schema found nothing wrong at or below it; addresses must also parse.
 */
export function readDraft(data: unknown, invalidPaths: readonly Path[]): DraftResult {
  const findings: Finding[] = [];
  const read = (path: Path): unknown => {
    if (invalidPaths.some((invalid) => isWithin(invalid, path))) return undefined;
    return valueAt(data, path);
  };
  const given = <T>(path: Path, parse: (value: unknown) => T | undefined): Given<T> => {
    if (valueAt(data, path) === undefined) return "absent";
    const raw = read(path);
    const value = raw === undefined ? undefined : parse(raw);
    return value === undefined ? "invalid" : { value, path };
  };
  const field = <T>(path: Path, parse: (value: unknown) => T | undefined): Field<T> | undefined => {
    const result = given(path, parse);
    return typeof result === "string" ? undefined : result;
  };
  const asString = (value: unknown): string | undefined =>
    typeof value === "string" ? value : undefined;
  const asNumber = (value: unknown): number | undefined =>
    typeof value === "number" ? value : undefined;

  /**
   * An address, or a CIDR; `network`: host bits must be clear (cluster.cidr, podCidr), else an
   * error and the network address they were meant as.
   */
  const address = (path: Path, kind: AddressKind) => (value: unknown) =>
    typeof value === "string" ? checkAddress(path, kind, value, parseIpv4) : undefined;
  const address6 = (path: Path, kind: AddressKind) => (value: unknown) =>
    typeof value === "string" ? checkAddress(path, kind, value, parseIpv6) : undefined;
  function checkAddress<A extends IpPrefix>(
    path: Path,
    kind: AddressKind,
    value: string,
    parse: (text: string, withPrefix: boolean) => Parsed<A>,
  ): A | undefined {
    const parsed = parse(value, kind !== "address");
    if (!parsed.ok) {
      const noun =
        kind !== "address" ? "CIDR" : isIpv6Text(value) ? "IPv6 address" : "IPv4 address";
      findings.push(
        errorAt(path, `${formatPath(path)} ${value} is not a valid ${noun}: ${parsed.problem}`),
      );
      return undefined;
    }
    if (kind === "network" && !isNetwork(parsed.address)) {
      const network = cidrText(parsed.address);
      findings.push(
        errorAt(
          path,
          `${formatPath(path)} ${value} has host bits set; did you mean ${network}?`,
          "a block is written as its network address: every bit past the prefix length is 0",
        ),
      );
      // The rest of the file is judged against the block meant, so that its own errors (a
      // workload outside that block) are not hidden behind this one.
      const meant = parse(network, true);
      return meant.ok ? meant.address : undefined;
    }
    return parsed.address;
  }

  /**
   * A field holding one address of either family or a list of at most one of each (the
   * dual-stack convention), split by family: each value keeps its own path (the list entry),
   * and a family the field leaves out is absent (allocated where that means something).
   */
  const byFamily = (path: Path, kind: AddressKind): ByFamily => {
    if (valueAt(data, path) === undefined) return { v4: "absent", v6: "absent" };
    const raw = read(path);
    if (raw === undefined) return { v4: "invalid", v6: "invalid" };
    const entries: { text: unknown; path: Path }[] = Array.isArray(raw)
      ? raw.map((text, i) => ({ text, path: [...path, i] }))
      : [{ text: raw, path }];
    let v4: Given<Address4> = "absent";
    let v6: Given<Address6> = "absent";
    for (const entry of entries) {
      if (typeof entry.text !== "string") return { v4: "invalid", v6: "invalid" };
      const ipv6 = isIpv6Text(entry.text);
      if ((ipv6 ? v6 : v4) !== "absent") {
        const family = ipv6 ? "IPv6" : "IPv4";
        findings.push(
          errorAt(
            entry.path,
            `${formatPath(path)} lists two ${family} values; a list holds at most one IPv4 and one IPv6 value`,
            "a dual-stack value is [<IPv4>, <IPv6>]",
          ),
        );
        return { v4: "invalid", v6: "invalid" };
      }
      if (ipv6) {
        const value = address6(entry.path, kind)(entry.text);
        v6 = value === undefined ? "invalid" : { value, path: entry.path };
      } else {
        const value = address(entry.path, kind)(entry.text);
        v4 = value === undefined ? "invalid" : { value, path: entry.path };
      }
    }
    return { v4, v6 };
  };
  const present = <T>(given: Given<T>): Field<T> | undefined =>
    typeof given === "string" ? undefined : given;

  const list = (path: Path): readonly unknown[] => {
    const value = valueAt(data, path);
    return Array.isArray(value) ? value : [];
  };

  const hostPrefixPath: Path = ["cluster", "hostPrefix"];
  const hostPrefixGiven = valueAt(data, hostPrefixPath) !== undefined;
  const mtuPath: Path = ["cluster", "mtu"];
  const mtuGiven = valueAt(data, mtuPath) !== undefined;
  const hostPrefix = hostPrefixGiven ? asNumber(read(hostPrefixPath)) : CLUSTER_DEFAULTS.hostPrefix;
  const hostPrefixV6Path: Path = ["cluster", "hostPrefixV6"];
  const hostPrefixV6Given = valueAt(data, hostPrefixV6Path) !== undefined;
  const hostPrefixV6 = hostPrefixV6Given
    ? asNumber(read(hostPrefixV6Path))
    : CLUSTER_DEFAULTS.hostPrefixV6;
  const mtu = mtuGiven ? asNumber(read(mtuPath)) : CLUSTER_DEFAULTS.mtu;
  const mode = field(["cluster", "mode"], (v) => asString(v) as ModeName | undefined);
  const cidrPath: Path = ["cluster", "cidr"];
  const cidrs = byFamily(cidrPath, "network");
  const cidr = present(cidrs.v4);
  const cidrV6 = present(cidrs.v6);
  const vni = field(["cluster", "vxlan", "vni"], asNumber);
  const sections = (["vxlan", "ipip", "bgp"] as const).flatMap((name) =>
    valueAt(data, ["cluster", name]) === undefined
      ? []
      : [{ value: name, path: ["cluster", name] }],
  );
  const reflectors = list(["cluster", "bgp", "reflectors"]).flatMap((_, i) => {
    const f = field(["cluster", "bgp", "reflectors", i], asString);
    return f === undefined ? [] : [f];
  });
  const cluster: DraftCluster = {
    ...(cidr !== undefined && { cidr }),
    ...(cidrV6 !== undefined && { cidrV6 }),
    ...(valueAt(data, cidrPath) !== undefined && {
      cidrPath,
      cidrFamilies: writtenFamilies(cidrs),
    }),
    ...(hostPrefix !== undefined && { hostPrefix }),
    ...(hostPrefixGiven && { hostPrefixPath }),
    ...(hostPrefixV6 !== undefined && { hostPrefixV6 }),
    ...(hostPrefixV6Given && { hostPrefixV6Path }),
    ...(mode !== undefined && { mode }),
    ...(mtu !== undefined && { mtu }),
    ...(mtuGiven && { mtuPath }),
    ...(vni !== undefined && { vni }),
    sections,
    reflectors,
  };

  const hosts: DraftHost[] = list(["hosts"]).flatMap((rawHost, i) => {
    if (!isRecord(rawHost)) return [];
    const path: Path = ["hosts", i];
    const name = field([...path, "name"], asString);
    const addressPath: Path = [...path, "address"];
    const underlays = byFamily(addressPath, "cidr");
    const underlay = present(underlays.v4);
    const underlayV6 = present(underlays.v6);
    const podCidrs = byFamily([...path, "podCidr"], "network");
    const workloads = list([...path, "namespaces"]).flatMap((rawWorkload, j) => {
      if (!isRecord(rawWorkload)) return [];
      const workloadPath: Path = [...path, "namespaces", j];
      const workloadName = field([...workloadPath, "name"], asString);
      const ips = byFamily([...workloadPath, "ip"], "address");
      return [
        {
          path: workloadPath,
          ...(workloadName !== undefined && { name: workloadName }),
          ip: ips.v4,
          ipV6: ips.v6,
        },
      ];
    });
    return [
      {
        path,
        ...(name !== undefined && { name }),
        ...(underlay !== undefined && { address: underlay }),
        ...(underlayV6 !== undefined && { addressV6: underlayV6 }),
        ...(valueAt(data, addressPath) !== undefined && { addressPath }),
        ...(writtenFamilies(underlays) !== undefined && {
          addressFamilies: writtenFamilies(underlays),
        }),
        podCidr: podCidrs.v4,
        podCidrV6: podCidrs.v6,
        workloads,
      },
    ];
  });

  const routers: DraftRouter[] = list(["lab", "routers"]).flatMap((rawRouter, i) => {
    if (!isRecord(rawRouter)) return [];
    const path: Path = ["lab", "routers", i];
    const name = field([...path, "name"], asString);
    const legPaths = list([...path, "legs"]).map((_, j): Path => [...path, "legs", j]);
    const isV6 = (legPath: Path): boolean => {
      const value = valueAt(data, legPath);
      return typeof value === "string" && isIpv6Text(value);
    };
    const legs = legPaths
      .filter((legPath) => !isV6(legPath))
      .flatMap((legPath) => {
        const leg = field(legPath, address(legPath, "cidr"));
        return leg === undefined ? [] : [leg];
      });
    const legsV6 = legPaths.filter(isV6).flatMap((legPath) => {
      const leg = field(legPath, address6(legPath, "cidr"));
      return leg === undefined ? [] : [leg];
    });
    return [{ path, ...(name !== undefined && { name }), legs, legsV6 }];
  });

  const guests = list(["lab", "guests"]).flatMap((_, i) => {
    const guest = field(["lab", "guests", i], asString);
    return guest === undefined ? [] : [guest];
  });
  const labSshd = field(["lab", "sshd"], (value) =>
    typeof value === "boolean" ? value : undefined,
  );

  return {
    draft: { cluster, hosts, routers, guests, ...(labSshd !== undefined && { labSshd }) },
    findings,
  };
}

type AddressKind = "address" | "cidr" | "network";

/** A dual-stack field split by family. */
interface ByFamily {
  readonly v4: Given<Address4>;
  readonly v6: Given<Address6>;
}

/** Which families a field writes, usable or not; undefined when the field as a whole is not. */
const writtenFamilies = ({ v4, v6 }: ByFamily): Families | undefined =>
  v4 === "invalid" && v6 === "invalid" ? undefined : { v4: v4 !== "absent", v6: v6 !== "absent" };

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof segment === "number") node = Array.isArray(node) ? node[segment] : undefined;
    else node = isRecord(node) ? node[segment] : undefined;
  }
  return node;
}
