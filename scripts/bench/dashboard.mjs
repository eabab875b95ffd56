// The dashboard in a real browser (headless Chromium, as the browser test drives it) while 50
// children print 100 lines a second in all, against the same page over 50 idle children,
// measured in the same run:
// - the page's frames: the interval between animation frames (p50, p99) and long tasks (main
//   thread busy over 50 ms), loaded against idle: does the page keep its frame rate;
// - how far behind the page is: from a child's write (its wall clock in the line) to the line
//   arriving on the page's event stream (all 100 lines/s), and to the followed child's line
//   being in the log pane's DOM; the first third against the last third of the run shows
//   whether it falls behind over time.
// Needs Debian's chromium (or PROCWIRE_CHROMIUM); `procwire run --ui` as a user starts it.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { quantile, report, root } from './common.mjs';

const CHILDREN = 50;
const INTERVAL_MS = 500; // 2 lines a second each: 100 in all
const WARM_MS = 3000;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 15_000);

const executablePath = [process.env.PROCWIRE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => {
    try {
      return path !== undefined && (accessSync(path, constants.X_OK), true);
    } catch {
      return false;
    }
  },
);
if (executablePath === undefined) {
  console.error('dashboard bench: no Chromium here (apt-get install -y chromium, or set PROCWIRE_CHROMIUM)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'procwire-bench-dashboard-'));
const bin = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.procwire);
const load = loadavg()[0];

// Runs before the page's own scripts: stamps every animation frame, every long task, every
// output line as it arrives on the event stream, and every log line as it enters the DOM.
function instrument() {
  const clock = () => performance.timeOrigin + performance.now();
  const seen = { frames: [], longTasks: [], arrived: [], rendered: [] };
  window.__bench = seen;
  const frame = (at) => {
    seen.frames.push(at);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.longTasks.push(performance.timeOrigin + entry.startTime);
  }).observe({ type: 'longtask', buffered: true });
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      // Registered before the page's own listener, so it runs first.
      this.addEventListener('output', (event) => {
        const { line } = JSON.parse(event.data);
        seen.arrived.push([Number(line.text), clock()]);
      });
    }
  };
  new MutationObserver((records) => {
    const at = clock();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains('line')) seen.rendered.push([Number(node.textContent), at]);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Starts `procwire run --ui` over `children`, opens its page, and resolves with both. */
async function openDashboard(browser, name, children) {
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify(children));
  const run = spawn(process.execPath, [bin, 'run', config, '--ui'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, XDG_RUNTIME_DIR: dir },
  });
  let url;
  for await (const line of createInterface({ input: run.stdout })) {
    url = /dashboard: (http:\/\/\S+)/.exec(line)?.[1];
    if (url) break;
  }
  run.stdout.resume();
  if (!url) throw new Error(`${name}: procwire run printed no dashboard URL`);
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 820 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(url);
  await page
    .locator('tr[data-child]')
    .nth(CHILDREN - 1)
    .waitFor();
  return {
    page,
    async close() {
      await context.close();
      run.kill('SIGTERM');
      await new Promise((resolve) => run.once('exit', resolve));
    },
  };
}

/** What the page recorded within the window [from, to) of its own clock. */
async function collect(page, from, to) {
  const seen = await page.evaluate(() => window.__bench);
  const inWindow = (at) => at >= from && at < to;
  const origin = await page.evaluate(() => performance.timeOrigin);
  const frames = seen.frames.map((t) => origin + t).filter(inWindow);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return { seen, intervals, longTasks: seen.longTasks.filter(inWindow).length };
}

const pageClock = (page) => page.evaluate(() => performance.timeOrigin + performance.now());
const idleChild = (i) => ({
  id: `c${i}`,
  command: process.execPath,
  args: ['-e', 'setInterval(() => {}, 1 << 30)'],
  connect: 'none',
  ports: 'off',
});
const printingChild = (i) => ({
  id: `c${i}`,
  command: process.execPath,
  args: [join(root, 'scripts/bench/children/prints-timestamps.cjs')],
  env: { BENCH_INTERVAL_MS: String(INTERVAL_MS), BENCH_CLOCK: 'wall' },
  connect: 'none',
  ports: 'off',
});

/** Opens the page over 50 children made by `child`, follows c0, and measures after a warm-up. */
async function measure(browser, name, child) {
  const dashboard = await openDashboard(
    browser,
    name,
    Array.from({ length: CHILDREN }, (_, i) => child(i)),
  );
  try {
    await dashboard.page.locator('tr[data-child="c0"] td.id').click();
    await new Promise((resolve) => setTimeout(resolve, WARM_MS));
    const from = await pageClock(dashboard.page);
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
    return { measured: await collect(dashboard.page, from, from + MEASURE_MS), from };
  } finally {
    await dashboard.close();
  }
}

const browser = await chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-dev-shm-usage'] });
try {
  // Idle: 50 children that print nothing. Loaded: the same page while 50 children print 100
  // lines a second. c0's log is followed in both.
  const { measured: idleSeen } = await measure(browser, 'idle', idleChild);
  const { measured: busySeen, from } = await measure(browser, 'busy', printingChild);

  const lagsOf = (pairs) => pairs.filter(([written]) => written >= from && written < from + MEASURE_MS);
  const arrived = lagsOf(busySeen.seen.arrived);
  const rendered = lagsOf(busySeen.seen.rendered);
  const lag = (pairs) => pairs.map(([written, at]) => at - written);
  const third = MEASURE_MS / 3;
  const early = (pairs) => lag(pairs.filter(([written]) => written < from + third));
  const late = (pairs) => lag(pairs.filter(([written]) => written >= from + 2 * third));
  const ms = (value) => (value === undefined ? undefined : Math.round(value * 10) / 10);
  const longTasksPerSecond = (measured) => ms(measured.longTasks / (MEASURE_MS / 1000));

  const rows = [
    {
      name: 'frame interval, p50 (ms)',
      idle: ms(quantile(idleSeen.intervals, 0.5)),
      loaded: ms(quantile(busySeen.intervals, 0.5)),
      ratio: ms(quantile(busySeen.intervals, 0.5) / quantile(idleSeen.intervals, 0.5)),
    },
    {
      name: 'frame interval, p99 (ms)',
      idle: ms(quantile(idleSeen.intervals, 0.99)),
      loaded: ms(quantile(busySeen.intervals, 0.99)),
      ratio: ms(quantile(busySeen.intervals, 0.99) / quantile(idleSeen.intervals, 0.99)),
    },
    {
      name: 'long tasks (> 50 ms) per second',
      idle: longTasksPerSecond(idleSeen),
      loaded: longTasksPerSecond(busySeen),
    },
    {
      name: `write -> page's event stream, all lines (${arrived.length}), p50 / p99 (ms)`,
      loaded: `${ms(quantile(lag(arrived), 0.5))} / ${ms(quantile(lag(arrived), 0.99))}`,
      'first third -> last third, p50': `${ms(quantile(early(arrived), 0.5))} -> ${ms(quantile(late(arrived), 0.5))}`,
    },
    {
      name: `write -> followed child's log pane (DOM) (${rendered.length} lines), p50 / p99 (ms)`,
      loaded: `${ms(quantile(lag(rendered), 0.5))} / ${ms(quantile(lag(rendered), 0.99))}`,
      'first third -> last third, p50': `${ms(quantile(early(rendered), 0.5))} -> ${ms(quantile(late(rendered), 0.5))}`,
    },
  ];
  const expected = (CHILDREN * MEASURE_MS) / INTERVAL_MS;
  report('dashboard', rows, {
    load,
    children: CHILDREN,
    linesPerSecond: (CHILDREN * 1000) / INTERVAL_MS,
    measureMs: MEASURE_MS,
    linesExpected: expected,
    linesArrived: arrived.length,
  });
  console.log(`load average at start: ${load.toFixed(2)}; lines arrived ${arrived.length} of ~${expected}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
