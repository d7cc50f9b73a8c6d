import type { Address4 } from "ip-address";
import { cidrText, isNetwork } from "./block-math.js";
import { CLUSTER_DEFAULTS } from "./cluster-defaults.js";
import type { DraftCluster, DraftHost, DraftRouter, DraftTopology, Field, Given } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { parseIpv4 } from "./parse-address.js";
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

  /** An address, or a CIDR; `network`: host bits must be clear (cluster.cidr, podCidr). */
  const address =
    (path: Path, kind: "address" | "cidr" | "network") =>
    (value: unknown): Address4 | undefined => {
      if (typeof value !== "string") return undefined;
      const parsed = parseIpv4(value, kind !== "address");
      if (!parsed.ok) {
        const noun = kind === "address" ? "IPv4 address" : "CIDR";
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
        return undefined;
      }
      return parsed.address;
    };

  const list = (path: Path): readonly unknown[] => {
    const value = valueAt(data, path);
    return Array.isArray(value) ? value : [];
  };

  const hostPrefixPath: Path = ["cluster", "hostPrefix"];
  const hostPrefixGiven = valueAt(data, hostPrefixPath) !== undefined;
  const mtuPath: Path = ["cluster", "mtu"];
  const mtuGiven = valueAt(data, mtuPath) !== undefined;
  const hostPrefix = hostPrefixGiven ? asNumber(read(hostPrefixPath)) : CLUSTER_DEFAULTS.hostPrefix;
  const mtu = mtuGiven ? asNumber(read(mtuPath)) : CLUSTER_DEFAULTS.mtu;
  const mode = field(["cluster", "mode"], (v) => asString(v) as ModeName | undefined);
  const cidr = field(["cluster", "cidr"], address(["cluster", "cidr"], "network"));
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
    ...(hostPrefix !== undefined && { hostPrefix }),
    ...(hostPrefixGiven && { hostPrefixPath }),
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
    const underlay = field([...path, "address"], address([...path, "address"], "cidr"));
    const podCidr = given([...path, "podCidr"], address([...path, "podCidr"], "network"));
    const workloads = list([...path, "namespaces"]).flatMap((rawWorkload, j) => {
      if (!isRecord(rawWorkload)) return [];
      const workloadPath: Path = [...path, "namespaces", j];
      const workloadName = field([...workloadPath, "name"], asString);
      const ip = given([...workloadPath, "ip"], address([...workloadPath, "ip"], "address"));
      return [
        { path: workloadPath, ...(workloadName !== undefined && { name: workloadName }), ip },
      ];
    });
    return [
      {
        path,
        ...(name !== undefined && { name }),
        ...(underlay !== undefined && { address: underlay }),
        podCidr,
        workloads,
      },
    ];
  });

  const routers: DraftRouter[] = list(["lab", "routers"]).flatMap((rawRouter, i) => {
    if (!isRecord(rawRouter)) return [];
    const path: Path = ["lab", "routers", i];
    const name = field([...path, "name"], asString);
    const legs = list([...path, "legs"]).flatMap((_, j) => {
      const leg = field([...path, "legs", j], address([...path, "legs", j], "cidr"));
      return leg === undefined ? [] : [leg];
    });
    return [{ path, ...(name !== undefined && { name }), legs }];
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

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof segment === "number") node = Array.isArray(node) ? node[segment] : undefined;
    else node = isRecord(node) ? node[segment] : undefined;
  }
  return node;
}
