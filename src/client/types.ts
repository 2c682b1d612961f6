/**
 * The shapes of Engine API replies that the CLI reads, with Docker's
 * PascalCase names (swagger v1.43). Only the fields used are declared; the
 * rest pass through untouched (inspect prints the daemon's JSON verbatim).
 */
export interface Port {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID?: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports: Port[];
  Labels?: Record<string, string> | null;
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts?: { Name?: string; Source?: string; Destination?: string }[];
  NetworkSettings?: { Networks?: Record<string, unknown> };
}
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Record<string, string> | null;
  Containers: number;
}
export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[] | null;
}
export interface WaitResponse {
  StatusCode: number;
  Error?: { Message?: string } | null;
}
export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Paused: boolean; ExitCode: number };
  Config: { Tty: boolean; OpenStdin: boolean; AttachStdin?: boolean; Image?: string; Labels?: Record<string, string> | null };
  HostConfig?: { AutoRemove?: boolean };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
  [k: string]: unknown;
}
export interface ExecInspect {
  ExitCode: number | null;
  Running: boolean;
  ProcessConfig?: { tty?: boolean };
}
export interface TopResponse {
  Titles: string[];
  Processes: string[][];
}
export interface ChangeItem {
  Path: string;
  Kind: number;
}
export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}
export interface DeleteItem {
  Untagged?: string;
  Deleted?: string;
}
