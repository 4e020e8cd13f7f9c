/** The HPACK static table (RFC 7541 Appendix A), index 1 first. */
export const STATIC_TABLE: ReadonlyArray<readonly [string, string]> = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** Number of static entries (61). */
export const STATIC_TABLE_LENGTH = STATIC_TABLE.length;

/** The static entries of one name (RFC 7541 Appendix A). */
export interface StaticName {
  /** First static index with the name. */
  readonly index: number;
  /** value → static index, for the name's entries with a value; `undefined` when none has one. */
  readonly values: ReadonlyMap<string, number> | undefined;
}

function staticNames(): ReadonlyMap<string, StaticName> {
  const byName = new Map<string, { index: number; values: Map<string, number> | undefined }>();
  STATIC_TABLE.forEach(([name, value], i) => {
    const entry = byName.get(name) ?? { index: i + 1, values: undefined };
    if (value !== '') {
      entry.values ??= new Map();
      if (!entry.values.has(value)) entry.values.set(value, i + 1);
    }
    byName.set(name, entry);
  });
  return byName;
}

/** name → its static entries, so the encoder finds both the name and an exact match with one lookup. */
export const STATIC_NAMES: ReadonlyMap<string, StaticName> = staticNames();
