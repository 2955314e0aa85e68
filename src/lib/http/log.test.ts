import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyRequest } from 'fastify';
import { REDACT, maskUrl, requestSerializer } from './log.ts';

const TOKEN = 'q8Xz3-abcDEF_0123456789ghijklmnopQRSTUVWXYZa';

describe('maskUrl', () => {
  it.each([
    [`/reset-password/${TOKEN}`, '/reset-password/[redacted]'],
    [`/reset-password/${TOKEN}?from=email`, '/reset-password/[redacted]?from=email'],
    [`/reset-password/${TOKEN}#form`, '/reset-password/[redacted]#form'],
    [`/reset-password/${TOKEN}/`, '/reset-password/[redacted]/'],
    [`/reset-password/abc%2F${TOKEN}`, '/reset-password/[redacted]'],
    [`https://coproduce.example.gov.uk/reset-password/${TOKEN}`, 'https://coproduce.example.gov.uk/reset-password/[redacted]'],
    [`/reset-password/${TOKEN}?next=/reset-password/${TOKEN}`, '/reset-password/[redacted]?next=/reset-password/[redacted]'],
  ])('hides the token in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
    expect(maskUrl(url)).not.toContain(TOKEN);
  });

  it.each(['/', '/forgot-password', '/reset-password', '/reset-password/', '/organisations/11111111-1111-4111-8111-111111111111?page=2', '/api/v1/services?q=reset'])(
    'leaves %s alone',
    (url) => {
      expect(maskUrl(url)).toBe(url);
    },
  );

  it('masks every time it is called (no regular-expression state carried over)', () => {
    for (let i = 0; i < 3; i++) expect(maskUrl(`/reset-password/${TOKEN}${i}`)).toBe('/reset-password/[redacted]');
  });
});

describe('requestSerializer', () => {
  const request = {
    method: 'POST',
    url: `/reset-password/${TOKEN}`,
    ip: '203.0.113.7',
    headers: { authorization: `Bearer cpt_${TOKEN}`, cookie: `coproduce_session=${TOKEN}` },
  } as unknown as FastifyRequest;

  it('logs the method, the masked URL and the address, and nothing else', () => {
    expect(requestSerializer(request)).toEqual({ method: 'POST', url: '/reset-password/[redacted]', remoteAddress: '203.0.113.7' });
  });

  it('never carries a secret from the headers or the URL', () => {
    expect(JSON.stringify(requestSerializer(request))).not.toContain(TOKEN);
  });
});

function logOnce(write: (logger: pino.Logger) => void, options: pino.LoggerOptions = {}): string {
  const lines: string[] = [];
  const logger = pino({ redact: REDACT, ...options }, { write: (line: string) => void lines.push(line) });
  write(logger);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('REDACT', () => {
  it('removes the authorization and cookie request headers and the set-cookie response header', () => {
    const line = logOnce((log) =>
      log.info(
        {
          req: { method: 'GET', url: '/', headers: { authorization: `Bearer cpt_${TOKEN}`, cookie: `coproduce_session=${TOKEN}`, 'user-agent': 'test' } },
          res: { statusCode: 200, headers: { 'set-cookie': `coproduce_session=${TOKEN}; HttpOnly`, 'content-type': 'text/html' } },
        },
        'request',
      ),
    );
    expect(line).not.toContain(TOKEN);
    const entry = JSON.parse(line);
    expect(entry.req.headers.authorization).toBe('[Redacted]');
    expect(entry.req.headers.cookie).toBe('[Redacted]');
    expect(entry.res.headers['set-cookie']).toBe('[Redacted]');
    // Only the secrets go: the rest of the entry is still useful.
    expect(entry.req.headers['user-agent']).toBe('test');
    expect(entry.res.headers['content-type']).toBe('text/html');
  });

  it('with the app’s request serialiser, logs no secret from a reset link request', () => {
    const request = {
      method: 'GET',
      url: `/reset-password/${TOKEN}`,
      ip: '198.51.100.1',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: `coproduce_session=${TOKEN}` },
    };
    const line = logOnce((log) => log.info({ req: request }, 'incoming request'), { serializers: { req: requestSerializer } });
    expect(line).not.toContain(TOKEN);
    expect(JSON.parse(line).req).toEqual({ method: 'GET', url: '/reset-password/[redacted]', remoteAddress: '198.51.100.1' });
  });
});
