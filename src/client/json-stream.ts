/**
 * Readers for Docker's JSON-message streams (pull, load, import, bootstrap,
 * events, stats): a sequence of JSON objects, normally one per line.
 */
export interface JsonMessage {
  status?: string;
  stream?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: unknown;
  [k: string]: unknown;
}

/** Split a byte stream into parsed JSON values, one per line (blank lines skipped). */
export async function* readJsonLines<T = JsonMessage>(source: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  let buf = '';
  for await (const chunk of source) {
    buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  const rest = buf.trim();
  if (rest) yield JSON.parse(rest) as T;
}
