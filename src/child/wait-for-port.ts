import { ProcwireError, type PortInfo } from '../protocol/index.js';
import { toMs, type Duration } from '../options/duration.js';
import type { ChildState } from './state.js';

/** Limits of a wait. */
export interface WaitOptions {
  timeout?: Duration;
  signal?: AbortSignal;
}

/** What a wait for a port watches: a child's ports, its state, and its port and exit events. */
export interface PortSource {
  readonly id: string;
  readonly ports: ReadonlyMap<string, PortInfo>;
  readonly state: ChildState;
  on(event: 'port', listener: (port: PortInfo) => void): unknown;
  on(event: 'exit', listener: () => void): unknown;
  off(event: 'port', listener: (port: PortInfo) => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
}

/** See Child.waitForPort. */
export function waitForPort(child: PortSource, name: string, options: WaitOptions): Promise<PortInfo> {
  const known = child.ports.get(name);
  if (known) return Promise.resolve(known);
  const timeoutMs = options.timeout === undefined ? undefined : toMs('timeout', options.timeout);
  const { signal } = options;
  const fail = (code: ProcwireError['code'], what: string): ProcwireError =>
    new ProcwireError(code, `child "${child.id}" ${what}`, { childId: child.id });
  if (signal?.aborted) return Promise.reject(fail('ABORTED', `: waiting for port "${name}" was aborted`));
  const { kind } = child.state;
  if (kind === 'stopped' || kind === 'exited') {
    return Promise.reject(fail('STOPPED', `is ${kind} and never reported port "${name}"; start it first`));
  }
  return new Promise<PortInfo>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('port', onPort);
      child.off('exit', onExit);
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
    const onAbort = (): void => {
      cleanup();
      reject(fail('ABORTED', `: waiting for port "${name}" was aborted`));
    };
    child.on('port', onPort);
    child.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        reject(fail('TIMEOUT', `did not report port "${name}" within ${timeoutMs} ms; check the name it reports`));
      }, timeoutMs);
    }
  });
}
