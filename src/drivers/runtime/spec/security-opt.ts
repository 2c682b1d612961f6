/**
 * `HostConfig.SecurityOpt` parsing, as moby's `parseSecurityOpt` (same
 * messages). `label=…` and `apparmor=…` are accepted and ignored (no SELinux
 * or AppArmor on Berth hosts). A bad option is dockerd's untyped error: a 500.
 */
import { SystemError } from '../../../util/errors.ts';

export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** `unconfined`, a profile's JSON text, or undefined for the default profile. */
  seccomp?: string;
}

export function parseSecurityOpts(opts: readonly string[] | null | undefined): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue; // label disabling: nothing to disable here
    let sep = opt.indexOf('=');
    if (sep < 0) sep = opt.indexOf(':');
    if (sep < 0) throw new SystemError(`invalid --security-opt 1: "${opt}"`);
    const key = opt.slice(0, sep);
    const value = opt.slice(sep + 1);
    switch (key) {
      case 'label':
      case 'apparmor':
        break;
      case 'seccomp':
        out.seccomp = value;
        break;
      case 'no-new-privileges': {
        // Go's strconv.ParseBool spellings.
        if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) out.noNewPrivileges = true;
        else if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) out.noNewPrivileges = false;
        else throw new SystemError(`invalid --security-opt 2: "${opt}"`);
        break;
      }
      default:
        throw new SystemError(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}
