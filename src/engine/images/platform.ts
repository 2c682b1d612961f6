/**
 * `--platform` at create: the text parsed and normalized as containerd's
 * platforms package does ("arm64", "linux/x86_64", "linux/arm/v7"), and an
 * image matched against it by OS and architecture (and variant, when asked).
 */
import { InvalidParameterError, NotFoundError } from '../../util/errors.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows']);
const ARCH_ALIASES: Record<string, Platform['architecture'] | [string, string]> = {
  x86_64: 'amd64', 'x86-64': 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', i386: '386', '386': '386',
  armhf: ['arm', 'v7'], armel: ['arm', 'v6'], arm: 'arm', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', mips64le: 'mips64le',
};

function normalizeArch(arch: string, variant: string | undefined): { architecture: string; variant?: string } {
  const alias = ARCH_ALIASES[arch];
  if (Array.isArray(alias)) return { architecture: alias[0], variant: variant ?? alias[1] };
  const architecture = alias ?? arch;
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) return { architecture };
  if (architecture === 'arm' && variant && /^\d$/.test(variant)) return { architecture, variant: `v${variant}` };
  return variant ? { architecture, variant } : { architecture };
}

/** The platform of this host, in OCI words. */
export function hostPlatform(): Platform {
  const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }[process.arch as string] ?? process.arch;
  return { os: 'linux', architecture: arch };
}

export function parsePlatform(text: string, host: Platform = hostPlatform()): Platform {
  const parts = text.toLowerCase().split('/');
  const bad = () => new InvalidParameterError(`"${text}": unknown operating system or architecture: invalid argument`);
  if (parts.some((p) => !/^[a-z0-9_-]+$/.test(p)) || parts.length > 3) throw bad();
  if (parts.length === 1) {
    if (KNOWN_OS.has(parts[0]!)) return { os: parts[0]!, architecture: host.architecture, ...(host.variant ? { variant: host.variant } : {}) };
    if (!ARCH_ALIASES[parts[0]!]) throw bad();
    return { os: host.os, ...normalizeArch(parts[0]!, undefined) };
  }
  if (!KNOWN_OS.has(parts[0]!)) throw bad();
  return { os: parts[0]!, ...normalizeArch(parts[1]!, parts[2]) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((s) => s).join('/');
}

/**
 * dockerd (moby 24+) refuses a local image of another platform with a 404,
 * so that the client pulls the wanted one.
 */
export function checkImagePlatform(reference: string, wanted: string, image: { os?: string; architecture?: string; variant?: string }): void {
  const want = parsePlatform(wanted);
  const have = { os: image.os || 'linux', ...normalizeArch(image.architecture || hostPlatform().architecture, image.variant || undefined) };
  const matches = want.os === have.os && want.architecture === have.architecture && (!want.variant || !have.variant || want.variant === have.variant);
  if (!matches) {
    throw new NotFoundError(`image with reference ${reference} was found but does not match the specified platform: wanted ${formatPlatform(want)}, actual: ${formatPlatform(have)}`);
  }
}
