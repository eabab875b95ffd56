import type { PortInfo } from '../protocol/index.js';
import { portAddress } from './format.js';

/**
 * One GET to an http(s) port, to show that a dev server answers: '200 OK', or why not.
 * Never throws; gives up after `timeoutMs`.
 */
export async function probePort(port: PortInfo, timeoutMs = 2000): Promise<string> {
  try {
    const response = await fetch(`${portAddress(port)}/`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return `${response.status} ${response.statusText}`.trim();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (cause?.code ?? (error as Error).message);
  }
}
