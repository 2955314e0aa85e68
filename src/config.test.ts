import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a'.repeat(32);
const SEALING = 's'.repeat(40);
const DEV_SECRET = 'coproduce-development-cookie-secret-not-for-production';

/** The error loadConfig stops with for this environment. */
function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('starts in development on a laptop with nothing set', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
      cookieSecret: DEV_SECRET,
      bidSealingSecret: 'coproduce-development-bid-sealing-secret-not-for-production',
      baseUrl: 'http://localhost:3000',
      logLevel: 'info',
      smtpUrl: undefined,
      mailFrom: 'Coproduce <no-reply@coproduce.invalid>',
      signInRateLimit: 10,
      sessionHours: 12,
      pageCacheSeconds: 60,
    });
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ NODE_ENV: '', PORT: '', HOST: '', DATABASE_URL: '', BASE_URL: '', LOG_LEVEL: '', SMTP_URL: '', SIGN_IN_RATE_LIMIT: '', SESSION_HOURS: '' });
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.signInRateLimit).toBe(10);
  });

  it('is silent in tests unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('derives the base URL from the port', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
  });
});

describe('loadConfig reads every variable', () => {
  it('takes the values given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgres://coproduce:pw@db.internal:5432/coproduce',
      COPRODUCE_DATA_DIR: '/var/lib/coproduce',
      COOKIE_SECRET: SECRET,
      BID_SEALING_SECRET: SEALING,
      BASE_URL: 'https://coproduce.example.gov.uk',
      LOG_LEVEL: 'warn',
      SMTP_URL: 'smtps://mail.example.gov.uk:465',
      MAIL_FROM: 'Lambeth <noreply@lambeth.example>',
      SIGN_IN_RATE_LIMIT: '5',
      SESSION_HOURS: '720',
      PAGE_CACHE_SECONDS: '0',
    });
    expect(config).toEqual({
      env: 'production',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://coproduce:pw@db.internal:5432/coproduce',
      dataDir: '/var/lib/coproduce',
      cookieSecret: SECRET,
      bidSealingSecret: SEALING,
      baseUrl: 'https://coproduce.example.gov.uk',
      logLevel: 'warn',
      smtpUrl: 'smtps://mail.example.gov.uk:465',
      mailFrom: 'Lambeth <noreply@lambeth.example>',
      signInRateLimit: 5,
      sessionHours: 720,
      pageCacheSeconds: 0,
    });
  });

  it('accepts postgresql:// and smtp:// too, and the ends of each range', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/coproduce' }).databaseUrl).toBe('postgresql://localhost/coproduce');
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:1025' }).smtpUrl).toBe('smtp://localhost:1025');
    expect(loadConfig({ BASE_URL: 'http://localhost:3000' }).baseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ SIGN_IN_RATE_LIMIT: '1' }).signInRateLimit).toBe(1);
    expect(loadConfig({ SIGN_IN_RATE_LIMIT: '10000' }).signInRateLimit).toBe(10000);
    expect(loadConfig({ SESSION_HOURS: '1' }).sessionHours).toBe(1);
  });

  it('makes a relative data directory absolute', () => {
    expect(loadConfig({ COPRODUCE_DATA_DIR: 'var/data' }).dataDir).toBe(path.resolve('var/data'));
  });
});

describe('loadConfig stops on a bad value, naming the variable', () => {
  it.each([
    ['NODE_ENV', 'staging', /NODE_ENV must be one of development, production, test, got "staging"/],
    ['NODE_ENV', 'Production', /NODE_ENV/],
    ['PORT', 'abc', /PORT must be a whole number, got "abc"/],
    ['PORT', '-1', /PORT must be a whole number/],
    ['PORT', '80.5', /PORT must be a whole number/],
    ['PORT', ' 80', /PORT must be a whole number/],
    ['PORT', '1e3', /PORT must be a whole number/],
    ['PORT', '65536', /PORT must be between 0 and 65535, got 65536/],
    ['PORT', '99999999999999999999', /PORT must be between 0 and 65535/],
    ['SIGN_IN_RATE_LIMIT', '0', /SIGN_IN_RATE_LIMIT must be between 1 and 10000/],
    ['SIGN_IN_RATE_LIMIT', '10001', /SIGN_IN_RATE_LIMIT must be between 1 and 10000/],
    ['SIGN_IN_RATE_LIMIT', 'ten', /SIGN_IN_RATE_LIMIT must be a whole number/],
    ['SESSION_HOURS', '0', /SESSION_HOURS must be between 1 and 720/],
    ['SESSION_HOURS', '721', /SESSION_HOURS must be between 1 and 720/],
    ['SESSION_HOURS', '12h', /SESSION_HOURS must be a whole number/],
    ['PAGE_CACHE_SECONDS', '3601', /PAGE_CACHE_SECONDS must be between 0 and 3600/],
    ['PAGE_CACHE_SECONDS', '-1', /PAGE_CACHE_SECONDS must be a whole number/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a valid URL/],
    ['DATABASE_URL', 'mysql://localhost/coproduce', /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', 'localhost:5432', /DATABASE_URL must start with postgres:\/\//],
    ['BASE_URL', 'coproduce.example.gov.uk', /BASE_URL is not a valid URL/],
    ['BASE_URL', 'ftp://coproduce.example.gov.uk', /BASE_URL must start with http:\/\/ or https:\/\//],
    ['SMTP_URL', 'http://mail.example.gov.uk', /SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    ['SMTP_URL', '::', /SMTP_URL is not a valid URL/],
    ['COOKIE_SECRET', 'too-short', /COOKIE_SECRET must be set to at least 32 characters/],
    ['COOKIE_SECRET', 'a'.repeat(31), /COOKIE_SECRET/],
    ['COOKIE_SECRET', '', /COOKIE_SECRET/],
  ])('%s=%j', (name, value, message) => {
    const err = failure({ [name]: value });
    expect(err.message).toMatch(message);
    expect(err.message).toContain(name);
  });

  it('does not repeat a database password in the message', () => {
    const err = failure({ DATABASE_URL: 'mysql://coproduce:hunter2-secret@db/coproduce' });
    expect(err.message).not.toContain('hunter2-secret');
  });

  it('accepts a 32-character cookie secret', () => {
    expect(loadConfig({ COOKIE_SECRET: 'b'.repeat(32) }).cookieSecret).toBe('b'.repeat(32));
  });
});

describe('loadConfig in production', () => {
  it('refuses to start without a cookie secret', () => {
    expect(failure({ NODE_ENV: 'production' }).message).toMatch(/COOKIE_SECRET must be set .* in production/);
  });

  it('refuses a short cookie secret', () => {
    expect(failure({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(31) }).message).toMatch(/COOKIE_SECRET/);
  });

  it('refuses the development cookie secret, which is public', () => {
    expect(failure({ NODE_ENV: 'production', COOKIE_SECRET: DEV_SECRET }).message).toMatch(/COOKIE_SECRET must not be the development secret/);
  });

  it('refuses to start without a bid sealing secret, or with its development value', () => {
    expect(failure({ NODE_ENV: 'production', COOKIE_SECRET: SECRET }).message).toMatch(/BID_SEALING_SECRET must be set .* in production/);
    expect(failure({ NODE_ENV: 'production', COOKIE_SECRET: SECRET, BID_SEALING_SECRET: 'coproduce-development-bid-sealing-secret-not-for-production' }).message).toMatch(/BID_SEALING_SECRET must not be the development secret/);
  });

  it('starts with proper secrets', () => {
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: SECRET, BID_SEALING_SECRET: SEALING }).env).toBe('production');
  });

  it('uses the development secret only outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).cookieSecret).toBe(DEV_SECRET);
    expect(loadConfig({ NODE_ENV: 'test' }).cookieSecret).toBe(DEV_SECRET);
    expect(loadConfig({ NODE_ENV: 'test' }).bidSealingSecret).not.toBe(DEV_SECRET);
  });
});
