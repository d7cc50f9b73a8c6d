import type { AttachStyle, ModeName } from "../topology/topology.js";
import { bridge } from "./attach-bridge.js";
import { routed } from "./attach-routed.js";
import { bgp } from "./bgp.js";
import { hostGw } from "./host-gw.js";
import { ipip } from "./ipip.js";
import type { AttachStyleCompiler, Mode } from "./mode.js";
import { vxlan } from "./vxlan.js";

/** Every mode by the name the schema gives it. A new mode is a new file and one entry here. */
export const modes = { "host-gw": hostGw, vxlan, ipip, bgp } satisfies ModeRegistry;

/** Modes by name: `modes`, or in a test `modes` plus a mode of its own. */
export type ModeRegistry = Readonly<Record<ModeName, Mode>>;

export const attachStyles = { bridge, routed } satisfies Record<AttachStyle, AttachStyleCompiler>;
