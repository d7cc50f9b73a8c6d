import type { DesiredState } from "../model/index.js";
import { CliError } from "./cli-error.js";

/** `--limit a,b`: the named hosts, in topology order; an unknown name is an error, not a no-op. */
export function limitHostNames(hosts: readonly string[], limit: string | undefined): string[] {
  if (limit === undefined) return [...hosts];
  const names = limit
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !hosts.includes(name));
  if (unknown.length > 0) {
    throw new CliError(
      `--limit names ${unknown.length === 1 ? "a host" : "hosts"} not in the topology: ${unknown.join(", ")}`,
      `Hosts are: ${hosts.join(", ")}.`,
    );
  }
  return hosts.filter((host) => names.includes(host));
}

/** The desired state of the hosts `--limit` names. */
export function limitHosts(desired: DesiredState, limit: string | undefined): DesiredState {
  const wanted = new Set(
    limitHostNames(
      desired.hosts.map((h) => h.host),
      limit,
    ),
  );
  return { ...desired, hosts: desired.hosts.filter((h) => wanted.has(h.host)) };
}
