/**
 * JSON progress streams printed as docker's jsonmessage.DisplayJSONMessagesStream
 * does when stdout is not a terminal: one line per message ("id: status
 * progress", or the `stream` text); an `error` ends it with that message.
 */
import { readJsonLines } from '../../client/json-stream.ts';

/** An error message inside a progress stream (docker's JSONError): printed as it is, not as the daemon's answer. */
export class JsonStreamError extends Error {}

export async function printJsonMessages(source: AsyncIterable<Buffer | string>, out: NodeJS.WritableStream): Promise<void> {
  for await (const msg of readJsonLines(source)) {
    if (msg.error) throw new JsonStreamError(msg.errorDetail?.message ?? msg.error);
    if (typeof msg.stream === 'string') {
      out.write(msg.stream);
      continue;
    }
    if (!msg.status) continue;
    let line = msg.id ? `${msg.id}: ${msg.status}` : msg.status;
    if (msg.progress) line += ` ${msg.progress}`;
    out.write(`${line}\n`);
  }
}
