import * as path from 'node:path';
import type { Problem, RelatedLocation, Severity } from '../../../server/src/language/problem';
import type { FileReport, FormatOptions } from '../../../server/src/cli/report';

/** Shared inputs for the format tests: absolute paths under a fake project folder. */
export const cwd = path.resolve('/proj');
export const A = path.join(cwd, 'specs', 'a.kpi.yaml');
export const B = path.join(cwd, 'specs', 'b.kpi.yaml');
export const CLEAN = path.join(cwd, 'clean.kpi.yaml');

export const options: FormatOptions = { cwd, color: false, version: '0.1.0' };

/** CRLF line breaks, a CJK word and an emoji before a span (line 4), a tab (line 5). */
export const aText = [
  'kpispec: 1',
  'kpis:',
  '  - id: conversion',
  '    formula: 收入🚀 / revnue',
  '\tformat: percentage',
  '',
].join('\r\n');

export const bText = ['kpispec: 1', 'kpis:', '  - id: x', '    formula: y', '  - id: y', '    formula: x', ''].join('\n');

/** The span of the n-th occurrence of `needle` in `text`. */
export function at(text: string, needle: string, n = 1): { offset: number; length: number } {
  let offset = -1;
  for (let i = 0; i < n; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`fixture: ${needle} not found`);
  return { offset, length: needle.length };
}

function problem(file: string, text: string, needle: string, rule: string, severity: Severity, message: string, related?: RelatedLocation[]): Problem {
  return { rule, severity, message, file, span: at(text, needle), ...(related ? { related } : {}) };
}

export function reports(): FileReport[] {
  // Given out of order on purpose: every format sorts files by path and problems by position.
  return [
    {
      file: B,
      text: bText,
      problems: [
        problem(B, bText, 'y', 'circular-definition', 'error', 'KPI `x` is defined in terms of itself: x → y → x.', [
          { file: B, span: at(bText, 'x', 2), message: 'y uses x' },
          { file: A, span: at(aText, 'conversion'), message: 'see also' },
        ]),
      ],
    },
    { file: CLEAN, text: 'kpispec: 1\n', problems: [] },
    {
      file: A,
      text: aText,
      problems: [
        problem(A, aText, 'percentage', 'format-mismatch', 'warning', 'Format `percentage` does not fit a count.'),
        problem(A, aText, 'revnue', 'unknown-reference', 'error', 'Unknown reference `revnue`; did you mean `revenue`?'),
        problem(A, aText, 'conversion', 'unused-metric', 'hint', 'Metric `conversion` is not used.'),
        problem(A, aText, 'kpispec', 'unsupported-version', 'info', 'Version 1 is current.'),
      ],
    },
  ];
}
