import { ProcwireError } from '../protocol/index.js';
import type { DependencyCondition } from './conditions.js';

/** What a dependent sees of one dependency: a structural view of a Child. */
export interface DependencyView {
  readonly id: string;
  readonly state:
    | { kind: 'starting' | 'stopping'; pid: number | undefined; reason: string }
    | { kind: 'running'; pid: number; reason: string }
    | { kind: 'exited' | 'failed'; exitCode: number | null; signal: string | null; reason: string }
    | { kind: 'backoff' | 'stopped'; reason: string };
  readonly health: 'unknown' | 'healthy' | 'unhealthy';
  readonly ports: ReadonlyMap<string, unknown>;
  /** The end of the current run's last watch cycle, if one ended. */
  readonly lastCycle: { errors: number } | undefined;
  on(event: 'state' | 'health' | 'port' | 'port-removed' | 'cycle', listener: () => void): unknown;
  off(event: 'state' | 'health' | 'port' | 'port-removed' | 'cycle', listener: () => void): unknown;
}

const EVENTS = ['state', 'health', 'port', 'port-removed', 'cycle'] as const;

type Verdict = 'holds' | 'waits' | { failed: string };

/**
 * Whether `condition` holds for the dependency's current run now. A dependency that gave up
 * (`failed`), or ended and will not be restarted (`exited`, except with code 0 for 'exited'),
 * fails; a stopped one is waited for (it may be started again).
 */
export function judge(dependency: DependencyView, condition: DependencyCondition): Verdict {
  const { state } = dependency;
  if (state.kind === 'failed') return { failed: `"${dependency.id}" failed: ${state.reason}` };
  if (state.kind === 'exited') {
    if (condition === 'exited' && state.exitCode === 0) return 'holds';
    const how = state.signal !== null ? `was killed by ${state.signal}` : `exited with code ${state.exitCode}`;
    return { failed: `"${dependency.id}" ${how} and will not be restarted` };
  }
  const alive = state.kind === 'running' || (state.kind === 'starting' && state.pid !== undefined);
  const holds = ((): boolean => {
    switch (condition) {
      case 'started':
        return alive;
      case 'ready':
        return state.kind === 'running';
      case 'healthy':
        return state.kind === 'running' && dependency.health === 'healthy';
      case 'port':
        return alive && dependency.ports.size > 0;
      case 'cycle':
        return alive && dependency.lastCycle !== undefined;
      case 'cycle-clean':
        return alive && dependency.lastCycle?.errors === 0;
      case 'exited':
        return false;
    }
  })();
  return holds ? 'holds' : 'waits';
}

/**
 * Resolves once every dependency's condition holds at the same moment, re-judged on each of
 * their events (no polling). `waiting` hears, whenever it changes, what is still awaited
 * ("waiting: db healthy, migrate exited"). Rejects with DEPENDENCY_FAILED naming the
 * dependency when one fails, STOPPED when `aborted` fires.
 */
export function waitForDependencies(
  childId: string,
  dependsOn: ReadonlyMap<DependencyView, DependencyCondition>,
  aborted: AbortSignal,
  waiting: (reason: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const cleanup = (): void => {
      aborted.removeEventListener('abort', onAbort);
      for (const dependency of dependsOn.keys()) for (const event of EVENTS) dependency.off(event, check);
    };
    const onAbort = (): void => {
      cleanup();
      reject(
        new ProcwireError('STOPPED', `child "${childId}" was stopped while waiting for its dependencies`, { childId }),
      );
    };
    function check(): void {
      const unmet: string[] = [];
      for (const [dependency, condition] of dependsOn) {
        const verdict = judge(dependency, condition);
        if (typeof verdict === 'object') {
          cleanup();
          reject(
            new ProcwireError(
              'DEPENDENCY_FAILED',
              `child "${childId}" was not started: it waits for ${dependency.id} ${condition}, ` +
                // A failure's message may end a sentence of its own (a GAVE_UP's advice does).
                `but ${verdict.failed.replace(/\.$/, '')}. ` +
                `Fix "${dependency.id}" and start both again`,
              { childId },
            ),
          );
          return;
        }
        if (verdict === 'waits') unmet.push(`${dependency.id} ${condition}`);
      }
      if (unmet.length === 0) {
        cleanup();
        resolve();
        return;
      }
      const reason = `waiting: ${unmet.join(', ')}`;
      if (reason !== said) waiting(reason);
      said = reason;
    }
    if (aborted.aborted) return onAbort();
    aborted.addEventListener('abort', onAbort, { once: true });
    for (const dependency of dependsOn.keys()) for (const event of EVENTS) dependency.on(event, check);
    check();
  });
}
