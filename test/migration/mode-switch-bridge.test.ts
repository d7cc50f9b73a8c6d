import { describeModeChain } from "./mode-chain.js";

describeModeChain("bridge", "mgvb");
