import { disarmRevert } from "../../applier/confirm-revert.js";
import { describeRevertOwner } from "../../model/index.js";
import { actOnNamedHosts, type NamedHostsOptions } from "./act-on-named-hosts.js";
import type { Output } from "../output.js";

export type DisarmOptions = NamedHostsOptions;

/**
 * `netplan-k disarm <topology> --limit HOST`: disarms the confirm-timeout revert armed on
 * each named host, whoever armed it (a run killed before it confirmed), and says whose it
 * was; the host then keeps what it holds. Exit 0 when no named host has one armed any more,
 * 1 when one could not be reached or its revert fired meanwhile.
 */
export function runDisarm(file: string, options: DisarmOptions, output: Output): Promise<number> {
  return actOnNamedHosts(
    file,
    options,
    output,
    (transport) => disarmRevert(transport, undefined),
    (host, { state, record }) => {
      const whose = record === undefined ? "" : ` of ${describeRevertOwner(record)}`;
      if (state === "disarmed")
        return { line: `${host}: disarmed the revert${whose}`, failed: false };
      if (state === "fired")
        return { line: `${host}: the revert${whose} has fired already`, failed: true };
      return { line: `${host}: no revert armed`, failed: false };
    },
  );
}
