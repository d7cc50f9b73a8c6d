/**
 * The IPv6 link-local address the kernel derives from a MAC when a link comes up (EUI-64,
 * RFC 4291 appendix A: the universal/local bit of the first octet flipped, ff:fe in the
 * middle): "ee:ee:ee:ee:ee:ee" gives "fe80::ecee:eeff:feee:eeee", routed attach's IPv6
 * gateway. Takes a MAC already checked by safeMac (six hex octets, `:`-separated).
 */
export function linkLocalOfMac(mac: string): string {
  const octets = mac
    .toLowerCase()
    .split(":")
    .map((octet) => parseInt(octet, 16));
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = octets;
  const group = (high: number, low: number): string => ((high << 8) | low).toString(16);
  return `fe80::${group(a ^ 0x02, b)}:${group(c, 0xff)}:${group(0xfe, d)}:${group(e, f)}`;
}
