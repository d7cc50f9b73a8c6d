import type { Address4 } from "ip-address";
import { addressAt, offsetOf, sizeOf } from "./block-math.js";
import { slotOf } from "./allocate-blocks.js";

/**
 * Deterministic, stable allocation of workload addresses inside one host's block, by the
 * same rule as blocks (see allocate-blocks.ts): a workload without ip gets offset
 * `2 + sha256("workload:" + name) mod (blockSize - 3)`, skipping the network address (also
 * the VTEP's), the first address (bridge, tunnel, gateway) and the broadcast address. It
 * depends on the workload's name alone, so adding or removing a workload never moves another.
 * A collision is an error with a suggested free address, never a silent probe.
 */

export interface WorkloadRequest {
  readonly id: string;
  readonly name: string;
  readonly explicit?: Address4;
}

export interface AllocatedIp {
  readonly ip: Address4;
  readonly allocated: boolean;
}

export interface WorkloadCollision {
  readonly id: string;
  readonly ip: Address4;
  readonly holder: string;
  readonly suggestion?: Address4;
}

export interface WorkloadAllocation {
  readonly ips: ReadonlyMap<string, AllocatedIp>;
  readonly collisions: readonly WorkloadCollision[];
}

/** The first usable offset: 0 is the network address, 1 the gateway. */
const FIRST_OFFSET = 2n;

export function allocateWorkloadIps(
  block: Address4,
  requests: readonly WorkloadRequest[],
): WorkloadAllocation {
  const ips = new Map<string, AllocatedIp>();
  for (const r of requests) {
    if (r.explicit !== undefined) ips.set(r.id, { ip: r.explicit, allocated: false });
  }
  const usable = sizeOf(block) - 3n;
  if (usable <= 0n) return { ips, collisions: [] };

  const wanted = requests.flatMap((r) =>
    r.explicit === undefined
      ? [{ id: r.id, ip: addressAt(block, FIRST_OFFSET + slotOf(`workload:${r.name}`, usable)) }]
      : [],
  );
  const collided: { id: string; ip: Address4; holder: string }[] = [];
  wanted.forEach((w, position) => {
    const explicitHolder = requests.find(
      (r) => r.explicit !== undefined && r.explicit.bigInt() === w.ip.bigInt(),
    );
    const earlierHolder = wanted.slice(0, position).find((o) => o.ip.bigInt() === w.ip.bigInt());
    const holder = explicitHolder?.id ?? earlierHolder?.id;
    if (holder === undefined) ips.set(w.id, { ip: w.ip, allocated: true });
    else collided.push({ ...w, holder });
  });

  const taken = new Set([...ips.values()].map((a) => offsetOf(block, a.ip)));
  const collisions = collided.map((c): WorkloadCollision => {
    for (let offset = FIRST_OFFSET; offset < FIRST_OFFSET + usable; offset++) {
      if (taken.has(offset)) continue;
      taken.add(offset);
      return { ...c, suggestion: addressAt(block, offset) };
    }
    return c;
  });
  return { ips, collisions };
}
