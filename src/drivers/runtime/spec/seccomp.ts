/**
 * Docker's seccomp profile format → the OCI `linux.seccomp` object, as moby's
 * `profiles/seccomp` does it: keep the rules whose `includes` are satisfied
 * and whose `excludes` are not (by granted capabilities, architecture and
 * kernel version), and list the native architecture with its sub-architectures.
 */
import DEFAULT_PROFILE from './seccomp-default.json' with { type: 'json' };
import { InvalidParameterError } from '../../../util/errors.ts';
import type { OciSeccomp, OciSeccompAction, OciSeccompArg, OciSeccompSyscall } from './types.ts';

interface Filter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}
interface DockerSyscall {
  name?: string;
  names?: string[];
  action: OciSeccompAction;
  errnoRet?: number;
  args?: OciSeccompArg[] | null;
  includes?: Filter;
  excludes?: Filter;
}
/** A profile in Docker's format (`seccomp-default.json`, `--security-opt seccomp=<json>`). */
export interface DockerSeccompProfile {
  defaultAction: OciSeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures?: string[] | null }[];
  flags?: string[];
  syscalls?: DockerSyscall[];
}

/** Where the conversion runs: Node's `process.arch` and the kernel release (`uname -r`). */
export interface SeccompHost {
  arch: string;
  kernel?: string;
  /** Sub-architectures the kernel cannot run (`SCMP_ARCH_X32` without x32 support): left out of the archMap. */
  missingArches?: readonly string[];
}

const NODE_TO_SCMP: Record<string, string> = {
  x64: 'SCMP_ARCH_X86_64',
  ia32: 'SCMP_ARCH_X86',
  arm64: 'SCMP_ARCH_AARCH64',
  arm: 'SCMP_ARCH_ARM',
  ppc64: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X',
  riscv64: 'SCMP_ARCH_RISCV64',
  mips64el: 'SCMP_ARCH_MIPSEL64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
};
/** Docker's rules name architectures the Go way (`amd64`, `arm64`…). */
const NODE_TO_GO: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

let defaultProfile: DockerSeccompProfile | undefined;
/** Docker's default profile, shipped beside this module. */
export function defaultSeccompProfile(): DockerSeccompProfile {
  defaultProfile ??= DEFAULT_PROFILE as DockerSeccompProfile;
  return defaultProfile;
}

/** Parse a `seccomp=<json>` security option's profile text. */
export function parseSeccompProfile(text: string): DockerSeccompProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidParameterError(`Decoding seccomp profile failed: ${(e as Error).message}`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || typeof (value as { defaultAction?: unknown }).defaultAction !== 'string') {
    throw new InvalidParameterError('Decoding seccomp profile failed: defaultAction is required');
  }
  const p = value as DockerSeccompProfile;
  if (p.architectures?.length && p.archMap?.length) {
    throw new InvalidParameterError("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  return p;
}

/** `"5.10.0-23-amd64"` → [5, 10]. */
function kernelVersion(text: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
function kernelAtLeast(host: [number, number] | undefined, min: string): boolean {
  const want = kernelVersion(min);
  if (!host || !want) return true; // unknown kernel: assume new enough, as the profile targets current kernels
  return host[0] > want[0] || (host[0] === want[0] && host[1] >= want[1]);
}

/** Convert a Docker-format profile for a container granted `caps`. */
export function toOciSeccomp(profile: DockerSeccompProfile, caps: readonly string[], host: SeccompHost): OciSeccomp {
  const scmpArch = NODE_TO_SCMP[host.arch] ?? host.arch;
  const goArch = NODE_TO_GO[host.arch] ?? host.arch;
  const kernel = kernelVersion(host.kernel);
  const granted = new Set(caps);
  const out: OciSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  if (profile.architectures?.length) out.architectures = [...profile.architectures];
  else {
    const arches: string[] = [];
    for (const a of profile.archMap ?? []) {
      if (a.architecture !== scmpArch) continue;
      arches.push(a.architecture, ...(a.subArchitectures ?? []).filter((sub) => !host.missingArches?.includes(sub)));
    }
    if (arches.length > 0) out.architectures = arches;
  }
  if (profile.flags?.length) out.flags = [...profile.flags];
  const syscalls: OciSeccompSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    const inc = rule.includes ?? {};
    const exc = rule.excludes ?? {};
    if (exc.arches?.includes(goArch)) continue;
    if (exc.caps?.some((c) => granted.has(c))) continue;
    if (exc.minKernel && kernelAtLeast(kernel, exc.minKernel)) continue;
    if (inc.arches?.length && !inc.arches.includes(goArch)) continue;
    if (inc.caps?.length && !inc.caps.every((c) => granted.has(c))) continue;
    if (inc.minKernel && !kernelAtLeast(kernel, inc.minKernel)) continue;
    const names = rule.names?.length ? [...rule.names] : rule.name ? [rule.name] : [];
    if (names.length === 0) continue;
    const call: OciSeccompSyscall = { names, action: rule.action };
    if (rule.errnoRet !== undefined) call.errnoRet = rule.errnoRet;
    if (rule.args?.length) call.args = rule.args.map((a) => ({ ...a }));
    syscalls.push(call);
  }
  out.syscalls = syscalls;
  return out;
}
