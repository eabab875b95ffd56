import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

/** One attempt of a probe: whether it passed, and what was seen, for messages. */
export interface CheckResult {
  ok: boolean;
  detail: string;
  /** Nothing was checked yet: the named port is not reported. Health does not count it as a failure. */
  pending?: boolean;
}

/** At most this much of a response body is read (for the message); the rest is never buffered. */
export const BODY_LIMIT = 1024;

/** Passes when a TCP connection to `host:port` opens within `timeoutMs`; the connection is closed at once. */
export function checkTcp(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: CheckResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, detail: `tcp ${where}: no connection within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => done({ ok: true, detail: `tcp ${where}: connected` }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, detail: `tcp ${where}: ${error.code ?? error.message}` }),
    );
  });
}

/**
 * GETs `url` and passes when the status is `status` (or 200-399 when undefined), all within
 * `timeoutMs`. Reads at most BODY_LIMIT bytes of the body, then closes the connection: a
 * huge or endless body costs nothing. No redirects are followed; no agent keeps sockets.
 */
export function checkHttp(url: URL, status: number | undefined, timeoutMs: number): Promise<CheckResult> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const expected = status === undefined ? '200-399' : String(status);
  return new Promise((resolve) => {
    let settled = false;
    const req = request(url, { method: 'GET', agent: false, headers: { 'user-agent': 'procwire-probe' } });
    const done = (result: CheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, detail: `GET ${url.href}: no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    req.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, detail: `GET ${url.href}: ${error.code ?? error.message}` }),
    );
    req.once('response', (res) => {
      const code = res.statusCode ?? 0;
      const ok = status === undefined ? code >= 200 && code < 400 : code === status;
      let body = '';
      const finish = (): void => {
        const excerpt = body.trim().slice(0, 200).replace(/\s+/g, ' ');
        const verdict = ok ? '' : ` (expected ${expected})`;
        done({ ok, detail: `GET ${url.href}: ${code}${verdict}${excerpt ? `: ${excerpt}` : ''}` });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length >= BODY_LIMIT) {
          body = body.slice(0, BODY_LIMIT);
          finish();
        }
      });
      res.once('end', finish);
      res.once('error', finish);
    });
    req.end();
  });
}

/**
 * Runs `command` (no shell) and passes when it exits 0 within `timeoutMs`; one that takes
 * longer is killed with SIGKILL. Its output is not kept beyond BODY_LIMIT characters.
 */
export function checkExec(
  command: readonly string[],
  timeoutMs: number,
  cwd: string | undefined,
): Promise<CheckResult> {
  const [file, ...args] = command as [string, ...string[]];
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const done = (result: CheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      if (output.length < BODY_LIMIT) output += chunk.toString('utf8').slice(0, BODY_LIMIT - output.length);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ ok: false, detail: `${file}: did not exit within ${timeoutMs} ms` });
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, detail: `${file}: ${error.code ?? error.message}` }),
    );
    child.once('close', (code, signal) => {
      const tail = output.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
      const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      done({ ok: code === 0, detail: `${file}: ${how}${tail ? `: ${tail}` : ''}` });
    });
  });
}
