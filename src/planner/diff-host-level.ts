import type { BirdProtocolState, ManagedFile, Service, Sysctl } from "../model/index.js";
import {
  isBirdProtocolDown,
  managedFileKey,
  ownerOfFile,
  serviceKey,
  sysctlKey,
} from "../model/index.js";
import { diffKeyed } from "./diff-keyed.js";
import { fieldChange } from "./field-changes.js";
import { mergeResults, type DiffResult } from "./make-change.js";
import { foreignOwnerPhrase, isFileOwned } from "./ownership-rules.js";

export interface HostLevelInput {
  readonly topology: string;
  readonly desired: {
    readonly sysctls: readonly Sysctl[];
    readonly files: readonly ManagedFile[];
    readonly services: readonly Service[];
  };
  readonly observed: {
    readonly sysctls: readonly Sysctl[];
    readonly files: readonly ManagedFile[];
    readonly services: readonly Service[];
  };
}

const never = (): boolean => false;
const runState = (running: boolean): string => (running ? "running" : "stopped");

/**
 * The protocols `desired` wants up that the running `observed` BIRD holds down: disabled at
 * runtime (`birdc disable`) or by a `disabled;` its file was given by hand (isBirdProtocolDown).
 * Apply enables each (`birdc enable NAME`). A session that is up but not Established (its peer
 * is down) is no change apply can make: bgp-session-warnings.ts names it.
 */
function disabledProtocols(desired: Service, observed: Service): BirdProtocolState[] {
  if (!desired.running || !observed.running) return [];
  const found = new Map((observed.protocols ?? []).map((p) => [p.name, p]));
  return (desired.protocols ?? [])
    .filter((want) => !isBirdProtocolDown(want))
    .filter((want) => {
      const protocol = found.get(want.name);
      return protocol !== undefined && isBirdProtocolDown(protocol);
    });
}

/**
 * Sysctls, files and services: host-level, outside any namespace. A sysctl is nobody's: it is
 * set, never reported as a conflict and never deleted (other software may rely on ip_forward).
 * A service is owned when its configuration file is, or when no such file exists yet (there
 * is nothing to take over); a change of that file means a reload, which the applier derives
 * from the file change, so it is not a service change of its own.
 */
export function diffHostLevel(input: HostLevelInput): DiffResult {
  const { topology, desired, observed } = input;
  const observedFiles = new Map(observed.files.map((file) => [file.path, file]));
  const isServiceOwned = (service: Service): boolean => {
    const config = observedFiles.get(service.configPath);
    return config === undefined || isFileOwned(topology, config.content);
  };

  const sysctls = diffKeyed<"sysctl">(
    {
      kind: "sysctl",
      netns: undefined,
      keyOf: sysctlKey,
      isCompared: (sysctl, desiredKeys) => desiredKeys.has(sysctlKey(sysctl)),
      isOwned: () => true,
      fieldChanges: (want, found) =>
        want.value === found.value ? [] : [fieldChange("value", found.value, want.value)],
      // Never asked for: isOwned always holds.
      conflictReason: () => "",
      isUpdateDisruptive: never,
      isDeleteDisruptive: never,
      deletes: false,
    },
    desired.sysctls,
    observed.sysctls,
  );
  const files = diffKeyed<"file">(
    {
      kind: "file",
      netns: undefined,
      keyOf: managedFileKey,
      isCompared: () => true,
      isOwned: (file) => isFileOwned(topology, file.content),
      fieldChanges: (want, found) => (want.content === found.content ? [] : [{ field: "content" }]),
      conflictReason: (file) =>
        `file ${file.path} exists and ${foreignOwnerPhrase(ownerOfFile(file.content))} ` +
        `(its first line is not netplan-k's header for topology ${topology}); ` +
        `move it away or change the topology`,
      isUpdateDisruptive: never,
      isDeleteDisruptive: never,
      deletes: true,
    },
    desired.files,
    observed.files,
  );
  const services = diffKeyed<"service">(
    {
      kind: "service",
      netns: undefined,
      keyOf: serviceKey,
      // A stopped service nobody asks for is left alone: there is nothing to stop.
      isCompared: (service, desiredKeys) => desiredKeys.has(serviceKey(service)) || service.running,
      isOwned: isServiceOwned,
      fieldChanges: (want, found) =>
        want.running === found.running
          ? disabledProtocols(want, found).map(({ name, purpose }) =>
              fieldChange(
                `protocol ${name}${purpose === undefined ? "" : ` (${purpose})`}`,
                "disabled",
                "enabled",
              ),
            )
          : [fieldChange("state", runState(found.running), runState(want.running))],
      conflictReason: (service) =>
        `service ${service.name} uses ${service.configPath}, which netplan-k did not write for ` +
        `topology ${topology}; move the file away and stop ${service.name}, or change the topology`,
      isUpdateDisruptive: (want) => !want.running,
      // Stopping BIRD withdraws every route it announced.
      isDeleteDisruptive: (found) => found.running,
      deletes: true,
    },
    desired.services,
    observed.services,
  );
  return mergeResults([sysctls, files, services]);
}
