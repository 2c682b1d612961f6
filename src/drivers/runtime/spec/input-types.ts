/**
 * The parts of Docker's `ContainerConfig` and `HostConfig` that spec
 * generation reads. drivers/ may not import wire/, so these are declared here
 * structurally: the wire types (`src/wire/container-config.ts`) are
 * assignable to them, and the engine passes its records' objects as they are.
 */

export interface SpecUlimit {
  Name?: string;
  Soft?: number;
  Hard?: number;
}

/** One `--device`: `HostConfig.Devices[]`. */
export interface SpecDeviceMapping {
  PathOnHost?: string;
  PathInContainer?: string;
  CgroupPermissions?: string;
}

/** One `--device-{read,write}-{bps,iops}` entry. */
export interface SpecThrottleDevice {
  Path?: string;
  Rate?: number;
}

/** One `--blkio-weight-device` entry. */
export interface SpecWeightDevice {
  Path?: string;
  Weight?: number;
}

export interface SpecResources {
  CpuShares?: number;
  Memory?: number;
  BlkioWeight?: number;
  BlkioWeightDevice?: SpecWeightDevice[] | null;
  BlkioDeviceReadBps?: SpecThrottleDevice[] | null;
  BlkioDeviceWriteBps?: SpecThrottleDevice[] | null;
  BlkioDeviceReadIOps?: SpecThrottleDevice[] | null;
  BlkioDeviceWriteIOps?: SpecThrottleDevice[] | null;
  Devices?: SpecDeviceMapping[] | null;
  DeviceCgroupRules?: string[] | null;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  KernelMemoryTCP?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  NanoCpus?: number;
  OomKillDisable?: boolean | null;
  Init?: boolean | null;
  PidsLimit?: number | null;
  Ulimits?: SpecUlimit[] | null;
}

export interface SpecHostConfig extends SpecResources {
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  CgroupnsMode?: string;
  StorageOpt?: Record<string, string> | null;
  DeviceRequests?: Array<{ Driver?: string; Capabilities?: string[][] }> | null;
  ConsoleSize?: number[] | null;
  GroupAdd?: string[] | null;
  IpcMode?: string;
  OomScoreAdj?: number;
  PidMode?: string;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  Tmpfs?: Record<string, string> | null;
  UTSMode?: string;
  ShmSize?: number;
  Sysctls?: Record<string, string> | null;
  MaskedPaths?: string[] | null;
  ReadonlyPaths?: string[] | null;
}

export interface SpecContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Tty?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
}
