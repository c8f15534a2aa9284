/**
 * How the schema is split so that each definition entry is validated alone (schema.ts): the
 * file with each section's entries left unchecked (the skeleton), and one schema per section
 * for a single entry. Shared by the checker and the script that precompiles the validators.
 */

export const SECTIONS = ['sources', 'metrics', 'kpis', 'goals'] as const;
export type Section = (typeof SECTIONS)[number];

export type SchemaJson = Record<string, unknown> & { $id: string; properties: Record<string, Record<string, unknown>> };

/** Keywords that do not validate, or that the split keeps as they are. */
const ROOT_KEYS = new Set(['$schema', '$id', 'title', 'description', 'type', 'required', 'additionalProperties', 'properties', '$defs', '$comment', 'examples']);
const SECTION_KEYS = new Set(['title', 'description', 'type', 'propertyNames', 'additionalProperties', '$comment', 'examples', 'default', 'markdownDescription']);

/**
 * Whether entries may be validated alone: nothing in the schema relates entries to each other
 * or to the rest of the file, so the split reports exactly what the whole does.
 */
export function isSplittable(schema: SchemaJson): boolean {
  return Object.keys(schema).every((k) => ROOT_KEYS.has(k))
    && SECTIONS.every((s) => {
      const section = schema.properties[s];
      const entry = section?.additionalProperties;
      return !!section && typeof entry === 'object' && entry !== null && Object.keys(section).every((k) => SECTION_KEYS.has(k));
    });
}

/** The schema with each section's entries accepted as they are (their ids still checked). */
export function skeletonOf(schema: SchemaJson): SchemaJson {
  const properties = { ...schema.properties };
  for (const s of SECTIONS) properties[s] = { ...properties[s], additionalProperties: true };
  return { ...schema, $id: schema.$id.replace(/\.json$/, '') + '.skeleton.json', properties };
}

/** The schema of one entry of a section. */
export function entrySchema(schema: SchemaJson, section: Section): { $id: string; $ref: string } {
  return { $id: schema.$id.replace(/\.json$/, '') + `.${section}.json`, $ref: `${schema.$id}#/properties/${section}/additionalProperties` };
}

/** A fingerprint of the schema's text (FNV-1a), to tell precompiled validators of another schema. */
export function fingerprint(schema: unknown): string {
  const text = JSON.stringify(schema);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}-${(h >>> 0).toString(16)}`;
}
