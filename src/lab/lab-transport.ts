import { hostAddress } from "../topology/host-families.js";
import type { Host, LabSpec } from "../topology/topology.js";
import { createNetnsTransport } from "../transport/netns-transport.js";
import { createSshTransport } from "../transport/ssh-transport.js";
import type { Transport } from "../transport/transport.js";
import { hostNamespace } from "./lab-names.js";
import { labPaths, type LabOptions } from "./lab-paths.js";

/**
 * How netplan-k reaches a host of a lab topology (one with a `lab:` section): the lab built
 * the host, so the lab says how to get in. With `sshd: true`, over SSH with the lab's own
 * ssh_config (keys, known_hosts and a ProxyCommand that opens the stream from inside the lab,
 * so the root namespace needs no route); otherwise straight into the host's namespaces
 * (network and private mount namespace) with nsenter.
 */
export function openLabTransport(host: Host, lab: LabSpec, options: LabOptions = {}): Transport {
  const paths = labPaths(lab.prefix, options);
  if (lab.sshd) {
    return createSshTransport(
      host.name,
      { kind: "ssh", host: hostAddress(host), user: "root" },
      { sshConfigFile: paths.sshConfig },
    );
  }
  return createNetnsTransport(host.name, hostNamespace(lab.prefix, host.name), {
    mountNamespaceDir: paths.mntnsDir,
  });
}
