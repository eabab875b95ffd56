import t from 'tap';
import { ProcwireError } from '../../src/index.js';
import { classifyFailure, decideRetry, type FailedAttempt, type RetryDecision } from '../../src/pool/retry.js';

const timeout = new ProcwireError('TIMEOUT', 'request "lint" to child "p/2" timed out after 300 ms');
const closed = new ProcwireError('CONNECTION_CLOSED', 'the connection to child "p/1" closed');
const notConnected = new ProcwireError('NOT_CONNECTED', 'child "p/1" is not connected');
const own = new Error('syntax error in a.ts');
const aborted = new ProcwireError('ABORTED', 'pool "p": task "lint" was aborted');

function failed(error: unknown, more: Partial<FailedAttempt> = {}): FailedAttempt {
  return {
    poolId: 'p',
    workerId: 'p/2',
    workerState: { kind: 'backoff', reason: 'exited by signal SIGKILL' },
    method: 'lint',
    timeoutMs: 300,
    attempt: 1,
    aborted: undefined,
    error,
    ...more,
  };
}

const oneRetry = { retries: 1, closing: false };

t.test('classifyFailure: no answer in time, the worker went away, or its own error', async (t) => {
  t.equal(classifyFailure(timeout), 'timeout');
  t.equal(classifyFailure(closed), 'died');
  t.equal(classifyFailure(notConnected), 'died');
  t.equal(classifyFailure(own), 'own');
  t.equal(classifyFailure(new ProcwireError('ABORTED', 'x')), 'own', 'another code is not the pool’s to retry');
  t.equal(classifyFailure('a string'), 'own');
});

t.test('an abort is the answer, even when the attempt also timed out; nothing is replaced', async (t) => {
  t.same(decideRetry(failed(timeout, { aborted }), oneRetry), {
    action: 'settle',
    error: aborted,
    replaceWorker: false,
  });
  t.same(decideRetry(failed(own, { aborted }), oneRetry), { action: 'settle', error: aborted, replaceWorker: false });
});

t.test('the worker’s own error is the answer and is never retried', async (t) => {
  const decision = decideRetry(failed(own), { retries: 3, closing: false });
  t.same(decision, { action: 'settle', error: own, replaceWorker: false });
  t.equal(decision.action === 'settle' && decision.error, own, 'the very error the worker sent');
});

t.test('a timeout or a dead worker is retried while attempts stay within retries', async (t) => {
  t.same(
    decideRetry(failed(timeout), oneRetry),
    { action: 'retry', replaceWorker: true },
    'the stuck worker is replaced',
  );
  t.same(decideRetry(failed(closed), oneRetry), { action: 'retry', replaceWorker: false }, 'its policy replaces it');
  t.same(decideRetry(failed(notConnected, { attempt: 3 }), { retries: 3, closing: false }), {
    action: 'retry',
    replaceWorker: false,
  });
  t.equal(decideRetry(failed(closed, { attempt: 2 }), oneRetry).action, 'settle', 'attempt 2 with 1 retry: used up');
  t.equal(decideRetry(failed(closed), { retries: 0, closing: false }).action, 'settle', 'no retries');
  t.equal(
    decideRetry(failed(timeout), { retries: 1, closing: true }).action,
    'settle',
    'a closing pool retries nothing',
  );
});

t.test(
  'retries used up: TASK_TIMEOUT naming the worker, the limit and the attempt; the worker is replaced',
  async (t) => {
    const decision = decideRetry(failed(timeout, { attempt: 2 }), oneRetry);
    t.equal(decision.replaceWorker, true);
    const error = settledWith(decision);
    t.match(error, { code: 'TASK_TIMEOUT', workerId: 'p/2', cause: timeout });
    t.ok(error instanceof ProcwireError);
    t.equal(
      error.message,
      'pool "p": task "lint" got no answer from worker p/2 within 300 ms (attempt 2); the worker was restarted',
    );
  },
);

t.test('retries used up: WORKER_DIED naming the worker, the attempt and what became of it', async (t) => {
  const decision = decideRetry(failed(closed), { retries: 0, closing: false });
  t.equal(decision.replaceWorker, false);
  const error = settledWith(decision);
  t.match(error, { code: 'WORKER_DIED', workerId: 'p/2', cause: closed });
  t.equal(
    error.message,
    'pool "p": worker p/2 died while running "lint" (attempt 1); worker state: backoff (exited by signal SIGKILL)',
  );
  const bare = settledWith(decideRetry(failed(closed, { workerState: undefined }), { retries: 0, closing: false }));
  t.equal(bare.message, 'pool "p": worker p/2 died while running "lint" (attempt 1)', 'no child, no state to tell');
  const running = { kind: 'running', reason: 'ready' };
  const early = settledWith(decideRetry(failed(closed, { workerState: running }), { retries: 0, closing: false }));
  t.equal(
    early.message,
    'pool "p": worker p/2 died while running "lint" (attempt 1); its connection closed (the exit was not seen yet)',
    'a worker whose exit is not seen yet is not called running',
  );
});

function settledWith(decision: RetryDecision): Error {
  if (decision.action !== 'settle') throw new Error(`expected the task to settle; the decision was ${decision.action}`);
  return decision.error;
}
