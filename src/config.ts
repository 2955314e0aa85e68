/**
 * Configuration from environment variables, validated once at start-up.
 * A bad value stops start-up with a message that names the variable, so a
 * misconfigured deployment never half-starts.
 */
import path from 'node:path';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** postgres://… for a server; undefined means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Secret for signing cookies (session, CSRF). */
  cookieSecret: string;
  /**
   * Secret the keys that seal tender bids are derived from. Apart from the cookie secret, because
   * that one may be rotated at any time, while a bid sealed under this must stay openable.
   */
  bidSealingSecret: string;
  /** Public base URL, used in e-mails (password reset links). */
  baseUrl: string;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Sign-in attempts allowed per IP address per minute. */
  signInRateLimit: number;
  sessionHours: number;
  /** How long a public page rendered for a signed-out visitor may be served again; 0 turns that off. */
  pageCacheSeconds: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  return raw;
}

/** A secret of at least 32 characters: a development value on a laptop, required (and not that value) in production. */
function secret(env: Env, name: string, mode: Config['env']): string {
  const development = `coproduce-development-${name.toLowerCase().replace(/_/g, '-')}-not-for-production`;
  const value = env[name] ?? (mode === 'production' ? '' : development);
  if (value.length < 32) throw new ConfigError(`${name} must be set to at least 32 characters in production`);
  if (mode === 'production' && value === development) throw new ConfigError(`${name} must not be the development secret in production`);
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const mode = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const cookieSecret = secret(env, 'COOKIE_SECRET', mode);
  const bidSealingSecret = secret(env, 'BID_SEALING_SECRET', mode);
  return {
    env: mode,
    host: env.HOST || '127.0.0.1',
    port,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.COPRODUCE_DATA_DIR || 'data'),
    cookieSecret,
    bidSealingSecret,
    baseUrl: url(env, 'BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, mode === 'test' ? 'silent' : 'info'),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Coproduce <no-reply@coproduce.invalid>',
    signInRateLimit: integer(env, 'SIGN_IN_RATE_LIMIT', 10, 1, 10000),
    sessionHours: integer(env, 'SESSION_HOURS', 12, 1, 24 * 30),
    pageCacheSeconds: integer(env, 'PAGE_CACHE_SECONDS', 60, 0, 3600),
  };
}
