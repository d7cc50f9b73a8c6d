import type { BirdProtocolState } from "./bird-protocol.js";

/**
 * A daemon the tool starts on a host (BIRD for mode bgp). `configPath` names the managed file
 * whose change requires a reload.
 */
export interface Service {
  readonly name: "bird";
  readonly running: boolean;
  readonly configPath: string;
  /**
   * Desired: the BGP sessions netplan-k's configuration defines, each wanted "up" and
   * "Established". Observed: every protocol the running BIRD lists (`birdc show protocols`,
   * in the observation's round trip). Absent when not known: BIRD not running, or a snapshot
   * made before netplan-k read them.
   */
  readonly protocols?: readonly BirdProtocolState[];
}

export const serviceKey = (service: Service): string => service.name;
