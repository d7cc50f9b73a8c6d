// Generated from schemas/topology.schema.json by scripts/generate-validators.mjs (npm run generate).
// Do not edit: change the schema and regenerate.
// @ts-nocheck
/* eslint-disable */
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export const validate = validate20;
export default validate20;
const schema31 = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://netplan-k.dev/schemas/topology.schema.json",
  title: "TopologyFile",
  description:
    "A netplan-k topology: hosts, their underlay, a cluster CIDR split into per-host blocks, workloads, and the mode that connects them.",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "name", "cluster", "hosts"],
  properties: {
    apiVersion: { description: "Version of this file format.", const: "netplan-k/v1" },
    name: {
      description:
        'Name of the topology. Every kernel object the tool creates is marked with it (interface alias "netplan-k:<name>"), so two topologies can share hosts without touching each other\'s objects.',
      $ref: "#/$defs/Identifier",
    },
    cluster: { $ref: "#/$defs/Cluster" },
    defaults: { $ref: "#/$defs/Defaults" },
    hosts: {
      description: "The machines (or lab namespaces) that take part.",
      type: "array",
      minItems: 1,
      items: { $ref: "#/$defs/Host" },
    },
    lab: { $ref: "#/$defs/Lab" },
  },
  $defs: {
    Identifier: {
      description:
        "Lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters.",
      type: "string",
      pattern: "^[a-z0-9][a-z0-9-]{0,31}$",
    },
    InterfaceName: {
      description:
        "A Linux interface name: at most 15 characters from letters, digits, '.', '_' and '-'.",
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,15}$",
    },
    Ipv4Cidr: {
      description: "An IPv4 prefix in CIDR form, such as 10.244.0.0/16.",
      type: "string",
      pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
    },
    Ipv4Address: {
      description: "An IPv4 address, such as 10.244.1.2.",
      type: "string",
      pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$",
    },
    Mode: {
      description:
        "How packets cross hosts: host-gw (flannel; routes via peers' underlay, one L2 segment), vxlan (flannel; VXLAN overlay), ipip (Calico; IP-in-IP via tunl0), bgp (Calico; BIRD announces every block, one L2 segment).",
      type: "string",
      enum: ["host-gw", "vxlan", "ipip", "bgp"],
    },
    Attach: {
      description:
        "How workloads hang off their host: bridge (flannel: a cni0 bridge with the block's first address) or routed (Calico: a /32 per workload routed to its veth).",
      type: "string",
      enum: ["bridge", "routed"],
    },
    Cluster: {
      type: "object",
      additionalProperties: false,
      required: ["cidr", "mode"],
      properties: {
        cidr: {
          description: "The range all workloads live in; each host owns one block of it.",
          $ref: "#/$defs/Ipv4Cidr",
        },
        hostPrefix: {
          description: "Prefix length of each host's block (default 24).",
          type: "integer",
          minimum: 8,
          maximum: 30,
          default: 24,
        },
        mode: { $ref: "#/$defs/Mode" },
        attach: { $ref: "#/$defs/Attach", default: "bridge" },
        mtu: {
          description:
            "MTU of the hosts' underlay interfaces (default 1500). Tunnel devices and workload interfaces get this minus the encapsulation overhead (vxlan 50, ipip 20).",
          type: "integer",
          minimum: 68,
          maximum: 65535,
          default: 1500,
        },
        vxlan: {
          type: "object",
          additionalProperties: false,
          properties: {
            vni: {
              description: "VXLAN network identifier; the VTEP is named flannel.<vni> (default 1).",
              type: "integer",
              default: 1,
              minimum: 1,
              maximum: 16777215,
            },
            port: {
              description: "UDP destination port (default 8472, flannel's).",
              type: "integer",
              minimum: 1,
              maximum: 65535,
              default: 8472,
            },
            directRouting: {
              description:
                "Peers on the same underlay segment get a direct host-gw route; only peers on other segments go through the VTEP.",
              type: "boolean",
              default: false,
            },
          },
        },
        ipip: {
          type: "object",
          additionalProperties: false,
          properties: {
            crossSubnet: {
              description:
                "Calico's CrossSubnet: peers on the same underlay segment get a direct route; only peers on other segments go through tunl0.",
              type: "boolean",
              default: false,
            },
          },
        },
        bgp: {
          type: "object",
          additionalProperties: false,
          properties: {
            asn: {
              description:
                "The cluster's autonomous system number, one for all hosts (iBGP; default 64512).",
              type: "integer",
              minimum: 1,
              maximum: 4294967295,
              default: 64512,
            },
            reflectors: {
              description:
                "Host names acting as route reflectors. Empty: a full node-to-node mesh.",
              type: "array",
              items: { $ref: "#/$defs/Identifier" },
              default: [],
            },
          },
        },
      },
    },
    Defaults: {
      description: "Settings every host inherits unless it says otherwise.",
      type: "object",
      additionalProperties: false,
      properties: {
        interface: {
          description: "Underlay interface name (default eth0).",
          $ref: "#/$defs/InterfaceName",
        },
        ssh: { $ref: "#/$defs/SshSettings" },
      },
    },
    SshSettings: {
      description:
        "How to reach a host over SSH; anything left out comes from the user's ~/.ssh/config.",
      type: "object",
      additionalProperties: false,
      properties: {
        port: { type: "integer", minimum: 1, maximum: 65535 },
        user: { description: "Login name.", type: "string", pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
        identityFile: {
          description: "Private key file (~ is the user's home).",
          type: "string",
          pattern: "^[A-Za-z0-9_./~+-]{1,255}$",
        },
        proxyJump: {
          description: "Jump hosts, as ssh -J takes them: [user@]host[:port], comma-separated.",
          type: "string",
          pattern: "^[A-Za-z0-9_.@:,-]{1,255}$",
        },
        become: {
          description: "Run ip and bridge through sudo when logging in as a non-root user.",
          type: "string",
          enum: ["sudo"],
        },
      },
    },
    Transport: {
      description:
        "How netplan-k reaches the host: over SSH (default), on this machine (local), or inside a local network namespace (netns; labs and tests).",
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["kind"],
          properties: {
            kind: { const: "ssh" },
            host: {
              description: "Name or address to connect to (default: the host's underlay address).",
              type: "string",
              pattern: "^[A-Za-z0-9_.:-]{1,253}$",
            },
            port: { type: "integer", minimum: 1, maximum: 65535 },
            user: { type: "string", pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
            identityFile: { type: "string", pattern: "^[A-Za-z0-9_./~+-]{1,255}$" },
            proxyJump: { type: "string", pattern: "^[A-Za-z0-9_.@:,-]{1,255}$" },
            become: { type: "string", enum: ["sudo"] },
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["kind"],
          properties: { kind: { const: "local" } },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["kind", "name"],
          properties: {
            kind: { const: "netns" },
            name: {
              description: "Name of the network namespace (as in ip netns list).",
              type: "string",
              pattern: "^[A-Za-z0-9_.-]{1,64}$",
            },
          },
        },
      ],
    },
    Host: {
      type: "object",
      additionalProperties: false,
      required: ["name", "address"],
      properties: {
        name: { $ref: "#/$defs/Identifier" },
        address: {
          description:
            "The host's underlay address with its subnet, such as 192.168.64.5/24. The subnet decides which hosts share a segment.",
          $ref: "#/$defs/Ipv4Cidr",
        },
        interface: {
          description: "Underlay interface (default: defaults.interface, else eth0).",
          $ref: "#/$defs/InterfaceName",
        },
        podCidr: {
          description:
            "This host's block of cluster.cidr. Left out: allocated from the host's name (the next free block when an earlier name has it); plan and apply keep the block a live host holds, so adding or removing a host never moves another's block.",
          $ref: "#/$defs/Ipv4Cidr",
        },
        transport: { $ref: "#/$defs/Transport" },
        namespaces: {
          description:
            "Workloads on this host: network namespaces with one address from the host's block.",
          type: "array",
          items: { $ref: "#/$defs/Workload" },
        },
      },
    },
    Workload: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { description: "Namespace name (ip netns).", $ref: "#/$defs/Identifier" },
        ip: {
          description:
            "Address inside the host's block. Left out: allocated from the workload's name.",
          $ref: "#/$defs/Ipv4Address",
        },
      },
    },
    Lab: {
      description:
        "Build the hosts themselves on this machine as network namespaces (netplan-k lab up).",
      type: "object",
      additionalProperties: false,
      properties: {
        prefix: {
          description:
            "Prefix of every lab object's name, so a leftover is recognisable (default nk).",
          type: "string",
          pattern: "^[a-z][a-z0-9]{0,5}$",
        },
        sshd: {
          description: "Run an sshd in every lab host so the ssh transport is exercised for real.",
          type: "boolean",
        },
        routers: {
          description:
            "Routers joining underlay segments: one leg (an address in CIDR form) per segment.",
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "legs"],
            properties: {
              name: { $ref: "#/$defs/Identifier" },
              legs: { type: "array", minItems: 2, items: { $ref: "#/$defs/Ipv4Cidr" } },
            },
          },
        },
        guests: {
          description:
            "Hosts built as QEMU guests booting Debian's kernel instead of namespaces (for a kernel this machine lacks, such as ipip's). Needs sshd: true; each entry names a host.",
          type: "array",
          uniqueItems: true,
          items: { $ref: "#/$defs/Identifier" },
        },
      },
    },
  },
};
const schema32 = {
  description:
    "Lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters.",
  type: "string",
  pattern: "^[a-z0-9][a-z0-9-]{0,31}$",
};
const pattern4 = new RegExp("^[a-z0-9][a-z0-9-]{0,31}$", "u");
const schema33 = {
  type: "object",
  additionalProperties: false,
  required: ["cidr", "mode"],
  properties: {
    cidr: {
      description: "The range all workloads live in; each host owns one block of it.",
      $ref: "#/$defs/Ipv4Cidr",
    },
    hostPrefix: {
      description: "Prefix length of each host's block (default 24).",
      type: "integer",
      minimum: 8,
      maximum: 30,
      default: 24,
    },
    mode: { $ref: "#/$defs/Mode" },
    attach: { $ref: "#/$defs/Attach", default: "bridge" },
    mtu: {
      description:
        "MTU of the hosts' underlay interfaces (default 1500). Tunnel devices and workload interfaces get this minus the encapsulation overhead (vxlan 50, ipip 20).",
      type: "integer",
      minimum: 68,
      maximum: 65535,
      default: 1500,
    },
    vxlan: {
      type: "object",
      additionalProperties: false,
      properties: {
        vni: {
          description: "VXLAN network identifier; the VTEP is named flannel.<vni> (default 1).",
          type: "integer",
          default: 1,
          minimum: 1,
          maximum: 16777215,
        },
        port: {
          description: "UDP destination port (default 8472, flannel's).",
          type: "integer",
          minimum: 1,
          maximum: 65535,
          default: 8472,
        },
        directRouting: {
          description:
            "Peers on the same underlay segment get a direct host-gw route; only peers on other segments go through the VTEP.",
          type: "boolean",
          default: false,
        },
      },
    },
    ipip: {
      type: "object",
      additionalProperties: false,
      properties: {
        crossSubnet: {
          description:
            "Calico's CrossSubnet: peers on the same underlay segment get a direct route; only peers on other segments go through tunl0.",
          type: "boolean",
          default: false,
        },
      },
    },
    bgp: {
      type: "object",
      additionalProperties: false,
      properties: {
        asn: {
          description:
            "The cluster's autonomous system number, one for all hosts (iBGP; default 64512).",
          type: "integer",
          minimum: 1,
          maximum: 4294967295,
          default: 64512,
        },
        reflectors: {
          description: "Host names acting as route reflectors. Empty: a full node-to-node mesh.",
          type: "array",
          items: { $ref: "#/$defs/Identifier" },
          default: [],
        },
      },
    },
  },
};
const schema34 = {
  description: "An IPv4 prefix in CIDR form, such as 10.244.0.0/16.",
  type: "string",
  pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
};
const schema35 = {
  description:
    "How packets cross hosts: host-gw (flannel; routes via peers' underlay, one L2 segment), vxlan (flannel; VXLAN overlay), ipip (Calico; IP-in-IP via tunl0), bgp (Calico; BIRD announces every block, one L2 segment).",
  type: "string",
  enum: ["host-gw", "vxlan", "ipip", "bgp"],
};
const schema36 = {
  description:
    "How workloads hang off their host: bridge (flannel: a cni0 bridge with the block's first address) or routed (Calico: a /32 per workload routed to its veth).",
  type: "string",
  enum: ["bridge", "routed"],
};
const pattern5 = new RegExp("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", "u");
function validate21(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate21.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.cidr === undefined) {
      const err0 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "cidr" },
        message: "must have required property '" + "cidr" + "'",
        schema: schema33.required,
        parentSchema: schema33,
        data,
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.mode === undefined) {
      const err1 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "mode" },
        message: "must have required property '" + "mode" + "'",
        schema: schema33.required,
        parentSchema: schema33,
        data,
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === "cidr" ||
        key0 === "hostPrefix" ||
        key0 === "mode" ||
        key0 === "attach" ||
        key0 === "mtu" ||
        key0 === "vxlan" ||
        key0 === "ipip" ||
        key0 === "bgp"
      )) {
        const err2 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema33,
          data,
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.cidr !== undefined) {
      let data0 = data.cidr;
      if (typeof data0 === "string") {
        if (!pattern5.test(data0)) {
          const err3 = {
            instancePath: instancePath + "/cidr",
            schemaPath: "#/$defs/Ipv4Cidr/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" },
            message: 'must match pattern "' + "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" + '"',
            schema: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
            parentSchema: schema34,
            data: data0,
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + "/cidr",
          schemaPath: "#/$defs/Ipv4Cidr/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema34.type,
          parentSchema: schema34,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.hostPrefix !== undefined) {
      let data1 = data.hostPrefix;
      if (!(typeof data1 == "number" && !(data1 % 1) && !isNaN(data1) && isFinite(data1))) {
        const err5 = {
          instancePath: instancePath + "/hostPrefix",
          schemaPath: "#/properties/hostPrefix/type",
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer",
          schema: schema33.properties.hostPrefix.type,
          parentSchema: schema33.properties.hostPrefix,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
      if (typeof data1 == "number" && isFinite(data1)) {
        if (data1 > 30 || isNaN(data1)) {
          const err6 = {
            instancePath: instancePath + "/hostPrefix",
            schemaPath: "#/properties/hostPrefix/maximum",
            keyword: "maximum",
            params: { comparison: "<=", limit: 30 },
            message: "must be <= 30",
            schema: 30,
            parentSchema: schema33.properties.hostPrefix,
            data: data1,
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
        if (data1 < 8 || isNaN(data1)) {
          const err7 = {
            instancePath: instancePath + "/hostPrefix",
            schemaPath: "#/properties/hostPrefix/minimum",
            keyword: "minimum",
            params: { comparison: ">=", limit: 8 },
            message: "must be >= 8",
            schema: 8,
            parentSchema: schema33.properties.hostPrefix,
            data: data1,
          };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      }
    }
    if (data.mode !== undefined) {
      let data2 = data.mode;
      if (typeof data2 !== "string") {
        const err8 = {
          instancePath: instancePath + "/mode",
          schemaPath: "#/$defs/Mode/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema35.type,
          parentSchema: schema35,
          data: data2,
        };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
      if (!(data2 === "host-gw" || data2 === "vxlan" || data2 === "ipip" || data2 === "bgp")) {
        const err9 = {
          instancePath: instancePath + "/mode",
          schemaPath: "#/$defs/Mode/enum",
          keyword: "enum",
          params: { allowedValues: schema35.enum },
          message: "must be equal to one of the allowed values",
          schema: schema35.enum,
          parentSchema: schema35,
          data: data2,
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
    }
    if (data.attach !== undefined) {
      let data3 = data.attach;
      if (typeof data3 !== "string") {
        const err10 = {
          instancePath: instancePath + "/attach",
          schemaPath: "#/$defs/Attach/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema36.type,
          parentSchema: schema36,
          data: data3,
        };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
      if (!(data3 === "bridge" || data3 === "routed")) {
        const err11 = {
          instancePath: instancePath + "/attach",
          schemaPath: "#/$defs/Attach/enum",
          keyword: "enum",
          params: { allowedValues: schema36.enum },
          message: "must be equal to one of the allowed values",
          schema: schema36.enum,
          parentSchema: schema36,
          data: data3,
        };
        if (vErrors === null) {
          vErrors = [err11];
        } else {
          vErrors.push(err11);
        }
        errors++;
      }
    }
    if (data.mtu !== undefined) {
      let data4 = data.mtu;
      if (!(typeof data4 == "number" && !(data4 % 1) && !isNaN(data4) && isFinite(data4))) {
        const err12 = {
          instancePath: instancePath + "/mtu",
          schemaPath: "#/properties/mtu/type",
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer",
          schema: schema33.properties.mtu.type,
          parentSchema: schema33.properties.mtu,
          data: data4,
        };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
      if (typeof data4 == "number" && isFinite(data4)) {
        if (data4 > 65535 || isNaN(data4)) {
          const err13 = {
            instancePath: instancePath + "/mtu",
            schemaPath: "#/properties/mtu/maximum",
            keyword: "maximum",
            params: { comparison: "<=", limit: 65535 },
            message: "must be <= 65535",
            schema: 65535,
            parentSchema: schema33.properties.mtu,
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err13];
          } else {
            vErrors.push(err13);
          }
          errors++;
        }
        if (data4 < 68 || isNaN(data4)) {
          const err14 = {
            instancePath: instancePath + "/mtu",
            schemaPath: "#/properties/mtu/minimum",
            keyword: "minimum",
            params: { comparison: ">=", limit: 68 },
            message: "must be >= 68",
            schema: 68,
            parentSchema: schema33.properties.mtu,
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      }
    }
    if (data.vxlan !== undefined) {
      let data5 = data.vxlan;
      if (data5 && typeof data5 == "object" && !Array.isArray(data5)) {
        for (const key1 in data5) {
          if (!(key1 === "vni" || key1 === "port" || key1 === "directRouting")) {
            const err15 = {
              instancePath: instancePath + "/vxlan",
              schemaPath: "#/properties/vxlan/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key1 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema33.properties.vxlan,
              data: data5,
            };
            if (vErrors === null) {
              vErrors = [err15];
            } else {
              vErrors.push(err15);
            }
            errors++;
          }
        }
        if (data5.vni !== undefined) {
          let data6 = data5.vni;
          if (!(typeof data6 == "number" && !(data6 % 1) && !isNaN(data6) && isFinite(data6))) {
            const err16 = {
              instancePath: instancePath + "/vxlan/vni",
              schemaPath: "#/properties/vxlan/properties/vni/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer",
              schema: schema33.properties.vxlan.properties.vni.type,
              parentSchema: schema33.properties.vxlan.properties.vni,
              data: data6,
            };
            if (vErrors === null) {
              vErrors = [err16];
            } else {
              vErrors.push(err16);
            }
            errors++;
          }
          if (typeof data6 == "number" && isFinite(data6)) {
            if (data6 > 16777215 || isNaN(data6)) {
              const err17 = {
                instancePath: instancePath + "/vxlan/vni",
                schemaPath: "#/properties/vxlan/properties/vni/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 16777215 },
                message: "must be <= 16777215",
                schema: 16777215,
                parentSchema: schema33.properties.vxlan.properties.vni,
                data: data6,
              };
              if (vErrors === null) {
                vErrors = [err17];
              } else {
                vErrors.push(err17);
              }
              errors++;
            }
            if (data6 < 1 || isNaN(data6)) {
              const err18 = {
                instancePath: instancePath + "/vxlan/vni",
                schemaPath: "#/properties/vxlan/properties/vni/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1",
                schema: 1,
                parentSchema: schema33.properties.vxlan.properties.vni,
                data: data6,
              };
              if (vErrors === null) {
                vErrors = [err18];
              } else {
                vErrors.push(err18);
              }
              errors++;
            }
          }
        }
        if (data5.port !== undefined) {
          let data7 = data5.port;
          if (!(typeof data7 == "number" && !(data7 % 1) && !isNaN(data7) && isFinite(data7))) {
            const err19 = {
              instancePath: instancePath + "/vxlan/port",
              schemaPath: "#/properties/vxlan/properties/port/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer",
              schema: schema33.properties.vxlan.properties.port.type,
              parentSchema: schema33.properties.vxlan.properties.port,
              data: data7,
            };
            if (vErrors === null) {
              vErrors = [err19];
            } else {
              vErrors.push(err19);
            }
            errors++;
          }
          if (typeof data7 == "number" && isFinite(data7)) {
            if (data7 > 65535 || isNaN(data7)) {
              const err20 = {
                instancePath: instancePath + "/vxlan/port",
                schemaPath: "#/properties/vxlan/properties/port/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 65535 },
                message: "must be <= 65535",
                schema: 65535,
                parentSchema: schema33.properties.vxlan.properties.port,
                data: data7,
              };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
            if (data7 < 1 || isNaN(data7)) {
              const err21 = {
                instancePath: instancePath + "/vxlan/port",
                schemaPath: "#/properties/vxlan/properties/port/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1",
                schema: 1,
                parentSchema: schema33.properties.vxlan.properties.port,
                data: data7,
              };
              if (vErrors === null) {
                vErrors = [err21];
              } else {
                vErrors.push(err21);
              }
              errors++;
            }
          }
        }
        if (data5.directRouting !== undefined) {
          let data8 = data5.directRouting;
          if (typeof data8 !== "boolean") {
            const err22 = {
              instancePath: instancePath + "/vxlan/directRouting",
              schemaPath: "#/properties/vxlan/properties/directRouting/type",
              keyword: "type",
              params: { type: "boolean" },
              message: "must be boolean",
              schema: schema33.properties.vxlan.properties.directRouting.type,
              parentSchema: schema33.properties.vxlan.properties.directRouting,
              data: data8,
            };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
      } else {
        const err23 = {
          instancePath: instancePath + "/vxlan",
          schemaPath: "#/properties/vxlan/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema33.properties.vxlan.type,
          parentSchema: schema33.properties.vxlan,
          data: data5,
        };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.ipip !== undefined) {
      let data9 = data.ipip;
      if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
        for (const key2 in data9) {
          if (!(key2 === "crossSubnet")) {
            const err24 = {
              instancePath: instancePath + "/ipip",
              schemaPath: "#/properties/ipip/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key2 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema33.properties.ipip,
              data: data9,
            };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
        }
        if (data9.crossSubnet !== undefined) {
          let data10 = data9.crossSubnet;
          if (typeof data10 !== "boolean") {
            const err25 = {
              instancePath: instancePath + "/ipip/crossSubnet",
              schemaPath: "#/properties/ipip/properties/crossSubnet/type",
              keyword: "type",
              params: { type: "boolean" },
              message: "must be boolean",
              schema: schema33.properties.ipip.properties.crossSubnet.type,
              parentSchema: schema33.properties.ipip.properties.crossSubnet,
              data: data10,
            };
            if (vErrors === null) {
              vErrors = [err25];
            } else {
              vErrors.push(err25);
            }
            errors++;
          }
        }
      } else {
        const err26 = {
          instancePath: instancePath + "/ipip",
          schemaPath: "#/properties/ipip/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema33.properties.ipip.type,
          parentSchema: schema33.properties.ipip,
          data: data9,
        };
        if (vErrors === null) {
          vErrors = [err26];
        } else {
          vErrors.push(err26);
        }
        errors++;
      }
    }
    if (data.bgp !== undefined) {
      let data11 = data.bgp;
      if (data11 && typeof data11 == "object" && !Array.isArray(data11)) {
        for (const key3 in data11) {
          if (!(key3 === "asn" || key3 === "reflectors")) {
            const err27 = {
              instancePath: instancePath + "/bgp",
              schemaPath: "#/properties/bgp/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key3 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema33.properties.bgp,
              data: data11,
            };
            if (vErrors === null) {
              vErrors = [err27];
            } else {
              vErrors.push(err27);
            }
            errors++;
          }
        }
        if (data11.asn !== undefined) {
          let data12 = data11.asn;
          if (!(typeof data12 == "number" && !(data12 % 1) && !isNaN(data12) && isFinite(data12))) {
            const err28 = {
              instancePath: instancePath + "/bgp/asn",
              schemaPath: "#/properties/bgp/properties/asn/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer",
              schema: schema33.properties.bgp.properties.asn.type,
              parentSchema: schema33.properties.bgp.properties.asn,
              data: data12,
            };
            if (vErrors === null) {
              vErrors = [err28];
            } else {
              vErrors.push(err28);
            }
            errors++;
          }
          if (typeof data12 == "number" && isFinite(data12)) {
            if (data12 > 4294967295 || isNaN(data12)) {
              const err29 = {
                instancePath: instancePath + "/bgp/asn",
                schemaPath: "#/properties/bgp/properties/asn/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 4294967295 },
                message: "must be <= 4294967295",
                schema: 4294967295,
                parentSchema: schema33.properties.bgp.properties.asn,
                data: data12,
              };
              if (vErrors === null) {
                vErrors = [err29];
              } else {
                vErrors.push(err29);
              }
              errors++;
            }
            if (data12 < 1 || isNaN(data12)) {
              const err30 = {
                instancePath: instancePath + "/bgp/asn",
                schemaPath: "#/properties/bgp/properties/asn/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1",
                schema: 1,
                parentSchema: schema33.properties.bgp.properties.asn,
                data: data12,
              };
              if (vErrors === null) {
                vErrors = [err30];
              } else {
                vErrors.push(err30);
              }
              errors++;
            }
          }
        }
        if (data11.reflectors !== undefined) {
          let data13 = data11.reflectors;
          if (Array.isArray(data13)) {
            const len0 = data13.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data14 = data13[i0];
              if (typeof data14 === "string") {
                if (!pattern4.test(data14)) {
                  const err31 = {
                    instancePath: instancePath + "/bgp/reflectors/" + i0,
                    schemaPath: "#/$defs/Identifier/pattern",
                    keyword: "pattern",
                    params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
                    message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
                    schema: "^[a-z0-9][a-z0-9-]{0,31}$",
                    parentSchema: schema32,
                    data: data14,
                  };
                  if (vErrors === null) {
                    vErrors = [err31];
                  } else {
                    vErrors.push(err31);
                  }
                  errors++;
                }
              } else {
                const err32 = {
                  instancePath: instancePath + "/bgp/reflectors/" + i0,
                  schemaPath: "#/$defs/Identifier/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string",
                  schema: schema32.type,
                  parentSchema: schema32,
                  data: data14,
                };
                if (vErrors === null) {
                  vErrors = [err32];
                } else {
                  vErrors.push(err32);
                }
                errors++;
              }
            }
          } else {
            const err33 = {
              instancePath: instancePath + "/bgp/reflectors",
              schemaPath: "#/properties/bgp/properties/reflectors/type",
              keyword: "type",
              params: { type: "array" },
              message: "must be array",
              schema: schema33.properties.bgp.properties.reflectors.type,
              parentSchema: schema33.properties.bgp.properties.reflectors,
              data: data13,
            };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
        }
      } else {
        const err34 = {
          instancePath: instancePath + "/bgp",
          schemaPath: "#/properties/bgp/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema33.properties.bgp.type,
          parentSchema: schema33.properties.bgp,
          data: data11,
        };
        if (vErrors === null) {
          vErrors = [err34];
        } else {
          vErrors.push(err34);
        }
        errors++;
      }
    }
  } else {
    const err35 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema33.type,
      parentSchema: schema33,
      data,
    };
    if (vErrors === null) {
      vErrors = [err35];
    } else {
      vErrors.push(err35);
    }
    errors++;
  }
  validate21.errors = vErrors;
  return errors === 0;
}
validate21.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema38 = {
  description: "Settings every host inherits unless it says otherwise.",
  type: "object",
  additionalProperties: false,
  properties: {
    interface: {
      description: "Underlay interface name (default eth0).",
      $ref: "#/$defs/InterfaceName",
    },
    ssh: { $ref: "#/$defs/SshSettings" },
  },
};
const schema39 = {
  description:
    "A Linux interface name: at most 15 characters from letters, digits, '.', '_' and '-'.",
  type: "string",
  pattern: "^[A-Za-z0-9_.-]{1,15}$",
};
const schema40 = {
  description:
    "How to reach a host over SSH; anything left out comes from the user's ~/.ssh/config.",
  type: "object",
  additionalProperties: false,
  properties: {
    port: { type: "integer", minimum: 1, maximum: 65535 },
    user: { description: "Login name.", type: "string", pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
    identityFile: {
      description: "Private key file (~ is the user's home).",
      type: "string",
      pattern: "^[A-Za-z0-9_./~+-]{1,255}$",
    },
    proxyJump: {
      description: "Jump hosts, as ssh -J takes them: [user@]host[:port], comma-separated.",
      type: "string",
      pattern: "^[A-Za-z0-9_.@:,-]{1,255}$",
    },
    become: {
      description: "Run ip and bridge through sudo when logging in as a non-root user.",
      type: "string",
      enum: ["sudo"],
    },
  },
};
const pattern7 = new RegExp("^[A-Za-z0-9_.-]{1,15}$", "u");
const pattern8 = new RegExp("^[a-z_][a-z0-9_-]{0,31}$", "u");
const pattern9 = new RegExp("^[A-Za-z0-9_./~+-]{1,255}$", "u");
const pattern10 = new RegExp("^[A-Za-z0-9_.@:,-]{1,255}$", "u");
function validate23(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate23.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === "interface" || key0 === "ssh")) {
        const err0 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema38,
          data,
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.interface !== undefined) {
      let data0 = data.interface;
      if (typeof data0 === "string") {
        if (!pattern7.test(data0)) {
          const err1 = {
            instancePath: instancePath + "/interface",
            schemaPath: "#/$defs/InterfaceName/pattern",
            keyword: "pattern",
            params: { pattern: "^[A-Za-z0-9_.-]{1,15}$" },
            message: 'must match pattern "' + "^[A-Za-z0-9_.-]{1,15}$" + '"',
            schema: "^[A-Za-z0-9_.-]{1,15}$",
            parentSchema: schema39,
            data: data0,
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      } else {
        const err2 = {
          instancePath: instancePath + "/interface",
          schemaPath: "#/$defs/InterfaceName/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema39.type,
          parentSchema: schema39,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.ssh !== undefined) {
      let data1 = data.ssh;
      if (data1 && typeof data1 == "object" && !Array.isArray(data1)) {
        for (const key1 in data1) {
          if (!(
            key1 === "port" ||
            key1 === "user" ||
            key1 === "identityFile" ||
            key1 === "proxyJump" ||
            key1 === "become"
          )) {
            const err3 = {
              instancePath: instancePath + "/ssh",
              schemaPath: "#/$defs/SshSettings/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key1 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema40,
              data: data1,
            };
            if (vErrors === null) {
              vErrors = [err3];
            } else {
              vErrors.push(err3);
            }
            errors++;
          }
        }
        if (data1.port !== undefined) {
          let data2 = data1.port;
          if (!(typeof data2 == "number" && !(data2 % 1) && !isNaN(data2) && isFinite(data2))) {
            const err4 = {
              instancePath: instancePath + "/ssh/port",
              schemaPath: "#/$defs/SshSettings/properties/port/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer",
              schema: schema40.properties.port.type,
              parentSchema: schema40.properties.port,
              data: data2,
            };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          }
          if (typeof data2 == "number" && isFinite(data2)) {
            if (data2 > 65535 || isNaN(data2)) {
              const err5 = {
                instancePath: instancePath + "/ssh/port",
                schemaPath: "#/$defs/SshSettings/properties/port/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 65535 },
                message: "must be <= 65535",
                schema: 65535,
                parentSchema: schema40.properties.port,
                data: data2,
              };
              if (vErrors === null) {
                vErrors = [err5];
              } else {
                vErrors.push(err5);
              }
              errors++;
            }
            if (data2 < 1 || isNaN(data2)) {
              const err6 = {
                instancePath: instancePath + "/ssh/port",
                schemaPath: "#/$defs/SshSettings/properties/port/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1",
                schema: 1,
                parentSchema: schema40.properties.port,
                data: data2,
              };
              if (vErrors === null) {
                vErrors = [err6];
              } else {
                vErrors.push(err6);
              }
              errors++;
            }
          }
        }
        if (data1.user !== undefined) {
          let data3 = data1.user;
          if (typeof data3 === "string") {
            if (!pattern8.test(data3)) {
              const err7 = {
                instancePath: instancePath + "/ssh/user",
                schemaPath: "#/$defs/SshSettings/properties/user/pattern",
                keyword: "pattern",
                params: { pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
                message: 'must match pattern "' + "^[a-z_][a-z0-9_-]{0,31}$" + '"',
                schema: "^[a-z_][a-z0-9_-]{0,31}$",
                parentSchema: schema40.properties.user,
                data: data3,
              };
              if (vErrors === null) {
                vErrors = [err7];
              } else {
                vErrors.push(err7);
              }
              errors++;
            }
          } else {
            const err8 = {
              instancePath: instancePath + "/ssh/user",
              schemaPath: "#/$defs/SshSettings/properties/user/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema40.properties.user.type,
              parentSchema: schema40.properties.user,
              data: data3,
            };
            if (vErrors === null) {
              vErrors = [err8];
            } else {
              vErrors.push(err8);
            }
            errors++;
          }
        }
        if (data1.identityFile !== undefined) {
          let data4 = data1.identityFile;
          if (typeof data4 === "string") {
            if (!pattern9.test(data4)) {
              const err9 = {
                instancePath: instancePath + "/ssh/identityFile",
                schemaPath: "#/$defs/SshSettings/properties/identityFile/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z0-9_./~+-]{1,255}$" },
                message: 'must match pattern "' + "^[A-Za-z0-9_./~+-]{1,255}$" + '"',
                schema: "^[A-Za-z0-9_./~+-]{1,255}$",
                parentSchema: schema40.properties.identityFile,
                data: data4,
              };
              if (vErrors === null) {
                vErrors = [err9];
              } else {
                vErrors.push(err9);
              }
              errors++;
            }
          } else {
            const err10 = {
              instancePath: instancePath + "/ssh/identityFile",
              schemaPath: "#/$defs/SshSettings/properties/identityFile/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema40.properties.identityFile.type,
              parentSchema: schema40.properties.identityFile,
              data: data4,
            };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        if (data1.proxyJump !== undefined) {
          let data5 = data1.proxyJump;
          if (typeof data5 === "string") {
            if (!pattern10.test(data5)) {
              const err11 = {
                instancePath: instancePath + "/ssh/proxyJump",
                schemaPath: "#/$defs/SshSettings/properties/proxyJump/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z0-9_.@:,-]{1,255}$" },
                message: 'must match pattern "' + "^[A-Za-z0-9_.@:,-]{1,255}$" + '"',
                schema: "^[A-Za-z0-9_.@:,-]{1,255}$",
                parentSchema: schema40.properties.proxyJump,
                data: data5,
              };
              if (vErrors === null) {
                vErrors = [err11];
              } else {
                vErrors.push(err11);
              }
              errors++;
            }
          } else {
            const err12 = {
              instancePath: instancePath + "/ssh/proxyJump",
              schemaPath: "#/$defs/SshSettings/properties/proxyJump/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema40.properties.proxyJump.type,
              parentSchema: schema40.properties.proxyJump,
              data: data5,
            };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
        if (data1.become !== undefined) {
          let data6 = data1.become;
          if (typeof data6 !== "string") {
            const err13 = {
              instancePath: instancePath + "/ssh/become",
              schemaPath: "#/$defs/SshSettings/properties/become/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema40.properties.become.type,
              parentSchema: schema40.properties.become,
              data: data6,
            };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
          if (!(data6 === "sudo")) {
            const err14 = {
              instancePath: instancePath + "/ssh/become",
              schemaPath: "#/$defs/SshSettings/properties/become/enum",
              keyword: "enum",
              params: { allowedValues: schema40.properties.become.enum },
              message: "must be equal to one of the allowed values",
              schema: schema40.properties.become.enum,
              parentSchema: schema40.properties.become,
              data: data6,
            };
            if (vErrors === null) {
              vErrors = [err14];
            } else {
              vErrors.push(err14);
            }
            errors++;
          }
        }
      } else {
        const err15 = {
          instancePath: instancePath + "/ssh",
          schemaPath: "#/$defs/SshSettings/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema40.type,
          parentSchema: schema40,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
  } else {
    const err16 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema38.type,
      parentSchema: schema38,
      data,
    };
    if (vErrors === null) {
      vErrors = [err16];
    } else {
      vErrors.push(err16);
    }
    errors++;
  }
  validate23.errors = vErrors;
  return errors === 0;
}
validate23.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema41 = {
  type: "object",
  additionalProperties: false,
  required: ["name", "address"],
  properties: {
    name: { $ref: "#/$defs/Identifier" },
    address: {
      description:
        "The host's underlay address with its subnet, such as 192.168.64.5/24. The subnet decides which hosts share a segment.",
      $ref: "#/$defs/Ipv4Cidr",
    },
    interface: {
      description: "Underlay interface (default: defaults.interface, else eth0).",
      $ref: "#/$defs/InterfaceName",
    },
    podCidr: {
      description:
        "This host's block of cluster.cidr. Left out: allocated from the host's name (the next free block when an earlier name has it); plan and apply keep the block a live host holds, so adding or removing a host never moves another's block.",
      $ref: "#/$defs/Ipv4Cidr",
    },
    transport: { $ref: "#/$defs/Transport" },
    namespaces: {
      description:
        "Workloads on this host: network namespaces with one address from the host's block.",
      type: "array",
      items: { $ref: "#/$defs/Workload" },
    },
  },
};
const schema46 = {
  description:
    "How netplan-k reaches the host: over SSH (default), on this machine (local), or inside a local network namespace (netns; labs and tests).",
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: {
        kind: { const: "ssh" },
        host: {
          description: "Name or address to connect to (default: the host's underlay address).",
          type: "string",
          pattern: "^[A-Za-z0-9_.:-]{1,253}$",
        },
        port: { type: "integer", minimum: 1, maximum: 65535 },
        user: { type: "string", pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
        identityFile: { type: "string", pattern: "^[A-Za-z0-9_./~+-]{1,255}$" },
        proxyJump: { type: "string", pattern: "^[A-Za-z0-9_.@:,-]{1,255}$" },
        become: { type: "string", enum: ["sudo"] },
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: { kind: { const: "local" } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "name"],
      properties: {
        kind: { const: "netns" },
        name: {
          description: "Name of the network namespace (as in ip netns list).",
          type: "string",
          pattern: "^[A-Za-z0-9_.-]{1,64}$",
        },
      },
    },
  ],
};
const pattern15 = new RegExp("^[A-Za-z0-9_.:-]{1,253}$", "u");
const pattern19 = new RegExp("^[A-Za-z0-9_.-]{1,64}$", "u");
const schema47 = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { description: "Namespace name (ip netns).", $ref: "#/$defs/Identifier" },
    ip: {
      description: "Address inside the host's block. Left out: allocated from the workload's name.",
      $ref: "#/$defs/Ipv4Address",
    },
  },
};
const schema49 = {
  description: "An IPv4 address, such as 10.244.1.2.",
  type: "string",
  pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$",
};
const pattern21 = new RegExp("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", "u");
function validate26(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate26.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.name === undefined) {
      const err0 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "name" },
        message: "must have required property '" + "name" + "'",
        schema: schema47.required,
        parentSchema: schema47,
        data,
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "name" || key0 === "ip")) {
        const err1 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema47,
          data,
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.name !== undefined) {
      let data0 = data.name;
      if (typeof data0 === "string") {
        if (!pattern4.test(data0)) {
          const err2 = {
            instancePath: instancePath + "/name",
            schemaPath: "#/$defs/Identifier/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
            message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
            schema: "^[a-z0-9][a-z0-9-]{0,31}$",
            parentSchema: schema32,
            data: data0,
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = {
          instancePath: instancePath + "/name",
          schemaPath: "#/$defs/Identifier/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema32.type,
          parentSchema: schema32,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.ip !== undefined) {
      let data1 = data.ip;
      if (typeof data1 === "string") {
        if (!pattern21.test(data1)) {
          const err4 = {
            instancePath: instancePath + "/ip",
            schemaPath: "#/$defs/Ipv4Address/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$" },
            message: 'must match pattern "' + "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$" + '"',
            schema: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$",
            parentSchema: schema49,
            data: data1,
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
      } else {
        const err5 = {
          instancePath: instancePath + "/ip",
          schemaPath: "#/$defs/Ipv4Address/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema49.type,
          parentSchema: schema49,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
  } else {
    const err6 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema47.type,
      parentSchema: schema47,
      data,
    };
    if (vErrors === null) {
      vErrors = [err6];
    } else {
      vErrors.push(err6);
    }
    errors++;
  }
  validate26.errors = vErrors;
  return errors === 0;
}
validate26.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate25(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate25.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.name === undefined) {
      const err0 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "name" },
        message: "must have required property '" + "name" + "'",
        schema: schema41.required,
        parentSchema: schema41,
        data,
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.address === undefined) {
      const err1 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "address" },
        message: "must have required property '" + "address" + "'",
        schema: schema41.required,
        parentSchema: schema41,
        data,
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === "name" ||
        key0 === "address" ||
        key0 === "interface" ||
        key0 === "podCidr" ||
        key0 === "transport" ||
        key0 === "namespaces"
      )) {
        const err2 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema41,
          data,
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.name !== undefined) {
      let data0 = data.name;
      if (typeof data0 === "string") {
        if (!pattern4.test(data0)) {
          const err3 = {
            instancePath: instancePath + "/name",
            schemaPath: "#/$defs/Identifier/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
            message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
            schema: "^[a-z0-9][a-z0-9-]{0,31}$",
            parentSchema: schema32,
            data: data0,
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + "/name",
          schemaPath: "#/$defs/Identifier/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema32.type,
          parentSchema: schema32,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.address !== undefined) {
      let data1 = data.address;
      if (typeof data1 === "string") {
        if (!pattern5.test(data1)) {
          const err5 = {
            instancePath: instancePath + "/address",
            schemaPath: "#/$defs/Ipv4Cidr/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" },
            message: 'must match pattern "' + "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" + '"',
            schema: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
            parentSchema: schema34,
            data: data1,
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = {
          instancePath: instancePath + "/address",
          schemaPath: "#/$defs/Ipv4Cidr/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema34.type,
          parentSchema: schema34,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.interface !== undefined) {
      let data2 = data.interface;
      if (typeof data2 === "string") {
        if (!pattern7.test(data2)) {
          const err7 = {
            instancePath: instancePath + "/interface",
            schemaPath: "#/$defs/InterfaceName/pattern",
            keyword: "pattern",
            params: { pattern: "^[A-Za-z0-9_.-]{1,15}$" },
            message: 'must match pattern "' + "^[A-Za-z0-9_.-]{1,15}$" + '"',
            schema: "^[A-Za-z0-9_.-]{1,15}$",
            parentSchema: schema39,
            data: data2,
          };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      } else {
        const err8 = {
          instancePath: instancePath + "/interface",
          schemaPath: "#/$defs/InterfaceName/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema39.type,
          parentSchema: schema39,
          data: data2,
        };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.podCidr !== undefined) {
      let data3 = data.podCidr;
      if (typeof data3 === "string") {
        if (!pattern5.test(data3)) {
          const err9 = {
            instancePath: instancePath + "/podCidr",
            schemaPath: "#/$defs/Ipv4Cidr/pattern",
            keyword: "pattern",
            params: { pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" },
            message: 'must match pattern "' + "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" + '"',
            schema: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
            parentSchema: schema34,
            data: data3,
          };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      } else {
        const err10 = {
          instancePath: instancePath + "/podCidr",
          schemaPath: "#/$defs/Ipv4Cidr/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema34.type,
          parentSchema: schema34,
          data: data3,
        };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
    }
    if (data.transport !== undefined) {
      let data4 = data.transport;
      const _errs16 = errors;
      let valid6 = false;
      let passing0 = null;
      const _errs17 = errors;
      if (data4 && typeof data4 == "object" && !Array.isArray(data4)) {
        if (data4.kind === undefined) {
          const err11 = {
            instancePath: instancePath + "/transport",
            schemaPath: "#/$defs/Transport/oneOf/0/required",
            keyword: "required",
            params: { missingProperty: "kind" },
            message: "must have required property '" + "kind" + "'",
            schema: schema46.oneOf[0].required,
            parentSchema: schema46.oneOf[0],
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
        for (const key1 in data4) {
          if (!(
            key1 === "kind" ||
            key1 === "host" ||
            key1 === "port" ||
            key1 === "user" ||
            key1 === "identityFile" ||
            key1 === "proxyJump" ||
            key1 === "become"
          )) {
            const err12 = {
              instancePath: instancePath + "/transport",
              schemaPath: "#/$defs/Transport/oneOf/0/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key1 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema46.oneOf[0],
              data: data4,
            };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
        if (data4.kind !== undefined) {
          let data5 = data4.kind;
          if ("ssh" !== data5) {
            const err13 = {
              instancePath: instancePath + "/transport/kind",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/kind/const",
              keyword: "const",
              params: { allowedValue: "ssh" },
              message: "must be equal to constant",
              schema: "ssh",
              parentSchema: schema46.oneOf[0].properties.kind,
              data: data5,
            };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
        if (data4.host !== undefined) {
          let data6 = data4.host;
          if (typeof data6 === "string") {
            if (!pattern15.test(data6)) {
              const err14 = {
                instancePath: instancePath + "/transport/host",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/host/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z0-9_.:-]{1,253}$" },
                message: 'must match pattern "' + "^[A-Za-z0-9_.:-]{1,253}$" + '"',
                schema: "^[A-Za-z0-9_.:-]{1,253}$",
                parentSchema: schema46.oneOf[0].properties.host,
                data: data6,
              };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
            }
          } else {
            const err15 = {
              instancePath: instancePath + "/transport/host",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/host/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema46.oneOf[0].properties.host.type,
              parentSchema: schema46.oneOf[0].properties.host,
              data: data6,
            };
            if (vErrors === null) {
              vErrors = [err15];
            } else {
              vErrors.push(err15);
            }
            errors++;
          }
        }
        if (data4.port !== undefined) {
          let data7 = data4.port;
          if (!(typeof data7 == "number" && !(data7 % 1) && !isNaN(data7) && isFinite(data7))) {
            const err16 = {
              instancePath: instancePath + "/transport/port",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/port/type",
              keyword: "type",
              params: { type: "integer" },
              message: "must be integer",
              schema: schema46.oneOf[0].properties.port.type,
              parentSchema: schema46.oneOf[0].properties.port,
              data: data7,
            };
            if (vErrors === null) {
              vErrors = [err16];
            } else {
              vErrors.push(err16);
            }
            errors++;
          }
          if (typeof data7 == "number" && isFinite(data7)) {
            if (data7 > 65535 || isNaN(data7)) {
              const err17 = {
                instancePath: instancePath + "/transport/port",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/port/maximum",
                keyword: "maximum",
                params: { comparison: "<=", limit: 65535 },
                message: "must be <= 65535",
                schema: 65535,
                parentSchema: schema46.oneOf[0].properties.port,
                data: data7,
              };
              if (vErrors === null) {
                vErrors = [err17];
              } else {
                vErrors.push(err17);
              }
              errors++;
            }
            if (data7 < 1 || isNaN(data7)) {
              const err18 = {
                instancePath: instancePath + "/transport/port",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/port/minimum",
                keyword: "minimum",
                params: { comparison: ">=", limit: 1 },
                message: "must be >= 1",
                schema: 1,
                parentSchema: schema46.oneOf[0].properties.port,
                data: data7,
              };
              if (vErrors === null) {
                vErrors = [err18];
              } else {
                vErrors.push(err18);
              }
              errors++;
            }
          }
        }
        if (data4.user !== undefined) {
          let data8 = data4.user;
          if (typeof data8 === "string") {
            if (!pattern8.test(data8)) {
              const err19 = {
                instancePath: instancePath + "/transport/user",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/user/pattern",
                keyword: "pattern",
                params: { pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
                message: 'must match pattern "' + "^[a-z_][a-z0-9_-]{0,31}$" + '"',
                schema: "^[a-z_][a-z0-9_-]{0,31}$",
                parentSchema: schema46.oneOf[0].properties.user,
                data: data8,
              };
              if (vErrors === null) {
                vErrors = [err19];
              } else {
                vErrors.push(err19);
              }
              errors++;
            }
          } else {
            const err20 = {
              instancePath: instancePath + "/transport/user",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/user/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema46.oneOf[0].properties.user.type,
              parentSchema: schema46.oneOf[0].properties.user,
              data: data8,
            };
            if (vErrors === null) {
              vErrors = [err20];
            } else {
              vErrors.push(err20);
            }
            errors++;
          }
        }
        if (data4.identityFile !== undefined) {
          let data9 = data4.identityFile;
          if (typeof data9 === "string") {
            if (!pattern9.test(data9)) {
              const err21 = {
                instancePath: instancePath + "/transport/identityFile",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/identityFile/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z0-9_./~+-]{1,255}$" },
                message: 'must match pattern "' + "^[A-Za-z0-9_./~+-]{1,255}$" + '"',
                schema: "^[A-Za-z0-9_./~+-]{1,255}$",
                parentSchema: schema46.oneOf[0].properties.identityFile,
                data: data9,
              };
              if (vErrors === null) {
                vErrors = [err21];
              } else {
                vErrors.push(err21);
              }
              errors++;
            }
          } else {
            const err22 = {
              instancePath: instancePath + "/transport/identityFile",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/identityFile/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema46.oneOf[0].properties.identityFile.type,
              parentSchema: schema46.oneOf[0].properties.identityFile,
              data: data9,
            };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
        if (data4.proxyJump !== undefined) {
          let data10 = data4.proxyJump;
          if (typeof data10 === "string") {
            if (!pattern10.test(data10)) {
              const err23 = {
                instancePath: instancePath + "/transport/proxyJump",
                schemaPath: "#/$defs/Transport/oneOf/0/properties/proxyJump/pattern",
                keyword: "pattern",
                params: { pattern: "^[A-Za-z0-9_.@:,-]{1,255}$" },
                message: 'must match pattern "' + "^[A-Za-z0-9_.@:,-]{1,255}$" + '"',
                schema: "^[A-Za-z0-9_.@:,-]{1,255}$",
                parentSchema: schema46.oneOf[0].properties.proxyJump,
                data: data10,
              };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
          } else {
            const err24 = {
              instancePath: instancePath + "/transport/proxyJump",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/proxyJump/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema46.oneOf[0].properties.proxyJump.type,
              parentSchema: schema46.oneOf[0].properties.proxyJump,
              data: data10,
            };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
        }
        if (data4.become !== undefined) {
          let data11 = data4.become;
          if (typeof data11 !== "string") {
            const err25 = {
              instancePath: instancePath + "/transport/become",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/become/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema46.oneOf[0].properties.become.type,
              parentSchema: schema46.oneOf[0].properties.become,
              data: data11,
            };
            if (vErrors === null) {
              vErrors = [err25];
            } else {
              vErrors.push(err25);
            }
            errors++;
          }
          if (!(data11 === "sudo")) {
            const err26 = {
              instancePath: instancePath + "/transport/become",
              schemaPath: "#/$defs/Transport/oneOf/0/properties/become/enum",
              keyword: "enum",
              params: { allowedValues: schema46.oneOf[0].properties.become.enum },
              message: "must be equal to one of the allowed values",
              schema: schema46.oneOf[0].properties.become.enum,
              parentSchema: schema46.oneOf[0].properties.become,
              data: data11,
            };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          }
        }
      } else {
        const err27 = {
          instancePath: instancePath + "/transport",
          schemaPath: "#/$defs/Transport/oneOf/0/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema46.oneOf[0].type,
          parentSchema: schema46.oneOf[0],
          data: data4,
        };
        if (vErrors === null) {
          vErrors = [err27];
        } else {
          vErrors.push(err27);
        }
        errors++;
      }
      var _valid0 = _errs17 === errors;
      if (_valid0) {
        valid6 = true;
        passing0 = 0;
        var props0 = true;
      }
      const _errs33 = errors;
      if (data4 && typeof data4 == "object" && !Array.isArray(data4)) {
        if (data4.kind === undefined) {
          const err28 = {
            instancePath: instancePath + "/transport",
            schemaPath: "#/$defs/Transport/oneOf/1/required",
            keyword: "required",
            params: { missingProperty: "kind" },
            message: "must have required property '" + "kind" + "'",
            schema: schema46.oneOf[1].required,
            parentSchema: schema46.oneOf[1],
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err28];
          } else {
            vErrors.push(err28);
          }
          errors++;
        }
        for (const key2 in data4) {
          if (!(key2 === "kind")) {
            const err29 = {
              instancePath: instancePath + "/transport",
              schemaPath: "#/$defs/Transport/oneOf/1/additionalProperties",
              keyword: "additionalProperties",
              params: { additionalProperty: key2 },
              message: "must NOT have additional properties",
              schema: false,
              parentSchema: schema46.oneOf[1],
              data: data4,
            };
            if (vErrors === null) {
              vErrors = [err29];
            } else {
              vErrors.push(err29);
            }
            errors++;
          }
        }
        if (data4.kind !== undefined) {
          let data12 = data4.kind;
          if ("local" !== data12) {
            const err30 = {
              instancePath: instancePath + "/transport/kind",
              schemaPath: "#/$defs/Transport/oneOf/1/properties/kind/const",
              keyword: "const",
              params: { allowedValue: "local" },
              message: "must be equal to constant",
              schema: "local",
              parentSchema: schema46.oneOf[1].properties.kind,
              data: data12,
            };
            if (vErrors === null) {
              vErrors = [err30];
            } else {
              vErrors.push(err30);
            }
            errors++;
          }
        }
      } else {
        const err31 = {
          instancePath: instancePath + "/transport",
          schemaPath: "#/$defs/Transport/oneOf/1/type",
          keyword: "type",
          params: { type: "object" },
          message: "must be object",
          schema: schema46.oneOf[1].type,
          parentSchema: schema46.oneOf[1],
          data: data4,
        };
        if (vErrors === null) {
          vErrors = [err31];
        } else {
          vErrors.push(err31);
        }
        errors++;
      }
      var _valid0 = _errs33 === errors;
      if (_valid0 && valid6) {
        valid6 = false;
        passing0 = [passing0, 1];
      } else {
        if (_valid0) {
          valid6 = true;
          passing0 = 1;
          if (props0 !== true) {
            props0 = true;
          }
        }
        const _errs37 = errors;
        if (data4 && typeof data4 == "object" && !Array.isArray(data4)) {
          if (data4.kind === undefined) {
            const err32 = {
              instancePath: instancePath + "/transport",
              schemaPath: "#/$defs/Transport/oneOf/2/required",
              keyword: "required",
              params: { missingProperty: "kind" },
              message: "must have required property '" + "kind" + "'",
              schema: schema46.oneOf[2].required,
              parentSchema: schema46.oneOf[2],
              data: data4,
            };
            if (vErrors === null) {
              vErrors = [err32];
            } else {
              vErrors.push(err32);
            }
            errors++;
          }
          if (data4.name === undefined) {
            const err33 = {
              instancePath: instancePath + "/transport",
              schemaPath: "#/$defs/Transport/oneOf/2/required",
              keyword: "required",
              params: { missingProperty: "name" },
              message: "must have required property '" + "name" + "'",
              schema: schema46.oneOf[2].required,
              parentSchema: schema46.oneOf[2],
              data: data4,
            };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
          for (const key3 in data4) {
            if (!(key3 === "kind" || key3 === "name")) {
              const err34 = {
                instancePath: instancePath + "/transport",
                schemaPath: "#/$defs/Transport/oneOf/2/additionalProperties",
                keyword: "additionalProperties",
                params: { additionalProperty: key3 },
                message: "must NOT have additional properties",
                schema: false,
                parentSchema: schema46.oneOf[2],
                data: data4,
              };
              if (vErrors === null) {
                vErrors = [err34];
              } else {
                vErrors.push(err34);
              }
              errors++;
            }
          }
          if (data4.kind !== undefined) {
            let data13 = data4.kind;
            if ("netns" !== data13) {
              const err35 = {
                instancePath: instancePath + "/transport/kind",
                schemaPath: "#/$defs/Transport/oneOf/2/properties/kind/const",
                keyword: "const",
                params: { allowedValue: "netns" },
                message: "must be equal to constant",
                schema: "netns",
                parentSchema: schema46.oneOf[2].properties.kind,
                data: data13,
              };
              if (vErrors === null) {
                vErrors = [err35];
              } else {
                vErrors.push(err35);
              }
              errors++;
            }
          }
          if (data4.name !== undefined) {
            let data14 = data4.name;
            if (typeof data14 === "string") {
              if (!pattern19.test(data14)) {
                const err36 = {
                  instancePath: instancePath + "/transport/name",
                  schemaPath: "#/$defs/Transport/oneOf/2/properties/name/pattern",
                  keyword: "pattern",
                  params: { pattern: "^[A-Za-z0-9_.-]{1,64}$" },
                  message: 'must match pattern "' + "^[A-Za-z0-9_.-]{1,64}$" + '"',
                  schema: "^[A-Za-z0-9_.-]{1,64}$",
                  parentSchema: schema46.oneOf[2].properties.name,
                  data: data14,
                };
                if (vErrors === null) {
                  vErrors = [err36];
                } else {
                  vErrors.push(err36);
                }
                errors++;
              }
            } else {
              const err37 = {
                instancePath: instancePath + "/transport/name",
                schemaPath: "#/$defs/Transport/oneOf/2/properties/name/type",
                keyword: "type",
                params: { type: "string" },
                message: "must be string",
                schema: schema46.oneOf[2].properties.name.type,
                parentSchema: schema46.oneOf[2].properties.name,
                data: data14,
              };
              if (vErrors === null) {
                vErrors = [err37];
              } else {
                vErrors.push(err37);
              }
              errors++;
            }
          }
        } else {
          const err38 = {
            instancePath: instancePath + "/transport",
            schemaPath: "#/$defs/Transport/oneOf/2/type",
            keyword: "type",
            params: { type: "object" },
            message: "must be object",
            schema: schema46.oneOf[2].type,
            parentSchema: schema46.oneOf[2],
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err38];
          } else {
            vErrors.push(err38);
          }
          errors++;
        }
        var _valid0 = _errs37 === errors;
        if (_valid0 && valid6) {
          valid6 = false;
          passing0 = [passing0, 2];
        } else {
          if (_valid0) {
            valid6 = true;
            passing0 = 2;
            if (props0 !== true) {
              props0 = true;
            }
          }
        }
      }
      if (!valid6) {
        const err39 = {
          instancePath: instancePath + "/transport",
          schemaPath: "#/$defs/Transport/oneOf",
          keyword: "oneOf",
          params: { passingSchemas: passing0 },
          message: "must match exactly one schema in oneOf",
          schema: schema46.oneOf,
          parentSchema: schema46,
          data: data4,
        };
        if (vErrors === null) {
          vErrors = [err39];
        } else {
          vErrors.push(err39);
        }
        errors++;
      } else {
        errors = _errs16;
        if (vErrors !== null) {
          if (_errs16) {
            vErrors.length = _errs16;
          } else {
            vErrors = null;
          }
        }
      }
    }
    if (data.namespaces !== undefined) {
      let data15 = data.namespaces;
      if (Array.isArray(data15)) {
        const len0 = data15.length;
        for (let i0 = 0; i0 < len0; i0++) {
          if (
            !validate26(data15[i0], {
              instancePath: instancePath + "/namespaces/" + i0,
              parentData: data15,
              parentDataProperty: i0,
              rootData,
              dynamicAnchors,
            })
          ) {
            vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err40 = {
          instancePath: instancePath + "/namespaces",
          schemaPath: "#/properties/namespaces/type",
          keyword: "type",
          params: { type: "array" },
          message: "must be array",
          schema: schema41.properties.namespaces.type,
          parentSchema: schema41.properties.namespaces,
          data: data15,
        };
        if (vErrors === null) {
          vErrors = [err40];
        } else {
          vErrors.push(err40);
        }
        errors++;
      }
    }
  } else {
    const err41 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema41.type,
      parentSchema: schema41,
      data,
    };
    if (vErrors === null) {
      vErrors = [err41];
    } else {
      vErrors.push(err41);
    }
    errors++;
  }
  validate25.errors = vErrors;
  return errors === 0;
}
validate25.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema50 = {
  description:
    "Build the hosts themselves on this machine as network namespaces (netplan-k lab up).",
  type: "object",
  additionalProperties: false,
  properties: {
    prefix: {
      description: "Prefix of every lab object's name, so a leftover is recognisable (default nk).",
      type: "string",
      pattern: "^[a-z][a-z0-9]{0,5}$",
    },
    sshd: {
      description: "Run an sshd in every lab host so the ssh transport is exercised for real.",
      type: "boolean",
    },
    routers: {
      description:
        "Routers joining underlay segments: one leg (an address in CIDR form) per segment.",
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "legs"],
        properties: {
          name: { $ref: "#/$defs/Identifier" },
          legs: { type: "array", minItems: 2, items: { $ref: "#/$defs/Ipv4Cidr" } },
        },
      },
    },
    guests: {
      description:
        "Hosts built as QEMU guests booting Debian's kernel instead of namespaces (for a kernel this machine lacks, such as ipip's). Needs sshd: true; each entry names a host.",
      type: "array",
      uniqueItems: true,
      items: { $ref: "#/$defs/Identifier" },
    },
  },
};
const pattern22 = new RegExp("^[a-z][a-z0-9]{0,5}$", "u");
const func0 = require("ajv/dist/runtime/equal").default;
function validate29(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate29.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(key0 === "prefix" || key0 === "sshd" || key0 === "routers" || key0 === "guests")) {
        const err0 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema50,
          data,
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.prefix !== undefined) {
      let data0 = data.prefix;
      if (typeof data0 === "string") {
        if (!pattern22.test(data0)) {
          const err1 = {
            instancePath: instancePath + "/prefix",
            schemaPath: "#/properties/prefix/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z][a-z0-9]{0,5}$" },
            message: 'must match pattern "' + "^[a-z][a-z0-9]{0,5}$" + '"',
            schema: "^[a-z][a-z0-9]{0,5}$",
            parentSchema: schema50.properties.prefix,
            data: data0,
          };
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      } else {
        const err2 = {
          instancePath: instancePath + "/prefix",
          schemaPath: "#/properties/prefix/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema50.properties.prefix.type,
          parentSchema: schema50.properties.prefix,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.sshd !== undefined) {
      let data1 = data.sshd;
      if (typeof data1 !== "boolean") {
        const err3 = {
          instancePath: instancePath + "/sshd",
          schemaPath: "#/properties/sshd/type",
          keyword: "type",
          params: { type: "boolean" },
          message: "must be boolean",
          schema: schema50.properties.sshd.type,
          parentSchema: schema50.properties.sshd,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.routers !== undefined) {
      let data2 = data.routers;
      if (Array.isArray(data2)) {
        const len0 = data2.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data3 = data2[i0];
          if (data3 && typeof data3 == "object" && !Array.isArray(data3)) {
            if (data3.name === undefined) {
              const err4 = {
                instancePath: instancePath + "/routers/" + i0,
                schemaPath: "#/properties/routers/items/required",
                keyword: "required",
                params: { missingProperty: "name" },
                message: "must have required property '" + "name" + "'",
                schema: schema50.properties.routers.items.required,
                parentSchema: schema50.properties.routers.items,
                data: data3,
              };
              if (vErrors === null) {
                vErrors = [err4];
              } else {
                vErrors.push(err4);
              }
              errors++;
            }
            if (data3.legs === undefined) {
              const err5 = {
                instancePath: instancePath + "/routers/" + i0,
                schemaPath: "#/properties/routers/items/required",
                keyword: "required",
                params: { missingProperty: "legs" },
                message: "must have required property '" + "legs" + "'",
                schema: schema50.properties.routers.items.required,
                parentSchema: schema50.properties.routers.items,
                data: data3,
              };
              if (vErrors === null) {
                vErrors = [err5];
              } else {
                vErrors.push(err5);
              }
              errors++;
            }
            for (const key1 in data3) {
              if (!(key1 === "name" || key1 === "legs")) {
                const err6 = {
                  instancePath: instancePath + "/routers/" + i0,
                  schemaPath: "#/properties/routers/items/additionalProperties",
                  keyword: "additionalProperties",
                  params: { additionalProperty: key1 },
                  message: "must NOT have additional properties",
                  schema: false,
                  parentSchema: schema50.properties.routers.items,
                  data: data3,
                };
                if (vErrors === null) {
                  vErrors = [err6];
                } else {
                  vErrors.push(err6);
                }
                errors++;
              }
            }
            if (data3.name !== undefined) {
              let data4 = data3.name;
              if (typeof data4 === "string") {
                if (!pattern4.test(data4)) {
                  const err7 = {
                    instancePath: instancePath + "/routers/" + i0 + "/name",
                    schemaPath: "#/$defs/Identifier/pattern",
                    keyword: "pattern",
                    params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
                    message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
                    schema: "^[a-z0-9][a-z0-9-]{0,31}$",
                    parentSchema: schema32,
                    data: data4,
                  };
                  if (vErrors === null) {
                    vErrors = [err7];
                  } else {
                    vErrors.push(err7);
                  }
                  errors++;
                }
              } else {
                const err8 = {
                  instancePath: instancePath + "/routers/" + i0 + "/name",
                  schemaPath: "#/$defs/Identifier/type",
                  keyword: "type",
                  params: { type: "string" },
                  message: "must be string",
                  schema: schema32.type,
                  parentSchema: schema32,
                  data: data4,
                };
                if (vErrors === null) {
                  vErrors = [err8];
                } else {
                  vErrors.push(err8);
                }
                errors++;
              }
            }
            if (data3.legs !== undefined) {
              let data5 = data3.legs;
              if (Array.isArray(data5)) {
                if (data5.length < 2) {
                  const err9 = {
                    instancePath: instancePath + "/routers/" + i0 + "/legs",
                    schemaPath: "#/properties/routers/items/properties/legs/minItems",
                    keyword: "minItems",
                    params: { limit: 2 },
                    message: "must NOT have fewer than 2 items",
                    schema: 2,
                    parentSchema: schema50.properties.routers.items.properties.legs,
                    data: data5,
                  };
                  if (vErrors === null) {
                    vErrors = [err9];
                  } else {
                    vErrors.push(err9);
                  }
                  errors++;
                }
                const len1 = data5.length;
                for (let i1 = 0; i1 < len1; i1++) {
                  let data6 = data5[i1];
                  if (typeof data6 === "string") {
                    if (!pattern5.test(data6)) {
                      const err10 = {
                        instancePath: instancePath + "/routers/" + i0 + "/legs/" + i1,
                        schemaPath: "#/$defs/Ipv4Cidr/pattern",
                        keyword: "pattern",
                        params: { pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" },
                        message:
                          'must match pattern "' +
                          "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$" +
                          '"',
                        schema: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$",
                        parentSchema: schema34,
                        data: data6,
                      };
                      if (vErrors === null) {
                        vErrors = [err10];
                      } else {
                        vErrors.push(err10);
                      }
                      errors++;
                    }
                  } else {
                    const err11 = {
                      instancePath: instancePath + "/routers/" + i0 + "/legs/" + i1,
                      schemaPath: "#/$defs/Ipv4Cidr/type",
                      keyword: "type",
                      params: { type: "string" },
                      message: "must be string",
                      schema: schema34.type,
                      parentSchema: schema34,
                      data: data6,
                    };
                    if (vErrors === null) {
                      vErrors = [err11];
                    } else {
                      vErrors.push(err11);
                    }
                    errors++;
                  }
                }
              } else {
                const err12 = {
                  instancePath: instancePath + "/routers/" + i0 + "/legs",
                  schemaPath: "#/properties/routers/items/properties/legs/type",
                  keyword: "type",
                  params: { type: "array" },
                  message: "must be array",
                  schema: schema50.properties.routers.items.properties.legs.type,
                  parentSchema: schema50.properties.routers.items.properties.legs,
                  data: data5,
                };
                if (vErrors === null) {
                  vErrors = [err12];
                } else {
                  vErrors.push(err12);
                }
                errors++;
              }
            }
          } else {
            const err13 = {
              instancePath: instancePath + "/routers/" + i0,
              schemaPath: "#/properties/routers/items/type",
              keyword: "type",
              params: { type: "object" },
              message: "must be object",
              schema: schema50.properties.routers.items.type,
              parentSchema: schema50.properties.routers.items,
              data: data3,
            };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
      } else {
        const err14 = {
          instancePath: instancePath + "/routers",
          schemaPath: "#/properties/routers/type",
          keyword: "type",
          params: { type: "array" },
          message: "must be array",
          schema: schema50.properties.routers.type,
          parentSchema: schema50.properties.routers,
          data: data2,
        };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
    }
    if (data.guests !== undefined) {
      let data7 = data.guests;
      if (Array.isArray(data7)) {
        const len2 = data7.length;
        for (let i2 = 0; i2 < len2; i2++) {
          let data8 = data7[i2];
          if (typeof data8 === "string") {
            if (!pattern4.test(data8)) {
              const err15 = {
                instancePath: instancePath + "/guests/" + i2,
                schemaPath: "#/$defs/Identifier/pattern",
                keyword: "pattern",
                params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
                message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
                schema: "^[a-z0-9][a-z0-9-]{0,31}$",
                parentSchema: schema32,
                data: data8,
              };
              if (vErrors === null) {
                vErrors = [err15];
              } else {
                vErrors.push(err15);
              }
              errors++;
            }
          } else {
            const err16 = {
              instancePath: instancePath + "/guests/" + i2,
              schemaPath: "#/$defs/Identifier/type",
              keyword: "type",
              params: { type: "string" },
              message: "must be string",
              schema: schema32.type,
              parentSchema: schema32,
              data: data8,
            };
            if (vErrors === null) {
              vErrors = [err16];
            } else {
              vErrors.push(err16);
            }
            errors++;
          }
        }
        let i3 = data7.length;
        let j0;
        if (i3 > 1) {
          outer0: for (; i3--;) {
            for (j0 = i3; j0--;) {
              if (func0(data7[i3], data7[j0])) {
                const err17 = {
                  instancePath: instancePath + "/guests",
                  schemaPath: "#/properties/guests/uniqueItems",
                  keyword: "uniqueItems",
                  params: { i: i3, j: j0 },
                  message:
                    "must NOT have duplicate items (items ## " +
                    j0 +
                    " and " +
                    i3 +
                    " are identical)",
                  schema: true,
                  parentSchema: schema50.properties.guests,
                  data: data7,
                };
                if (vErrors === null) {
                  vErrors = [err17];
                } else {
                  vErrors.push(err17);
                }
                errors++;
                break outer0;
              }
            }
          }
        }
      } else {
        const err18 = {
          instancePath: instancePath + "/guests",
          schemaPath: "#/properties/guests/type",
          keyword: "type",
          params: { type: "array" },
          message: "must be array",
          schema: schema50.properties.guests.type,
          parentSchema: schema50.properties.guests,
          data: data7,
        };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
  } else {
    const err19 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema50.type,
      parentSchema: schema50,
      data,
    };
    if (vErrors === null) {
      vErrors = [err19];
    } else {
      vErrors.push(err19);
    }
    errors++;
  }
  validate29.errors = vErrors;
  return errors === 0;
}
validate29.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate20(
  data,
  { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {},
) {
  /*# sourceURL="https://netplan-k.dev/schemas/topology.schema.json" */ let vErrors = null;
  let errors = 0;
  const evaluated0 = validate20.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.apiVersion === undefined) {
      const err0 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "apiVersion" },
        message: "must have required property '" + "apiVersion" + "'",
        schema: schema31.required,
        parentSchema: schema31,
        data,
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.name === undefined) {
      const err1 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "name" },
        message: "must have required property '" + "name" + "'",
        schema: schema31.required,
        parentSchema: schema31,
        data,
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data.cluster === undefined) {
      const err2 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "cluster" },
        message: "must have required property '" + "cluster" + "'",
        schema: schema31.required,
        parentSchema: schema31,
        data,
      };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
    if (data.hosts === undefined) {
      const err3 = {
        instancePath,
        schemaPath: "#/required",
        keyword: "required",
        params: { missingProperty: "hosts" },
        message: "must have required property '" + "hosts" + "'",
        schema: schema31.required,
        parentSchema: schema31,
        data,
      };
      if (vErrors === null) {
        vErrors = [err3];
      } else {
        vErrors.push(err3);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === "apiVersion" ||
        key0 === "name" ||
        key0 === "cluster" ||
        key0 === "defaults" ||
        key0 === "hosts" ||
        key0 === "lab"
      )) {
        const err4 = {
          instancePath,
          schemaPath: "#/additionalProperties",
          keyword: "additionalProperties",
          params: { additionalProperty: key0 },
          message: "must NOT have additional properties",
          schema: false,
          parentSchema: schema31,
          data,
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.apiVersion !== undefined) {
      let data0 = data.apiVersion;
      if ("netplan-k/v1" !== data0) {
        const err5 = {
          instancePath: instancePath + "/apiVersion",
          schemaPath: "#/properties/apiVersion/const",
          keyword: "const",
          params: { allowedValue: "netplan-k/v1" },
          message: "must be equal to constant",
          schema: "netplan-k/v1",
          parentSchema: schema31.properties.apiVersion,
          data: data0,
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.name !== undefined) {
      let data1 = data.name;
      if (typeof data1 === "string") {
        if (!pattern4.test(data1)) {
          const err6 = {
            instancePath: instancePath + "/name",
            schemaPath: "#/$defs/Identifier/pattern",
            keyword: "pattern",
            params: { pattern: "^[a-z0-9][a-z0-9-]{0,31}$" },
            message: 'must match pattern "' + "^[a-z0-9][a-z0-9-]{0,31}$" + '"',
            schema: "^[a-z0-9][a-z0-9-]{0,31}$",
            parentSchema: schema32,
            data: data1,
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + "/name",
          schemaPath: "#/$defs/Identifier/type",
          keyword: "type",
          params: { type: "string" },
          message: "must be string",
          schema: schema32.type,
          parentSchema: schema32,
          data: data1,
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
    if (data.cluster !== undefined) {
      if (
        !validate21(data.cluster, {
          instancePath: instancePath + "/cluster",
          parentData: data,
          parentDataProperty: "cluster",
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
        errors = vErrors.length;
      }
    }
    if (data.defaults !== undefined) {
      if (
        !validate23(data.defaults, {
          instancePath: instancePath + "/defaults",
          parentData: data,
          parentDataProperty: "defaults",
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
        errors = vErrors.length;
      }
    }
    if (data.hosts !== undefined) {
      let data4 = data.hosts;
      if (Array.isArray(data4)) {
        if (data4.length < 1) {
          const err8 = {
            instancePath: instancePath + "/hosts",
            schemaPath: "#/properties/hosts/minItems",
            keyword: "minItems",
            params: { limit: 1 },
            message: "must NOT have fewer than 1 items",
            schema: 1,
            parentSchema: schema31.properties.hosts,
            data: data4,
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        const len0 = data4.length;
        for (let i0 = 0; i0 < len0; i0++) {
          if (
            !validate25(data4[i0], {
              instancePath: instancePath + "/hosts/" + i0,
              parentData: data4,
              parentDataProperty: i0,
              rootData,
              dynamicAnchors,
            })
          ) {
            vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err9 = {
          instancePath: instancePath + "/hosts",
          schemaPath: "#/properties/hosts/type",
          keyword: "type",
          params: { type: "array" },
          message: "must be array",
          schema: schema31.properties.hosts.type,
          parentSchema: schema31.properties.hosts,
          data: data4,
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
    }
    if (data.lab !== undefined) {
      if (
        !validate29(data.lab, {
          instancePath: instancePath + "/lab",
          parentData: data,
          parentDataProperty: "lab",
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err10 = {
      instancePath,
      schemaPath: "#/type",
      keyword: "type",
      params: { type: "object" },
      message: "must be object",
      schema: schema31.type,
      parentSchema: schema31,
      data,
    };
    if (vErrors === null) {
      vErrors = [err10];
    } else {
      vErrors.push(err10);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
validate20.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
