/** Content negotiation of the server's own answers, case by case (the HTTP tests cover the wiring). */
import { acceptsHtml, negotiateResponseType, unsupportedContentType } from '../../src/http/media';

const GRAPHQL = 'application/graphql-response+json';
const JSON_ = 'application/json';

test.each([
  [undefined, JSON_],
  ['', JSON_],
  ['*/*', JSON_],
  ['application/*', JSON_],
  [JSON_, JSON_],
  [GRAPHQL, GRAPHQL],
  [`${GRAPHQL}, ${JSON_}`, GRAPHQL],
  [`${JSON_}, ${GRAPHQL}`, JSON_],
  [`${JSON_};q=0.9, ${GRAPHQL}`, GRAPHQL],
  [`${GRAPHQL};q=0.1, */*;q=0.5`, JSON_],
  [`${JSON_};q=0, */*`, GRAPHQL],
  ['APPLICATION/GRAPHQL-RESPONSE+JSON', GRAPHQL],
  ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', JSON_],
  ['text/html', null],
  ['text/csv, application/xml', null],
  [`${JSON_};q=0, ${GRAPHQL};q=0`, null],
])('Accept %p is answered in %p', (accept, expected) => {
  expect(negotiateResponseType(accept)).toBe(expected);
});

test('a browser opening /graphql accepts HTML; API clients do not', () => {
  expect(acceptsHtml('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true);
  expect(acceptsHtml('text/*')).toBe(true);
  expect(acceptsHtml('text/html;q=0')).toBe(false);
  expect(acceptsHtml(`${GRAPHQL}, ${JSON_}`)).toBe(false);
  expect(acceptsHtml(undefined)).toBe(false);
});

test.each([
  ['application/json', null],
  ['application/json; charset=utf-8', null],
  ['Application/JSON;charset="UTF-8"', null],
  [undefined, /needs Content-Type: application\/json/],
  ['text/plain;charset=utf-8', /text\/plain is not supported/],
  ['application/graphql', /not supported/],
  ['application/json; charset=utf-16', /charset utf-16/],
])('Content-Type %p: %p', (type, expected) => {
  const reason = unsupportedContentType(type);
  if (expected === null) expect(reason).toBeNull();
  else expect(reason).toMatch(expected);
});
