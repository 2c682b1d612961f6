/**
 * The facts about this host that the seccomp conversion needs: Node's
 * architecture name, the kernel release, and the sub-architectures the
 * kernel cannot run. A filter branch for an ABI no process can use changes
 * nothing but costs runc about 6 ms per container to compile (x32 on
 * kernels built without CONFIG_X86_X32_ABI, which is most of them).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { native } from './native.ts';
import type { SeccompHost } from './runtime/spec/seccomp.ts';

export function seccompHost(): SeccompHost {
  return { arch: process.arch, kernel: os.release(), missingArches: x32Missing() ? ['SCMP_ARCH_X32'] : [] };
}

function x32Missing(): boolean {
  if (process.arch !== 'x64') return false;
  // Under a seccomp filter of our own, an x32 call could kill us: keep x32.
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return false;
  }
  if (/^Seccomp:\s*(\d+)/m.exec(status)?.[1] !== '0') return false;
  try {
    return !native().x32Abi();
  } catch {
    return false;
  }
}
