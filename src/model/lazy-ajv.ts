import { createRequire } from "node:module";
import type { Ajv } from "ajv";

/**
 * ajv's class, loaded on first use (a CommonJS require): only a saved plan or a snapshot is
 * validated with it (the topology's validator is generated ahead), and loading its 60 modules
 * cost every CLI start about 0.08 s of CPU (`node -e "import('ajv')"` against `node -e 0`).
 */
export function lazyAjv(): typeof Ajv {
  const ajv = createRequire(import.meta.url)("ajv") as { Ajv: typeof Ajv };
  return ajv.Ajv;
}
