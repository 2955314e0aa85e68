/**
 * pabutools' iterated MES ("add1"): start from budget / voters and add one unit of money per voter
 * until the outcome uses the budget up (no supported project would still fit), and return it; or,
 * as soon as an outcome would overspend the budget, return the previous one.
 *
 * The runs are independent: each starts from its own share and depends on no other, and the
 * iteration only reads them in order. So once a count has gone on for a while, a worker thread
 * (src/lib/worker.ts, kept for the next count, so it starts once per process and is warm after)
 * counts run k + 1 on the other core while this thread counts run k. The
 * outcome is the very one counted alone gives: the runs are the same, only who counts them
 * differs; a run the iteration turns out not to need is thrown away. Until the worker says it is
 * set up, this thread goes on alone, and should the worker fail, the count carries on here.
 */
import { keptWorker, type WorkerSession } from '../../../lib/worker.ts';
import { add, fromInt, type Rational } from '../../../lib/rational.ts';
import { isExhaustive, totalCost } from './profile.ts';
import { MesCounter, selectedIn, startingShare, type MesOrder, type MesRun, type MesSatisfaction, type MesSetup } from './mes.ts';
import { disjointAddOne } from './mes-disjoint.ts';
import { packProfile, type AddOneQuestion } from './mes-add-one-worker.ts';

const WORKER = new URL('./mes-add-one-worker.ts', import.meta.url);

/**
 * How long a count goes on alone before it asks the worker. Asking costs this thread a few
 * milliseconds (packing the profile) and the worker tens to set up (a few hundred more the first
 * time, to start), so only a count that has already run this long (Warszawa 2026, Mokotów 2023,
 * Kraków 2024, Toulouse 2022) gains by it.
 */
export const ALONE_FOR_MS = 25;

export interface AddOneCount {
  run: MesRun;
  /** Runs counted up to the one that decided, as pabutools counts its iterations. */
  runs: number;
  /** How many of them the worker counted. */
  workerRuns: number;
}

export async function mesAddOne(setup: MesSetup, kind: MesSatisfaction, options?: { aloneForMs?: number }): Promise<AddOneCount> {
  const counter = new MesCounter(setup);
  if (!counter.disjoint) return countAddOne(counter, kind, options);
  const { share, runs } = disjointAddOne(setup, startingShare(setup.profile));
  return { run: counter.run(share), runs, workerRuns: 0 };
}

/** The worker counting every other run: `ready` once it has the profile. */
interface Helper {
  ready: boolean;
  /** Run k's order from the worker, or null if it failed or was ended. */
  order(share: Rational): Promise<number[] | null>;
  end(): void;
}

/** Numbers the counts the kept worker is helping with. */
let counts = 0;

function startHelper(counter: MesCounter, kind: MesSatisfaction): Helper {
  const worker: WorkerSession<AddOneQuestion, number[] | null> = keptWorker(WORKER);
  const count = counts++;
  const helper: Helper = {
    ready: false,
    order: (share) => worker.ask({ count, share }).catch(() => null),
    end: () => void worker.ask({ count, forget: true }).catch(() => null),
  };
  worker.ask({ count, setUp: { profile: packProfile(counter.setup.profile), kind } }).then(
    () => (helper.ready = true),
    () => (helper.ready = false),
  );
  return helper;
}

/** Lets the worker's answer in while this thread counts alone. */
const letMessagesIn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The add-one iteration run by run (exported for tests, which compare it with the disjoint
 * shortcut, and counted alone with the worker). `aloneForMs` is how long before a worker helps.
 */
export async function countAddOne(counter: MesCounter, kind: MesSatisfaction, { aloneForMs = ALONE_FOR_MS } = {}): Promise<AddOneCount> {
  const { setup } = counter;
  const { profile } = setup;
  const first = startingShare(profile);
  const shareOf = (k: number): Rational => add(first, fromInt(profile.moneyScale * BigInt(k)));
  const exhaustive = (found: MesOrder) => isExhaustive(profile, selectedIn(setup, found.order), setup.candidates);
  const overspends = (found: MesOrder) => totalCost(profile, selectedIn(setup, found.order)) > profile.budget;
  const startedAt = performance.now();
  let helper: Helper | null = null;
  let workerRuns = 0;
  try {
    // Run k is `previous`. The first run cannot overspend: together the voters hold exactly the budget.
    let k = 0;
    let previous = counter.order(shareOf(0));
    for (;;) {
      if (exhaustive(previous)) return { run: counter.exact(previous), runs: k + 1, workerRuns };
      if (!helper && performance.now() - startedAt >= aloneForMs) helper = startHelper(counter, kind);
      if (!helper?.ready) {
        if (helper) await letMessagesIn();
        const next = counter.order(shareOf(k + 1));
        if (overspends(next)) return { run: counter.exact(previous), runs: k + 2, workerRuns };
        previous = next;
        k += 1;
        continue;
      }
      const asked = helper.order(shareOf(k + 2));
      const next = counter.order(shareOf(k + 1));
      if (overspends(next)) return { run: counter.exact(previous), runs: k + 2, workerRuns };
      if (exhaustive(next)) return { run: counter.exact(next), runs: k + 2, workerRuns };
      const answer = await asked;
      if (answer) workerRuns++;
      const afterNext: MesOrder = answer ? { share: shareOf(k + 2), order: answer, exact: null } : counter.order(shareOf(k + 2));
      if (overspends(afterNext)) return { run: counter.exact(next), runs: k + 3, workerRuns };
      previous = afterNext;
      k += 2;
    }
  } finally {
    helper?.end();
  }
}
