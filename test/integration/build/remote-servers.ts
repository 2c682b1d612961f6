/**
 * Servers a `remote=` build context comes from, on 127.0.0.1: an HTTP
 * server with fixed routes, and a `git daemon` serving a repository made
 * for the test (a commit on the default branch, another on `feature`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

export interface Route {
  status?: number;
  type?: string;
  body: Buffer | string;
}

/** An HTTP server answering `routes` by path (404 otherwise); its base URL. */
export async function httpServer(t: TestContext, routes: Record<string, Route>): Promise<string> {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404, 'Not Found', { 'Content-Type': 'text/plain' });
      res.end('no such file');
      return;
    }
    res.writeHead(route.status ?? 200, route.type === undefined ? {} : { 'Content-Type': route.type });
    res.end(route.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('git daemon did not listen in time');
}

/**
 * A bare repository `repo.git` served by `git daemon`: the default branch
 * holds `files`; branch `feature` adds `featureFiles`. Returns the
 * `git://` URL of the repository.
 */
export async function gitServer(t: TestContext, files: Record<string, string>, featureFiles: Record<string, string>): Promise<string> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-git-'));
  const work = path.join(base, 'work');
  await fs.mkdir(work);
  git(work, 'init', '-q', '-b', 'master');
  const write = async (set: Record<string, string>) => {
    for (const [name, content] of Object.entries(set)) {
      await fs.mkdir(path.dirname(path.join(work, name)), { recursive: true });
      await fs.writeFile(path.join(work, name), content);
    }
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'files');
  };
  await write(files);
  git(work, 'checkout', '-q', '-b', 'feature');
  await write(featureFiles);
  git(work, 'checkout', '-q', 'master');
  git(base, 'clone', '-q', '--bare', work, 'repo.git');
  const port = await freePort();
  const child = spawn('git', ['daemon', '--reuseaddr', `--base-path=${base}`, '--export-all', '--listen=127.0.0.1', `--port=${port}`, base], { stdio: 'ignore' });
  t.after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await fs.rm(base, { recursive: true, force: true });
  });
  await waitForPort(port, child);
  return `git://127.0.0.1:${port}/repo.git`;
}
