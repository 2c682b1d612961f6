/**
 * `berth completion bash|zsh`: a completion script. Command and group names
 * come from the command table; flags are read at completion time from the
 * command's own `--help` (so they never drift from the parser); container and
 * image arguments are completed from the daemon (`ps -a`, `images`; network
 * verbs take network names from `network ls`, volume verbs volume names
 * from `volume ls`), all
 * through the binary the user typed (COMP_WORDS[0]).
 */
import type { CommandSpec } from '../command.ts';
import { GROUPS, TOP } from './index.ts';

const CONTAINER_COMMANDS = ['attach', 'commit', 'cp', 'diff', 'exec', 'export', 'inspect', 'kill', 'logs', 'pause', 'port', 'rename', 'restart', 'rm', 'start', 'stats', 'stop', 'top', 'unpause', 'wait'];
const IMAGE_COMMANDS = ['run', 'create', 'history', 'rmi', 'save', 'tag'];

export function bashCompletion(bin: string): string {
  const top = [...Object.keys(TOP), ...Object.keys(GROUPS)].sort().join(' ');
  const groupCases = Object.entries(GROUPS)
    .map(([group, g]) => `    ${group}) words_for="${[...Object.keys(g.commands), ...Object.keys(g.aliases)].sort().join(' ')}" ;;`)
    .join('\n');
  const fn = `_${bin.replace(/[^a-zA-Z0-9]/g, '_')}`;
  return `# ${bin} completion for bash (and zsh through bashcompinit).
# Load it with:  source <(${bin} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd="" group="" i words_for=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -*) ;;
      *) if [ -z "$cmd" ]; then cmd=\${COMP_WORDS[i]}; elif [ -z "$group" ]; then group=$cmd; cmd=\${COMP_WORDS[i]}; fi ;;
    esac
  done
  if [ -z "$cmd" ]; then
    COMPREPLY=($(compgen -W "${top}" -- "$cur")); return
  fi
  case $cmd in
${groupCases}
  esac
  if [ -n "$words_for" ] && [ -z "$group" ]; then
    COMPREPLY=($(compgen -W "$words_for" -- "$cur")); return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" $group $cmd --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur")); return
  fi
  if [ "$group" = network ]; then
    case $cmd in inspect|rm|remove|connect|disconnect) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" network ls --format '{{.Name}}' 2>/dev/null)" -- "$cur")); return ;; esac
  fi
  if [ "$group" = volume ]; then
    case $cmd in inspect|rm|remove) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" volume ls -q 2>/dev/null)" -- "$cur")); return ;; esac
  fi
  case " ${CONTAINER_COMMANDS.join(' ')} " in
    *" $cmd "*) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" ps -a --format '{{.Names}}' 2>/dev/null)" -- "$cur")); return ;;
  esac
  case " ${IMAGE_COMMANDS.join(' ')} " in
    *" $cmd "*) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null)" -- "$cur")); return ;;
  esac
}
complete -F ${fn} ${bin}
`;
}

export const command: CommandSpec = {
  usage: 'bash|zsh',
  short: 'Print a shell completion script for the named shell',
  args: { exact: 1 },
  flags: [],
  async run({ cli, args }) {
    const shell = args[0];
    if (shell === 'bash') cli.out.write(bashCompletion(cli.bin));
    else if (shell === 'zsh') cli.out.write(`autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bashCompletion(cli.bin)}`);
    else {
      cli.err.write(`unsupported shell "${shell}": use bash or zsh\n`);
      return 1;
    }
  },
};
