import type { AttachStyle } from "./topology.js";
import { topologySchema, type JsonSchema } from "./schema.js";

/**
 * What a topology's `cluster:` section means when a setting is left out. The values are the
 * `default` keywords of schemas/topology.schema.json, read from it here, so that the schema
 * (which editors show) is the one place they are written.
 */
export interface ClusterDefaults {
  readonly hostPrefix: number;
  readonly hostPrefixV6: number;
  readonly attach: AttachStyle;
  readonly mtu: number;
  readonly vxlan: { readonly vni: number; readonly port: number; readonly directRouting: boolean };
  readonly ipip: { readonly crossSubnet: boolean };
  readonly bgp: { readonly asn: number; readonly reflectors: readonly string[] };
}

/** The `default` of a property of the schema's Cluster, by its path; throws when there is none. */
function clusterDefault(...path: readonly string[]): unknown {
  let node: JsonSchema | undefined = (topologySchema["$defs"] as Record<string, JsonSchema>)[
    "Cluster"
  ];
  for (const property of path) {
    node = (node?.["properties"] as Record<string, JsonSchema> | undefined)?.[property];
  }
  if (node?.["default"] === undefined) {
    throw new Error(`schemas/topology.schema.json gives Cluster.${path.join(".")} no default`);
  }
  return node["default"];
}

export const CLUSTER_DEFAULTS: ClusterDefaults = {
  hostPrefix: clusterDefault("hostPrefix") as number,
  hostPrefixV6: clusterDefault("hostPrefixV6") as number,
  attach: clusterDefault("attach") as AttachStyle,
  mtu: clusterDefault("mtu") as number,
  vxlan: {
    vni: clusterDefault("vxlan", "vni") as number,
    port: clusterDefault("vxlan", "port") as number,
    directRouting: clusterDefault("vxlan", "directRouting") as boolean,
  },
  ipip: { crossSubnet: clusterDefault("ipip", "crossSubnet") as boolean },
  bgp: {
    asn: clusterDefault("bgp", "asn") as number,
    reflectors: clusterDefault("bgp", "reflectors") as string[],
  },
};
