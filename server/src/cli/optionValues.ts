import * as fs from 'node:fs';
import * as path from 'node:path';
import { closest } from '../language/suggest';
import { UsageError } from './io';

/** The value if it is one of the choices, else a usage error that suggests the closest one. */
export function oneOf<T extends string>(what: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const guess = closest(value, choices);
  throw new UsageError(`unknown ${what} "${value}"${guess ? ` (did you mean "${guess}"?)` : ''}; use one of ${choices.join(', ')}`);
}

/** A count written in digits (`1e3`, `0x10`, `1.0` and `-1` are refused). */
export function wholeNumber(option: string, value: string, min: 0 | 1): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min)) throw new UsageError(`${option} needs a ${min ? 'positive ' : ''}whole number, got "${value}"`);
  return n;
}

/** A size or amount above zero; fractions allowed. */
export function positiveNumber(option: string, value: string): number {
  const n = /^(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : NaN;
  if (!(n > 0)) throw new UsageError(`${option} needs a number above 0, got "${value}"`);
  return n;
}

/** An existing folder, resolved against the current folder. */
export function folder(option: string, value: string, cwd: string): string {
  const abs = path.resolve(cwd, value);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UsageError(`${option}: no such folder: ${value}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${option}: ${value} is a file, not a folder`);
  return abs;
}
