/**
 * `--mount type=…,source=…,target=…,…` as the docker CLI (28) reads it
 * (docker/cli opts/mount.go): one CSV record of key=value fields (a few bare
 * booleans), keys in any case, the type defaulting to volume, keys in their
 * long and short forms, the CLI's own words for what it refuses. The daemon
 * checks the rest. Pure.
 */
import path from 'node:path';
import type { Mount } from '../../wire/container-config.ts';
import { ramInBytes } from '../format/units.ts';
import { readCsvRecord } from './csv-record.ts';
import { setMountIdmap } from './mount-idmap.ts';

/** Go's strconv.ParseBool. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function parseMountFlag(raw: string, cwd: string = process.cwd()): Mount {
  const fields = readCsvRecord(raw);
  const mount: Mount = { Type: 'volume' };
  const volumeOptions = () => {
    mount.VolumeOptions ??= { Labels: {} };
    mount.VolumeOptions.DriverConfig ??= {};
    return mount.VolumeOptions;
  };
  const bindOptions = () => (mount.BindOptions ??= {});
  const tmpfsOptions = () => (mount.TmpfsOptions ??= {});
  const setOnMap = (target: Record<string, string>, value: string) => {
    const eq = value.indexOf('=');
    const k = eq < 0 ? value : value.slice(0, eq);
    if (k !== '') target[k] = eq < 0 ? '' : value.slice(eq + 1);
  };
  const bool = (key: string, value: string, words = `${key}: ${value}`) => {
    const b = parseGoBool(value);
    if (b === undefined) throw new Error(`invalid value for ${words}`);
    return b;
  };
  // Fields of the API after 1.43 (bind-recursive, volume-subpath): sent as docker sends them, for a daemon that knows them.
  const bindExtra = () => bindOptions() as Record<string, unknown>;
  // Berth's idmap key (mount-idmap.ts), applied once the other keys are read.
  let idmap: string | undefined;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') mount.ReadOnly = true;
      else if (key === 'volume-nocopy') volumeOptions().NoCopy = true;
      else if (key === 'bind-nonrecursive') bindOptions().NonRecursive = true;
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    const value = field.slice(eq + 1);
    switch (key) {
      case 'type':
        mount.Type = value.toLowerCase() as Mount['Type'];
        break;
      case 'source':
      case 'src':
        mount.Source = value === '.' || value.startsWith('./') ? path.resolve(cwd, value) : value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        mount.Target = value;
        break;
      case 'readonly':
      case 'ro':
        mount.ReadOnly = bool(key, value);
        break;
      case 'consistency':
        (mount as Record<string, unknown>)['Consistency'] = value.toLowerCase();
        break;
      case 'bind-propagation':
        bindOptions().Propagation = value.toLowerCase() as NonNullable<Mount['BindOptions']>['Propagation'];
        break;
      case 'bind-nonrecursive':
        bindOptions().NonRecursive = bool(key, value);
        break;
      case 'bind-recursive':
        if (value === 'disabled') bindOptions().NonRecursive = true;
        else if (value === 'writable') bindExtra()['ReadOnlyNonRecursive'] = true;
        else if (value === 'readonly') bindExtra()['ReadOnlyForceRecursive'] = true;
        else if (value !== 'enabled') throw new Error(`invalid value for ${key}: ${value} (must be "enabled", "disabled", "writable", or "readonly")`);
        else bindOptions();
        break;
      case 'volume-subpath':
        (volumeOptions() as Record<string, unknown>)['Subpath'] = value;
        break;
      case 'volume-nocopy':
        volumeOptions().NoCopy = bool(key, value, `volume-nocopy: ${value}`);
        break;
      case 'volume-label':
        setOnMap(volumeOptions().Labels!, value);
        break;
      case 'volume-driver':
        volumeOptions().DriverConfig!.Name = value;
        break;
      case 'volume-opt': {
        const driver = volumeOptions().DriverConfig!;
        setOnMap((driver.Options ??= {}), value);
        break;
      }
      case 'tmpfs-size':
        try {
          tmpfsOptions().SizeBytes = ramInBytes(value);
        } catch {
          throw new Error(`invalid value for ${key}: ${value}`);
        }
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(value) || Number.parseInt(value, 8) > 0xffffffff) throw new Error(`invalid value for ${key}: ${value}`);
        tmpfsOptions().Mode = Number.parseInt(value, 8);
        break;
      case 'idmap':
        idmap = value;
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
  const b = mount.BindOptions as Record<string, unknown> | undefined;
  if (b?.['ReadOnlyNonRecursive'] && !mount.ReadOnly) throw new Error("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
  if (b?.['ReadOnlyForceRecursive']) {
    if (!mount.ReadOnly) throw new Error("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
    if (mount.BindOptions?.Propagation !== 'rprivate') throw new Error("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
  }
  if (idmap !== undefined) setMountIdmap(mount, idmap);
  return mount;
}
