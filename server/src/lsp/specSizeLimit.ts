import { DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';

/** The editor's setting for the spec size limit, named in the message of a refused spec. */
export const SPEC_SIZE_SETTING = 'kpispec.spec.maxFileSizeMB';

/**
 * The spec size limit in bytes from the client's `maxSpecFileSizeMb` initialization option; the
 * safe default (10 MB, as `kpispec check`) when it is absent or not a number above 0.
 */
export function specSizeLimit(mb: unknown): number {
  const n = typeof mb === 'number' ? mb : typeof mb === 'string' && mb.trim() !== '' ? Number(mb) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1024 * 1024) : DEFAULT_MAX_FILE_SIZE;
}

/** Why a spec of `bytes` is not checked, and how to check it anyway. */
export function tooLargeMessage(what: 'document' | 'file', bytes: number, limit: number): string {
  return `the ${what} is ${size(bytes)}, over the editor's ${size(limit)} limit for specs; split it with \`imports\` or raise the setting ${SPEC_SIZE_SETTING}`;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
