import type { ScalarValue } from './tree';

/** Deeper nesting than this is not a spec; stop before the stack does. */
export const MAX_NESTING = 100;

/**
 * The YAML 1.2 core schema's reading of a plain scalar, exactly as the yaml package does it
 * (same patterns, parseInt/parseFloat), so the fast reader and the package agree.
 */
export function resolvePlain(raw: string): ScalarValue {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(raw)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(raw)) return false;
  const c = raw.charCodeAt(0);
  // Only strings that start like a number can be one.
  if (!(c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57))) return raw;
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) return raw.endsWith('n') || raw.endsWith('N') ? NaN : raw[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}
