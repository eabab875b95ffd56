import type { ChildView } from '../control/index.js';
import { formatErrorText } from './error-text.js';
import { countOf, portAddress } from './format.js';
import { viewStateWord } from './roster.js';
import { escapeControls } from './sanitize-text.js';

/** What `procwire wait --for` can wait for. */
export const CONDITIONS = ['ready', 'healthy', 'port', 'cycle-clean'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** Each condition as the end of `waiting for tsc …`: what the child has to do. */
export const CONDITION_PHRASES: Record<Condition, string> = {
  ready: 'to be ready',
  healthy: 'to be healthy',
  port: 'to report a port',
  'cycle-clean': 'to end a watch cycle with no errors',
};

/** Where a wait stands, judged from the child's latest view. */
export type Verdict =
  | { kind: 'holds'; text: string }
  | { kind: 'waiting'; text: string }
  /** It cannot come true without someone starting the child again. */
  | { kind: 'fails'; text: string }
  /** This child cannot report it at all (no health check, no watch cycles). */
  | { kind: 'unsupported'; text: string };

/**
 * Judges `condition` on a child's view: `ready` (running), `port` (has reported one),
 * `healthy` (its health check passes; needs health in this procwire and the spec),
 * `cycle-clean` (its last watch cycle ended with no errors; needs a background matcher). A
 * child that ended `failed` or `exited` fails every condition; any other state waits.
 */
export function judge(condition: Condition, child: ChildView): Verdict {
  const id = escapeControls(child.id);
  const state = `${child.state}: ${escapeControls(child.reason)}`;
  if (condition === 'healthy' && child.health === undefined) {
    return { kind: 'unsupported', text: `${id} reports no health: it has no health check (spec.health)` };
  }
  if (condition === 'cycle-clean' && child.cycle === undefined) {
    return { kind: 'unsupported', text: `${id} has no watch cycles: its spec has no background problem matcher` };
  }
  const holds = holding(condition, child);
  if (holds !== undefined) return { kind: 'holds', text: `${id} ${holds}` };
  if (child.state === 'failed' || child.state === 'exited') {
    // The stderr lines a failed start quotes print as lines, each escaped (see error-text.ts).
    const why = child.error ? formatErrorText(child.error) : escapeControls(child.reason);
    // The word procwire ps and procwire run use: `failed` for a start that never got ready.
    const word = viewStateWord(child);
    return { kind: 'fails', text: `${id} ended and will not restart by itself (${word}): ${why}` };
  }
  return { kind: 'waiting', text: `${id} is ${state}${progress(condition, child)}` };
}

function holding(condition: Condition, child: ChildView): string | undefined {
  const pid = child.pid === null ? '' : ` (pid ${child.pid})`;
  switch (condition) {
    case 'ready':
      return child.state === 'running' ? `is ready${pid}` : undefined;
    case 'port': {
      const port = child.ports[0];
      return port ? `has port ${escapeControls(port.name)} ${portAddress(port)}` : undefined;
    }
    case 'healthy':
      return child.health === 'healthy' ? `is healthy${pid}` : undefined;
    case 'cycle-clean': {
      const cycle = child.cycle;
      if (cycle?.phase !== 'end' || cycle.errors > 0) return undefined;
      const counts = `${countOf(cycle.warnings, 'warning')}, ${countOf(cycle.files, 'file')}`;
      return `ended a watch cycle clean (${counts}, ${cycle.durationMs} ms)`;
    }
  }
}

function progress(condition: Condition, child: ChildView): string {
  if (condition === 'healthy') return `; health ${child.health}`;
  if (condition === 'port') return '; no port reported yet';
  if (condition !== 'cycle-clean') return '';
  const cycle = child.cycle;
  if (!cycle) return '; no watch cycle has ended yet';
  return cycle.phase === 'start'
    ? '; a watch cycle is running'
    : `; its last cycle ended with ${countOf(cycle.errors, 'error')}`;
}
