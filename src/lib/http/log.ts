/** What the request log may say: never a secret in a URL, a cookie or a token header. */
import type { FastifyRequest } from 'fastify';

const SECRET_PATHS = /\/(reset-password)\/[^/?#]+/g;

export const maskUrl = (url: string): string => url.replace(SECRET_PATHS, '/$1/[redacted]');

export const requestSerializer = (req: FastifyRequest) => ({
  method: req.method,
  url: maskUrl(req.url),
  remoteAddress: req.ip,
});

export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];
