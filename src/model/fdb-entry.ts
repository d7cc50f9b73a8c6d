/**
 * A forwarding database entry of a VXLAN device: frames for `mac` go to the underlay address
 * `dst`. One MAC may have several destinations (`bridge fdb append`), so dst is in the key.
 */
export interface FdbEntry {
  readonly dev: string;
  readonly mac: string;
  readonly dst: string;
}

export const fdbKey = (entry: FdbEntry): string => `${entry.dev}/${entry.mac}/${entry.dst}`;
