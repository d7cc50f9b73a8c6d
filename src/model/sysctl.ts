/** A kernel parameter by its dotted name ("net.ipv4.ip_forward", "net.ipv4.conf.X.proxy_arp"). */
export interface Sysctl {
  readonly key: string;
  readonly value: string;
}

export const sysctlKey = (sysctl: Sysctl): string => sysctl.key;
