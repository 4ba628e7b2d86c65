/**
 * Media types of GraphQL over HTTP: what a client may send (`application/json`)
 * and which of the two response types it asked for. Apollo negotiates its own
 * responses; the server's early answers (401, 405, 406, 413, 415, 429, bad
 * JSON) come from here, so every answer a client gets honours its Accept
 * header the same way.
 */

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export const JSON_TYPE = 'application/json';
export type ResponseMediaType = typeof JSON_TYPE | typeof GRAPHQL_RESPONSE_JSON;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

const parseAccept = (accept: string): MediaRange[] =>
  accept.split(',').flatMap((part, order) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const [type, subtype] = range.toLowerCase().split('/');
    if (!type || !subtype) return [];
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name?.toLowerCase() === 'q') q = Number(value);
    }
    return Number.isFinite(q) ? [{ type, subtype, q, order }] : [];
  });

/** How well a range matches a type: exact beats `type/*` beats `*\/*`; -1 when it does not. */
const specificity = (range: MediaRange, mediaType: string): number => {
  const [type, subtype] = mediaType.split('/');
  if (range.type === type && range.subtype === subtype) return 2;
  if (range.type === type && range.subtype === '*') return 1;
  if (range.type === '*' && range.subtype === '*') return 0;
  return -1;
};

/**
 * The response type a request's Accept header prefers (RFC 9110 §12.5.1: the most
 * specific matching range decides a type's weight; q=0 refuses it), or null
 * when it accepts neither. No Accept header means `application/json`; on a tie
 * the type listed first wins, and `application/json` wins a wildcard (what
 * legacy clients expect).
 */
export const negotiateResponseType = (accept: string | undefined): ResponseMediaType | null => {
  if (accept === undefined || accept.trim() === '') return JSON_TYPE;
  const ranges = parseAccept(accept);
  const weigh = (mediaType: ResponseMediaType) => {
    let best: { q: number; specificity: number; order: number } | null = null;
    for (const range of ranges) {
      const s = specificity(range, mediaType);
      if (s < 0) continue;
      if (best === null || s > best.specificity || (s === best.specificity && range.order < best.order)) {
        best = { q: range.q, specificity: s, order: range.order };
      }
    }
    return best && best.q > 0 ? { mediaType, ...best } : null;
  };
  const candidates = [weigh(JSON_TYPE), weigh(GRAPHQL_RESPONSE_JSON)].filter((c) => c !== null);
  candidates.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order);
  return candidates[0]?.mediaType ?? null;
};

/** Whether the Accept header takes `text/html`: a person opening /graphql in a browser, answered with a page. */
export const acceptsHtml = (accept: string | undefined): boolean =>
  accept !== undefined && parseAccept(accept).some((r) => specificity(r, 'text/html') >= 1 && r.q > 0);

/**
 * Why a POST body's Content-Type is refused (415), or null when it is
 * `application/json` in UTF-8 (the only encoding GraphQL over HTTP requires).
 */
export const unsupportedContentType = (contentType: string | undefined): string | null => {
  if (contentType === undefined || contentType.trim() === '') return 'a POST needs Content-Type: application/json';
  const [essence = '', ...params] = contentType.split(';').map((s) => s.trim());
  if (essence.toLowerCase() !== JSON_TYPE) return `Content-Type ${essence} is not supported: send application/json`;
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((s) => s.trim());
    if (name?.toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(value)) return `charset ${value} is not supported: send UTF-8`;
  }
  return null;
};
