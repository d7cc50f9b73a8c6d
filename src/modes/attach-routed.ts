/**
 * Attach style routed (Calico).
 *
 * Design notes. No bridge and no shared subnet: each workload is a /32 routed to its own
 * veth. The workload's gateway is the link-local 169.254.1.1, reached onlink; the host veth
 * answers for it (proxy ARP), and the workload also holds a permanent neighbour entry for it,
 * because proxy ARP only answers when the host has a route covering 169.254.1.1, which lab
 * hosts without a default route lack (kernel-layout.md).
 *
 * Per host: nothing besides the per-workload objects.
 * Per workload W (address `<ip>`):
 *   - host veth end `hostVethName(T, W)`, MAC ee:ee:ee:ee:ee:ee (so the neighbour entry in
 *     W is right before the host is observed), sysctl `net.ipv4.conf.<veth>.proxy_arp = 1`,
 *     route `<ip>/32 dev <veth> scope link`;
 *   - in W: address `<ip>/32` on eth0; route `0.0.0.0/0 via 169.254.1.1 dev eth0 onlink`;
 *     neighbour `169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent`.
 * The above where the cluster has IPv4. Where it has IPv6 (Calico's IPv6, dual-stack or
 * IPv6-only): host route `<ip6>/128 dev <veth> metric 1024`; in W `<ip6>/128`
 * on eth0 and `::/0 via fe80::ecee:eeff:feee:eeee dev eth0 metric 1024`, the link-local
 * address the kernel gives the veth end for its MAC: no neighbour entry or proxy NDP needed.
 */
import type { AttachStyleCompiler } from "./mode.js";
import {
  hostVethName,
  ROUTED_GATEWAY,
  ROUTED_GATEWAY_V6,
  ROUTED_HOST_VETH_MAC,
  WORKLOAD_INTERFACE,
} from "./naming.js";
import { deviceRoute, deviceRoute6, gatewayRoute, gatewayRoute6 } from "./routes.js";
import { hostVethLink, workloadNamespace } from "./workload.js";

export const routed: AttachStyleCompiler = {
  compileHost: (context) => {
    const { topology, host } = context;
    const veth = (workload: string): string => hostVethName(topology.name, workload);
    return {
      root: {
        links: host.workloads.map((workload) =>
          hostVethLink(context, workload, { mac: ROUTED_HOST_VETH_MAC }),
        ),
        routes: host.workloads.flatMap((workload) => [
          ...(workload.ipV4 === undefined
            ? []
            : [deviceRoute(`${workload.ipV4}/32`, veth(workload.name))]),
          ...(workload.ipV6 === undefined
            ? []
            : [deviceRoute6(`${workload.ipV6}/128`, veth(workload.name))]),
        ]),
      },
      sysctls: host.workloads.flatMap((workload) =>
        workload.ipV4 === undefined
          ? []
          : [{ key: `net.ipv4.conf.${veth(workload.name)}.proxy_arp`, value: "1" }],
      ),
      namespaces: host.workloads.map((workload) =>
        workloadNamespace(context, workload, {
          addresses: [
            ...(workload.ipV4 === undefined
              ? []
              : [{ dev: WORKLOAD_INTERFACE, cidr: `${workload.ipV4}/32` }]),
            ...(workload.ipV6 === undefined
              ? []
              : [{ dev: WORKLOAD_INTERFACE, cidr: `${workload.ipV6}/128` }]),
          ],
          routes: [
            ...(workload.ipV4 === undefined
              ? []
              : [gatewayRoute("0.0.0.0/0", ROUTED_GATEWAY, WORKLOAD_INTERFACE, true)]),
            ...(workload.ipV6 === undefined
              ? []
              : [gatewayRoute6("::/0", ROUTED_GATEWAY_V6, WORKLOAD_INTERFACE, false)]),
          ],
          neighbours:
            workload.ipV4 === undefined
              ? []
              : [
                  {
                    dev: WORKLOAD_INTERFACE,
                    dst: ROUTED_GATEWAY,
                    lladdr: ROUTED_HOST_VETH_MAC,
                    permanent: true,
                  },
                ],
        }),
      ),
    };
  },
};
