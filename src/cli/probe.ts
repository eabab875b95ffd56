import type { PortInfo } from '../protocol/index.js';
import { resolveProbeTarget } from './probe-target.js';
import { escapeControls } from './sanitize-text.js';

/** How the probe behaves. */
export interface ProbeOptions {
  /** Give up after this long. Default 2000 ms. */
  timeoutMs?: number;
  /** Probe hosts that are not loopback too. Default false. */
  anyHost?: boolean;
}

/**
 * One GET of `/` at an http(s) port, to show that a dev server answers: '200 OK', or why
 * not, including why it was not probed at all (see resolveProbeTarget). The answer is safe to
 * print (control characters escaped). Never throws.
 */
export async function probePort(port: PortInfo, options: ProbeOptions = {}): Promise<string> {
  const { timeoutMs = 2000, anyHost = false } = options;
  const target = resolveProbeTarget(port, anyHost);
  if ('refused' in target) return target.refused;
  try {
    const response = await fetch(target.url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return escapeControls(`${response.status} ${response.statusText}`.trim());
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return escapeControls(
      (error as Error).name === 'TimeoutError'
        ? `no answer in ${timeoutMs} ms`
        : (cause?.code ?? (error as Error).message),
    );
  }
}
