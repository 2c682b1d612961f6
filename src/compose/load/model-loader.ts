/**
 * The per-file pipeline of compose-go's loadYamlModel, on plain trees: each
 * document of each file is parsed, interpolated, gets its `include`d
 * resources and its `extends`, is merged onto the files before it (with
 * `!reset`/`!override`), and the result is validated against the schema
 * (naming that file), stripped of `version:` (with compose's warning) and
 * put in canonical form. Paths are made absolute at the end, against the
 * project directory. No fs: files are read through `io`.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';
import { canonicalize } from './canonical.ts';
import { parseDotenv } from './dotenv.ts';
import { applyExtends } from './extends.ts';
import { interpolateTree } from './interpolate.ts';
import { isDict, mergeFiles } from './merge.ts';
import { resolveHostPath, resolvePaths } from './normalize.ts';
import { validateSchema } from './schema.ts';
import { parseYamlDocuments } from './yaml-source.ts';

type Dict = Record<string, unknown>;

export interface LoaderIO {
  /** A file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
}

export interface ConfigFile {
  /** Absolute path, or `-` for stdin. */
  filename: string;
  content: string;
}

export interface ModelOptions {
  workingDir: string;
  env: Record<string, string>;
  home: string | undefined;
  interpolate: boolean;
  warnings: string[];
  io: LoaderIO;
  /** The include chain, for cycle detection. */
  included?: string[];
}

function readOrFail(io: LoaderIO, file: string): string {
  const text = io.readFile(file);
  if (text === undefined) throw new InvalidParameterError(`open ${file}: no such file or directory`);
  return text;
}

/** One file parsed and interpolated, documents merged, nothing else applied (extends' view of a file). */
function loadRaw(file: string, opts: ModelOptions): Dict {
  let out: Dict = {};
  for (const doc of parseYamlDocuments(readOrFail(opts.io, file), file)) {
    if (!isDict(doc.value)) throw new InvalidParameterError('top-level object must be a mapping');
    const v = opts.interpolate ? (interpolateTree(doc.value, { lookup: (n) => opts.env[n], filename: file, warnings: opts.warnings }) as Dict) : doc.value;
    out = mergeFiles(out, v, doc);
  }
  return out;
}

function includeEntries(v: unknown): { paths: string[]; projectDirectory?: string; envFiles: string[] }[] {
  if (!Array.isArray(v)) throw new InvalidParameterError(`\`include\` must be a list, got ${JSON.stringify(v)}`);
  return v.map((e) => {
    if (typeof e === 'string') return { paths: [e], envFiles: [] };
    const d = e as Dict;
    const list = (x: unknown) => (x === undefined ? [] : Array.isArray(x) ? x.map(String) : [String(x)]);
    return { paths: list(d['path']), projectDirectory: d['project_directory'] as string | undefined, envFiles: list(d['env_file']) };
  });
}

/** The resources of every included project, each loaded as its own model (its directory, its .env). */
function loadIncludes(value: unknown, file: string, opts: ModelOptions): Dict {
  let imported: Dict = {};
  const chain = opts.included ?? [];
  for (const inc of includeEntries(value)) {
    const files = inc.paths.map((p) => resolveHostPath(p, opts.workingDir, opts.home));
    if (files.length === 0) continue;
    const projectDir = inc.projectDirectory ? resolveHostPath(inc.projectDirectory, opts.workingDir, opts.home) : path.dirname(files[0] as string);
    for (const f of files) {
      if (f === file || chain.includes(f)) throw new InvalidParameterError(`include cycle detected:\n${[...chain, file][0]}\n include ${[...chain.slice(1), file, f].join('\n include ')}`);
    }
    const envFiles = inc.envFiles.length > 0 ? inc.envFiles.map((e) => resolveHostPath(e, opts.workingDir, opts.home)) : [path.join(projectDir, '.env')];
    const fromFiles: Record<string, string> = {};
    for (const ef of envFiles) {
      const text = opts.io.readFile(ef);
      if (text === undefined) {
        if (inc.envFiles.length > 0) throw new InvalidParameterError(`open ${ef}: no such file or directory`);
        continue;
      }
      Object.assign(fromFiles, parseDotenv(text, { lookup: (n) => opts.env[n] ?? fromFiles[n] }));
    }
    const sub = loadModel(
      files.map((f) => ({ filename: f, content: readOrFail(opts.io, f) })),
      { ...opts, workingDir: projectDir, env: { ...fromFiles, ...opts.env }, included: [...chain, file] },
    );
    const resources: Dict = {};
    for (const k of ['services', 'volumes', 'networks', 'secrets', 'configs']) if (sub[k] !== undefined) resources[k] = sub[k];
    imported = mergeFiles(imported, resources);
  }
  return imported;
}

/** Load and merge several files into one canonical tree with absolute paths (not yet normalised). */
export function loadModel(files: ConfigFile[], opts: ModelOptions): Dict {
  let dict: Dict = {};
  for (const file of files) {
    for (const doc of parseYamlDocuments(file.content, file.filename)) {
      if (!isDict(doc.value)) throw new InvalidParameterError('top-level object must be a mapping');
      let cfg = opts.interpolate ? (interpolateTree(doc.value, { lookup: (n) => opts.env[n], filename: file.filename, warnings: opts.warnings }) as Dict) : doc.value;
      if (cfg['include'] !== undefined) {
        const imported = loadIncludes(cfg['include'], file.filename, opts);
        cfg = { ...cfg };
        delete cfg['include'];
        cfg = mergeFiles(imported, cfg);
      }
      cfg = applyExtends(cfg, file.filename, opts.workingDir, { loadRaw: (f) => loadRaw(f, opts), home: opts.home });
      dict = mergeFiles(dict, cfg, doc);
      validateSchema(dict, file.filename);
      const obsolete = `${file.filename}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`;
      if (dict['version'] !== undefined) {
        if (!opts.warnings.includes(obsolete)) opts.warnings.push(obsolete);
        delete dict['version'];
      }
      try {
        dict = canonicalize(dict, opts.warnings, !opts.interpolate);
      } catch (err) {
        // compose-go reports a short syntax that does not parse without saying where; the file and key help.
        throw new InvalidParameterError(`${file.filename}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  return resolvePaths(dict, opts.workingDir, opts.home);
}
