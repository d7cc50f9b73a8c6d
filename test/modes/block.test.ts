import { describe, expect, test } from "vitest";
import { describeBlock } from "../../src/modes/block.js";

describe("describeBlock", () => {
  test.each([
    ["10.244.1.0/24", { network: "10.244.1.0", gateway: "10.244.1.1", prefix: 24 }],
    ["10.1.16.64/26", { network: "10.1.16.64", gateway: "10.1.16.65", prefix: 26 }],
    ["172.17.255.0/23", { network: "172.17.254.0", gateway: "172.17.254.1", prefix: 23 }],
    ["192.168.200.0/21", { network: "192.168.200.0", gateway: "192.168.200.1", prefix: 21 }],
    ["255.255.255.0/24", { network: "255.255.255.0", gateway: "255.255.255.1", prefix: 24 }],
    ["10.0.0.0/0", { network: "0.0.0.0", gateway: "0.0.0.1", prefix: 0 }],
  ])("%s", (cidr, expected) => {
    expect(describeBlock(cidr)).toEqual(expected);
  });
});
