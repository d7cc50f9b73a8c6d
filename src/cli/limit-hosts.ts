import type { DesiredState } from "../model/index.js";
import { CliError } from "./cli-error.js";

/** `--limit a,b`: keep only the named hosts; an unknown name is an error, not a silent no-op. */
export function limitHosts(desired: DesiredState, limit: string | undefined): DesiredState {
  if (limit === undefined) return desired;
  const names = limit
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const known = new Set(desired.hosts.map((h) => h.host));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CliError(
      `--limit names ${unknown.length === 1 ? "a host" : "hosts"} not in the topology: ${unknown.join(", ")}`,
      `Hosts are: ${[...known].join(", ")}.`,
    );
  }
  const wanted = new Set(names);
  return { ...desired, hosts: desired.hosts.filter((h) => wanted.has(h.host)) };
}
