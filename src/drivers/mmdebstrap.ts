/**
 * Debian's mmdebstrap, the tool `berth image bootstrap debian:…` builds a
 * root filesystem with. `mmdebstrapArgs` is pure (the plan → argv, tested
 * beside it); `runMmdebstrap` starts it writing the tar to its stdout.
 *
 * What the image gets, as Docker's official debian images (debuerreotype:
 * debootstrap's minbase plus a few files):
 * - `--variant=minbase` (Essential packages and apt), merged /usr as
 *   debootstrap makes it (mmdebstrap's maybe-merged-usr hooks: without them
 *   apt picks `usrmerge`, which pulls in perl);
 * - apt configured as in Docker's images: `docker-clean` (no .debs or pkgcache
 *   left behind by an install), `docker-no-languages`,
 *   `docker-autoremove-suggests`, and `/usr/sbin/policy-rc.d` (exit 101: no
 *   service starts during an install), dpkg's `force-unsafe-io` (Docker's
 *   `docker-apt-speedup`); recommends stay Debian's default;
 * - `-slim`: dpkg path-excludes for docs (copyright kept), man, info,
 *   locales, groff, lintian and linda, left in /etc/dpkg/dpkg.cfg.d so
 *   later installs are slim too;
 * - no /etc/resolv.conf or /etc/hostname of the host (the runtime mounts
 *   them), no apt pkgcache.bin (~40 MB, rebuilt by apt, and the one file that
 *   kept two runs from giving the same tar).
 *
 * The download cache: .debs in `cacheDir` are synced into the chroot's
 * /var/cache/apt/archives before the essential step and the new ones synced
 * back out after the install (`--skip=essential/unlink` keeps them until
 * then); mmdebstrap's cleanup then empties the archive dir in the image.
 */
import { spawnStreaming, execFile, type StreamingProgram } from './exec-file.ts';

export const MMDEBSTRAP = '/usr/bin/mmdebstrap';
const HOOKS = '/usr/share/mmdebstrap/hooks';

export interface MmdebstrapPlan {
  suite: string;
  /** Drop docs, man pages and locales (Docker's `-slim` images). */
  slim: boolean;
  /** One-line apt sources (`deb URI SUITE main`), the first naming the main suite. */
  sources: string[];
  /** Where downloaded .debs are kept between runs: an existing directory, no whitespace in its path (hook syntax). */
  cacheDir: string;
}

/** dpkg filters of Docker's `-slim` debian images. */
export const SLIM_DPKG_FILTERS = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/groff/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/linda/*',
  'path-exclude=/usr/share/lintian/overrides/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/man/*',
];

/** Files Docker's debian images add, path in the image → content. */
export const DOCKER_APT_FILES: ReadonlyArray<readonly [string, string, number]> = [
  [
    '/etc/apt/apt.conf.d/docker-clean',
    [
      'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
      'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
      'Dir::Cache::pkgcache "";',
      'Dir::Cache::srcpkgcache "";',
      '',
    ].join('\n'),
    0o644,
  ],
  ['/etc/apt/apt.conf.d/docker-no-languages', 'Acquire::Languages "none";\n', 0o644],
  ['/etc/apt/apt.conf.d/docker-autoremove-suggests', 'Apt::AutoRemove::SuggestsImportant "false";\n', 0o644],
  ['/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755],
];

/** A word for `sh -c`: single-quoted. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The argv (after the program) for `plan`, writing a tar to stdout. */
export function mmdebstrapArgs(plan: MmdebstrapPlan): string[] {
  const files = DOCKER_APT_FILES.map(([file, content, mode]) => `printf %s ${shellQuote(content)} > "$1${file}" && chmod ${mode.toString(8)} "$1${file}"`);
  return [
    '--variant=minbase',
    '--format=tar',
    '--mode=root',
    `--hook-dir=${HOOKS}/maybe-merged-usr`,
    '--skip=essential/unlink',
    '--setup-hook=mkdir -p "$1/var/cache/apt/archives"',
    `--setup-hook=sync-in ${plan.cacheDir} /var/cache/apt/archives/`,
    // Docker's `docker-apt-speedup`: dpkg skips its fsyncs (in a build, and in the image's later installs).
    '--dpkgopt=force-unsafe-io',
    ...(plan.slim ? SLIM_DPKG_FILTERS.map((f) => `--dpkgopt=${f}`) : []),
    // After the install, before mmdebstrap's cleanup: keep the new .debs, then make the image Docker's.
    `--customize-hook=sync-out /var/cache/apt/archives ${plan.cacheDir}`,
    `--customize-hook=rm -f "$1/etc/resolv.conf" "$1/etc/hostname" "$1"/var/cache/apt/*.bin && ${files.join(' && ')}`,
    plan.suite,
    '-',
    ...plan.sources,
  ];
}

/** `mmdebstrap 1.3.5`, or throws when the tool is missing. */
export async function mmdebstrapVersion(): Promise<string> {
  const { stdout } = await execFile(MMDEBSTRAP, ['--version'], { timeoutMs: 10_000 });
  return stdout.trim();
}

/** Start mmdebstrap: read the tar from `stdout`, then await `done`. */
export function runMmdebstrap(plan: MmdebstrapPlan, o: { sourceDateEpoch: number; signal?: AbortSignal; onStderr?: (chunk: Buffer) => void }): StreamingProgram {
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', SOURCE_DATE_EPOCH: String(o.sourceDateEpoch), TMPDIR: process.env['TMPDIR'] ?? '/tmp' };
  // SIGTERM, not SIGKILL: mmdebstrap then unmounts what it mounted in its chroot (/proc, /sys, /dev) and removes it.
  return spawnStreaming(MMDEBSTRAP, mmdebstrapArgs(plan), { env, signal: o.signal, onStderr: o.onStderr, timeoutMs: 20 * 60_000, killSignal: 'SIGTERM' });
}
