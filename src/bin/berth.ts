/**
 * The `berth` executable: argv → CLI → exit code. No work at module load
 * beyond this file; commands are imported lazily by the CLI.
 */
import { main } from '../cli/main.ts';

function exit(code: number): void {
  // stdin may hold the event loop open (attach, -i): exit explicitly, once stdout has drained.
  if (process.stdout.writableLength === 0) process.exit(code);
  process.stdout.once('drain', () => process.exit(code));
}

main('berth', process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, process.env).then(exit, (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exit(1);
});
