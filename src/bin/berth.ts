/**
 * The `berth` executable: argv → CLI → exit code. No work at module load
 * beyond this file; commands are imported lazily by the CLI.
 */
import { main } from '../cli/main.ts';
import { outputFor } from '../cli/streams/output.ts';
import { provideLocalRegistry } from '../cli/local-registry.ts';

// `berth registry serve|gc` run the registry server here; loaded only for those commands.
provideLocalRegistry(async () => (await import('./local-registry.ts')).localRegistry);

function exit(code: number): void {
  // stdin may hold the event loop open (attach, -i): exit explicitly, once stdout has drained.
  const out = streams.stdout;
  if (!out.writableLength) process.exit(code);
  out.once('drain', () => process.exit(code));
}

// Streams are made when first used (see cli/streams/output.ts): most commands never read stdin.
const streams = {
  get stdin(): NodeJS.ReadStream {
    return process.stdin;
  },
  stdout: outputFor(1, () => process.stdout),
  stderr: outputFor(2, () => process.stderr),
};

main('berth', process.argv.slice(2), streams, process.env).then(exit, (err: unknown) => {
  streams.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exit(1);
});
