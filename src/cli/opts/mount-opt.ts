/**
 * `--mount` as the docker CLI reads it (its opts.MountOpt): one CSV line of
 * `key=value` fields (`ro`, `volume-nocopy`, `bind-nonrecursive` may stand
 * alone), `type` defaulting to volume, then a few checks, with docker's
 * words. Whether paths exist and values make sense is the daemon's to say.
 *
 * Berth extension: `idmap=MAPPING` on a bind or volume, an id-mapped mount
 * (`idmap=uids=2000-1000-1;gids=2000-1000-1`: the host's 2000 is the
 * container's 1000), see mount-idmap.ts. Pure but for a
 * relative `./source`, made absolute against the working directory as
 * docker does.
 */
import path from 'node:path';
import { ramInBytes } from '../../util/size.ts';
import type { Mount } from '../../wire/container-config.ts';
import { readCsvRecord } from './csv-record.ts';
import { setMountIdmap } from './mount-idmap.ts';

/** Go's strconv.ParseBool. */
function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

export function parseMountOpt(raw: string): Mount {
  const mount: Mount = { Type: 'volume' };
  let idmap: string | undefined;
  const volumeOptions = () => {
    mount.VolumeOptions ??= { Labels: {} };
    mount.VolumeOptions.DriverConfig ??= {};
    return mount.VolumeOptions;
  };
  const bindOptions = () => (mount.BindOptions ??= {});
  const tmpfsOptions = () => (mount.TmpfsOptions ??= {});
  const setOnMap = (target: Record<string, string>, value: string) => {
    const eq = value.indexOf('=');
    const [k, v] = eq < 0 ? [value, ''] : [value.slice(0, eq), value.slice(eq + 1)];
    if (k !== '') target[k] = v;
  };
  for (const field of readCsvRecord(raw)) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      if (field === 'readonly' || field === 'ro') mount.ReadOnly = true;
      else if (field === 'volume-nocopy') volumeOptions().NoCopy = true;
      else if (field === 'bind-nonrecursive') bindOptions().NonRecursive = true;
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    const key = field.slice(0, eq);
    const val = field.slice(eq + 1);
    const bool = (what = key) => {
      const b = parseBool(val);
      if (b === undefined) throw new Error(`invalid value for ${what}: ${val}`);
      return b;
    };
    switch (key) {
      case 'type':
        mount.Type = val.toLowerCase() as Mount['Type'];
        break;
      case 'source':
      case 'src':
        mount.Source = val === '.' || val.startsWith('./') ? path.resolve(val) : val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        mount.Target = val;
        break;
      case 'readonly':
      case 'ro':
        mount.ReadOnly = bool();
        break;
      case 'consistency':
        mount.Consistency = val.toLowerCase();
        break;
      case 'bind-propagation':
        bindOptions().Propagation = val.toLowerCase() as NonNullable<Mount['BindOptions']>['Propagation'];
        break;
      case 'bind-nonrecursive':
        bindOptions().NonRecursive = bool();
        break;
      case 'bind-recursive':
        // writable/readonly need API 1.44 fields (ReadOnlyNonRecursive, ReadOnlyForceRecursive): rbind as before here.
        if (!['enabled', 'disabled', 'writable', 'readonly'].includes(val)) {
          throw new Error(`invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`);
        }
        bindOptions();
        if (val === 'disabled') bindOptions().NonRecursive = true;
        break;
      case 'volume-nocopy':
        volumeOptions().NoCopy = bool('volume-nocopy');
        break;
      case 'volume-label':
        setOnMap((volumeOptions().Labels ??= {}), val);
        break;
      case 'volume-driver':
        volumeOptions().DriverConfig!.Name = val;
        break;
      case 'volume-opt':
        setOnMap((volumeOptions().DriverConfig!.Options ??= {}), val);
        break;
      case 'tmpfs-size':
        try {
          tmpfsOptions().SizeBytes = ramInBytes(val);
        } catch {
          throw new Error(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(val) || parseInt(val, 8) > 0xffffffff) throw new Error(`invalid value for ${key}: ${val}`);
        tmpfsOptions().Mode = parseInt(val, 8);
        break;
      case 'idmap':
        idmap = val;
        break;
      default:
        throw new Error(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (!mount.Type) throw new Error('type is required');
  if (!mount.Target) throw new Error('target is required');
  if (mount.VolumeOptions && mount.Type !== 'volume') throw new Error(`cannot mix 'volume-*' options with mount type '${mount.Type}'`);
  if (mount.BindOptions && mount.Type !== 'bind') throw new Error(`cannot mix 'bind-*' options with mount type '${mount.Type}'`);
  if (mount.TmpfsOptions && mount.Type !== 'tmpfs') throw new Error(`cannot mix 'tmpfs-*' options with mount type '${mount.Type}'`);
  if (idmap !== undefined) setMountIdmap(mount, idmap);
  return mount;
}
