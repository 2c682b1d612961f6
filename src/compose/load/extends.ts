/**
 * `extends` (05-services.md): a service starts from another service, of the
 * same file or of `file` (relative to the loading directory), recursively;
 * the two are merged by the merge rules; a cycle is refused with
 * compose-go's "Circular reference" listing. Paths of a service taken from
 * another file are resolved against that file's directory.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';
import { canonicalize } from './canonical.ts';
import { isDict, mergeServices } from './merge.ts';
import { resolveHostPath, resolvePaths } from './normalize.ts';

type Dict = Record<string, unknown>;

export interface ExtendsContext {
  /** A file's tree, parsed and interpolated (no include or extends applied). */
  loadRaw(filename: string): Dict;
  home: string | undefined;
}

interface Ref {
  file: string;
  service: string;
}

function circular(chain: Ref[], next: Ref): never {
  const [first, ...rest] = chain as [Ref, ...Ref[]];
  const lines = ['Circular reference:', `  ${first.service} in ${first.file}`, ...[...rest, next].map((r) => `  extends ${r.service} in ${r.file}`)];
  throw new InvalidParameterError(lines.join('\n'));
}

function extendOne(name: string, services: Dict, file: string, dir: string, ctx: ExtendsContext, chain: Ref[]): unknown {
  const svc = services[name];
  if (!isDict(svc) || svc['extends'] === undefined) return svc;
  const ext = svc['extends'];
  const ref = typeof ext === 'string' ? ext : isDict(ext) ? String(ext['service'] ?? '') : '';
  if (!ref) throw new InvalidParameterError(`extends.${name}.service is required`);
  let baseServices = services;
  let baseFile = file;
  let baseDir = dir;
  const refFile = isDict(ext) && typeof ext['file'] === 'string' ? ext['file'] : undefined;
  if (refFile !== undefined) {
    const full = resolveHostPath(refFile, dir, ctx.home);
    const source = ctx.loadRaw(full);
    if (!isDict(source['services'])) throw new InvalidParameterError(`cannot extend service "${name}" in ${full}: no services section`);
    if (!(ref in source['services'])) throw new InvalidParameterError(`cannot extend service "${name}" in ${file}: service "${ref}" not found in ${refFile}`);
    baseDir = path.dirname(full);
    baseServices = resolvePaths(canonicalize({ services: source['services'] }, []), baseDir, ctx.home)['services'] as Dict;
    baseFile = full;
  } else if (!(ref in services)) {
    throw new InvalidParameterError(`cannot extend service "${name}" in ${file}: service "${ref}" not found`);
  }
  const next = { file: baseFile, service: ref };
  if (chain.some((r) => r.file === next.file && r.service === next.service)) circular(chain, next);
  const base = extendOne(ref, baseServices, baseFile, baseDir, ctx, [...chain, next]);
  if (!isDict(base)) return svc;
  const own: Dict = { ...svc };
  delete own['extends'];
  const merged = mergeServices(structuredClone(base), own);
  delete merged['extends'];
  return merged;
}

/** Apply every service's `extends` in one file's tree; `dir` resolves `extends.file`. */
export function applyExtends(model: Dict, file: string, dir: string, ctx: ExtendsContext): Dict {
  if (!isDict(model['services'])) return model;
  const services: Dict = { ...model['services'] };
  for (const name of Object.keys(services)) services[name] = extendOne(name, services, file, dir, ctx, [{ file, service: name }]);
  return { ...model, services };
}
