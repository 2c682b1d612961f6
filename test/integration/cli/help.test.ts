/**
 * `berth <command> --help` against the real docker CLI's help, for every command both have:
 * the usage lines, flag names, shorthands, type labels and defaults are docker's (scripts and
 * people rely on them), while the prose — the command's description and each flag's
 * description — is Berth's own: a description that reads the same as docker's (after
 * normalising case, punctuation and the engine's name) or shares a long run of words with it
 * fails. No docker text is kept here: it is read from `docker … --help` at test time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { BERTH, DOCKER } from '../../helpers/daemon.ts';

const env = { ...process.env, COLUMNS: '80' };
const help = (bin: string, path: string[]) => spawnSync(bin, [...path, '--help'], { encoding: 'utf8', env });

interface Flag {
  /** `-t, --tty` or `--tty` with the type label: `--memory bytes`. */
  head: string;
  text: string;
  def: string | undefined;
}
interface Help {
  usage: string;
  description: string;
  flags: Map<string, Flag>;
  commands: Map<string, string>;
}

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

function parse(out: string): Help {
  const sections = new Map<string, string[]>();
  let current = 'Usage';
  for (const line of out.split('\n')) {
    const m = /^([A-Z][A-Za-z ]*):(?:\s\s(.*))?$/.exec(line);
    if (m?.[1] && (m[2] !== undefined || /^[A-Z][A-Za-z ]*:$/.test(line))) {
      current = m[1];
      sections.set(current, m[2] !== undefined ? [m[2]] : []);
      continue;
    }
    sections.get(current)?.push(line);
  }
  // "Usage:" holds the usage lines, a blank line, then the description.
  const usageBlock = (sections.get('Usage') ?? []).join('\n');
  const cut = usageBlock.indexOf('\n\n');
  const usage = cut < 0 ? usageBlock : usageBlock.slice(0, cut);
  const description = cut < 0 ? '' : words(usageBlock.slice(cut));
  const flags = new Map<string, Flag>();
  let name = '';
  for (const line of [...(sections.get('Options') ?? []), ...(sections.get('Global Options') ?? [])]) {
    const m = /^ {2}((?:-\w, | {4})--([a-z0-9-]+)(?: \S+)?)\s+(.*)$/.exec(line);
    if (m?.[1] && m[2]) {
      name = m[2];
      flags.set(name, { head: m[1].trim(), text: m[3] ?? '', def: undefined });
    } else if (!line.trim()) name = '';
    else if (name) flags.get(name)!.text += ` ${line.trim()}`;
  }
  for (const f of flags.values()) {
    f.text = words(f.text);
    const d = / \(default (.*)\)$/.exec(f.text);
    if (d) {
      f.def = d[1];
      f.text = f.text.slice(0, d.index);
    }
  }
  const commands = new Map<string, string>();
  for (const [title, lines] of sections) {
    if (!/Commands$/.test(title)) continue;
    for (const line of lines) {
      const m = /^ {2}(\S+)\s+(.*)$/.exec(line);
      if (m?.[1] && m[2]) commands.set(m[1], m[2]);
    }
  }
  return { usage, description, flags, commands };
}

const norm = (s: string) => s.toLowerCase().replaceAll('docker', 'berth').replace(/[^a-z0-9]+/g, ' ').trim();

/** Longest run of words the two texts share (after normalising). */
function sharedRun(a: string, b: string): string {
  const x = norm(a).split(' ');
  const y = norm(b).split(' ');
  let best: string[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      let k = 0;
      while (i + k < x.length && x[i + k] === y[j + k]) k++;
      if (k > best.length) best = x.slice(i, i + k);
    }
  }
  return best.join(' ');
}

/** A run this long is a copied sentence, not a shared term ("a container to a network"). */
const MAX_SHARED_WORDS = 5;

function assertOwnWords(ours: string, theirs: string, what: string): void {
  if (!ours || !theirs) return;
  assert.notEqual(norm(ours), norm(theirs), `${what} reads as docker's: "${ours}"`);
  const run = sharedRun(ours, theirs);
  assert.ok(run.split(' ').length <= MAX_SHARED_WORDS, `${what} shares "${run}" with docker's: "${ours}"`);
}

/** Every command path berth lists (top-level commands and each group's subcommands) that docker has too. */
function commandPaths(): string[][] {
  const root = parse(help(BERTH, []).stdout);
  const paths: string[][] = [];
  for (const name of root.commands.keys()) {
    if (name === 'compose') continue; // docker's compose is a plugin, absent here
    const group = parse(help(BERTH, [name]).stdout);
    if (group.commands.size > 0) for (const sub of group.commands.keys()) paths.push([name, sub]);
    else paths.push([name]);
  }
  return paths;
}

/** Commands whose shape is berth's own: docker's completion is a group of per-shell commands. */
const SHAPED_OTHERWISE = ['berth completion'];

const noDocker = !existsSync(DOCKER) && 'no docker CLI';

test('the root and group help are in berth\'s words', { skip: noDocker }, () => {
  const ours = parse(help(BERTH, []).stdout);
  const theirs = parse(help(DOCKER, []).stdout);
  assertOwnWords(ours.description, theirs.description, 'berth --help');
  for (const [name, flag] of ours.flags) {
    const d = theirs.flags.get(name);
    if (!d) continue;
    assert.equal(flag.head, d.head, `global --${name}`);
    assertOwnWords(flag.text, d.text, `global --${name}`);
  }
  for (const [name, short] of ours.commands) {
    const d = theirs.commands.get(name);
    if (d) assertOwnWords(short, d, `berth --help: ${name}`);
    const group = parse(help(BERTH, [name]).stdout);
    const dockerGroup = parse(help(DOCKER, [name]).stdout);
    for (const [sub, text] of group.commands) {
      const dt = dockerGroup.commands.get(sub);
      if (dt) assertOwnWords(text, dt, `berth ${name} --help: ${sub}`);
    }
  }
});

test('every command\'s help keeps docker\'s usage and flags, in berth\'s words', { skip: noDocker }, () => {
  let compared = 0;
  for (const path of commandPaths()) {
    const d = help(DOCKER, path);
    const theirs = parse(d.stdout.replaceAll('docker', 'berth'));
    const what = `berth ${path.join(' ')}`;
    // A berth-only command (image bootstrap, registry …): docker answers with its parent's help.
    if (d.status !== 0 || !theirs.usage.startsWith(`${what} `)) continue;
    if (SHAPED_OTHERWISE.includes(what)) continue;
    const b = help(BERTH, path);
    assert.equal(b.status, 0, what);
    const ours = parse(b.stdout);
    assert.equal(ours.usage, theirs.usage, `${what}: usage`);
    assertOwnWords(ours.description, parse(d.stdout).description, `${what}: description`);
    for (const [name, flag] of ours.flags) {
      const df = theirs.flags.get(name);
      if (!df) continue;
      assert.equal(flag.head, df.head, `${what} --${name}: name, shorthand and type`);
      // A default docker words as prose ("(default shows just running)") is part of the description.
      if (df.def !== undefined && /^\S+$/.test(df.def)) assert.equal(flag.def, df.def, `${what} --${name}: default`);
      assertOwnWords(flag.text, df.text, `${what} --${name}`);
    }
    compared++;
  }
  assert.ok(compared > 50, `only ${compared} commands compared`);
});

// Docker Compose is a plugin of the docker CLI, often absent: when it is there, compose's
// help is in berth's words too (its layout is the compose conformance cases' business).
const hasComposePlugin = existsSync(DOCKER) && spawnSync(DOCKER, ['compose', 'version'], { encoding: 'utf8' }).status === 0;

test('compose help is in berth\'s words', { skip: !hasComposePlugin && 'no docker compose plugin' }, () => {
  const ours = parse(help(BERTH, ['compose']).stdout);
  const theirs = parse(help(DOCKER, ['compose']).stdout);
  const subcommands = parse(spawnSync(BERTH, ['compose'], { encoding: 'utf8', env }).stdout).commands;
  for (const [name, flag] of ours.flags) {
    const d = theirs.flags.get(name);
    if (d) assertOwnWords(flag.text, d.text, `berth compose --${name}`);
  }
  for (const sub of subcommands.keys()) {
    const o = parse(help(BERTH, ['compose', sub]).stdout);
    const d = parse(help(DOCKER, ['compose', sub]).stdout);
    assertOwnWords(o.description, d.description, `berth compose ${sub}: description`);
    for (const [name, flag] of o.flags) {
      const df = d.flags.get(name);
      if (df) assertOwnWords(flag.text, df.text, `berth compose ${sub} --${name}`);
    }
  }
});

// Flags that need later issues or newer docker features; anything else docker
// lists for these commands and berth does not fails the test.
const NOT_YET: Record<string, string[]> = { run: ['use-api-socket'], create: ['use-api-socket'] };

for (const cmd of ['run', 'create', 'pull', 'push', 'login', 'logout']) {
  test(`berth ${cmd} --help lists the flags docker does`, { skip: noDocker }, () => {
    const ours = parse(help(BERTH, [cmd]).stdout);
    const theirs = parse(help(DOCKER, [cmd]).stdout);
    const missing = NOT_YET[cmd] ?? [];
    for (const name of theirs.flags.keys()) {
      if (missing.includes(name)) assert.equal(ours.flags.has(name), false, `--${name} is supported now: drop it from NOT_YET`);
      else assert.ok(ours.flags.has(name), `berth ${cmd} lacks --${name}`);
    }
    for (const name of ours.flags.keys()) assert.ok(theirs.flags.has(name), `berth ${cmd} lists --${name}, docker does not`);
  });
}
