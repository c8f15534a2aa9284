import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../language/suggest';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command takes besides its options, e.g. `{ min: 1, max: 1, what: 'one spec file' }`. */
export interface Positionals {
  min: number;
  max: number;
  what: string;
}

/**
 * Reads a command's arguments. Every mistake in them (an unknown option, a missing value,
 * a value for a switch, an option given twice, a word too many) is a usage error that names
 * the word and points to the command's help; with `--help` anywhere, nothing else is judged.
 */
export function readArgs<O extends Options>(command: string, argv: string[], options: O, positionals: Positionals) {
  const help = `run "kpispec ${command} --help"`;
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help' && options.help)) {
    return parseArgs({ args: ['--help'], options, allowPositionals: true });
  }
  const seen = new Set<string>();
  const args: (string | undefined)[] = [...argv];
  let words = 0;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (++words > positionals.max) throw new UsageError(`unexpected argument "${t.value}": ${command} takes ${positionals.what}; ${help}`);
      continue;
    }
    if (t.kind !== 'option') continue;
    const option = options[t.name];
    if (!option) {
      const known = Object.keys(options).map((name) => `--${name}`);
      const guess = t.rawName.startsWith('--') ? closest(t.rawName, known) : undefined;
      throw new UsageError(`unknown option "${t.rawName}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${help}`);
    }
    const name = `--${t.name}`;
    if (option.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`${name} takes no value; ${help}`);
      continue;
    }
    // A separate word that looks like an option is the next option, not this one's value;
    // a negative number is a value (joined to its option, as node:util wants it).
    if (t.value === undefined || t.value === '' || (!t.inlineValue && /^-\D/.test(t.value))) {
      throw new UsageError(`${name} needs a value${t.value ? `, got the option "${t.value}"` : ''}; ${help}`);
    }
    if (!t.inlineValue && t.value.startsWith('-')) args.splice(t.index, 2, `${name}=${t.value}`, undefined);
    if (seen.has(t.name) && !option.multiple) throw new UsageError(`${name} is given twice; it takes one value`);
    seen.add(t.name);
  }
  if (words < positionals.min) throw new UsageError(`${command} takes ${positionals.what}; ${help}`);
  return parseArgs({ args: args.filter((a) => a !== undefined), options, allowPositionals: true });
}
