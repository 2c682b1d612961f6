/**
 * The shapes of Engine API replies that the CLI reads, with Docker's
 * PascalCase names (swagger v1.43). Only the fields used are declared; the
 * rest pass through untouched (inspect prints the daemon's JSON verbatim).
 */
// The list shapes are the wire types the daemon side uses too (one definition).
export type { ContainerSummary } from '../wire/container.ts';
export type { ImageSummary } from '../wire/image.ts';
export type Port = import('../wire/container.ts').ContainerSummary['Ports'][number];

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
