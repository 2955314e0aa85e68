/**
 * The baseline for the benchmark: a bare Fastify route rendering a static page
 * that extends govuk/template.njk (25-row table, like one catalogue page), with
 * the same @fastify/view + Nunjucks set-up as the app but nothing else: no
 * helmet, cookies, policy gate, database or request logging.
 * Run by bench/run.ts as a child process: PORT=… node --import tsx bench/static-server.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import view from '@fastify/view';
import nunjucks from 'nunjucks';

const root = fileURLToPath(new URL('../', import.meta.url));
const rows = Array.from({ length: 25 }, (_, i) => [
  { text: `Example service ${i + 1} – North Lambeth` },
  { text: 'Example provider' },
  { text: 'Contracted out' },
  { text: `£${(125_000 + i * 1_000).toLocaleString('en-GB')}`, format: 'numeric' },
]);

const app = Fastify({ logger: false });
await app.register(view, {
  engine: { nunjucks },
  templates: [path.join(root, 'bench/views'), path.join(root, 'node_modules/govuk-frontend/dist')],
  production: true,
});
app.get('/', (_req, reply) => reply.view('static.njk', { title: 'Local services', rows }));

const port = Number(process.env.PORT ?? 0);
await app.listen({ host: '127.0.0.1', port });
const close = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
