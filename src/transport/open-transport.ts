import type { Host } from "../topology/topology.js";
import { createLocalTransport } from "./local-transport.js";
import { createNetnsTransport, type NetnsTransportOptions } from "./netns-transport.js";
import type { SshTransportOptions } from "./ssh-args.js";
import { createSshTransport } from "./ssh-transport.js";
import type { Transport } from "./transport.js";

export interface OpenTransportOptions extends SshTransportOptions, NetnsTransportOptions {}

/** The transport a host's topology entry asks for. Opening contacts nothing; run() does. */
export function openTransport(host: Host, options: OpenTransportOptions = {}): Transport {
  const transport = host.transport;
  switch (transport.kind) {
    case "ssh":
      return createSshTransport(host.name, transport, options);
    case "local":
      return createLocalTransport(host.name);
    case "netns":
      return createNetnsTransport(host.name, transport.name, options);
  }
}
