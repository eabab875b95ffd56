import { ProcwireError, type PortInfo } from '../protocol/index.js';
import { checkCallOptions } from '../options/call-options.js';
import { toMs, type Duration } from '../options/duration.js';
import type { ChildState } from './state.js';

/** Limits of a wait. */
export interface WaitOptions {
  timeout?: Duration;
  signal?: AbortSignal;
}

/** What a wait for a port watches: a child's ports, its state, and its port, exit and state events. */
export interface PortSource {
  readonly id: string;
  readonly ports: ReadonlyMap<string, PortInfo>;
  readonly state: ChildState;
  on(event: 'port', listener: (port: PortInfo) => void): unknown;
  on(event: 'exit', listener: () => void): unknown;
  on(event: 'state', listener: (state: ChildState) => void): unknown;
  off(event: 'port', listener: (port: PortInfo) => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
  off(event: 'state', listener: (state: ChildState) => void): unknown;
}

// A child in these states reports nothing until someone starts it again. It can get there
// without a process exit (stopped in backoff, or while waiting for a dependency or a start
// slot; failed before its spawn), so the wait watches the state as well as the exit.
const ENDED: ReadonlySet<ChildState['kind']> = new Set(['stopped', 'exited', 'failed']);

/** See Child.waitForPort. */
export function waitForPort(child: PortSource, name: string, options: WaitOptions): Promise<PortInfo> {
  checkCallOptions(`options of waitForPort("${name}") for child "${child.id}"`, options);
  const known = child.ports.get(name);
  if (known) return Promise.resolve(known);
  const timeoutMs = options.timeout === undefined ? undefined : toMs('timeout', options.timeout);
  const { signal } = options;
  const fail = (code: ProcwireError['code'], what: string): ProcwireError =>
    new ProcwireError(code, `child "${child.id}" ${what}`, { childId: child.id });
  if (signal?.aborted) return Promise.reject(fail('ABORTED', `: waiting for port "${name}" was aborted`));
  const { kind } = child.state;
  if (ENDED.has(kind)) {
    return Promise.reject(fail('STOPPED', `is ${kind} and never reported port "${name}"; start it first`));
  }
  return new Promise<PortInfo>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('port', onPort);
      child.off('exit', onExit);
      child.off('state', onState);
      signal?.removeEventListener('abort', onAbort);
    };
    const onPort = (port: PortInfo): void => {
      if (port.name !== name) return;
      cleanup();
      resolve(port);
    };
    const onExit = (): void => {
      cleanup();
      reject(fail('STOPPED', `ended before it reported port "${name}"`));
    };
    const onState = (state: ChildState): void => {
      if (ENDED.has(state.kind)) onExit();
    };
    const onAbort = (): void => {
      cleanup();
      reject(fail('ABORTED', `: waiting for port "${name}" was aborted`));
    };
    child.on('port', onPort);
    child.on('exit', onExit);
    child.on('state', onState);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        reject(fail('TIMEOUT', `did not report port "${name}" within ${timeoutMs} ms; check the name it reports`));
      }, timeoutMs);
    }
  });
}
