import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LabGuest, LabLayout, LabNode } from "./lab-layout.js";
import { LabError } from "./lab-error.js";
import type { LabPaths } from "./lab-paths.js";
import {
  findRecordedProcess,
  killAndWait,
  processName,
  readPidFile,
  waitFor,
} from "./processes.js";
import { runCommand } from "./run-command.js";
import { isSshdAnswering } from "./sshd.js";
import { GUEST_INIT_SCRIPT } from "./guest-init.js";

/**
 * Lab hosts built as QEMU guests (`lab.guests`): for what this machine's kernel cannot do, such
 * as ipip (LAB-NOTES, "IPIP needs another kernel"). Each guest boots Debian's 6.1 kernel under
 * TCG (the machine's /dev/kvm cannot run a stock kernel), sees this machine's root read-only
 * over 9p, and is on the lab fabric through a tap in the fabric namespace. It runs sshd with the
 * lab's keys, so the lab's ssh_config and known_hosts reach it like any lab host.
 */

/** comm of qemu-system-x86_64, cut to the kernel's 15 characters. */
const QEMU_PROCESS = "qemu-system-x86";
const QEMU = "qemu-system-x86_64";
/** sshd answers about 3 s after QEMU starts on an idle machine; CI machines are slower. */
const BOOT_TIMEOUT_MS = 60_000;
const CONSOLE_TAIL_LINES = 25;

export const DEFAULT_GUEST_CACHE = "/var/cache/netplan-k/guest";
const GUEST_KERNEL_SCRIPT = fileURLToPath(
  new URL("../../scripts/guest-kernel.sh", import.meta.url),
);

export interface GuestImages {
  readonly kernel: string;
  readonly initramfs: string;
}

/**
 * The kernel and initramfs guests boot, from scripts/guest-kernel.sh: it returns at once when
 * its cache holds them, and otherwise downloads Debian's kernel package once and builds them.
 */
export async function ensureGuestImages(): Promise<GuestImages> {
  const cache = process.env["NETPLAN_K_GUEST_CACHE"] ?? DEFAULT_GUEST_CACHE;
  await runCommand(["bash", GUEST_KERNEL_SCRIPT], { timeoutMs: 600_000 });
  return { kernel: join(cache, "vmlinux"), initramfs: join(cache, "initramfs.cpio.gz") };
}

/**
 * This machine's TSC rate in kHz, from /proc/cpuinfo; undefined when it says nothing. Under TCG a
 * guest's TSC is this machine's, counted as it is.
 */
async function readHostTscKhz(): Promise<number | undefined> {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const mhz = /^cpu MHz\s*:\s*([0-9.]+)$/m.exec(cpuinfo)?.[1];
  return mhz === undefined ? undefined : Math.round(Number(mhz) * 1000);
}

/** The `nk.*` words stage 2 reads (guest-init.ts); no value holds a space (names are checked). */
export function guestKernelArgs(
  host: LabNode,
  guest: LabGuest,
  paths: LabPaths,
  mtu: number,
  tscKhz: number | undefined,
): string {
  const attachment = host.attachments[0];
  if (!attachment) throw new LabError(`${host.name}: a guest needs an underlay attachment`);
  return [
    // earlyprintk keeps the console on the serial port: microvm's ACPI tables give the 8250
    // driver no port to register otherwise, and the log would stay empty.
    "console=ttyS0",
    "earlyprintk=ttyS0",
    "panic=-1",
    // Measured: on a loaded machine the guest's PIT calibration of the TSC fails ("Unable to
    // calibrate against PIT"), and with no HPET on microvm the boot then stops for good. Giving
    // the rate skips the calibration.
    ...(tscKhz === undefined ? [] : [`tsc_early_khz=${tscKhz}`]),
    `nk.host=${host.name}`,
    `nk.mac=${guest.mac}`,
    `nk.if=${attachment.interface}`,
    `nk.addr=${attachment.address}/${attachment.prefix}`,
    `nk.mtu=${mtu}`,
    ...host.routes.map((route) => `nk.route=${route.dst}@${route.via}`),
    `nk.state=${paths.stateDir}`,
    `nk.sshd_config=${paths.sshdConfig}`,
    `nk.sshd_log=${paths.sshdLog(host.name)}`,
  ].join(" ");
}

/**
 * QEMU's argv, run inside the fabric namespace (where the tap is). microvm: no firmware, no PCI,
 * virtio over MMIO; the uncompressed kernel boots in under 2 s. A 64 MB translation cache
 * instead of TCG's default 1 GB keeps RSS down. Two 9p shares: this machine's root
 * (read-only; multidevs=remap keeps inode numbers distinct across its mounts) and the state dir
 * (keys, sshd_config, stage 2, logs).
 */
export function qemuArgv(
  host: LabNode,
  guest: LabGuest,
  paths: LabPaths,
  images: GuestImages,
  mtu: number,
  tscKhz: number | undefined,
): readonly string[] {
  return [
    QEMU,
    ...["-M", "microvm", "-accel", "tcg,tb-size=64", "-cpu", "max", "-m", "256", "-smp", "1"],
    ...["-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none"],
    ...["-kernel", images.kernel, "-initrd", images.initramfs],
    ...["-append", guestKernelArgs(host, guest, paths, mtu, tscKhz)],
    ...["-serial", `file:${paths.guestConsoleLog(host.name)}`],
    ...["-netdev", `tap,id=net0,ifname=${guest.tap},script=no,downscript=no`],
    ...["-device", `virtio-net-device,netdev=net0,mac=${guest.mac}`],
    ...["-fsdev", "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"],
    ...["-device", "virtio-9p-device,fsdev=root,mount_tag=hostroot"],
    ...["-fsdev", `local,id=state,path=${paths.stateDir},security_model=none,multidevs=remap`],
    ...["-device", "virtio-9p-device,fsdev=state,mount_tag=labstate"],
    ...["-daemonize", "-pidfile", paths.guestPidFile(host.name)],
  ];
}

/** The guest's QEMU pid when it runs in the fabric namespace, else undefined. */
export const findGuest = (
  layout: LabLayout,
  host: LabNode,
  paths: LabPaths,
): Promise<number | undefined> =>
  findRecordedProcess(paths.guestPidFile(host.name), QEMU_PROCESS, layout.fabric);

/** Stage 2 of the boot, shared by every guest of the lab through the state dir. */
export async function writeGuestInit(paths: LabPaths): Promise<void> {
  await writeFile(paths.guestInit, GUEST_INIT_SCRIPT, { mode: 0o755 });
}

/**
 * Keeps a running guest, or starts one: QEMU, which daemonises once the machine is set up, on
 * the guest's tap (a port of the segment's bridge, made with the fabric: desiredFabric). Does not
 * wait for the boot: guests boot in parallel, see waitForGuest.
 */
export async function startGuest(
  layout: LabLayout,
  host: LabNode,
  paths: LabPaths,
  images: GuestImages,
): Promise<number> {
  const guest = host.guest;
  if (!guest) throw new LabError(`${host.name} is not a lab guest`);
  const running = await findGuest(layout, host, paths);
  if (running !== undefined) return running;
  await mkdir(paths.hostDir(host.name), { recursive: true });
  await rm(paths.guestPidFile(host.name), { force: true });
  // QEMU opens the tap by name, so it must run in the namespace that holds it.
  await runCommand([
    ...["ip", "netns", "exec", layout.fabric],
    ...qemuArgv(host, guest, paths, images, layout.mtu, await readHostTscKhz()),
  ]);
  const pid = await findGuest(layout, host, paths);
  if (pid === undefined) {
    throw new LabError(
      `${host.name}: QEMU exited right after it started${await consoleTail(paths, host)}`,
    );
  }
  return pid;
}

/** Waits until the guest's sshd answers; on failure the console log's tail says why. */
export async function waitForGuest(
  layout: LabLayout,
  host: LabNode,
  paths: LabPaths,
  timeoutMs = BOOT_TIMEOUT_MS,
): Promise<void> {
  const ready = await waitFor(async () => {
    if ((await findGuest(layout, host, paths)) === undefined) return true;
    return isSshdAnswering(layout, host, paths);
  }, timeoutMs);
  const alive = (await findGuest(layout, host, paths)) !== undefined;
  if (ready && alive) return;
  throw new LabError(
    alive
      ? `${host.name}: the guest's sshd did not answer within ${timeoutMs / 1000} s${await consoleTail(paths, host)}`
      : `${host.name}: the guest stopped while booting${await consoleTail(paths, host)}`,
  );
}

async function consoleTail(paths: LabPaths, host: LabNode): Promise<string> {
  const log = paths.guestConsoleLog(host.name);
  const text = await readFile(log, "utf8").catch(() => "");
  const tail = text.trimEnd().split("\n").slice(-CONSOLE_TAIL_LINES).join("\n");
  return ` (console: ${log})\n${tail || "(the console log is empty)"}`;
}

/**
 * Kills every guest of the lab: the QEMU pids recorded under the state dir's host folders that
 * still run as QEMU. Their taps live in the fabric namespace and go with it.
 */
export async function stopGuests(paths: LabPaths): Promise<readonly number[]> {
  const hosts = await readdir(paths.hostsDir).catch(() => [] as string[]);
  const pids: number[] = [];
  for (const host of hosts) {
    const pid = await readPidFile(paths.guestPidFile(host));
    if (pid !== undefined && (await processName(pid)) === QEMU_PROCESS) pids.push(pid);
  }
  return killAndWait(pids);
}
