/**
 * The rules of `compose watch`, read from each service's `develop.watch`
 * (compose spec, develop.md) as Docker Compose v2 applies them
 * (pkg/compose/watch.go): a rule's `path` is made absolute against the
 * project directory; a changed host path belongs to a rule when it is the
 * path or under it, matches `include` (when given) and none of the
 * ignores: the build context's .dockerignore (`<Dockerfile>.dockerignore`
 * first), editors' temporary files, `.git/`, and the rule's own `ignore`.
 * Ignore and include patterns are .dockerignore patterns relative to the
 * rule's path. Pure, except that the .dockerignore text and symlinks are
 * read through the functions passed in.
 */
import path from 'node:path';
import { InvalidParameterError } from '../util/errors.ts';
import { PatternMatcher, parseDockerignore } from '../util/dockerignore.ts';
import type { Project, ServiceConfig } from './load/model.ts';
import { shellSplit } from './load/shell-split.ts';

export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';

const ACTIONS: readonly WatchAction[] = ['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec'];

export interface ExecHook {
  command: string[];
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment: string[];
}

export interface WatchRule {
  service: string;
  action: WatchAction;
  /** Absolute host path. */
  path: string;
  /** Where the path lands in the container ('' when the rule has no target). */
  target: string;
  initialSync: boolean;
  exec?: ExecHook;
  include?: AbsoluteMatcher;
  ignore: AbsoluteMatcher[];
}

/** A change to sync: the host path and where it goes in the container. */
export interface PathMapping {
  hostPath: string;
  containerPath: string;
}

/** Editors' temporary files (GoLand, Emacs, Vim, Kate, Go), never acted on. */
const EPHEMERAL = ['**/*___jb_old___', '**/*___jb_tmp___', '**/.idea/**', '**/.#*', '**/#*#', '**/4913', '**/*~', '**/.*.swp', '**/.*.swx', '**/.*.swo', '**/.*.swn', '**/.*.kate-swp', '**/*-go-tmp-umask'];

/**
 * .dockerignore patterns anchored at a directory, matched against absolute
 * paths (a path matches when it or one of its parents does). A lone `*`
 * keeps only the `!` exceptions, as Compose's matcher does.
 */
export class AbsoluteMatcher {
  private readonly matcher: PatternMatcher;
  constructor(root: string, patterns: readonly string[]) {
    const list = patterns.includes('*') ? patterns.filter((p) => p.startsWith('!')) : patterns;
    const abs: string[] = [];
    for (let p of list) {
      p = p.trim();
      if (p === '') continue;
      const negated = p.startsWith('!');
      if (negated) p = p.slice(1);
      const full = path.isAbsolute(p) ? path.normalize(p) : path.join(root, p);
      // Matched without the leading `/` (the matcher's paths are relative).
      abs.push(`${negated ? '!' : ''}${full.replace(/^\/+/, '')}`);
    }
    this.matcher = new PatternMatcher(abs);
  }

  matches(absolutePath: string): boolean {
    return this.matcher.matchesOrParentMatches(absolutePath.replace(/^\/+/, ''));
  }
}

export function isChild(parent: string, p: string): boolean {
  const rel = path.relative(parent, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether the rule acts on `hostPath`, and where it lands in the container. */
export function matchRule(rule: WatchRule, hostPath: string): PathMapping | undefined {
  if (!isChild(rule.path, hostPath)) return undefined;
  if (rule.include && !rule.include.matches(hostPath)) return undefined;
  if (rule.ignore.some((m) => m.matches(hostPath))) return undefined;
  const rel = path.relative(rule.path, hostPath);
  return { hostPath, containerPath: rule.target ? path.posix.join(rule.target, rel.split(path.sep).join('/')) : '' };
}

export const isSyncAction = (a: WatchAction): boolean => a === 'sync' || a === 'sync+restart';

/** Whether a path is a bind mount's source or under one (Compose does not sync what the container already sees). */
export function boundByVolume(s: ServiceConfig, p: string): boolean {
  return (s.volumes ?? []).some((v) => v.type === 'bind' && v.source !== undefined && isChild(v.source, p));
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export interface RuleIO {
  /** A file's text, or undefined when it does not exist. */
  readText(file: string): string | undefined;
  /** The path with symlinks resolved, or undefined when it does not exist. */
  realpath(p: string): string | undefined;
}

/** The patterns of a service's build context's .dockerignore (none without a build). */
function dockerignorePatterns(s: ServiceConfig, io: RuleIO): AbsoluteMatcher | undefined {
  if (!s.build) return undefined;
  const ctx = s.build.context;
  const dockerfile = s.build.dockerfile ?? 'Dockerfile';
  const text = io.readText(path.join(ctx, `${dockerfile}.dockerignore`)) ?? io.readText(path.join(ctx, '.dockerignore'));
  return new AbsoluteMatcher(ctx, text === undefined ? [] : parseDockerignore(text));
}

function parseExec(raw: unknown): ExecHook | undefined {
  if (!isDict(raw)) return undefined;
  const c = raw['command'];
  const command = typeof c === 'string' ? shellSplit(c) : stringList(c);
  if (command.length === 0) return undefined;
  const env = raw['environment'];
  const environment = isDict(env) ? Object.entries(env).map(([k, v]) => (v === null || v === undefined ? k : `${k}=${String(v)}`)) : stringList(env);
  return {
    command,
    user: typeof raw['user'] === 'string' ? raw['user'] : undefined,
    privileged: raw['privileged'] === true,
    working_dir: typeof raw['working_dir'] === 'string' ? raw['working_dir'] : undefined,
    environment,
  };
}

/** The watch rules of one service (none when it has no `develop.watch`); Compose's errors for rules it cannot apply. */
export function serviceWatchRules(project: Project, s: ServiceConfig, io: RuleIO): WatchRule[] | undefined {
  const develop = s['develop'];
  if (!isDict(develop) || !Array.isArray(develop['watch'])) return undefined;
  const base = io.realpath(project.working_dir) ?? project.working_dir;
  const dockerignore = dockerignorePatterns(s, io);
  const dotGit = new AbsoluteMatcher('/', ['.git/']);
  const ephemeral = new AbsoluteMatcher('/', EPHEMERAL);
  const rules: WatchRule[] = [];
  for (const raw of develop['watch'] as unknown[]) {
    if (!isDict(raw)) continue;
    const action = raw['action'] as WatchAction;
    if (!ACTIONS.includes(action)) throw new InvalidParameterError(`invalid watch action ${JSON.stringify(raw['action'])} in service ${s.name}`);
    const given = typeof raw['path'] === 'string' ? raw['path'] : '';
    if (given === '') throw new InvalidParameterError('watch rules MUST define a path');
    let p = path.isAbsolute(given) ? given : path.join(base, given);
    p = path.normalize(io.realpath(p) ?? p);
    if (action === 'rebuild' && !s.build) throw new InvalidParameterError(`can't watch service "${s.name}" with action rebuild without a build context`);
    const exec = parseExec(raw['exec']);
    if (action === 'sync+exec' && !exec) throw new InvalidParameterError(`can't watch with action "sync+exec" on service ${s.name} without a command`);
    const include = stringList(raw['include']);
    rules.push({
      service: s.name,
      action,
      path: p,
      target: typeof raw['target'] === 'string' ? raw['target'] : '',
      initialSync: raw['initial_sync'] === true || raw['x-initialSync'] === true,
      exec,
      include: include.length ? new AbsoluteMatcher(p, include) : undefined,
      ignore: [...(dockerignore ? [dockerignore] : []), ephemeral, dotGit, new AbsoluteMatcher(p, stringList(raw['ignore']))],
    });
  }
  return rules;
}

/** Go's %q of a string list, as Compose prints service lists: `["a" "b"]`. */
export function formatServiceList(names: string[]): string {
  return `[${names.map((n) => JSON.stringify(n)).join(' ')}]`;
}
