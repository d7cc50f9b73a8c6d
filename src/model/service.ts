/**
 * A daemon the tool starts on a host (BIRD for mode bgp). `configPath` names the managed file
 * whose change requires a reload.
 */
export interface Service {
  readonly name: "bird";
  readonly running: boolean;
  readonly configPath: string;
}

export const serviceKey = (service: Service): string => service.name;
