import t, { type Test } from 'tap';
import { accessSync, constants, copyFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createControlHandler, serveDashboard, type ControlHandlerOptions } from '../../src/index.js';
import { EVENT_WAIT_MS, fixture, startSupervisor, within } from '../helpers/index.js';
import { runCli, tempDir, writeConfig } from '../cli/run-cli.js';

// Debian's chromium package (what .ci/run installs), or the browser PROCWIRE_CHROMIUM names.
function findChromium(): string | undefined {
  const candidates = [process.env.PROCWIRE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path) => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const executablePath = findChromium();
const noChromium = executablePath ? false : 'no Chromium here (apt-get install -y chromium, or set PROCWIRE_CHROMIUM)';

// One browser for the whole file: a launch costs more than every check together.
let launched: Promise<Browser> | undefined;
function theBrowser(): Promise<Browser> {
  launched ??= within(
    chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-dev-shm-usage'] }),
    'Chromium to start',
  );
  return launched;
}
t.teardown(async () => (await launched)?.close());

/** Resolves when `check` (run against the page from here, not in it) holds; polled. */
async function pageShows<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  // Polled from here: the page's CSP (no eval) refuses the functions waitForFunction sends.
  const poll = async (): Promise<T> => {
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return within(poll(), what);
}

/** A supervisor with a dashboard served by the library, both closed when the test ends. */
async function libraryDashboard(t: Test, options: ControlHandlerOptions = {}) {
  const sup = await startSupervisor(t);
  const handler = createControlHandler(sup, options);
  t.teardown(() => handler.close());
  const dashboard = await serveDashboard(handler);
  t.teardown(() => dashboard.close());
  return { sup, dashboard };
}

/** What the page reported besides the cut event stream, which Chromium reports itself. */
function scriptErrors(problems: readonly string[]): string[] {
  return problems.filter((problem) => !problem.includes('net::ERR_INCOMPLETE_CHUNKED_ENCODING'));
}

/** A new page that collects script errors, closed when the test ends. */
async function openPage(t: Test): Promise<{ page: Page; problems: string[] }> {
  const page = await (await theBrowser()).newPage({ viewport: { width: 1400, height: 820 } });
  t.teardown(() => page.close());
  page.setDefaultTimeout(EVENT_WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  return { page, problems };
}
// The real TypeScript 5 compiler from npm (test/compilers pins it), unmodified, in watch mode.
const tsc = fileURLToPath(new URL('../compilers/node_modules/typescript-5/bin/tsc', import.meta.url));

t.test(
  'the dashboard in a real browser: children live, a port link, diagnostics of a real tsc --watch, a log line, restart',
  { skip: noChromium },
  async (t) => {
    const project = realpathSync(tempDir(t, 'procwire-dashboard-tsc-'));
    writeFileSync(join(project, 'a.ts'), "export const a: number = 'one';\n");
    const config = writeConfig(t, [
      { id: 'web', command: process.execPath, args: [fixture('reports-http-port.cjs')] },
      {
        id: 'tsc',
        command: process.execPath,
        // The ES5 library alone, unchecked: one compile costs about 0.5 s of CPU, not 3.
        args: [tsc, '--watch', '--preserveWatchOutput', '--noEmit', '--lib', 'es5', '--skipLibCheck', 'a.ts'],
        cwd: project,
        connect: 'none',
        matchers: ['$tsc-watch'],
        readyWhen: 'cycle',
      },
      { id: 'logs', command: process.execPath, args: [fixture('logs-and-prints.cjs')] },
    ]);
    const run = runCli(t, ['run', config, '--ui']);
    const [, url] = await run.waitFor(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})$/);
    await run.waitFor(/^logs\s+\| running/);

    const { page, problems } = await openPage(t);
    await page.goto(url as string);
    t.equal(new URL(page.url()).search, '', 'the token left the address bar');
    t.same(await page.context().cookies(), [], 'no cookie: one of 127.0.0.1 would go to every port of it');

    const web = page.locator('tr[data-child="web"]');
    await web.locator('.state', { hasText: 'running' }).waitFor();
    t.equal(await page.locator('.connection').textContent(), 'live', 'the page follows the event stream');
    const pid = Number(await web.locator('.pid').textContent());
    t.ok(pid > 0, `web's pid is shown (${pid})`);

    const link = web.locator('.ports a');
    const href = (await link.getAttribute('href')) as string;
    t.match(href, /^http:\/\/127\.0\.0\.1:\d+\/?$/, 'the port is a link');
    t.equal(await (await fetch(href)).text(), 'hello from web', 'to the child’s server');

    // Diagnostics as compilers print them: file:line:col, 1-based, the full path in the title.
    const where = page.locator('.diagnostic.error .where').first();
    await where.waitFor();
    t.equal(await where.getAttribute('title'), `${join(project, 'a.ts')}:1:14`);
    t.equal(await where.textContent(), 'a.ts:1:14');
    t.match(
      await page.locator('.diagnostic.error .message').first().textContent(),
      "Type 'string' is not assignable to type 'number'.",
      "tsc's own message",
    );
    t.equal(await page.locator('.diagnostic.error .code').first().textContent(), 'TS2322', 'the code as tsc prints it');
    t.match(await page.locator('header .totals').textContent(), /^3 children · 1 error · 0 warnings$/);

    // A child's output: what it printed before the page opened, fetched when it is chosen.
    await page.locator('tr[data-child="logs"] td.id').click();
    await page.locator('.log[data-child="logs"] .line', { hasText: 'compiling 3 files' }).waitFor();
    t.pass('the log pane shows a line the child logged');

    // Restart from the page: the row shows a new pid, running again.
    await web.locator('button[data-action="restart"]').click();
    const restarted = async (): Promise<number | undefined> => {
      const now = Number(await web.locator('.pid').textContent());
      const running = (await web.locator('.state').textContent()) === 'running';
      return now > 0 && now !== pid && running ? now : undefined;
    };
    const newPid = await pageShows(restarted, 'the row to show web running with a new pid');
    t.not(newPid, pid, `a new pid (${pid} -> ${newPid})`);
    t.match(run.lines.join('\n'), /web\s+\| stopping \(pid \d+\): restart requested/, 'procwire run saw the restart');

    const shot = join(tempDir(t, 'procwire-shot-'), 'dashboard.png');
    await page.screenshot({ path: shot });
    t.ok(statSync(shot).size > 10_000, 'a screenshot was saved');
    // The README's screenshot: PROCWIRE_DASHBOARD_SCREENSHOT=docs/dashboard.png npx tap <this file>
    if (process.env.PROCWIRE_DASHBOARD_SCREENSHOT) copyFileSync(shot, process.env.PROCWIRE_DASHBOARD_SCREENSHOT);
    const others = scriptErrors(problems);
    t.same(others, [], 'no script errors on the page');
  },
);

t.test(
  'the dashboard reconnects when its event stream drops, resumes with Last-Event-ID, and shows what changed meanwhile',
  { skip: noChromium },
  async (t) => {
    const { sup, dashboard } = await libraryDashboard(t);
    // Every event stream the page opens: its socket, to drop it, and how it asked to resume.
    const streams: { socket: Socket; resumeFrom: string | undefined }[] = [];
    const opened: (() => void)[] = [];
    dashboard.server.on('request', (req: IncomingMessage) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/api/events') return;
      // EventSource resumes with the header; the page's own reopen puts the id in the query.
      const header = req.headers['last-event-id'];
      const resumeFrom =
        (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId') ?? undefined;
      streams.push({ socket: req.socket, resumeFrom });
      for (const resolve of opened.splice(0)) resolve();
    });
    const nextStream = (): Promise<void> => new Promise((resolve) => opened.push(resolve));
    const web = await sup.spawn({
      id: 'web',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1e9)'],
      connect: 'none',
    });
    const pid = web.pid as number;

    const { page, problems } = await openPage(t);
    await page.goto(dashboard.url);
    const row = page.locator('tr[data-child="web"]');
    await row.locator('.pid', { hasText: String(pid) }).waitFor();
    await page.locator('.connection', { hasText: 'live' }).waitFor();
    t.equal(streams.length, 1, 'one event stream open');

    // The server drops the stream (as it drops a client that does not read); the run goes on,
    // and the child is restarted while the page is cut off from it.
    const reopened = nextStream();
    streams[0]?.socket.destroy();
    await web.restart();
    const newPid = web.pid as number;
    t.not(newPid, pid, 'restarted with a new pid');

    await within(reopened, 'the page to open a second event stream');
    t.match(streams[1]?.resumeFrom, /^\w+:\d+$/, `it resumed from the last event it had (${streams[1]?.resumeFrom})`);
    const shown = async (): Promise<number | undefined> => {
      const now = Number(await row.locator('.pid').textContent());
      return now === newPid && (await row.locator('.state').textContent()) === 'running' ? now : undefined;
    };
    t.equal(await pageShows(shown, 'the row to show the pid of the restart'), newPid, 'the page shows the new pid');
    t.equal(await page.locator('.connection').textContent(), 'live', 'and says it is live again');
    const others = scriptErrors(problems);
    t.same(others, [], 'no script errors on the page');
  },
);

t.test(
  'a start that never got ready reads failed on the page, as in procwire ps, with the reason on hover',
  { skip: noChromium },
  async (t) => {
    const config = writeConfig(t, [
      {
        id: 'silent',
        command: process.execPath,
        args: [fixture('never-connects.cjs')],
        restart: 'never',
        readyTimeout: '300ms',
      },
      // Keeps the run going: a run whose children have all ended ends.
      { id: 'web', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1e9)'], connect: 'none' },
    ]);
    const run = runCli(t, ['run', config, '--ui']);
    const [, url] = await run.waitFor(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})$/);
    await run.waitFor(/^silent\s+\| failed: .*not ready within 0\.3 s/);

    const { page, problems } = await openPage(t);
    await page.goto(url as string);
    const state = page.locator('tr[data-child="silent"] .state');
    await state.waitFor();
    t.equal(await state.textContent(), 'failed', 'the word procwire run and procwire ps use');
    t.equal(await state.getAttribute('class'), 'state state-failed', 'drawn as a failure');
    t.match(await state.getAttribute('title'), /not ready within 0\.3 s: it never connected/, 'the reason on hover');
    const others = scriptErrors(problems);
    t.same(others, [], 'no script errors on the page');
  },
);

t.test(
  "another server on 127.0.0.1 that the browser visits gets nothing of the dashboard's token; the tab keeps it (and: an IPv6 port in brackets, no button for a child not spawned yet)",
  { skip: noChromium },
  async (t) => {
    const { sup, dashboard } = await libraryDashboard(t, { configured: ['later'] });
    const token = new URL(dashboard.url).searchParams.get('token') as string;
    // What a child's dev server (one of the page's own port links) would see of a visit.
    const seen: IncomingMessage['headers'][] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => other.close(() => resolve())));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;

    // An IPv6 port is shown as procwire ps shows it, in brackets.
    await sup.spawn({ id: 'v6', command: process.execPath, args: [fixture('reports-port-host.cjs'), '::1', '4173'] });

    const { page, problems } = await openPage(t);
    await page.goto(dashboard.url);
    await page.locator('.connection', { hasText: 'live' }).waitFor();
    const v6 = page.locator('tr[data-child="v6"] .ports a');
    await v6.waitFor();
    t.equal(await v6.textContent(), 'http [::1]:4173');
    t.equal(await v6.getAttribute('href'), 'http://[::1]:4173/');
    // A configured child not spawned yet has nothing to control: no button asks for a 409.
    const later = page.locator('tr[data-child="later"]');
    t.equal(await later.locator('.state').textContent(), 'pending');
    t.same(
      await Promise.all((await later.locator('button').all()).map((button) => button.isDisabled())),
      [true, true, true],
      'its start, stop and restart are disabled',
    );
    await page.goto(otherUrl);
    t.ok(seen.length > 0, 'the other server was visited');
    t.notOk(
      seen.some((headers) => JSON.stringify(headers).includes(token)),
      'no request to it carried the token (no cookie, no referrer)',
    );
    t.equal(await page.evaluate("sessionStorage.getItem('procwire-token')"), null, 'nor can its page read it');

    // Back in the tab, the dashboard still has its token: a reload goes live again.
    await page.goto(`http://127.0.0.1:${dashboard.port}/`);
    await page.locator('.connection', { hasText: 'live' }).waitFor();
    t.pass('the tab kept its token');

    // A new tab without the printed URL has no token: it says what to open, and asks nothing.
    const { page: fresh } = await openPage(t);
    await fresh.goto(`http://127.0.0.1:${dashboard.port}/`);
    await fresh.locator('.connection', { hasText: 'refused' }).waitFor();
    t.match(await fresh.locator('.problem').textContent(), /open the URL that procwire run --ui printed/);
    const others = scriptErrors(problems);
    t.same(others, [], 'no script errors on the dashboard');

    // A new dashboard on the same port has a new token: the live tab's stream drops, and the
    // token it kept is refused, which it says instead of reconnecting for ever.
    const { port } = dashboard;
    await dashboard.close();
    const handler = createControlHandler(sup);
    t.teardown(() => handler.close());
    const next = await serveDashboard(handler, { port });
    t.teardown(() => next.close());
    await page.locator('.connection', { hasText: 'refused' }).waitFor();
    t.match(await page.locator('.problem').textContent(), /open the URL that procwire run --ui printed/);
  },
);
