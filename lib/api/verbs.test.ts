import { describe, expect, it } from 'vitest';
import { DomainError, InvalidCursor, NotAuthenticated, NotFound } from '../errors';
import { ApiError, replyOf, toApiError } from './errors';
import { parseEventQuery, parseIntParam, QUERIES } from './parse-query';
import { allowHeader, methodNotAllowedBody, takesVerb } from './verbs';
import { apiRoute, withApi } from './with-api';

describe('verbs', () => {
  it('lists the declared verbs in a fixed order, HEAD following GET and OPTIONS always taken', () => {
    expect(allowHeader(['PUT', 'GET', 'POST'])).toBe('GET, POST, PUT');
    expect(takesVerb(['GET'], 'HEAD')).toBe(true);
    expect(takesVerb(['POST', 'PUT'], 'HEAD')).toBe(false);
    expect(takesVerb(['POST'], 'OPTIONS')).toBe(true);
    expect(takesVerb(['GET'], 'DELETE')).toBe(false);
    expect(methodNotAllowedBody(['POST', 'PUT'])).toEqual({
      error: { code: 'method_not_allowed', message: 'Use POST or PUT on this URL.' },
    });
  });

  it('apiRoute answers the undeclared verbs with the JSON 405 and Allow, OPTIONS with 204', async () => {
    const route = apiRoute({ POST: withApi(() => new Response('posted'), { access: 'public' }) });
    const context = { params: Promise.resolve({}) };
    const refused = await route.GET(new Request('http://perch.test/x'), context);
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect(await refused.json()).toEqual({ error: { code: 'method_not_allowed', message: 'Use POST on this URL.' } });
    expect((await route.HEAD(new Request('http://perch.test/x', { method: 'HEAD' }), context)).status).toBe(405);
    const options = await route.OPTIONS(new Request('http://perch.test/x', { method: 'OPTIONS' }), context);
    expect([options.status, options.headers.get('allow'), await options.text()]).toEqual([204, 'POST', '']);
    expect(await (await route.POST(new Request('http://perch.test/x', { method: 'POST' }), context)).text()).toBe(
      'posted',
    );
  });

  it('HEAD answers as GET without reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream(
      {
        pull: (controller) => {
          pulled++;
          controller.enqueue(new Uint8Array(1));
        },
      },
      { highWaterMark: 0 },
    );
    const route = apiRoute({
      GET: withApi(() => new Response(body, { status: 201, headers: { 'x-a': 'b' } }), { access: 'public' }),
    });
    const head = await route.HEAD(new Request('http://perch.test/x', { method: 'HEAD' }), {
      params: Promise.resolve({}),
    });
    expect([head.status, head.headers.get('x-a'), head.body]).toEqual([201, 'b', null]);
    expect(pulled).toBe(0);
  });
});

describe('domain errors', () => {
  it('are mapped to statuses and headers in lib/api only', () => {
    expect(replyOf(new NotFound('gone'))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'gone' } },
      headers: undefined,
    });
    expect(replyOf(new InvalidCursor('bad'))?.status).toBe(400);
    expect(replyOf(new NotAuthenticated('who'))?.headers).toEqual({ 'www-authenticate': 'Bearer realm="perch"' });
    expect(replyOf(new DomainError('store_unavailable', 'later', undefined, 5))?.headers).toEqual({
      'retry-after': '5',
    });
    expect(replyOf(new ApiError('too_many_streams', 'full', undefined, { 'retry-after': '10' }))?.headers).toEqual({
      'retry-after': '10',
    });
    expect(replyOf(new Error('boom'))).toBeUndefined();
    expect(toApiError(new NotFound('gone')).status).toBe(404);
  });
});

describe('query schemas', () => {
  it('parse URLSearchParams into the typed query, the filter first', () => {
    expect(QUERIES.top(new URLSearchParams('dimension=rule&limit=3&rule=a'))).toMatchObject({
      filter: { rule: ['a'] },
      dimension: 'rule',
      limit: 3,
    });
    expect(() => QUERIES.top(new URLSearchParams('dimension=nope&from=yesterday'))).toThrow(
      /from: expected an ISO time/,
    );
    expect(() => QUERIES.top(new URLSearchParams('dimension=nope'))).toThrow(/dimension must be one of/);
    expect(QUERIES.stream(new URLSearchParams('')).after).toBeUndefined();
    expect(parseIntParam(new URLSearchParams('n=5'), 'n', 1, 9, 2)).toBe(5);
    expect(parseEventQuery(new URLSearchParams('limit=7')).page).toEqual({ limit: 7 });
  });
});
