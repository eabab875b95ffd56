import type { ChildView, EventData, Snapshot } from '../../control/index.js';
import { toMs } from '../../options/duration.js';
import { configOption, withRun } from '../run-client.js';
import { CONDITION_PHRASES, CONDITIONS, type Condition, judge, type Verdict } from '../wait-condition.js';
import { defineVerb, UsageError } from './verb.js';

// Every event that carries the child's view; output lines are left out of the stream.
const TYPES = 'snapshot,child,state,ready,port,port-removed,cycle,health,runtime,exit,restart,gave-up';

/** `procwire wait <id> --for <condition>`: block until a running child's condition holds. */
export const waitVerb = defineVerb({
  name: 'wait',
  summary: 'wait until a child of a running procwire run is ready, healthy, has a port, or built clean',
  positionals: [{ name: 'id', required: true, description: 'the child' }],
  options: {
    for: {
      type: 'string',
      value: '<condition>',
      required: true,
      description: `what to wait for: ${CONDITIONS.join(' | ')}`,
    },
    ...configOption,
    timeout: { type: 'string', value: '<duration>', description: 'give up after this long (default 60s)' },
    json: { type: 'boolean', description: 'print { id, condition, ok, text, child } as JSON' },
  },
  description: `Waits until the condition holds for the child of the running procwire run, then exits
0: a step of a CI script or a pre-launch task (tilt wait is the model). It exits at
once if it holds already.

  ready        the child is running (ready)
  port         it has reported (or procwire found) a listening port
  healthy      its health check passes (a child with spec.health)
  cycle-clean  its last watch cycle ended with no errors (a background problem matcher)

A child that has ended failed or exited fails the wait at once, with the reason.`,
  epilogue: `Exit codes: 0 the condition holds; 1 it timed out, the child ended, or the run ended (the
reason on stderr); 2 no run of that config, an unknown id, a condition this child cannot
report, or bad usage.`,
  async run({ values, positionals }, io) {
    const id = positionals[0] as string;
    const condition = values.for as Condition | undefined;
    if (condition === undefined || !CONDITIONS.includes(condition)) {
      const list = CONDITIONS.join(', ');
      throw new UsageError(
        values.for === undefined
          ? `--for <condition> is required: one of ${list}`
          : `--for takes one of ${list}; got ${JSON.stringify(values.for)}`,
      );
    }
    let timeoutMs: number;
    try {
      timeoutMs = toMs('--timeout', values.timeout ?? '60s');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return withRun(io, 'wait', values.config, async (run) => {
      const report = (ok: boolean, text: string, child: ChildView | undefined): void => {
        if (values.json) io.stdout.write(`${JSON.stringify({ id, condition, ok, text, child })}\n`);
        else (ok ? io.stdout : io.stderr).write(ok ? `${text}\n` : `procwire wait: ${text}\n`);
      };
      const abort = new AbortController();
      let latest: Verdict | undefined;
      let child: ChildView | undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, timeoutMs);
      try {
        for await (const message of run.events(`child=${encodeURIComponent(id)}&types=${TYPES}`, {
          signal: abort.signal,
        })) {
          const data = JSON.parse(message.data) as Snapshot | EventData['state'];
          child = 'children' in data ? data.children[0] : data.child;
          if (child === undefined) continue;
          latest = judge(condition, child);
          if (latest.kind === 'waiting') continue;
          report(latest.kind === 'holds', latest.text, child);
          return latest.kind === 'holds' ? 0 : latest.kind === 'fails' ? 1 : 2;
        }
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
      const where = latest ? `; ${latest.text}` : '';
      report(
        false,
        timedOut
          ? `timed out after ${values.timeout ?? '60s'} waiting for ${id} ${CONDITION_PHRASES[condition]}${where}`
          : `the run ended while waiting for ${id} ${CONDITION_PHRASES[condition]}${where}`,
        child,
      );
      return 1;
    });
  },
});
