import type { ErrorBody, LogLine } from '../control/types.js';
import { TOKEN_HEADER, token } from './token.js';

async function failure(res: Response): Promise<Error> {
  const body = (await res.json().catch(() => undefined)) as ErrorBody | undefined;
  return new Error(body?.error.message ?? `HTTP ${res.status}`);
}

/** Asks the run to start, stop or restart a child; resolves once it accepted (202). */
export async function control(id: string, action: 'start' | 'stop' | 'restart'): Promise<void> {
  const res = await fetch(`/api/children/${encodeURIComponent(id)}/${action}?wait=false`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token() },
  });
  if (!res.ok) throw await failure(res);
}

/** The last `tail` lines of a child. */
export async function fetchLines(id: string, tail: number): Promise<LogLine[]> {
  const res = await fetch(`/api/children/${encodeURIComponent(id)}/logs?tail=${tail}`, {
    headers: { [TOKEN_HEADER]: token() },
  });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { lines: LogLine[] }).lines;
}
