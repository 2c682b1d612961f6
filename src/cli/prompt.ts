/** docker's y/N confirmation (command.PromptForConfirmation): reads one line from stdin. */
import type { Cli } from './cli.ts';

export async function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.out.write(`${message} [y/N] `);
  const stdin = cli.streams.stdin;
  const line = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      if (buf.includes('\n')) done();
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.off('end', done);
      stdin.pause();
      resolve(buf.split('\n')[0] ?? '');
    };
    stdin.on('data', onData);
    stdin.once('end', done);
    stdin.resume();
  });
  const answer = line.trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') {
    return false;
  }
  return true;
}
