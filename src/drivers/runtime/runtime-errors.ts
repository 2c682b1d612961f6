/**
 * Errors from runc, as relayed by conmon, classified the way Docker does
 * (moby `daemon/start.go translateContainerdStartErr`) so the container
 * service can record exit code 127 (command not found) or 126 (cannot
 * invoke) and answer with Docker's words.
 */
import { SystemError } from '../../util/errors.ts';

export type RuntimeErrorKind = 'not-found' | 'cannot-invoke' | 'mount-type' | 'other';

/** runc logs JSON lines (`--log-format=json`); keep the error messages, else the raw text. */
export function parseRuntimeMessage(text: string): string {
  const messages: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const entry = JSON.parse(t) as { level?: string; msg?: string };
      if (entry.msg && (entry.level === 'error' || entry.level === 'fatal')) messages.push(entry.msg);
    } catch {
      // A partial line (conmon truncates at 8 KiB): fall through to the raw text.
    }
  }
  if (messages.length > 0) return messages.join('; ');
  return text.trim().replace(/^time="[^"]*" level=\w+ msg="(.*)"$/s, '$1');
}

export function classifyRuntimeMessage(message: string): { kind: RuntimeErrorKind; exitCode: number } {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) {
    return { kind: 'not-found', exitCode: 127 };
  }
  if (/permission denied|is a directory/.test(message)) return { kind: 'cannot-invoke', exitCode: 126 };
  if (/not a directory/.test(message)) return { kind: 'mount-type', exitCode: 127 };
  return { kind: 'other', exitCode: 128 };
}

/**
 * `runc create` or `runc exec` failed. `message` is Docker's text
 * (`failed to create shim task: OCI runtime create failed: <runc's words>: unknown`,
 * `OCI runtime exec failed: <runc's words>: unknown`); `exitCode` is what
 * Docker records for the container or exec (127, 126, else 128).
 */
export class RuntimeStartError extends SystemError {
  readonly kind: RuntimeErrorKind;
  readonly exitCode: number;
  constructor(
    readonly operation: 'create' | 'exec',
    readonly runtimeMessage: string,
  ) {
    let detail = runtimeMessage;
    const { kind, exitCode } = classifyRuntimeMessage(runtimeMessage);
    if (kind === 'mount-type') {
      detail += ': Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type';
    }
    // dockerd (through containerd) words a failed create as the shim's failure.
    super(`${operation === 'create' ? 'failed to create shim task: ' : ''}OCI runtime ${operation} failed: ${detail}: unknown`);
    this.kind = kind;
    this.exitCode = exitCode;
  }
}
