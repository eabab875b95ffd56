import t from 'tap';
import { accessSync, constants, copyFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { EVENT_WAIT_MS, fixture, within } from '../helpers/index.js';
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
// The real TypeScript 5 compiler from npm (test/compilers pins it), unmodified, in watch mode.
const tsc = fileURLToPath(new URL('../compilers/node_modules/typescript-5/bin/tsc', import.meta.url));

t.test(
  'the dashboard in a real browser: children live, a port link, diagnostics of a real tsc --watch, a log line, restart',
  { skip: executablePath ? false : 'no Chromium here (apt-get install -y chromium, or set PROCWIRE_CHROMIUM)' },
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

    // One browser for the whole file: a launch costs more than every check together.
    const browser: Browser = await within(
      chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-dev-shm-usage'] }),
      'Chromium to start',
    );
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    page.setDefaultTimeout(EVENT_WAIT_MS);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

    await page.goto(url as string);
    t.equal(new URL(page.url()).search, '', 'the token left the address bar');
    const cookies = await page.context().cookies();
    t.match(cookies, [{ httpOnly: true, sameSite: 'Strict' }], 'the token became an HttpOnly, SameSite=Strict cookie');

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
    t.match(await page.locator('header .totals').textContent(), /^3 children · 1 error · 0 warnings$/);

    // A child's output: what it printed before the page opened, fetched when it is chosen.
    await page.locator('tr[data-child="logs"] td.id').click();
    await page.locator('.log[data-child="logs"] .line', { hasText: 'compiling 3 files' }).waitFor();
    t.pass('the log pane shows a line the child logged');

    // Restart from the page: the row shows a new pid, running again.
    await web.locator('button[data-action="restart"]').click();
    // Polled from here: the page's CSP (no eval) refuses the functions waitForFunction sends.
    const restarted = async (): Promise<number> => {
      for (;;) {
        const now = Number(await web.locator('.pid').textContent());
        if (now > 0 && now !== pid && (await web.locator('.state').textContent()) === 'running') return now;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const newPid = await within(restarted(), 'the row to show web running with a new pid');
    t.not(newPid, pid, `a new pid (${pid} -> ${newPid})`);
    t.match(run.lines.join('\n'), /web\s+\| stopping \(pid \d+\): restart requested/, 'procwire run saw the restart');

    const shot = join(tempDir(t, 'procwire-shot-'), 'dashboard.png');
    await page.screenshot({ path: shot });
    t.ok(statSync(shot).size > 10_000, 'a screenshot was saved');
    // The README's screenshot: PROCWIRE_DASHBOARD_SCREENSHOT=docs/dashboard.png npx tap <this file>
    if (process.env.PROCWIRE_DASHBOARD_SCREENSHOT) copyFileSync(shot, process.env.PROCWIRE_DASHBOARD_SCREENSHOT);
    t.same(problems, [], 'no script errors on the page');
  },
);
