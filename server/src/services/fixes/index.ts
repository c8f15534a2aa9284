import { duplicateId, duplicateKey, emptyGoal, invalidId, invalidValue, missingKey, unknownKey, unsupportedVersion, unusedMetric } from './structure';
import { formulaSyntax, wrongReferenceKind } from './references';
import { addTime, breakdownUnavailable, columnType, invalidAggregate, lookupKeyMismatch, lookupWithoutKey } from './sources';
import { unknownRule, unusedSuppression } from './suppressions';
import { targetConflict, targetDirection, targetSteps } from './targets';
import type { Fixer } from './types';
import { unitMismatch } from './units';

/**
 * The fixers of each rule, besides the ones codeActions.ts makes from a problem's `data` for any
 * rule (did-you-mean, a reading option of a source) and the metric stub for unknown-reference.
 */
export const FIXERS: Readonly<Record<string, Fixer>> = {
  'duplicate-key': duplicateKey,
  'unsupported-version': unsupportedVersion,
  'missing-key': missingKey,
  'unknown-key': unknownKey,
  'invalid-value': invalidValue,
  'invalid-id': invalidId,
  'duplicate-id': duplicateId,
  'formula-syntax': formulaSyntax,
  'wrong-reference-kind': wrongReferenceKind,
  'unit-mismatch': unitMismatch,
  'mixed-time-sources': addTime,
  'needs-time-column': addTime,
  'target-conflict': targetConflict,
  'target-direction': targetDirection,
  'target-steps': targetSteps,
  'empty-goal': emptyGoal,
  'breakdown-unavailable': breakdownUnavailable,
  'column-type': columnType,
  'invalid-aggregate': invalidAggregate,
  'lookup-without-key': lookupWithoutKey,
  'lookup-key-mismatch': lookupKeyMismatch,
  'unused-metric': unusedMetric,
  'unused-suppression': unusedSuppression,
  'unknown-rule': unknownRule,
};

/**
 * Rules whose fixes codeActions.ts makes from the problem's `data`: a close name or value
 * (did-you-mean: only when the message suggests one), a reading option of the source, the
 * columns an ambiguous name could mean, a metric stub for an unknown name in a formula.
 */
export const DATA_FIXES: readonly string[] = [
  'unknown-key', 'invalid-value', 'unknown-reference', 'unknown-function', 'format-mismatch', 'invalid-timezone', 'invalid-locale',
  'percent-target', 'data-file-missing', 'data-file-unreadable', 'unknown-column', 'ambiguous-column', 'time-unreadable',
  'number-unreadable', 'where-value-unseen', 'import-not-found', 'unknown-rule',
];

/**
 * Rules with no quick fix, and why: what would fix them is not in the spec (nor its data) but
 * the author's intent, or lies outside the file. docs/rules.md says the same beside each rule.
 */
export const NO_QUICK_FIX: Readonly<Record<string, string>> = {
  'file-too-large': 'splitting a spec into files, or raising a setting, is a decision about the project, not an edit of the text',
  'invalid-encoding': 'the file is not read as text, so there is no text to edit; the editor re-saves it in UTF-8',
  'yaml-syntax': 'what the broken YAML meant cannot be told from it',
  'yaml-alias-limit': 'writing the expansion out is what the limit prevents',
  'formula-too-complex': 'splitting a formula into intermediate KPIs needs names and boundaries only the author knows',
  'function-arguments': 'the missing or extra argument (a window, a period count, digits) is the author\'s choice',
  'type-mismatch': 'turning a condition into a number, or a number into a condition, needs a threshold or a branch value only the author knows',
  'circular-definition': 'breaking a cycle means redefining one KPI from metrics, which only the author can say',
  'invalid-weight': 'the weight meant is unknown (0 and -1 may mean "leave it out" or "1")',
  'data-file-outside-workspace': 'moving the data file into the workspace, or widening the root, is outside the spec',
  'key-not-unique': 'the data holds the repeated rows; fixing them is an edit of the data, not of the spec',
  'column-conflict': 'which of the two columns keeps the name, and what the other is called, is the author\'s choice',
  'import-defaults': 'which file\'s timezone and currency are right is the author\'s choice, and the fix may edit a file other specs import',
  'imported-problems': 'the problems are in the imported file: its own quick fixes fix them there',
  'import-cycle': 'removing an import drops what the file uses from it; moving shared definitions to a third file is a design decision',
};
