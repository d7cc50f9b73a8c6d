import { REVERT_DIR } from "../model/armed-revert.js";
import { BIRD_CONFIG_PATH } from "../modes/naming.js";
import {
  MARKER,
  renderRemoteScript,
  type RemoteScript,
  type RemoteScriptKind,
} from "../remote/index.js";

/**
 * The observation: one script (see src/remote/remote-script.ts) that prints everything
 * netplan-k compares on a host in one run, so observing a host costs one round trip. Its
 * sections are named after what they hold: "link", "route:<netns>", "sysctl", "facts", ...
 * The listings are one-line JSON, the sysctls and facts key=value lines and the BIRD
 * configuration base64.
 */

export const OBSERVATION_FORMAT_VERSION = 1;

/** The observation's begin line names it so, in the remote-script framing. */
export const OBSERVATION_KIND = {
  kind: "observation",
  version: OBSERVATION_FORMAT_VERSION,
} as const satisfies RemoteScriptKind;

/** The five listings taken in the host and in every namespace, by section name. */
export const LISTINGS = {
  link: { program: "ip", args: "-j -d link show" },
  addr: { program: "ip", args: "-j addr show" },
  route: { program: "ip", args: "-j route show table all" },
  neigh: { program: "ip", args: "-j neigh show nud all" },
  fdb: { program: "bridge", args: "-j fdb show" },
} as const;

export type ListingName = keyof typeof LISTINGS;

/** The command line of a listing, as a person would type it (for messages). */
export function listingCommand(name: ListingName, netns?: string): string {
  const { program, args } = LISTINGS[name];
  return netns === undefined ? `${program} ${args}` : `${program} -n ${netns} ${args}`;
}

/** What each other section runs, for messages. */
export const SECTION_COMMANDS = {
  netns: "ip -j netns list",
  /** The entries of /run/netns that are not mount points, one a line. */
  "netns-unmounted": "grep /run/netns/NAME /proc/self/mountinfo",
  rule: "ip -j rule show",
  /** In each namespace, as the section "rule:<netns>". */
  namespaceRule: (netns: string): string => `ip -n ${netns} -j rule show`,
  rule6: "ip -6 -j rule show",
  /** The path-MTU exceptions of both families; in each namespace as "route-cache:<netns>". */
  "route-cache": "ip -j route show table all cache",
  namespaceRouteCache: (netns: string): string => `ip -n ${netns} -j route show table all cache`,
  /** In each namespace, as the section "rule6:<netns>". */
  namespaceRule6: (netns: string): string => `ip -n ${netns} -6 -j rule show`,
  /**
   * In each namespace, as the section "sysctl:<netns>": its ARP sysctls (arp-ignore.ts) and
   * every interface's disable_ipv6 (ipv6-enabled-sysctls.ts), in one grep.
   */
  namespaceSysctl: (netns: string): string =>
    `nsenter --net=/run/netns/${netns} grep -rs --include=arp_ignore --include=disable_ipv6 '' /proc/sys/net/ipv4/conf /proc/sys/net/ipv6/conf`,
  sysctl:
    "reading /proc/sys/net/ipv4 (ip_forward; every interface's proxy_arp, forwarding, rp_filter, arp_ignore) and net/ipv6/conf (all/forwarding, every interface's disable_ipv6)",
  "bird-config": `base64 ${BIRD_CONFIG_PATH}`,
  bird: "birdc show protocols",
  facts: "ip -V; uname -r",
  "ssh-connection": "echo $SSH_CONNECTION",
  "ssh-route": "ip -j route get <the SSH client's address> from <the server's address>",
  revert: `cat ${REVERT_DIR}/armed (or fired); date +%s; its timer's pid checked in /proc`,
} as const;

/**
 * What nk_listings takes in the host and in every namespace: the five listings, the
 * routing rules of both families (the sections "rule", "rule:<netns>", "rule6" and
 * "rule6:<netns>", SECTION_COMMANDS) and the path-MTU exceptions ("route-cache",
 * "route-cache:<netns>"). `ip rule` lists IPv4 rules only, and `-6` cannot be
 * given per line of a `-batch` (measured: `Object "-6" is unknown`), so the IPv6 rules are one
 * more `ip` process per namespace. `route show table all cache` lists the exceptions of both
 * families (measured, iproute2 6.1.0; without `table all` only IPv4's), so it is one more
 * line of the `ip -j` batch, not one more process.
 */
const NAMESPACE_LISTINGS = {
  ...LISTINGS,
  rule: { program: "ip", args: "-j rule show" },
  rule6: { program: "ip", args: "-6 -j rule show" },
  "route-cache": { program: "ip", args: "-j route show table all cache" },
} as const;
type NamespaceListingName = keyof typeof NAMESPACE_LISTINGS;

/**
 * The listings grouped by program and options ("ip -j": addr, route, neigh, rule), in their
 * order: a group of several runs as one `-batch` process, which spares a process start per
 * listing (an `ip` start costs 15-40 ms on a loaded 2-core host, and an observation lists the
 * host and every namespace).
 */
function listingGroups(): { program: string; options: string; names: NamespaceListingName[] }[] {
  const groups: { program: string; options: string; names: NamespaceListingName[] }[] = [];
  for (const name of Object.keys(NAMESPACE_LISTINGS) as NamespaceListingName[]) {
    const { program, args } = NAMESPACE_LISTINGS[name];
    const options = args.match(/^(?:-\S+ )*/)?.[0].trim() ?? "";
    const group = groups.find((g) => g.program === program && g.options === options);
    if (group === undefined) groups.push({ program, options, names: [name] });
    else group.names.push(name);
  }
  return groups;
}

const listingSection = (name: NamespaceListingName): string =>
  `nk_section "${name}$nk_suffix" ${NAMESPACE_LISTINGS[name].program} "$@" ${NAMESPACE_LISTINGS[name].args}`;

/**
 * Each group's output is captured in one fork (a group of several as one batch) and framed
 * by nk_json_sections, without nk_section's second subshell. When the capture fails or prints
 * anything but one JSON listing per line (a warning on stderr, say), each listing runs again
 * as its own section, so the output is then exactly what it would have been without the
 * capture.
 */
const listingLines = listingGroups()
  .map(({ program, options, names }) => {
    const capture =
      names.length === 1
        ? `${program} "$@" ${NAMESPACE_LISTINGS[names[0] as NamespaceListingName].args} 2>&1)`
        : `${program} "$@" ${options} -batch - 2>&1 <<'NK_BATCH'
${names.map((name) => NAMESPACE_LISTINGS[name].args.slice(options.length).trim()).join("\n")}
NK_BATCH
  )`;
    return `  nk_out=$(${capture} && nk_json_sections "$nk_out" ${names.map((name) => `"${name}$nk_suffix"`).join(" ")} || {
${names.map((name) => `    ${listingSection(name)}`).join("\n")}
  }`;
  })
  .join("\n");

const OBSERVATION_FUNCTIONS = `# nk_listings [NETNS]: the five listings and the rules of the host, or of the named namespace.
nk_listings() {
  if [ -n "$1" ]; then
    nk_suffix=":$1"
    set -- -n "$1"
  else
    nk_suffix=
    set --
  fi
${listingLines}
}

# nk_json_sections OUTPUT NAME...: when OUTPUT is one JSON listing per NAME, one a line (what a
# successful -j -batch of those listings prints), prints each as section NAME with exit
# status 0 and returns 0; otherwise prints nothing and returns 1. No fork, and linear in the
# output's size: the lines are split by IFS (removing a "*<newline>" prefix pattern is
# quadratic in dash, and a host may print megabytes), empty ones dropped. A JSON line starts with "[", so it never needs
# the marker escape. The host's link listing is kept in nk_host_links for nk_driver.
nk_json_sections() {
  case $1 in
    "["*"]") ;;
    *) return 1 ;;
  esac
  nk_lines=$1
  shift
  nk_names=$*
  set -f
  nk_ifs=$IFS
  IFS=$nk_newline
  set -- $nk_lines
  IFS=$nk_ifs
  nk_framed=
  nk_shape=0
  for nk_name in $nk_names; do
    case $# in 0) nk_shape=1 ;; esac
    case $nk_shape$1 in
      "0["*"]") ;;
      *)
        nk_shape=1
        break
        ;;
    esac
    [ "$nk_name" != link ] || nk_host_links=$1
    nk_framed="$nk_framed${MARKER}section:$nk_name$nk_newline$1$nk_newline${MARKER}exit:0$nk_newline"
    shift
  done
  set +f
  [ "$nk_shape" = 0 ] && [ $# = 0 ] || return 1
  printf '%s' "$nk_framed"
}

# nk_json_section NAME COMMAND...: runs COMMAND, a listing that prints one JSON line, as section
# NAME in one fork (nk_section takes two); when it fails or prints anything else, it runs
# again as nk_section NAME, so the output is what nk_section alone would have printed.
nk_json_section() {
  nk_name=$1
  shift
  nk_out=$("$@" 2>&1) && nk_json_sections "$nk_out" "$nk_name" || nk_section "$nk_name" "$@"
}

nk_sysctls() {
  nk_status=0
  # Every file in one grep (path:value, in the order given and each glob's order), not a cat
  # each: under load every fork waits for a CPU, and 25 cats took 1.6 s of a 2 s observation.
  # -s: an interface that vanished between the glob and the read is left out, as before.
  # IPv6 forwarding (a dual-stack cluster's) and every interface's disable_ipv6 in the same
  # grep; absent without IPv6.
  if [ ! -r /proc/sys/net/ipv4/ip_forward ]; then
    echo "cannot read /proc/sys/net/ipv4/ip_forward" >&2
    nk_status=1
  fi
  grep -s -H '' /proc/sys/net/ipv4/ip_forward \\
    /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/conf/*/forwarding \\
    /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/arp_ignore \\
    /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv6/conf/*/disable_ipv6 |
    sed -e 's|^/proc/sys/net/ipv4/ip_forward:|net.ipv4.ip_forward=|' \\
      -e 's|^/proc/sys/net/\\(ipv[46]\\)/conf/\\([^/]*\\)/\\([a-z0-9_]*\\):|net.\\1.conf.\\2.\\3=|'
  return "$nk_status"
}

# nk_namespace_sysctls NETNS: every interface's arp_ignore and disable_ipv6 inside a workload
# namespace, as path:value lines, in the one grep (no second process per namespace); the IPv6
# directory only where the kernel has IPv6 (booted with ipv6.disable=1 it has none in any
# namespace, and grep would then exit 2). /proc/sys/net is the namespace of the process that reads it, and a
# namespace made by ip netns add has no process to read it through (/proc/PID/root), so one
# process enters each: nsenter (setns, then grep) measured 30-55 ms a namespace on a loaded
# 2-core host against 60 ms for ip netns exec, which also unshares and remounts /sys; ip
# netns exec only where there is no nsenter. grep -r, not a glob: a glob would be expanded
# here, in the host's namespace.
nk_namespace_sysctls() {
  if [ -z "$nk_nsenter" ]; then
    if command -v nsenter >/dev/null 2>&1; then nk_nsenter=nsenter; else nk_nsenter=ip; fi
  fi
  nk_ipv6_conf=
  [ ! -d /proc/sys/net/ipv6/conf ] || nk_ipv6_conf=/proc/sys/net/ipv6/conf
  if [ "$nk_nsenter" = nsenter ]; then
    nsenter --net="/run/netns/$1" grep -rs --include=arp_ignore --include=disable_ipv6 '' \\
      /proc/sys/net/ipv4/conf $nk_ipv6_conf
  else
    ip netns exec "$1" grep -rs --include=arp_ignore --include=disable_ipv6 '' \\
      /proc/sys/net/ipv4/conf $nk_ipv6_conf
  fi
}

# birdc asks the daemon of this host's control socket; when it answers, its table of
# protocols follows (a session disabled at runtime or down is seen in the same round trip).
# pidof is only a fallback: it sees the whole PID namespace, which lab hosts share.
nk_bird() {
  if command -v birdc >/dev/null 2>&1; then
    if nk_out=$(birdc show protocols 2>&1); then
      printf 'running=1\\n%s\\n' "$nk_out"
    else
      echo running=0
    fi
  elif pidof bird >/dev/null 2>&1; then
    echo running=1
  else
    echo running=0
  fi
}`;

/**
 * The functions of PLANNING_MAIN: the management path, an armed revert, and the facts
 * preconditions are judged by (planner/check-preconditions.ts: kernel drivers, BIRD, iproute2
 * and the kernel's release). A verification does not run them (STATE_OBSERVATION).
 */
const PLANNING_FUNCTIONS = `# The SSH session this script runs in, when there is one: sshd sets SSH_CONNECTION to
# "<client address> <client port> <server address> <server port>".
nk_ssh_connection() { printf '%s\\n' "$SSH_CONNECTION"; }

# A confirm-timeout revert on this host (applier/armed-revert-script.ts): its record (armed, or
# fired once the timer went off), the host's clock, and whether its timer is alive (the
# process with its pid has the start time it recorded: a pid recycled after a kill or a reboot
# has another), so a revert left by a crashed run is seen, and one that fired is reported.
nk_armed_revert() {
  if [ -e ${REVERT_DIR}/armed ]; then
    cat ${REVERT_DIR}/armed 2>/dev/null
  else
    cat ${REVERT_DIR}/fired 2>/dev/null
    printf 'record=fired\\n'
  fi
  printf 'now=%s\\n' "$(date +%s)"
  nk_pid=$(cat ${REVERT_DIR}/timer.pid 2>/dev/null)
  case $nk_pid in
    "" | *[!0-9]*) ;;
    *)
      printf 'timer-start=%s\\n' "$(cat ${REVERT_DIR}/timer.start 2>/dev/null)"
      printf 'running-start=%s\\n' "$(sed 's/.*) //' /proc/$nk_pid/stat 2>/dev/null | cut -d' ' -f20)"
      ;;
  esac
}

# nk_driver KIND MODULE CONFIG: whether the kernel can create links of type KIND, without
# creating one: the module is loaded or built in (/sys/module/MODULE; a built-in driver
# without parameters, such as veth, has no entry there, so the kernel's config is read too:
# CONFIG=y), or a link of that kind exists, or modprobe could load it (dry run). The checks
# that start no process come first: on most hosts they answer alone. A link of the kind is
# looked for in the host's link listing first (no process; a built-in veth is found so once
# the host holds a veth, and the kernel's config is then not decompressed for it).
nk_driver() {
  if [ -d "/sys/module/$2" ] || nk_link_kind_listed "$1" || nk_is_builtin "$3" ||
    nk_link_kind_exists "$1" || modprobe -n -q "$2" >/dev/null 2>&1; then
    echo "driver.$1=1"
  else
    echo "driver.$1=0"
  fi
}

# nk_link_kind_listed KIND: whether the host's link listing (nk_host_links, kept by
# nk_json_sections; ip -j -d prints a link's kind as "info_kind") holds a link of KIND.
nk_link_kind_listed() {
  case $nk_host_links in
    *'"info_kind":"'"$1"'"'*) return 0 ;;
  esac
  return 1
}

# nk_link_kind_exists KIND: the same asked of the kernel, when the listing was not kept (its
# capture fell back to nk_section).
nk_link_kind_exists() {
  [ -z "$nk_host_links" ] && [ -n "$(ip -o link show type "$1" 2>/dev/null)" ]
}

# nk_is_builtin CONFIG: whether the kernel's config says CONFIG=y; the config is read once, when
# first needed (decompressing /proc/config.gz is the observation's dearest step).
nk_is_builtin() {
  if [ -z "$nk_builtin_read" ]; then
    nk_builtin=$(nk_kernel_config 2>/dev/null | grep -E '^CONFIG_(BRIDGE|VETH|VXLAN|NET_IPIP)=y')
    nk_builtin_read=1
  fi
  case "$nk_newline$nk_builtin$nk_newline" in
    *"$nk_newline$1=y$nk_newline"*) return 0 ;;
  esac
  return 1
}

# The kernel's build configuration, where the kernel or the distribution publishes it.
nk_kernel_config() {
  if [ -r /proc/config.gz ]; then
    gzip -dc /proc/config.gz
  elif [ -r "/boot/config-$(uname -r)" ]; then
    cat "/boot/config-$(uname -r)"
  fi
}

nk_facts() {
  nk_builtin_read=
  nk_driver bridge bridge CONFIG_BRIDGE
  nk_driver veth veth CONFIG_VETH
  nk_driver vxlan vxlan CONFIG_VXLAN
  nk_driver ipip ipip CONFIG_NET_IPIP
  if command -v bird >/dev/null 2>&1; then echo bird=1; else echo bird=0; fi
  nk_value=$(ip -V) || return
  printf 'iproute2=%s\\n' "$nk_value"
  nk_value=$(uname -r) || return
  printf 'kernel=%s\\n' "$nk_value"
}`;

/** The sections of the host's state (HostState), in every observation. */
const STATE_MAIN = `  nk_listings
  nk_json_section netns ${SECTION_COMMANDS.netns}
  # A namespace's entry is a mount point (ip netns add bind-mounts the namespace there); a file
  # that is not one (left by an ip netns add that crashed) is listed by ip netns list, but
  # every ip -n and nsenter on it fails "Invalid argument". It is named in the section
  # netns-unmounted and passed over. The mount table is read once, and matched without a fork.
  nk_mounts=$(cat /proc/self/mountinfo 2>/dev/null)
  nk_unmounted=
  for nk_path in /run/netns/*; do
    [ -e "$nk_path" ] || continue
    nk_ns=\${nk_path##*/}
    # A name that could break a marker line or an argument is left out; the parser then
    # reports it as listed by ip netns list but not observed.
    case $nk_ns in
      -* | *[!A-Za-z0-9._-]*) continue ;;
    esac
    case $nk_mounts in
      "" | *" $nk_path "*) ;;
      *)
        nk_unmounted="$nk_unmounted$nk_ns$nk_newline"
        continue
        ;;
    esac
    nk_listings "$nk_ns"
    nk_section "sysctl:$nk_ns" nk_namespace_sysctls "$nk_ns"
  done
  if [ -n "$nk_unmounted" ]; then
    nk_section netns-unmounted printf '%s' "$nk_unmounted"
  fi
  nk_section sysctl nk_sysctls
  if [ -e ${BIRD_CONFIG_PATH} ]; then
    nk_section bird-config ${SECTION_COMMANDS["bird-config"]}
  fi
  nk_section bird nk_bird`;

/**
 * What only the observation a plan is made from needs besides the state: the facts, an armed
 * revert, and the management path.
 */
const PLANNING_MAIN = `  nk_section facts nk_facts
  if [ -e ${REVERT_DIR}/armed ] || [ -e ${REVERT_DIR}/fired ]; then
    nk_section revert nk_armed_revert
  fi
  # The management path (planner/management-path.ts): how the host answers the session's
  # client, from the address the session arrived at (a policy rule may select by it). Only
  # addresses reach ip's command line.
  nk_client=\${SSH_CONNECTION%% *}
  nk_server=\${SSH_CONNECTION#* * }
  nk_server=\${nk_server%% *}
  case $nk_client/$nk_server in
    "/"* | */ | -* | */-* | *[!0-9A-Fa-f.:/]*) ;;
    *)
      nk_section ssh-connection nk_ssh_connection
      nk_json_section ssh-route ip -j route get "$nk_client" from "$nk_server"
      ;;
  esac`;

/** The observation as a remote script, for callers that add a lock section to it. */
export const OBSERVATION: RemoteScript = {
  ...OBSERVATION_KIND,
  summary: "read-only.",
  functions: `${OBSERVATION_FUNCTIONS}\n\n${PLANNING_FUNCTIONS}`,
  main: `${STATE_MAIN}\n${PLANNING_MAIN}`,
};

/**
 * The observation of the host's state alone (parseStateObservation reads it), without the
 * facts, the armed revert and the management path: what a verification diffs against the
 * desired state, which reads nothing else. The facts were the dearest part of a verification
 * of a vxlan host: gzip of /proc/config.gz for the ipip driver, which no listing shows, then
 * ip -V and uname (measured in s14-speed, bench/RESULTS.md); they cannot change what the
 * diff says.
 */
export const STATE_OBSERVATION: RemoteScript = {
  ...OBSERVATION_KIND,
  summary: "read-only.",
  functions: OBSERVATION_FUNCTIONS,
  main: STATE_MAIN,
};

export const OBSERVATION_SCRIPT = renderRemoteScript(OBSERVATION);
