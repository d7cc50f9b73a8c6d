import { parseArmedRevert } from "./parse-armed-revert.js";
import type {
  HostFacts,
  HostState,
  NamespaceState,
  NetState,
  ObservedHost,
} from "../model/host-state.js";
import { KERNEL_DRIVERS, type KernelDriver } from "../model/host-requirements.js";
import { iproute2TooOld, isIproute2AtLeast, MINIMUM_IPROUTE2 } from "../model/iproute2-version.js";
import type { ManagedFile } from "../model/managed-file.js";
import type { RoutingRule } from "../model/routing-rule.js";
import { ownerOfAlias } from "../model/ownership.js";
import type { Service } from "../model/service.js";
import type { BirdProtocolState } from "../model/bird-protocol.js";
import type { Sysctl } from "../model/sysctl.js";
import { BIRD_CONFIG_PATH } from "../modes/naming.js";
import {
  parseRemoteOutput,
  RemoteOutputError,
  requireComplete,
  type RemoteSection,
} from "../remote/index.js";
import { readEntries } from "./json-entries.js";
import { ObservationError } from "./observation-error.js";
import {
  LISTINGS,
  OBSERVATION_KIND,
  SECTION_COMMANDS,
  listingCommand,
  type ListingName,
} from "./observation-script.js";
import { parseIpRules, type IpRuleFamily } from "./parse-ip-rules.js";
import { parseBirdProtocols } from "./parse-bird-protocols.js";
import { parseManagementPath } from "./parse-management-path.js";
import { parseNetState } from "./parse-net-state.js";
import { parseIpRouteCache } from "./parse-ip-route-cache.js";

const LISTING_NAMES = Object.keys(LISTINGS) as ListingName[];

/**
 * Turns the output of OBSERVATION_SCRIPT run on `host` into its observed state and facts.
 * Every error names the host and the section (or command) that could not be read.
 */
export function parseObservation(host: string, output: string): ObservedHost {
  const sections = splitObservation(host, output);
  const reader = sectionReader(host, sections);
  // Read first: an iproute2 too old for netplan-k prints listings that are not JSON, and the
  // person needs the version, not the parse error.
  const facts = readFacts(host, reader.body("facts", SECTION_COMMANDS.facts));
  if (isIproute2AtLeast(facts.iproute2, MINIMUM_IPROUTE2) === false) {
    throw new ObservationError(iproute2TooOld(host, facts.iproute2, MINIMUM_IPROUTE2));
  }
  const { state, unmounted } = readHostState(host, sections, reader);
  const managementPath = readManagementPath(host, reader);
  const armedRevert = reader.has("revert")
    ? parseArmedRevert(reader.body("revert", SECTION_COMMANDS.revert).split("\n"))
    : undefined;
  return {
    host,
    state,
    facts,
    ...(managementPath !== undefined && { managementPath }),
    ...(armedRevert !== undefined && { armedRevert }),
    ...(unmounted.length > 0 && {
      warnings: unmounted.map((name) => unmountedWarning(host, name)),
      unmountedNamespaces: unmounted,
    }),
  };
}

/**
 * The host's state from the output of STATE_OBSERVATION (a verification's) or of
 * OBSERVATION_SCRIPT, whose other sections it leaves unread. Throws ObservationError as
 * parseObservation does, naming the host and the section that could not be read.
 */
export function parseStateObservation(host: string, output: string): HostState {
  const sections = splitObservation(host, output);
  return readHostState(host, sections, sectionReader(host, sections)).state;
}

/** The state sections of an observation, and the /run/netns entries that are no namespace. */
function readHostState(
  host: string,
  sections: Map<string, RemoteSection>,
  reader: SectionReader,
): { state: HostState; unmounted: string[] } {
  const unmounted = reader.has("netns-unmounted")
    ? reader
        .body("netns-unmounted", SECTION_COMMANDS["netns-unmounted"])
        .split("\n")
        .filter((name) => name !== "")
    : [];
  const listed = readNetnsList(host, reader.body("netns", SECTION_COMMANDS.netns));
  const nsids = new Map(
    listed.flatMap(({ name, nsid }) => (nsid === undefined ? [] : [[name, nsid]])),
  );
  const netnsNames = listed.map(({ name }) => name).filter((name) => !unmounted.includes(name));
  checkNamespaceSections(host, sections, netnsNames);
  const namespaces = [...netnsNames]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => observeNamespace(host, reader, name, nsids.get(name)));

  const files = readBirdConfig(host, reader);
  const bird = readBird(host, reader.body("bird", SECTION_COMMANDS.bird));
  const services: Service[] =
    bird.running || files.length > 0
      ? [
          {
            name: "bird",
            running: bird.running,
            configPath: BIRD_CONFIG_PATH,
            ...(bird.protocols !== undefined && { protocols: bird.protocols }),
          },
        ]
      : [];

  const state: HostState = {
    root: readNetState(host, reader),
    namespaces,
    sysctls: readSysctls(host, reader.body("sysctl", SECTION_COMMANDS.sysctl)),
    files,
    services,
    ...(reader.has("rule") && {
      rules: [
        ...readRules(host, reader.body("rule", SECTION_COMMANDS.rule)),
        ...readRules6(host, reader),
      ],
    }),
  };
  return { state, unmounted };
}

/** The sentence for an entry of /run/netns that is not a namespace (observation-script.ts). */
const unmountedWarning = (host: string, name: string): string =>
  `${host}: /run/netns/${name} is not a network namespace (a file that is not a mount point, ` +
  `left by an ip netns add that did not finish), so it was passed over; if nothing uses it, ` +
  `remove it (rm /run/netns/${name})`;

/** Present only when the observation ran in an SSH session (see observation-script.ts). */
function readManagementPath(host: string, reader: SectionReader) {
  if (!reader.has("ssh-connection")) return undefined;
  return parseManagementPath(
    host,
    reader.body("ssh-connection", SECTION_COMMANDS["ssh-connection"]),
    reader.body("ssh-route", SECTION_COMMANDS["ssh-route"]),
  );
}

/** The sections by name ("route", "route:red"); the framing's errors as ObservationErrors. */
function splitObservation(host: string, output: string): Map<string, RemoteSection> {
  try {
    const parsed = parseRemoteOutput(host, OBSERVATION_KIND, output);
    const sections = requireComplete(host, OBSERVATION_KIND.kind, parsed, "observe again");
    return new Map(sections.map((section) => [section.name, section]));
  } catch (error) {
    if (!(error instanceof RemoteOutputError)) throw error;
    throw new ObservationError(error.message, { cause: error, host });
  }
}

interface SectionReader {
  /** The body of a section that must be there and must have succeeded. */
  body(name: string, command: string): string;
  has(name: string): boolean;
}

function sectionReader(host: string, sections: Map<string, RemoteSection>): SectionReader {
  return {
    has: (name) => sections.has(name),
    body: (name, command) => {
      const section = sections.get(name);
      if (!section) {
        throw new ObservationError(
          `${host}: section "${name}" (${command}) is missing from the observation`,
          { host },
        );
      }
      if (section.exitCode !== 0) {
        throw new ObservationError(
          `${host}: ${command} failed (exit ${section.exitCode})` +
            (section.stderr ? `: ${section.stderr.replaceAll("\n", " ")}` : ""),
          { host },
        );
      }
      return section.body;
    },
  };
}

function readNetState(host: string, reader: SectionReader, netns?: string): NetState {
  const suffix = netns === undefined ? "" : `:${netns}`;
  const parseJson = (command: string, body: string): unknown => {
    try {
      return JSON.parse(body);
    } catch (error) {
      throw new ObservationError(
        `${host}: ${command} printed malformed JSON: ${(error as Error).message}`,
        { cause: error, host },
      );
    }
  };
  const json = (name: ListingName): unknown => {
    const command = listingCommand(name, netns);
    return parseJson(command, reader.body(`${name}${suffix}`, command));
  };
  const listings = Object.fromEntries(LISTING_NAMES.map((name) => [name, json(name)]));
  const inNamespace = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ObservationError)) throw error;
      const where = netns === undefined ? "" : `namespace ${netns}: `;
      throw new ObservationError(`${host}: ${where}${error.message}`, { cause: error, host });
    }
  };
  const net = inNamespace(() => parseNetState(listings as Record<ListingName, unknown>));
  // Observations made before netplan-k read the exceptions have no such section.
  const cache = `route-cache${suffix}`;
  if (!reader.has(cache)) return net;
  const command =
    netns === undefined
      ? SECTION_COMMANDS["route-cache"]
      : SECTION_COMMANDS.namespaceRouteCache(netns);
  const exceptions = parseJson(command, reader.body(cache, command));
  return { ...net, pathMtuExceptions: inNamespace(() => parseIpRouteCache(exceptions)) };
}

function observeNamespace(
  host: string,
  reader: SectionReader,
  name: string,
  nsid: number | undefined,
): NamespaceState {
  const net = readNetState(host, reader, name);
  // A workload namespace is owned through the alias of its lo (see model/ownership.ts).
  const owner = ownerOfAlias(net.links.find((link) => link.name === "lo")?.alias);
  // Observations made before netplan-k read a namespace's rules have no such section.
  const section = `rule:${name}`;
  const rules = reader.has(section)
    ? [
        ...readRules(host, reader.body(section, SECTION_COMMANDS.namespaceRule(name)), name),
        ...readRules6(host, reader, name),
      ]
    : undefined;
  const sysctlSection = `sysctl:${name}`;
  const sysctls = reader.has(sysctlSection)
    ? readNamespaceSysctls(
        host,
        name,
        reader.body(sysctlSection, SECTION_COMMANDS.namespaceSysctl(name)),
      )
    : undefined;
  return {
    name,
    ...(owner !== undefined && { owner }),
    ...(nsid !== undefined && { nsid }),
    net,
    ...(rules && { rules }),
    ...(sysctls && { sysctls }),
  };
}

/**
 * grep -rH's lines, "/proc/sys/net/ipv4/conf/<dev>/<name>:<value>" and the same under ipv6
 * (a device name holds no "/" or ":").
 */
const PROC_SYS_CONF_LINE = /^\/proc\/sys\/net\/(ipv[46])\/conf\/([^/:]+)\/([a-z_0-9]+):(.*)$/;

/**
 * A workload namespace's sysctls (nk_namespace_sysctls), keyed as the host's sysctls are
 * ("net.ipv4.conf.eth0.arp_ignore", "net.ipv6.conf.eth0.disable_ipv6"); a line of another
 * shape is an ObservationError.
 */
function readNamespaceSysctls(host: string, netns: string, body: string): Sysctl[] {
  return body
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const match = PROC_SYS_CONF_LINE.exec(line);
      if (match === null) {
        throw new ObservationError(
          `${host}: section "sysctl:${netns}" holds a line that is not a /proc/sys/net/ipv4/conf or ipv6/conf file and its value: ${JSON.stringify(line)}`,
          { host },
        );
      }
      const [, family, dev, name, value] = match;
      return { key: `net.${family}.conf.${dev}.${name}`, value: value ?? "" };
    });
}

/** Observations from before netplan-k read rules have no "rule" section (see HostState). */
function readRules(
  host: string,
  body: string,
  netns?: string,
  family: IpRuleFamily = "inet",
): RoutingRule[] {
  try {
    return parseIpRules(JSON.parse(body), family);
  } catch (error) {
    const command =
      family === "inet6"
        ? netns === undefined
          ? SECTION_COMMANDS.rule6
          : SECTION_COMMANDS.namespaceRule6(netns)
        : netns === undefined
          ? SECTION_COMMANDS.rule
          : SECTION_COMMANDS.namespaceRule(netns);
    throw new ObservationError(`${host}: ${command}: ${(error as Error).message}`, {
      cause: error,
      host,
    });
  }
}

/**
 * The IPv6 rules of the host or of a namespace ("rule6", "rule6:<netns>"); none in an
 * observation made before netplan-k read them, whose walks take the kernel's IPv6 defaults
 * (rulesOfFamily in src/planner/rule-walk.ts).
 */
function readRules6(host: string, reader: SectionReader, netns?: string): RoutingRule[] {
  const section = netns === undefined ? "rule6" : `rule6:${netns}`;
  if (!reader.has(section)) return [];
  const command =
    netns === undefined ? SECTION_COMMANDS.rule6 : SECTION_COMMANDS.namespaceRule6(netns);
  return readRules(host, reader.body(section, command), netns, "inet6");
}

/**
 * The namespaces `ip -j netns list` names, each with the id the host's namespace knows it by
 * ("id", printed only once the kernel has given one: it does when a link of the host is
 * listed with its other end there, and the host's links are listed first). It prints nothing
 * at all when /run/netns does not exist.
 */
function readNetnsList(host: string, body: string): readonly { name: string; nsid?: number }[] {
  try {
    const json: unknown = body === "" ? [] : JSON.parse(body);
    return readEntries(json, SECTION_COMMANDS.netns).map((entry) => {
      const nsid = entry.optionalNumber("id");
      return { name: entry.string("name"), ...(nsid !== undefined && { nsid }) };
    });
  } catch (error) {
    throw new ObservationError(`${host}: ${SECTION_COMMANDS.netns}: ${(error as Error).message}`, {
      cause: error,
      host,
    });
  }
}

/**
 * The script lists namespaces twice (ip netns list, then the files in /run/netns), and a
 * name it cannot pass safely to ip -n is not observed: any mismatch means the host changed
 * during the observation or holds a namespace netplan-k cannot read.
 */
function checkNamespaceSections(
  host: string,
  sections: Map<string, RemoteSection>,
  listed: readonly string[],
): void {
  const observed = new Set(
    [...sections.keys()].flatMap((key) => {
      const colon = key.indexOf(":");
      return colon < 0 ? [] : [key.slice(colon + 1)];
    }),
  );
  for (const name of listed) {
    if (!observed.has(name)) {
      throw new ObservationError(
        `${host}: namespace ${JSON.stringify(name)} is listed by ip netns list but was not observed ` +
          `(it appeared during the observation, or its name holds characters other than ` +
          `letters, digits, ".", "_" and "-"); observe again`,
        { host },
      );
    }
  }
  for (const name of observed) {
    if (!listed.includes(name)) {
      throw new ObservationError(
        `${host}: namespace ${JSON.stringify(name)} was observed but is not listed by ip netns list ` +
          `(it disappeared during the observation); observe again`,
        { host },
      );
    }
  }
}

/** key=value lines; a key may itself hold "=" (an interface name can), a value never does. */
function readKeyValues(host: string, section: string, body: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of body.split("\n").filter((l) => l !== "")) {
    const equals = line.lastIndexOf("=");
    if (equals <= 0) {
      throw new ObservationError(
        `${host}: section "${section}" holds a line that is not key=value: ${JSON.stringify(line)}`,
        { host },
      );
    }
    values.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return values;
}

function readSysctls(host: string, body: string): Sysctl[] {
  return [...readKeyValues(host, "sysctl", body)].map(([key, value]) => ({ key, value }));
}

/** Present only when the file exists; the script sends it in base64. */
function readBirdConfig(host: string, reader: SectionReader): ManagedFile[] {
  if (!reader.has("bird-config")) return [];
  const body = reader.body("bird-config", SECTION_COMMANDS["bird-config"]).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new ObservationError(
      `${host}: ${SECTION_COMMANDS["bird-config"]} printed invalid base64`,
      { host },
    );
  }
  return [{ path: BIRD_CONFIG_PATH, content: Buffer.from(body, "base64").toString("utf8") }];
}

/**
 * The section "bird": `running=0|1`, then, when birdc answered, its `show protocols` table
 * (observation-script.ts). The protocols are absent when BIRD runs but no birdc could ask it.
 */
function readBird(
  host: string,
  body: string,
): { running: boolean; protocols?: BirdProtocolState[] } {
  const [first = "", ...rest] = body.split("\n");
  const running = readKeyValues(host, "bird", first).get("running");
  if (running !== "0" && running !== "1") {
    throw new ObservationError(
      `${host}: section "bird": running must be 0 or 1, found ${running}`,
      { host },
    );
  }
  const table = rest.join("\n");
  if (running === "0" || table.trim() === "") return { running: running === "1" };
  try {
    const protocols = parseBirdProtocols(table).map(
      ({ name, proto, state, info, message }): BirdProtocolState => ({
        name,
        proto,
        state,
        info,
        ...(message !== undefined && { message }),
      }),
    );
    return { running: true, protocols };
  } catch (error) {
    if (!(error instanceof ObservationError)) throw error;
    throw new ObservationError(`${host}: section "bird": ${error.message}`, {
      host,
      cause: error,
    });
  }
}

/**
 * The facts section: `driver.<kind>=0|1` per kernel driver, `bird=0|1`, `iproute2=` (ip -V)
 * and `kernel=` (uname -r). Observations recorded by an older netplan-k say only `ipip=0|1`
 * (read as driver.ipip); a driver or bird line left out leaves that fact unknown.
 */
function readFacts(host: string, body: string): HostFacts {
  const facts = readKeyValues(host, "facts", body);
  const fact = (key: string): string => {
    const value = facts.get(key);
    if (value === undefined) {
      throw new ObservationError(`${host}: section "facts" has no ${key}`, { host });
    }
    return value;
  };
  const flag = (key: string): boolean | undefined => {
    const value = facts.get(key);
    if (value === undefined) return undefined;
    if (value !== "0" && value !== "1") {
      throw new ObservationError(
        `${host}: section "facts": ${key} must be 0 or 1, found ${value}`,
        { host },
      );
    }
    return value === "1";
  };
  const drivers: Partial<Record<KernelDriver, boolean>> = {};
  for (const driver of KERNEL_DRIVERS) {
    const present = flag(`driver.${driver}`) ?? (driver === "ipip" ? flag("ipip") : undefined);
    if (present !== undefined) drivers[driver] = present;
  }
  const bird = flag("bird");
  // `ip -V` prints "ip utility, iproute2-6.1.0, libbpf 1.1.2" (older: "iproute2-ss200127").
  const version = fact("iproute2");
  return {
    drivers,
    iproute2: /iproute2-[^\s,]+/.exec(version)?.[0] ?? version.trim(),
    kernel: fact("kernel"),
    ...(bird !== undefined && { bird }),
  };
}
