import type { Transport } from "../transport/transport.js";
import type { FabricAction } from "./fabric-plan.js";
import type { FabricLink } from "./fabric-state.js";
import { runChecked } from "./run-checked.js";

/** A command on the lab's machine: one line of `ip -n <namespace> -batch -`, or an argv. */
type FabricCommand =
  { readonly namespace: string; readonly ipLine: string } | { readonly argv: readonly string[] };

/**
 * Carries out actions in order through the machine's transport. Consecutive `ip` lines for one
 * namespace travel as one `ip -n <ns> -batch -` (which stops at its first failing line); a veth
 * (both ends placed in their namespaces by one command, so nothing appears in the root
 * namespace), a new namespace and a sysctl run on their own. Throws a LabError at the first
 * failing command; what ran before stays.
 */
export async function applyFabricActions(
  machine: Transport,
  actions: readonly FabricAction[],
): Promise<void> {
  const commands = actions.flatMap(fabricActionToCommands);
  for (let start = 0; start < commands.length;) {
    const command = commands[start] as FabricCommand;
    if ("argv" in command) {
      await runChecked(machine, command.argv);
      start += 1;
      continue;
    }
    let end = start;
    const lines: string[] = [];
    for (; end < commands.length; end += 1) {
      const next = commands[end] as FabricCommand;
      if ("argv" in next || next.namespace !== command.namespace) break;
      lines.push(next.ipLine);
    }
    await runChecked(machine, ["ip", "-n", command.namespace, "-batch", "-"], {
      stdin: `${lines.join("\n")}\n`,
    });
    start = end;
  }
}

/** The commands of one action. Names come from the layout (validated prefix, hashed ports). */
function fabricActionToCommands(action: FabricAction): readonly FabricCommand[] {
  switch (action.kind) {
    case "add-namespace":
      return [{ argv: ["ip", "netns", "add", action.namespace] }];
    case "add-link":
      return addLink(action.link);
    case "set-link":
      return [{ namespace: action.link.namespace, ipLine: setLinkLine(action.link) }];
    case "delete-link":
      return [{ namespace: action.namespace, ipLine: `link del dev ${action.name}` }];
    case "add-address": {
      const { namespace, cidr, dev } = action.address;
      // nodad: an IPv6 underlay address is usable at once, not tentative for 1-2 s.
      const nodad = cidr.includes(":") ? " nodad" : "";
      return [{ namespace, ipLine: `addr replace ${cidr} dev ${dev}${nodad}` }];
    }
    case "delete-address": {
      const { namespace, cidr, dev } = action.address;
      return [{ namespace, ipLine: `addr del ${cidr} dev ${dev}` }];
    }
    case "replace-route": {
      const { namespace, dst, via, dev } = action.route;
      return [{ namespace, ipLine: `route replace ${dst} via ${via} dev ${dev}` }];
    }
    case "delete-route": {
      const { namespace, dst, via, dev } = action.route;
      return [{ namespace, ipLine: `route del ${dst} via ${via} dev ${dev}` }];
    }
    case "set-sysctl": {
      const { namespace, key, value } = action.sysctl;
      // /proc/sys/net follows the network namespace; nsenter leaves the mounts as they are.
      return [
        {
          argv: [
            ...["nsenter", `--net=/run/netns/${namespace}`, "--"],
            ...["sysctl", "-q", "-w", `${key}=${value}`],
          ],
        },
      ];
    }
  }
}

function addLink(link: FabricLink): readonly FabricCommand[] {
  if (link.peer !== undefined) {
    return [
      {
        argv: [
          ...["ip", "link", "add", link.name, "netns", link.namespace],
          ...["type", "veth", "peer", "name", link.peer.name, "netns", link.peer.namespace],
        ],
      },
    ];
  }
  switch (link.kind) {
    case "bridge":
      // STP off and no forward delay: a port forwards as soon as it is up.
      return [
        {
          namespace: link.namespace,
          ipLine: `link add ${link.name} type bridge stp_state 0 forward_delay 0`,
        },
      ];
    case "tun":
      // Persistent, so it outlives a QEMU restart; QEMU opens it by name.
      return [{ namespace: link.namespace, ipLine: `tuntap add dev ${link.name} mode tap` }];
    default:
      throw new RangeError(`the lab cannot make a link of kind ${link.kind ?? "(none)"}`);
  }
}

function setLinkLine(link: FabricLink): string {
  return [
    `link set dev ${link.name}`,
    ...(link.master === undefined ? [] : [`master ${link.master}`]),
    ...(link.mtu === undefined ? [] : [`mtu ${link.mtu}`]),
    ...(link.alias === undefined ? [] : [`alias ${link.alias}`]),
    link.up ? "up" : "down",
  ].join(" ");
}
