import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * The compiler met a topology that cannot be laid out, such as two desired objects with one
 * kernel identity on a host. The loader's semantic checks should refuse such a topology
 * first; this error keeps the compiler from emitting a state the kernel cannot hold.
 */
export class CompileError extends NetplanError {
  override readonly name = "CompileError";
  declare readonly code: "compile.duplicate-object";
  constructor(message: string, options?: NetplanErrorOptions) {
    super("compile.duplicate-object", message, options);
  }
}
