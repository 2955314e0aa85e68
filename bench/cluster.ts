/**
 * `--workers=N` for bench/run.ts: the real app (src/main.ts) in N processes sharing one port
 * through node:cluster, to see how far more processes go on this machine. Not a deployment
 * recipe: main.ts migrates on start, so the workers are started one after another.
 */
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  const workers = Number(process.env.BENCH_WORKERS ?? 2);
  const fork = (left: number) => {
    if (left === 0) return;
    cluster.fork().once('listening', () => fork(left - 1));
  };
  fork(workers);
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await import('../src/main.ts');
}
