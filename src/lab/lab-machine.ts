import { createLocalTransport } from "../transport/local-transport.js";
import type { Transport } from "../transport/transport.js";

/**
 * The machine a lab is built on, as a Transport: every fabric command (`ip -n <ns> …`, `ip netns
 * …`, `nsenter … sysctl`) runs in this machine's root namespaces, and names the lab in errors.
 */
export const openLabMachine = (prefix: string): Transport => createLocalTransport(`lab ${prefix}`);
