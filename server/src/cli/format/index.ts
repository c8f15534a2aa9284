import type { Formatter } from '../report';
import { github } from './github';
import { json } from './json';
import { junit } from './junit';
import { sarif } from './sarif';
import { stylish } from './stylish';

export type FormatName = 'stylish' | 'json' | 'sarif' | 'github' | 'junit';

/** The values of `kpispec check --format`; stylish is the default. */
export const FORMATTERS: Record<FormatName, Formatter> = { stylish, json, sarif, github, junit };

export { problemRange, Locator, type Range, type Texts } from './locate';
