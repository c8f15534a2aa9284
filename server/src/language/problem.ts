import type { Span } from './span';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Another place that explains a problem, e.g. each step of a cycle. */
export interface RelatedLocation {
  /** Absolute path of the file the span points into. */
  file: string;
  span: Span;
  message: string;
}

/** One finding. Problems are data: parsers and checks return them, they never throw. */
export interface Problem {
  /** Stable kebab-case rule name, see rules.ts. */
  rule: string;
  severity: Severity;
  message: string;
  /** Absolute path of the file the span points into. */
  file: string;
  span: Span;
  related?: RelatedLocation[];
  /** Machine-readable extras for quick fixes, e.g. { suggestion: 'sessions' }. */
  data?: Record<string, string | number>;
}
