import * as path from 'node:path';
import { parse } from 'yaml';
import { DIALECTS, type DialectName } from './dialect';

/**
 * `kpispec.profiles.yaml`: where a spec's sources are in each environment. Beside the spec or
 * at the workspace root; git-ignored by convention. It never holds secrets: a connection URL
 * comes from the environment variable the profile names (`url_env`).
 *
 * ```yaml
 * profiles:
 *   prod:
 *     dialect: postgres              # duckdb | postgres | bigquery | snowflake
 *     url_env: KPISPEC_PG_URL        # the variable holding the connection URL (postgres)
 *     tables:                        # source id → table
 *       web: analytics.web_sessions
 *       order_log: analytics.orders
 *   local:
 *     dialect: duckdb
 *     database: warehouse.duckdb     # a DuckDB file holding the tables (relative to this file)
 *     tables: { web: web_sessions }
 * ```
 */
export const PROFILES_FILE = 'kpispec.profiles.yaml';

export interface Profile {
  name: string;
  file: string;
  dialect?: DialectName;
  urlEnv?: string;
  /** Absolute path of a DuckDB database file. */
  database?: string;
  tables: Record<string, string>;
}

const KEYS = new Set(['dialect', 'url_env', 'database', 'tables', 'description']);
const SECRET = /^(url|uri|dsn|password|passwd|secret|token|connection(_string)?|key)$/i;

/** Where the profiles file is for a spec: beside it, else at the workspace root. */
export function profilesFileFor(specFile: string, root: string, exists: (p: string) => boolean): string | undefined {
  for (const dir of [path.dirname(specFile), root]) {
    const f = path.join(dir, PROFILES_FILE);
    if (exists(f)) return f;
  }
  return undefined;
}

/** Reads one profile from the file's text; never throws on what the file says. */
export function readProfile(file: string, text: string, name: string): Profile | { error: string } {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    return { error: `${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const profiles = isMap(doc) ? doc['profiles'] : undefined;
  if (!isMap(profiles)) return { error: `${file}: expected \`profiles:\` with one entry per environment` };
  const p = profiles[name];
  if (p === undefined) return { error: `${file}: no profile \`${name}\`${Object.keys(profiles).length ? `; the profiles are ${Object.keys(profiles).map((k) => `\`${k}\``).join(', ')}` : ''}` };
  if (!isMap(p)) return { error: `${file}: profile \`${name}\` must be a mapping` };
  for (const key of Object.keys(p)) {
    if (SECRET.test(key)) return { error: `${file}: profile \`${name}\` has \`${key}\`: profiles never hold secrets; put the connection URL in an environment variable and name it with \`url_env\`` };
    if (!KEYS.has(key)) return { error: `${file}: profile \`${name}\`: unknown key \`${key}\` (known: ${[...KEYS].join(', ')})` };
  }
  const out: Profile = { name, file, tables: {} };
  if (p['dialect'] !== undefined) {
    if (!DIALECTS.includes(p['dialect'] as DialectName)) return { error: `${file}: profile \`${name}\`: dialect must be one of ${DIALECTS.join(', ')}` };
    out.dialect = p['dialect'] as DialectName;
  }
  if (p['url_env'] !== undefined) {
    if (typeof p['url_env'] !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p['url_env'])) return { error: `${file}: profile \`${name}\`: url_env names an environment variable, e.g. KPISPEC_PG_URL` };
    out.urlEnv = p['url_env'];
  }
  if (p['database'] !== undefined) {
    if (typeof p['database'] !== 'string' || !p['database']) return { error: `${file}: profile \`${name}\`: database is the path of a DuckDB file` };
    out.database = path.resolve(path.dirname(file), p['database']);
  }
  const tables = p['tables'];
  if (tables !== undefined && tables !== null) {
    if (!isMap(tables)) return { error: `${file}: profile \`${name}\`: tables maps source ids to table names` };
    for (const [id, t] of Object.entries(tables)) {
      if (typeof t !== 'string' || !t.trim()) return { error: `${file}: profile \`${name}\`: the table of source \`${id}\` must be a name such as analytics.web_sessions` };
      out.tables[id] = t;
    }
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
