/**
 * What the Dockerfile parser (parse-dockerfile.ts) produces and the builder
 * (builder.ts) consumes: a Dockerfile as a list of stages of instructions,
 * each instruction with its line, its flags and its arguments as written.
 * Types only.
 *
 * Vocabulary:
 * - *raw*: the text as written after line continuations are joined and
 *   comments dropped (what Docker shows after `Step 2/5 : `), e.g.
 *   `RUN --mount=type=cache,target=/c apt-get update`.
 * - *words*: arguments not yet expanded. Variables (`$VAR`, `${VAR:-x}`…)
 *   are expanded by the builder, which knows the ARG/ENV values at that
 *   step, with `expandWord`/`expandWords` (shell-words.ts); the parser only
 *   checks their syntax.
 * - *exec form* vs *shell form*: `CMD ["a","b"]` (JSON array, taken as is)
 *   vs `CMD a b` (one string run by the SHELL).
 */

/** Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`). */
export interface Directives {
  syntax?: string;
  /** The escape character: `\` (default) or `` ` ``. */
  escape: '\\' | '`';
  check?: string;
}

/** `--name=value` flags of an instruction, in order (`--mount` may repeat). */
export interface Flag {
  name: string;
  /** undefined for a bare `--link`-style flag. */
  value?: string;
}

/** A heredoc body attached to an instruction (`RUN <<EOF`, `COPY <<EOF /file`). */
export interface Heredoc {
  /** The delimiter word (`EOF`). */
  name: string;
  /** The body, each line ending in `\n`; leading tabs already removed for `<<-`. */
  content: string;
  /** False when the delimiter was quoted (`<<"EOF"`): no variable expansion in the body. */
  expand: boolean;
  /** `<<-EOF`. */
  chomp: boolean;
}

interface Base {
  /** 1-based line of the instruction's first line. */
  line: number;
  /** 1-based line of its last line (continuations and heredocs included). */
  endLine: number;
  /** The instruction's text as Docker echoes it in `Step n/m : …`. */
  raw: string;
  flags: Flag[];
}

/** Command forms shared by RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD. */
export type CommandForm =
  | { form: 'exec'; args: string[] }
  | { form: 'shell'; command: string };

export interface FromInstruction extends Base { kind: 'FROM'; image: string; as?: string }
export interface RunInstruction extends Base { kind: 'RUN'; command: CommandForm; heredocs: Heredoc[] }
export interface CmdInstruction extends Base { kind: 'CMD'; command: CommandForm }
export interface EntrypointInstruction extends Base { kind: 'ENTRYPOINT'; command: CommandForm }
/** COPY and ADD: the last word is the destination; sources may be heredoc names (`<<EOF`). */
export interface CopyInstruction extends Base { kind: 'COPY' | 'ADD'; sources: string[]; dest: string; heredocs: Heredoc[]; jsonForm: boolean }
/**
 * ENV and LABEL: key/value pairs (the legacy `ENV key value` form gives one pair). Keys and values
 * unexpanded, quotes kept: Docker runs expandWord on both (`LABEL "a b"=c` is key `a b`), each pair
 * seeing the values from before the instruction (`ENV A=1 B=$A` gives B the old A).
 */
export interface KeyValueInstruction extends Base { kind: 'ENV' | 'LABEL'; pairs: { key: string; value: string }[] }
/** ARG name[=default], possibly several on one line. */
export interface ArgInstruction extends Base { kind: 'ARG'; args: { name: string; default?: string }[] }
export interface MaintainerInstruction extends Base { kind: 'MAINTAINER'; maintainer: string }
export interface ExposeInstruction extends Base { kind: 'EXPOSE'; ports: string[] }
export interface UserInstruction extends Base { kind: 'USER'; user: string }
export interface WorkdirInstruction extends Base { kind: 'WORKDIR'; path: string }
export interface VolumeInstruction extends Base { kind: 'VOLUME'; paths: string[] }
export interface ShellInstruction extends Base { kind: 'SHELL'; shell: string[] }
export interface StopSignalInstruction extends Base { kind: 'STOPSIGNAL'; signal: string }
/** HEALTHCHECK NONE or HEALTHCHECK [--interval … --timeout … --start-period … --start-interval … --retries …] CMD … */
export interface HealthcheckInstruction extends Base { kind: 'HEALTHCHECK'; none: boolean; command?: CommandForm }
/** ONBUILD <instruction>: the trigger text kept as written (it is parsed again when the image is used as a base). */
export interface OnbuildInstruction extends Base { kind: 'ONBUILD'; trigger: string }

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | CopyInstruction
  | KeyValueInstruction
  | ArgInstruction
  | MaintainerInstruction
  | ExposeInstruction
  | UserInstruction
  | WorkdirInstruction
  | VolumeInstruction
  | ShellInstruction
  | StopSignalInstruction
  | HealthcheckInstruction
  | OnbuildInstruction;

export interface Stage {
  /** 0-based position. */
  index: number;
  /** The `AS name`, lower-cased, if any. */
  name?: string;
  from: FromInstruction;
  /** The instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
}

/**
 * Something Docker warns about but builds anyway. Today only continuation
 * lines that are empty (`RUN a \` then a blank line then `b`); `text` is
 * the instruction's joined line as Docker shows it in the warning.
 */
export interface ParseWarning {
  kind: 'empty-continuation';
  line: number;
  text: string;
}

export interface Dockerfile {
  directives: Directives;
  /** In file order; formatParseWarnings (parse-dockerfile.ts) gives Docker's text for the build output. */
  warnings?: ParseWarning[];
  /** ARG instructions before the first FROM (usable in FROM lines only). */
  globalArgs: ArgInstruction[];
  stages: Stage[];
  /** Every instruction in file order (FROMs and global ARGs included): Docker numbers steps over these. */
  instructions: Instruction[];
}
