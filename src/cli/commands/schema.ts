import { EXIT_OK } from "../exit-codes.js";
import type { Output } from "../output.js";
import { topologySchema } from "../../topology/schema.js";

/** `netplan-k schema`: the JSON Schema of the topology format, for editors and other tools. */
export function runSchema(output: Output): number {
  output.out(JSON.stringify(topologySchema, null, 2));
  return EXIT_OK;
}
