/**
 * Attach style bridge (flannel with the bridge CNI plugin).
 *
 * Design notes. The host's block is one L2 network behind a bridge: the host answers on the
 * block's first address, workloads use it as their default gateway, and the kernel's own
 * connected route (`<block> dev cni0 proto kernel`, not compared) delivers to them.
 *
 * Per host:
 *   - link `cni0` kind bridge, MTU overlay, up, alias; address `<gateway>/<prefix>` on it.
 *     cni0 exists even on a host without workloads, so the gateway address is in place
 *     before the first workload arrives.
 * Per workload W (address `<ip>`):
 *   - host veth end `hostVethName(T, W)`, master cni0 (its MAC is the kernel's: not fixed);
 *   - in W: address `<ip>/<prefix>` on eth0; route `0.0.0.0/0 via <gateway> dev eth0`.
 * The above where the cluster has IPv4. Where it has IPv6 (dual-stack or IPv6-only): cni0
 * holds `<gateway6>/<prefix6>`; W `<ip6>/<prefix6>` on eth0 and `::/0 via <gateway6> dev eth0
 * metric 1024`.
 */
import type { AttachStyleCompiler } from "./mode.js";
import { describeBlock, describeBlock6, type Block } from "./block.js";
import { BRIDGE_NAME, WORKLOAD_INTERFACE } from "./naming.js";
import { gatewayRoute, gatewayRoute6 } from "./routes.js";
import { hostVethLink, workloadNamespace } from "./workload.js";

export const bridge: AttachStyleCompiler = {
  compileHost: (context) => {
    const { host, workloadMtu, alias } = context;
    const block: Block | undefined = host.v4 && describeBlock(host.v4.podCidr);
    const block6: Block | undefined = host.v6 && describeBlock6(host.v6.podCidr);
    return {
      root: {
        links: [
          { name: BRIDGE_NAME, kind: "bridge", mtu: workloadMtu, up: true, alias },
          ...host.workloads.map((workload) =>
            hostVethLink(context, workload, { master: BRIDGE_NAME }),
          ),
        ],
        addresses: [
          ...(block ? [{ dev: BRIDGE_NAME, cidr: `${block.gateway}/${block.prefix}` }] : []),
          ...(block6 ? [{ dev: BRIDGE_NAME, cidr: `${block6.gateway}/${block6.prefix}` }] : []),
        ],
      },
      namespaces: host.workloads.map((workload) =>
        workloadNamespace(context, workload, {
          addresses: [
            ...(block && workload.ipV4 !== undefined
              ? [{ dev: WORKLOAD_INTERFACE, cidr: `${workload.ipV4}/${block.prefix}` }]
              : []),
            ...(block6 && workload.ipV6 !== undefined
              ? [{ dev: WORKLOAD_INTERFACE, cidr: `${workload.ipV6}/${block6.prefix}` }]
              : []),
          ],
          routes: [
            ...(block ? [gatewayRoute("0.0.0.0/0", block.gateway, WORKLOAD_INTERFACE, false)] : []),
            ...(block6 ? [gatewayRoute6("::/0", block6.gateway, WORKLOAD_INTERFACE, false)] : []),
          ],
          neighbours: [],
        }),
      ),
    };
  },
};
