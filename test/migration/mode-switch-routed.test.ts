import { describeModeChain } from "./mode-chain.js";

describeModeChain("routed", "mgvr");
