/**
 * `berth login [-u USER] [-p PASS | --password-stdin] [SERVER]`, as docker 28's:
 * the daemon checks the credentials (POST /auth), then they are stored in
 * config.json (`auths`, base64 `user:pass`) with docker's warning when the
 * file changed, and `Login Succeeded` on stdout. Without -u/-p, stored
 * credentials are tried first; prompts need a terminal.
 */
import path from 'node:path';
import type { CommandSpec } from '../../command.ts';
import type { Cli } from '../../cli.ts';
import { systemAuth } from '../../../client/images.ts';
import { ApiError } from '../../../client/errors.ts';
import { INDEX_SERVER, lookupAuth, storeAuth } from '../../registry/credentials.ts';
import { writeConfigFile } from '../../registry/config-write.ts';

async function readAllStdin(cli: Cli): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of cli.streams.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** One line from the terminal; `hidden` turns echo off (the password prompt). */
async function promptLine(cli: Cli, label: string, hidden: boolean): Promise<string> {
  const stdin = cli.streams.stdin;
  cli.out.write(label);
  if (hidden && stdin.isTTY) stdin.setRawMode(true);
  try {
    return await new Promise<string>((resolve) => {
      let buf = '';
      const onData = (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        const m = /[\r\n]/.exec(buf);
        if (m) {
          stdin.off('data', onData);
          stdin.pause();
          resolve(buf.slice(0, m.index));
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    if (hidden && stdin.isTTY) {
      stdin.setRawMode(false);
      cli.out.write('\n');
    }
  }
}

function storedWarning(file: string): string {
  return `\nWARNING! Your credentials are stored unencrypted in '${file}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`;
}

export const command: CommandSpec = {
  usage: '[OPTIONS] [SERVER]',
  short: 'Sign in to a registry',
  long: 'Sign in to a registry.\nWithout SERVER, Docker Hub is used.',
  aliases: ['login'],
  args: { max: 1 },
  flags: [
    { long: 'password', short: 'p', type: 'string', usage: 'Password or access token' },
    { long: 'password-stdin', type: 'bool', usage: 'Read the password or token from standard input' },
    { long: 'username', short: 'u', type: 'string', usage: 'User name' },
  ],
  async run({ cli, flags, args }) {
    let user = flags.str('username');
    let password = flags.str('password');
    const passwordStdin = flags.bool('password-stdin');
    if (password !== '') {
      cli.err.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
      if (passwordStdin) throw new Error('conflicting options: cannot specify both --password and --password-stdin');
    }
    if (passwordStdin) {
      if (user === '') throw new Error('the --password-stdin option requires --username to be set');
      password = (await readAllStdin(cli)).replace(/\n$/, '').replace(/\r$/, '');
    }
    const given = args[0] ?? '';
    const server = given !== '' && given !== 'docker.io' ? given : INDEX_SERVER;
    const api = cli.api();

    let status: string | undefined;
    let identityToken = '';
    const stored = lookupAuth(cli.config, server);
    if (user === '' && password === '' && stored.username && stored.password) {
      cli.out.write(`Authenticating with existing credentials... [Username: ${stored.username}]\nTo login with a different account, run 'docker logout' followed by 'docker login'\n\n`);
      try {
        const r = await systemAuth(api, { username: stored.username, password: stored.password, serveraddress: server });
        status = r.Status;
        identityToken = r.IdentityToken ?? '';
        user = stored.username;
        password = stored.password;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 401) cli.err.write('Stored credentials invalid or expired\n');
        else cli.err.write(`Login did not succeed, error: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    if (status === undefined) {
      if ((user === '' || password === '') && !cli.streams.stdin.isTTY) throw new Error('Error: Cannot perform an interactive login from a non TTY device');
      if (user === '') {
        const def = stored.username ?? '';
        user = (await promptLine(cli, def ? `Username (${def}): ` : 'Username: ', false)).trim() || def;
        if (user === '') throw new Error('Error: Non-null Username Required');
      }
      if (password === '') {
        password = await promptLine(cli, 'Password: ', true);
        if (password === '') throw new Error('Error: Password Required');
      }
      const r = await systemAuth(api, { username: user, password, serveraddress: server });
      status = r.Status;
      identityToken = r.IdentityToken ?? '';
    }
    const { text, changed } = storeAuth(cli.config, server, { username: user, password, identitytoken: identityToken || undefined });
    if (changed) {
      const file = writeConfigFile(cli.configDir, text);
      cli.err.write(storedWarning(path.resolve(file)));
    }
    if (status) cli.out.write(`${status}\n`);
  },
};
