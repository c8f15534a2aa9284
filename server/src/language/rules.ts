import type { Severity } from './problem';

/** A check the checker can report. The id is stable: it is used in output, suppressions and SARIF. */
export interface Rule {
  id: string;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** How to fix what it finds. */
  help: string;
}

const list: Rule[] = [
  // The file itself
  { id: 'file-too-large', severity: 'error', summary: 'The spec file is larger than the size limit.', help: 'Split the spec into several files joined with `imports`, or raise the limit with `--max-file-size`.' },
  { id: 'invalid-encoding', severity: 'error', summary: 'The file is not valid UTF-8 text.', help: 'Save the file as UTF-8; a spec is a text file.' },
  { id: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.', help: 'Fix the YAML at the position shown; the message names what the parser expected.' },
  { id: 'duplicate-key', severity: 'error', summary: 'A key appears twice in the same mapping.', help: 'Remove or rename one of the two keys; YAML keeps only one of them.' },
  { id: 'yaml-alias-limit', severity: 'error', summary: 'Too many YAML alias expansions (an alias bomb).', help: 'Write the values out instead of nesting aliases.' },
  { id: 'unsupported-version', severity: 'error', summary: 'The `kpispec` version is missing or not supported.', help: 'Start the file with `kpispec: 1`.' },
  // Shape (the JSON Schema)
  { id: 'missing-key', severity: 'error', summary: 'A required key is missing.', help: 'Add the key named in the message.' },
  { id: 'unknown-key', severity: 'error', summary: 'A key that the spec language does not know.', help: 'Remove the key or fix its spelling (the message suggests the closest known key).' },
  { id: 'invalid-value', severity: 'error', summary: 'A value of the wrong type or outside the allowed values.', help: 'Use one of the values or the type named in the message.' },
  { id: 'invalid-id', severity: 'error', summary: 'An id that is not lower_snake_case or contains `__`.', help: 'Ids match `^[a-z][a-z0-9_]*$` and never contain `__`.' },
  { id: 'duplicate-id', severity: 'error', summary: 'Two definitions share an id within a file and its imports.', help: 'Rename one of them: metrics, KPIs and goals share one set of ids, and sources have their own.' },
  // Formulas
  { id: 'formula-syntax', severity: 'error', summary: 'A formula that does not parse.', help: 'Fix the formula at the column shown.' },
  { id: 'formula-too-complex', severity: 'error', summary: 'A formula nested too deeply or too long to evaluate safely.', help: 'Split the formula into intermediate KPIs.' },
  { id: 'unknown-reference', severity: 'error', summary: 'A name that refers to nothing in scope.', help: 'Fix the spelling (the message suggests the closest id) or define the missing metric, KPI or source.' },
  { id: 'wrong-reference-kind', severity: 'error', summary: 'A reference to the wrong kind of thing, e.g. a source where a metric belongs.', help: 'Refer to a thing of the kind the place expects.' },
  { id: 'unknown-function', severity: 'error', summary: 'A call to a function that does not exist.', help: 'Use one of prev, growth, rolling, cumulative, if, coalesce, min, max, abs, round.' },
  { id: 'function-arguments', severity: 'error', summary: 'A function called with the wrong number or kind of arguments.', help: 'Call the function with the arguments its signature names.' },
  { id: 'type-mismatch', severity: 'error', summary: 'A value of the wrong type: text where a number belongs, a number where a condition belongs.', help: 'KPI formulas compute numbers; `where` and `if` conditions are comparisons.' },
  { id: 'circular-definition', severity: 'error', summary: 'KPIs defined in terms of each other, or columns (derived, rolled up, looked up) that depend on themselves.', help: 'Break the cycle: one KPI of the cycle must be defined from metrics alone; one column of a column cycle must read data columns only.' },
  { id: 'unit-mismatch', severity: 'error', summary: 'Adding, subtracting or comparing values of different units.', help: 'Combine like with like (currency with currency, counts with counts) or divide to make a ratio.' },
  { id: 'format-mismatch', severity: 'warning', summary: 'A display format that does not fit the KPI\'s unit.', help: 'Use `percent` for ratios, `currency` for money, `duration` for seconds.' },
  // Time
  { id: 'mixed-time-sources', severity: 'error', summary: 'A KPI mixes sources with and without a time column.', help: 'Give every source of the KPI a `time` column, or none of them.' },
  { id: 'needs-time-column', severity: 'error', summary: 'A time function or a time-based aggregate over a source without a time column.', help: 'Add `time:` to the source, or drop the time function.' },
  { id: 'invalid-timezone', severity: 'error', summary: 'A time zone that is not an IANA name.', help: 'Use a name such as `Asia/Shanghai` or `UTC`.' },
  { id: 'invalid-locale', severity: 'warning', summary: 'A `defaults.locale` that is not a BCP 47 tag, or names a language without number formats.', help: 'Use a tag such as `zh-CN`, `en-US` or `de-DE` (a hyphen, not an underscore).' },
  // Targets and goals
  { id: 'target-conflict', severity: 'error', summary: 'A target or warn band that contradicts itself (min above max) or the other, or a warn band without a target.', help: 'Make min not above max, and the warn band looser than the target.' },
  { id: 'target-direction', severity: 'warning', summary: 'A target bound that works against the KPI\'s direction.', help: 'An `up` KPI aims for a `min`, a `down` KPI for a `max`; flip the bound or the direction.' },
  { id: 'target-steps', severity: 'error', summary: 'Dated target steps out of order or repeated.', help: 'List dated steps with increasing `from` periods, each once.' },
  { id: 'percent-target', severity: 'warning', summary: 'A percent KPI with a target that looks like a whole percentage (40 instead of 40%).', help: 'Write the target as a percent literal, e.g. `40%` (0.4).' },
  { id: 'invalid-weight', severity: 'error', summary: 'A goal weight that is not a positive number.', help: 'Use a positive number, e.g. `weight: 2`.' },
  { id: 'empty-goal', severity: 'warning', summary: 'A goal without KPIs.', help: 'List the KPIs that are the goal\'s key results under `kpis`.' },
  // Data
  { id: 'breakdown-unavailable', severity: 'error', summary: 'A breakdown by a dimension that one of the KPI\'s sources cannot give.', help: 'Declare the dimension on every source the KPI uses, or drop it from `by`.' },
  { id: 'data-file-missing', severity: 'error', summary: 'A source\'s data file does not exist.', help: 'Fix the path; it is relative to the spec file.' },
  { id: 'data-file-outside-workspace', severity: 'error', summary: 'A source\'s data file lies outside the workspace.', help: 'Keep data files inside the workspace folder.' },
  { id: 'data-file-unreadable', severity: 'error', summary: 'A source\'s data file cannot be read or parsed.', help: 'Check the file\'s permissions and format (CSV with a header row, a JSON array of objects, or NDJSON).' },
  { id: 'unknown-column', severity: 'error', summary: 'A column that the source\'s data does not have.', help: 'Fix the spelling (the message suggests the closest column of the header).' },
  { id: 'ambiguous-column', severity: 'error', summary: 'A column name that the data file\'s header holds more than once.', help: 'Rename all but one of the columns in the file, so each name means one column.' },
  { id: 'time-unreadable', severity: 'error', summary: 'Sampled values of a source\'s time column do not read as dates with its `time_format` (ISO 8601 without one).', help: 'Set the `time_format` the message names, or write the dates as ISO 8601.' },
  { id: 'number-unreadable', severity: 'error', summary: 'Sampled values of a column read as numbers that do not read with the source\'s number format.', help: 'Set the option that reads them (`thousands: \',\'`, `decimal: \',\'`), or fix the values in the export.' },
  { id: 'where-value-unseen', severity: 'warning', summary: 'A `where` filter compares a column with a text value that no sampled row holds.', help: 'Fix the value\'s spelling (the message lists the values seen), or ignore it when the value only appears further down the file.' },
  { id: 'column-type', severity: 'error', summary: 'A column of the wrong type for its use, e.g. a sum over text.', help: 'Aggregate a numeric column, compare text with text and numbers with numbers.' },
  { id: 'invalid-aggregate', severity: 'error', summary: 'A rollup column that is not one aggregate of one column.', help: 'Write `fn(column)` with fn one of sum, avg, min, max, count_distinct, first, last, or `count()`; compute an expression in `derive` first.' },
  { id: 'lookup-without-key', severity: 'error', summary: 'A lookup onto a source that is not known to be unique on its key.', help: 'Declare the target\'s unique key with `key:` (it is verified on the data), or look up a rollup.' },
  { id: 'lookup-key-mismatch', severity: 'error', summary: 'A lookup whose `on` columns do not match the target\'s key.', help: 'Give one column per key column, mapped to the key\'s names: `on: { rep: rep_id }`.' },
  { id: 'key-not-unique', severity: 'error', summary: 'A key value that more than one row holds, in a source declared unique on it.', help: 'Remove the duplicate rows, or choose a key that identifies one row (several columns if need be).' },
  { id: 'column-conflict', severity: 'error', summary: 'A derived, rollup or key column with the name of another column of the source.', help: 'Rename one of them: each column of a source has one meaning.' },
  // Imports
  { id: 'import-not-found', severity: 'error', summary: 'An imported file does not exist or is not a spec.', help: 'Fix the path; it is relative to the importing file.' },
  { id: 'import-defaults', severity: 'warning', summary: 'An imported file that sets another timezone or currency than the importing file.', help: 'Set the same `defaults` in both files, or leave them out of the imported file so that it takes the importer\'s.' },
  { id: 'imported-problems', severity: 'error', summary: 'Errors in an imported file, or in a file it imports.', help: 'Fix them in that file (the message links to the first ones): what is defined there with an error is not evaluated, nor what uses it here.' },
  { id: 'import-cycle', severity: 'error', summary: 'Files that import each other.', help: 'Remove one import of the cycle; move shared definitions into a file both import.' },
  // Hygiene
  { id: 'unused-metric', severity: 'hint', summary: 'A metric that no KPI uses.', help: 'Use the metric in a KPI or remove it.' },
  { id: 'unused-suppression', severity: 'warning', summary: 'A suppression comment that silences nothing.', help: 'Remove the comment.' },
  { id: 'unknown-rule', severity: 'warning', summary: 'A suppression comment naming a rule that does not exist.', help: 'Use a rule name from the reference.' },
];

export const RULES: ReadonlyMap<string, Rule> = new Map(list.map((r) => [r.id, r]));

export function rule(id: string): Rule {
  const r = RULES.get(id);
  if (!r) throw new Error(`internal: unknown rule ${id}`);
  return r;
}
