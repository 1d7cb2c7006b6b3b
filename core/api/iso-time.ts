/** Times as the API shows them: ISO 8601 UTC strings (DESIGN: what crosses to the renderer). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));
