#!/usr/bin/env node
// Performance benchmark of the built extension (./build.sh bench; LH3_DIST picks the
// build) in real headless Chromium on the simulated web client. Prints markdown tables
// (paste them into docs/performance.md) and PASS/MISS for the budget's targets.
//
// Environment: LH3_BENCH_IDLE_S (idle window, default 60), LH3_BENCH_RUNS (cold-start
// runs per engine, default 5), LH3_BENCH_QUICK=1 (fewer repetitions, for a smoke run),
// CHROMIUM (browser binary, default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { launch, openWebClient, EXTENSION, HOST, ROOT as ROOT_DIR } from '../e2e/harness.mjs';
import { installNaive } from './naive.mjs';
import { startTrace, breakdown, grouped } from './trace.mjs';

const IDLE_S = Number(process.env.LH3_BENCH_IDLE_S || 60);
const RUNS = Number(process.env.LH3_BENCH_RUNS || 5);
const QUICK = process.env.LH3_BENCH_QUICK === '1';
const SIZES = [100, 1000, 5000];
const BURSTS = [1, 50, 500];
const BROWSER = process.env.CHROMIUM || '/usr/bin/chromium';

const log = (...a) => process.stderr.write(a.join(' ') + '\n');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

// ---------------------------------------------------------------- CDP helpers

/** A CDP session on the page with Performance metrics on and the extension's world found. */
export async function instrument(context, page) {
  const cdp = await context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await cdp.send('Performance.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const world = () => contexts.find((c) => c.origin.startsWith('chrome-extension://')
    && c.auxData?.frameId === frameTree.frame.id && c.auxData?.type === 'isolated');
  /** Evaluates in the content script's isolated world, with the same wasm module instance. */
  async function inExtension(call) {
    const w = world();
    if (!w) throw new Error('the content script world was not found');
    const r = await cdp.send('Runtime.evaluate', {
      expression: `import(chrome.runtime.getURL('pkg/lh3_shift.js')).then((m) => m.${call})`,
      contextId: w.id, awaitPromise: true, returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description || r.exceptionDetails.text);
    return r.result.value;
  }
  async function metrics() {
    const { metrics: m } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(m.map((x) => [x.name, x.value]));
  }
  return { cdp, inExtension, metrics, hasExtension: () => Boolean(world()) };
}

export const frames = (page, n = 2) => page.evaluate((k) => new Promise((resolve) => {
  const step = (i) => (i <= 0 ? resolve() : requestAnimationFrame(() => step(i - 1)));
  step(k);
}), n);

/** Waits until the extension has had nothing left to do for two frames. */
export async function settle(page, probe) {
  let last = JSON.stringify(await probe());
  for (let i = 0; i < 200; i++) {
    await frames(page, 2);
    const now = JSON.stringify(await probe());
    if (now === last) return;
    last = now;
  }
}

// ---------------------------------------------------------------- in-page steps

/**
 * Runs in the page (main world): makes a burst of Chat History changes through lh3sim
 * and resolves, with the wall-clock latency in ms, once every touched row carries the
 * expected mark (seen by a MutationObserver on the mark attribute, so no polling);
 * with `wait: false` (a page without the extension, or the naive script), after the next
 * animation frame, where the extension's flush marks: every setup's window is then the
 * burst, that frame and the two after it.
 */
export function burstAndWait({ kind, burst, seed, wait = true }) {
  const sim = window.lh3sim;
  const tbody = document.querySelector('table tbody');
  const NEXT = { new: 'ongoing', ongoing: 'completed', completed: 'new' };
  const PATCH = {
    ongoing: { operator: 'amy_humber', duration: '' },
    completed: { operator: 'amy_humber', duration: '4:12' },
    new: { operator: '', duration: '' },
  };
  let plan;
  if (kind === 'changed') {
    const rows = sim.state().history;
    const n = rows.length;
    const picked = new Set();
    let x = seed * 2654435761 % 4294967296;
    while (picked.size < Math.min(burst, n)) {
      x = (x * 1664525 + 1013904223) % 4294967296;
      const i = x % n;
      if (rows[i].state in NEXT) picked.add(i);
    }
    plan = [...picked].map((i) => ({ i, id: rows[i].id, want: NEXT[rows[i].state] }));
  }
  if (!wait) {
    // A page without the extension: the same burst, nothing marks it.
    if (kind === 'changed') for (const p of plan) sim.updateHistoryRow(p.id, PATCH[p.want]);
    else {
      const states = ['new', 'ongoing', 'completed'];
      for (let k = 0; k < burst; k++) sim.addHistoryRow({ queue: 'all_colleges', guest: `Guest B${k}`, started: '11:00', ...PATCH[states[(seed + k) % 3]] });
    }
    // The same window as with the extension, which marks in the next animation frame:
    // ending at once would leave that frame's page work out of this side only.
    return new Promise((resolve) => requestAnimationFrame(() => resolve(NaN)));
  }
  return new Promise((resolve) => {
    const pending = new Map();
    let t0 = 0;
    let armed = false;
    const check = (el) => {
      const want = pending.get(el);
      if (want && el.getAttribute('data-lh3-chat-state') === want) pending.delete(el);
    };
    const done = () => {
      if (armed && pending.size === 0) {
        mo.disconnect();
        resolve(performance.now() - t0);
        return true;
      }
      return false;
    };
    const mo = new MutationObserver((records) => {
      for (const r of records) check(r.target);
      done();
    });
    mo.observe(tbody, { attributes: true, attributeFilter: ['data-lh3-chat-state'], subtree: true });
    t0 = performance.now();
    if (kind === 'changed') {
      for (const p of plan) sim.updateHistoryRow(p.id, PATCH[p.want]);
      for (const p of plan) pending.set(tbody.rows[p.i], p.want);
    } else {
      const states = ['new', 'ongoing', 'completed'];
      for (let k = 0; k < burst; k++) {
        const want = states[(seed + k) % 3];
        sim.addHistoryRow({ queue: 'all_colleges', guest: `Guest B${k}`, started: '11:00', ...PATCH[want] });
      }
      for (let k = 0; k < burst; k++) pending.set(tbody.rows[k], states[(seed + burst - 1 - k) % 3]);
    }
    armed = true;
    // Marks may already be there (never for the extension: it flushes on the next frame).
    for (const el of [...pending.keys()]) check(el);
    done();
  });
}

/** Runs in the page: removes the `burst` newest rows (the ones a burst added). */
function removeNewest(burst) {
  const ids = window.lh3sim.state().history.slice(0, burst).map((r) => r.id);
  for (const id of ids) window.lh3sim.removeHistoryRow(id);
  return ids.length;
}

/** Runs in the page: true when every history row carries a mark or the unreadable flag. */
function allMarked() {
  // The fixtures' own hook: a <tr> in one client, a grid row in the other.
  const rows = document.querySelectorAll('[data-sim-part="history-row"]');
  for (const r of rows) if (!r.hasAttribute('data-lh3-chat-state') && !r.hasAttribute('data-lh3-unreadable')) return false;
  return rows.length > 0;
}

/**
 * Runs in the page: a wholesale Refresh (`rerenderHistory`: every row replaced by a new
 * element with the same data). With `marked`, resolves (wall-clock ms) once every new
 * row carries a mark again; without, at once.
 */
function refreshAndWait({ marked }) {
  const rows = () => document.querySelectorAll('[data-sim-part="history-row"]');
  const done = () => [...rows()].every((r) => r.hasAttribute('data-lh3-chat-state') || r.hasAttribute('data-lh3-unreadable'));
  const t0 = performance.now();
  window.lh3sim.rerenderHistory();
  if (!marked) return Promise.resolve(0);
  return new Promise((resolve) => {
    const mo = new MutationObserver(() => {
      if (done()) {
        mo.disconnect();
        resolve(performance.now() - t0);
      }
    });
    mo.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-lh3-chat-state', 'data-lh3-unreadable'] });
  });
}

// ---------------------------------------------------------------- the setups

async function plainBrowser(port) {
  const browser = await chromium.launch({
    executablePath: BROWSER,
    headless: true,
    args: [
      `--host-resolver-rules=MAP *.libraryh3lp.com 127.0.0.1:${port}, MAP libraryh3lp.com 127.0.0.1:${port}`,
      '--ignore-certificate-errors', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update',
    ],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  return { browser, context };
}

async function openPlain(context, query) {
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(`https://${HOST}/webclient/${query}`);
  await page.waitForFunction(() => document.documentElement.dataset.simReady === 'true');
  return page;
}

// ---------------------------------------------------------------- measurements

async function coldStart(csp) {
  const env = await launch({ csp });
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await env.context.newPage();
      await page.addInitScript(() => {
        const t = {};
        window.__lh3Bench = t;
        new MutationObserver((records) => {
          for (const r of records) {
            if (r.attributeName === 'data-lh3-chat-state' && t.firstMark == null) t.firstMark = performance.now();
            if (r.attributeName === 'data-lh3-engine' && t.engine == null) t.engine = performance.now();
          }
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-lh3-chat-state', 'data-lh3-engine'] });
      });
      await page.goto(`https://${HOST}/webclient/?state=busy&view=history`);
      await page.waitForFunction(() => window.__lh3Bench.firstMark != null && window.__lh3Bench.engine != null, null, { timeout: 30000 });
      const t = await page.evaluate(() => ({
        ...window.__lh3Bench,
        dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        engineName: document.documentElement.dataset.lh3Engine,
      }));
      runs.push(t);
      await page.close();
    }
    return {
      engine: runs[0].engineName,
      first: runs[0].firstMark,
      firstMark: median(runs.map((r) => r.firstMark)),
      afterDcl: median(runs.map((r) => r.firstMark - r.dcl)),
      dcl: median(runs.map((r) => r.dcl)),
      runs: runs.length,
    };
  } finally {
    await env.close();
  }
}

function repsFor(burst, label, size) {
  if (QUICK) return burst === 1 ? 3 : 1;
  if (label === 'naive') return burst === 1 ? 7 : burst === 50 ? 3 : size >= 5000 ? 1 : 2;
  if (label === 'no extension') return burst === 1 ? 15 : burst === 50 ? 5 : 3;
  return burst === 1 ? 25 : burst === 50 ? 9 : 5;
}

/**
 * Measures one setup on one page: for each size, kind and burst, the mean of the tab's
 * whole main-thread time (CDP TaskDuration: the page's own work, the highlighter, style,
 * layout, paint) over the burst and the two frames after it, of the highlighter's own
 * self-timed script time, and the median latency to the last mark. `probe` reads the
 * highlighter's counters; null for the page with nothing marking its rows.
 */
export async function bursts(label, page, inst, probe, { sizes = SIZES, kinds = ['changed', 'added'], counts = BURSTS } = {}) {
  const out = [];
  const marks = probe != null;
  const quiet = async () => (marks ? settle(page, probe) : frames(page, 4));
  for (const size of sizes) {
    log(`  ${label}: ${size} rows`);
    await page.evaluate((n) => window.lh3sim.setHistoryRows(n), size);
    if (marks) await page.waitForFunction(allMarked, null, { timeout: 60000, polling: 100 });
    await quiet();
    for (const kind of kinds) {
      for (const burst of counts) {
        if (kind === 'changed' && burst > size) { out.push({ size, kind, burst }); continue; }
        const reps = repsFor(burst, label, size);
        const busy = [];
        const task = [];
        const latency = [];
        for (let r = 0; r < reps; r++) {
          const s0 = marks ? await probe() : null;
          const m0 = await inst.metrics();
          latency.push(await page.evaluate(burstAndWait, { kind, burst, seed: r + 1, wait: marks }));
          await frames(page, 2);
          const s1 = marks ? await probe() : null;
          const m1 = await inst.metrics();
          busy.push(marks ? s1.busy - s0.busy : NaN);
          task.push((m1.TaskDuration - m0.TaskDuration) * 1000);
          if (kind === 'added') await page.evaluate(removeNewest, burst);
          await quiet();
        }
        out.push({ size, kind, burst, busy: mean(busy), task: mean(task), latency: marks ? median(latency) : NaN, reps });
      }
    }
  }
  return out;
}

/**
 * The wholesale re-render a Refresh causes on a client built like the real one (the
 * re-com fixture: div grid rows): 1,000 rows replaced by new elements, with the
 * extension (until every new row is marked) and without it.
 */
async function refreshes(label, page, inst, marked, reps) {
  await page.evaluate(() => window.lh3sim.setHistoryRows(1000));
  if (marked) await page.waitForFunction(allMarked, null, { timeout: 60000, polling: 100 });
  await frames(page, 6);
  const task = [];
  const latency = [];
  for (let r = 0; r < reps; r++) {
    const m0 = await inst.metrics();
    latency.push(await page.evaluate(refreshAndWait, { marked }));
    await frames(page, 2);
    const m1 = await inst.metrics();
    task.push((m1.TaskDuration - m0.TaskDuration) * 1000);
    await frames(page, 4);
  }
  log(`  ${label}: ${task.map((t) => t.toFixed(0)).join(' ')} ms`);
  return { label, reps, task: mean(task), latency: marked ? median(latency) : NaN };
}

/**
 * Where a one-row change's tab time goes (a Chrome trace): self time by kind of work on
 * the renderer's main thread, per burst.
 */
async function traceOneRow(page, inst, marked, reps) {
  await page.evaluate(() => window.lh3sim.setHistoryRows(1000));
  if (marked) await page.waitForFunction(allMarked, null, { timeout: 60000, polling: 100 });
  await frames(page, 6);
  const t = await startTrace(inst.cdp);
  for (let r = 0; r < reps; r++) {
    await page.evaluate(burstAndWait, { kind: 'changed', burst: 1, seed: 200 + r, wait: marked });
    await frames(page, 2);
  }
  const b = breakdown(await t.stop());
  return { tasks: b.tasks / reps, groups: new Map([...grouped(b.self)].map(([k, v]) => [k, v / reps])) };
}

/**
 * Where the extension's own time goes: a CPU profile (100 µs sampling) of one-row
 * changes on a Chat History of `size` rows; only samples with the content script on the
 * stack count, grouped by what was running at the top. A browser function (no script
 * URL) is named by the wasm-bindgen import that called it (`__wbg_sendMessage_…` →
 * sendMessage): V8 labels some of them with another API's name.
 */
export async function profileOneRow(page, inst, probe, reps, kind = 'changed', size = 5000) {
  await page.evaluate((n) => window.lh3sim.setHistoryRows(n), size);
  await page.waitForFunction(allMarked, null, { timeout: 60000, polling: 200 });
  await settle(page, probe);
  await inst.cdp.send('Profiler.enable');
  await inst.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await inst.cdp.send('Profiler.start');
  for (let r = 0; r < reps; r++) {
    await page.evaluate(burstAndWait, { kind, burst: 1, seed: 100 + r });
    await frames(page, 2);
  }
  const { profile } = await inst.cdp.send('Profiler.stop');
  // Added rows are taken out after the profile, so their removal is not counted.
  if (kind === 'added') {
    await page.evaluate(removeNewest, reps);
    await settle(page, probe);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const ours = (id) => {
    for (let cur = id; cur; cur = parent.get(cur)) {
      if (byId.get(cur).callFrame.url.startsWith('chrome-extension://')) return true;
    }
    return false;
  };
  const caller = (id) => {
    for (let cur = parent.get(id); cur; cur = parent.get(cur)) {
      const m = /^__wbg_([A-Za-z0-9]+)_[0-9a-f]+$/.exec(byId.get(cur).callFrame.functionName);
      if (m) return m[1];
    }
    return null;
  };
  const group = (id) => {
    const frame = byId.get(id).callFrame;
    const f = frame.functionName;
    if (f === '(garbage collector)') return 'garbage collector';
    if (frame.url.endsWith('.wasm') || f.startsWith('wasm-function')) return 'Rust (wasm)';
    if (f === 'wasm-to-js' || f === 'js-to-wasm' || /^js-to-wasm/.test(f)) return 'crossing between wasm and JS';
    if (frame.url.startsWith('chrome-extension://')) return 'wasm-bindgen glue (JS)';
    const via = caller(id);
    const name = via || f || 'anonymous';
    if (name === 'sendMessage') return 'sending the page report (runtime.sendMessage)';
    if (/^(querySelector(All)?|closest|matches)$/.test(name)) return 'selector matching (querySelector/All, closest, matches)';
    if (name === 'getBoundingClientRect') return 'forced layout (getBoundingClientRect)';
    return `browser call: ${name}`;
  };
  const totals = new Map();
  let all = 0;
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k + 1] ?? 0;
    if (!ours(id)) return;
    const g = group(id);
    totals.set(g, (totals.get(g) || 0) + dt);
    all += dt;
  });
  return { kind, size, reps, totalMs: all / 1000, parts: [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([g, us]) => ({ g, ms: us / 1000 })) };
}

async function memoryAt5000(page, inst, withExtension) {
  await page.evaluate(() => window.lh3sim.setHistoryRows(5000));
  if (withExtension) await page.waitForFunction(allMarked, null, { timeout: 60000, polling: 200 });
  await frames(page, 2);
  await inst.cdp.send('HeapProfiler.collectGarbage');
  await sleep(200);
  await inst.cdp.send('HeapProfiler.collectGarbage');
  const heap = await inst.cdp.send('Runtime.getHeapUsage');
  const m = await inst.metrics();
  const wasm = withExtension ? await inst.inExtension('wasm_memory_bytes()') : 0;
  return { used: heap.usedSize, jsHeap: m.JSHeapUsedSize, wasm };
}

// The modules of the extension's own contexts (build.sh: one per context).
const PAGE_MODULES = [
  { name: 'lh3_worker', what: 'service worker' },
  { name: 'lh3_popup', what: 'popup' },
  { name: 'lh3_options', what: 'options and setup pages' },
];

function sizes() {
  const dist = dirname(EXTENSION);
  const file = (p) => {
    const b = readFileSync(p);
    return { raw: b.length, gz: gzipSync(b, { level: 9 }).length };
  };
  const zips = readdirSync(dist).filter((f) => f.endsWith('.zip')).map((f) => ({ name: f, raw: statSync(join(dist, f)).size }));
  // The extension's own contexts, one module each (those the build made).
  const pages = PAGE_MODULES.filter((m) => existsSync(join(EXTENSION, 'pkg', `${m.name}_bg.wasm`)))
    .map((m) => ({ ...m, wasm: file(join(EXTENSION, 'pkg', `${m.name}_bg.wasm`)), glue: file(join(EXTENSION, 'pkg', `${m.name}.js`)) }));
  return {
    wasm: file(join(EXTENSION, 'pkg', 'lh3_shift_bg.wasm')),
    wasm2js: file(join(EXTENSION, 'pkg', 'lh3_shift_wasm2js.js')),
    glue: file(join(EXTENSION, 'pkg', 'lh3_shift.js')),
    pages,
    zips,
  };
}

function machine() {
  const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || cpus()[0]?.model || '?';
  let version = '?';
  try { version = execFileSync(BROWSER, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* keep ? */ }
  return { nproc: cpus().length, model, chromium: version, node: process.version };
}

// ---------------------------------------------------------------- main

async function main() {
  const m = machine();
  log(`machine: ${m.nproc} × ${m.model}; ${m.chromium}`);
  const sz = sizes();

  log('cold start (wasm)…');
  const coldWasm = await coldStart('none');
  log('cold start (wasm2js, strict CSP)…');
  const coldJs = await coldStart('strict');

  const env = await launch();
  let plain;
  try {
    plain = await plainBrowser(env.server.port);
    // Bursts: the extension, the same page without it, and the naive baseline, on the
    // same server, same run.
    const page = await openWebClient(env.context, '?state=connected&view=history');
    const inst = await instrument(env.context, page);
    const probe = async () => {
      const s = await inst.inExtension('content_stats()');
      return { busy: s.busyMs, flushes: s.flushes, callbacks: s.callbacks };
    };
    log('bursts (extension)…');
    const ours = await bursts('extension', page, inst, probe);
    log('profiles (extension, one row changed at 1,000 and 5,000 rows, one added at 5,000)…');
    const reps = QUICK ? 5 : 20;
    const prof = [
      await profileOneRow(page, inst, probe, reps, 'changed', 1000),
      await profileOneRow(page, inst, probe, reps, 'changed', 5000),
      await profileOneRow(page, inst, probe, reps, 'added', 5000),
    ];
    log('trace (extension, one row changed at 1,000 rows)…');
    const traceOurs = await traceOneRow(page, inst, true, QUICK ? 3 : 10);
    // The same page with every feature but new-chats turned off in the settings: what
    // the page loop and new-chats cost without the other features' lookups.
    log('bursts (extension, only new-chats on)…');
    // The ids as `core::features` lists them (`NewChats = "new-chats";`); none found is a
    // broken bench, not a measurement.
    const others = [...readFileSync(join(ROOT_DIR, 'src', 'core', 'features.rs'), 'utf8').matchAll(/^\s+[A-Za-z]+ = "([a-z0-9-]+)"[,;]/gm)]
      .map((x) => x[1]).filter((id) => id !== 'new-chats');
    if (others.length === 0) throw new Error('no feature ids found in src/core/features.rs');
    await env.worker.evaluate((off) => chrome.storage.sync.set({ 'settings:features': { disable_all: false, off } }), others);
    await page.waitForTimeout(500);
    await settle(page, probe);
    const solo = await bursts('only new-chats', page, inst, probe, { sizes: [1000, 5000], counts: [1] });
    await env.worker.evaluate(() => chrome.storage.sync.remove('settings:features'));
    await page.waitForTimeout(500);
    const memOurs = await memoryAt5000(page, inst, true);

    // The same page and bursts in a browser without the extension: what the page costs.
    const bpage = await openPlain(plain.context, '?state=connected&view=history');
    const binst = await instrument(plain.context, bpage);
    log('bursts (no extension)…');
    const bare = await bursts('no extension', bpage, binst, null);
    log('trace (no extension, one row changed at 1,000 rows)…');
    const traceBare = await traceOneRow(bpage, binst, false, QUICK ? 3 : 10);
    await bpage.close();

    // The naive baseline marks the same attributes; it gets the extension's stylesheet so
    // its rows look the same and the browser draws the same marks.
    const npage = await openPlain(plain.context, '?state=connected&view=history');
    await npage.addStyleTag({ content: readFileSync(join(EXTENSION, 'content.css'), 'utf8') });
    const ninst = await instrument(plain.context, npage);
    await npage.evaluate(installNaive);
    const nprobe = async () => {
      const s = await npage.evaluate(() => ({ ...window.__naive }));
      return { busy: s.busy, flushes: s.flushes, callbacks: s.callbacks };
    };
    log('bursts (naive baseline)…');
    const naive = await bursts('naive', npage, ninst, nprobe);
    await npage.close();

    const ppage = await openPlain(plain.context, '?state=connected&view=history');
    const pinst = await instrument(plain.context, ppage);
    const memPlain = await memoryAt5000(ppage, pinst, false);
    await ppage.close();

    // wasm2js memory at 5,000 rows.
    const envJs = await launch({ csp: 'strict' });
    let memJs;
    try {
      const jpage = await openWebClient(envJs.context, '?state=connected&view=history');
      const jinst = await instrument(envJs.context, jpage);
      memJs = await memoryAt5000(jpage, jinst, true);
    } finally {
      await envJs.close();
    }

    // A wholesale Refresh of 1,000 rows on the client built like the real one.
    log('refresh of 1,000 rows (re-com client)…');
    const refresh = [];
    const envR = await launch({ page: 'recom' });
    let plainR;
    try {
      const rpage = await openWebClient(envR.context, '?state=connected&view=history');
      refresh.push(await refreshes('extension', rpage, await instrument(envR.context, rpage), true, QUICK ? 2 : 7));
      await rpage.close();
      plainR = await plainBrowser(envR.server.port);
      const qpage = await openPlain(plainR.context, '?state=connected&view=history');
      refresh.push(await refreshes('no extension', qpage, await instrument(plainR.context, qpage), false, QUICK ? 2 : 7));
    } finally {
      if (plainR) await plainR.browser.close().catch(() => {});
      await envR.close();
    }

    // Idle: logged out (nothing due) and connected (the auto-logout clock matters), with
    // the extension, and the same pages without it; all idle at the same time.
    log(`idle for ${IDLE_S} s…`);
    await page.evaluate(() => window.lh3sim.setHistoryRows(100));
    await page.close();
    const idle = [];
    for (const [name, query] of [['logged out, history shown', '?view=history'], ['connected, history shown', '?state=connected&view=history']]) {
      const p = await openWebClient(env.context, query);
      const i = await instrument(env.context, p);
      const pr = async () => i.inExtension('content_stats()');
      await settle(p, async () => { const x = await pr(); return { f: x.flushes, c: x.callbacks }; });
      const q = await openPlain(plain.context, query);
      const qi = await instrument(plain.context, q);
      idle.push({ name, p, i, pr, q, qi });
    }
    for (const x of idle) {
      x.s0 = await x.pr();
      x.m0 = await x.i.metrics();
      x.n0 = await x.qi.metrics();
    }
    await sleep(IDLE_S * 1000);
    for (const x of idle) {
      x.s1 = await x.pr();
      x.m1 = await x.i.metrics();
      x.n1 = await x.qi.metrics();
    }

    report({ m, sz, coldWasm, coldJs, ours, bare, naive, memOurs, memPlain, memJs, idle, prof, solo, others, refresh, traceOurs, traceBare });
  } finally {
    if (plain) await plain.browser.close().catch(() => {});
    await env.close();
  }
}

function report({ m, sz, coldWasm, coldJs, ours, bare, naive, memOurs, memPlain, memJs, idle, prof, solo, others, refresh, traceOurs, traceBare }) {
  const out = [];
  const p = (s = '') => out.push(s);
  const verdicts = [];
  const verdict = (ok, text) => { verdicts.push(`- **${ok ? 'PASS' : 'MISS'}** ${text}`); return ok; };
  const x = (v) => `${ms(v, 2)}×`;

  p(`Machine: ${m.nproc} CPU (${m.model}), ${m.chromium}, Node ${m.node}, headless. Built from \`${basename(dirname(EXTENSION))}/extension\`.`);
  p();
  p('### Bursts of Chat History changes: the tab\'s main-thread time');
  p();
  p('One `page.evaluate` makes the burst through `lh3sim` (changed: `updateHistoryRow` patches the operator/duration cells of rows spread over the table so each row changes state; added: `addHistoryRow` on top, removed again after the measurement), then two animation frames. **tab** = CDP `Performance.getMetrics` TaskDuration delta over that window: all the tab\'s main-thread work — the page\'s own, the highlighter\'s, style, layout, paint. **extension**: the built extension; the window ends two frames after every touched row carries its mark. **no extension**: the same page and the same bursts in a browser without it; its window (and the naive script\'s) ends two frames after the frame that follows the burst — the frame in which the extension marks — so every setup is measured over the same frames. **naive**: that browser with plain page JavaScript that re-finds the table and re-marks every row on every mutation record (`tests/bench/naive.mjs`), with the extension\'s stylesheet added so its marks look and cost the same to draw. **script** = the extension\'s own time as it times itself (`performance.now()` around its callbacks and flushes), a detail. **latency** = wall clock from the burst to the last mark, median. Means over the repetitions (extension/no extension/naive).');
  p();
  p('| rows | change | reps | tab: extension (ms) | tab: no extension (ms) | tab: naive (ms) | extension ÷ no extension | extension ÷ naive | script, self-timed (ms) | latency (ms) |');
  p('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const key = (r) => `${r.size}/${r.kind}/${r.burst}`;
  const bmap = new Map(bare.map((r) => [key(r), r]));
  const nmap = new Map(naive.map((r) => [key(r), r]));
  for (const r of ours) {
    const b = bmap.get(key(r)) || {};
    const n = nmap.get(key(r)) || {};
    if (r.busy == null) {
      p(`| ${r.size.toLocaleString('en')} | ${r.burst} ${r.kind} | — | — | — | — | — | — | — | — |`);
      continue;
    }
    p(`| ${r.size.toLocaleString('en')} | ${r.burst} ${r.kind} | ${r.reps}/${b.reps ?? '—'}/${n.reps ?? '—'} | ${ms(r.task, 1)} | ${ms(b.task, 1)} | ${ms(n.task, 1)} | ${x(r.task / b.task)} | ${x(r.task / n.task)} | ${ms(r.busy, 3)} | ${ms(r.latency, 1)} |`);
  }
  p();
  const get = (list, size, kind, burst) => list.find((r) => r.size === size && r.kind === kind && r.burst === burst);
  for (const size of [1000, 5000]) {
    for (const kind of ['changed', 'added']) {
      const o = get(ours, size, kind, 1);
      const b = get(bare, size, kind, 1);
      verdict(o.task <= 1.1 * b.task, `tab time, 1 row ${kind} at ${size.toLocaleString('en')} rows: ${ms(o.task, 1)} ms with the extension, ${ms(b.task, 1)} ms without (${x(o.task / b.task)}; target ≤ 1.1×)`);
    }
  }
  for (const kind of ['changed', 'added']) {
    const o = get(ours, 5000, kind, 1);
    const n = get(naive, 5000, kind, 1);
    verdict(o.task <= 0.5 * n.task, `tab time, 1 row ${kind} at 5,000 rows: ${ms(o.task, 1)} ms with the extension, ${ms(n.task, 1)} ms with the naive script (${x(o.task / n.task)}; target ≤ 0.5×)`);
  }

  p('### Where a one-row change\'s tab time goes (1,000 rows)');
  p();
  p(`A Chrome trace (\`tests/bench/trace.mjs\`) of one-row changes: self time of the trace events on the renderer's main thread, grouped, per change. The tasks total differs a little from the TaskDuration above (another window, other repetitions).`);
  p();
  p('| work | extension (ms) | no extension (ms) |');
  p('|---|---:|---:|');
  for (const [g, v] of traceOurs.groups) p(`| ${g} | ${ms(v)} | ${ms(traceBare.groups.get(g))} |`);
  p(`| **all tasks** | **${ms(traceOurs.tasks)}** | **${ms(traceBare.tasks)}** |`);
  p();

  p('### A Refresh that replaces 1,000 rows (client built like the real one)');
  p();
  p('The re-com fixture (`tests/fixtures/recom/`: a div grid, as LibraryH3lp\'s re-com client draws it), `rerenderHistory()`: every row replaced by a new element with the same data. **tab** as above, until two frames after every new row is marked again (with the extension) or after the re-render (without). The naive script reads `<table>`s only and is not run here.');
  p();
  p('| setup | reps | tab (ms) | latency to the last mark (ms) |');
  p('|---|---:|---:|---:|');
  for (const r of refresh) p(`| ${r.label} | ${r.reps} | ${ms(r.task, 1)} | ${ms(r.latency, 1)} |`);
  const [rOurs, rBare] = refresh;
  p();
  p(`Extension ÷ no extension: ${x(rOurs.task / rBare.task)}.`);
  p();

  p(`The same one-row bursts with every feature but new-chats turned off in the settings (\`settings:features\`, off: ${others.length} features) — the page loop (snapshot read, report) plus new-chats:`);
  p();
  p('| rows | change | reps | tab (ms) | script, self-timed (ms) | latency (ms) |');
  p('|---:|---|---:|---:|---:|---:|');
  for (const r of solo) p(`| ${r.size.toLocaleString('en')} | ${r.burst} ${r.kind} | ${r.reps} | ${ms(r.task, 1)} | ${ms(r.busy, 3)} | ${ms(r.latency, 1)} |`);
  p();
  for (const pr of prof) {
    p(`### The content script's CPU (${pr.size.toLocaleString('en')} rows, one row ${pr.kind})`);
    p();
    p(`CPU profile (100 µs sampling) over ${pr.reps} one-row bursts (${pr.kind === 'added' ? 'a row added on top each time, all taken out after the profile' : 'a row changed each time'}); every sample with the content script anywhere on the stack, grouped by the function at the top (a browser function by the import that called it). Total ${ms(pr.totalMs, 1)} ms, **${ms(pr.totalMs / pr.reps, 2)} ms per burst**.`);
    p();
    p('| what ran | ms | share |');
    p('|---|---:|---:|');
    for (const y of pr.parts.slice(0, 10)) p(`| ${y.g} | ${ms(y.ms, 1)} | ${ms((100 * y.ms) / Math.max(pr.totalMs, 0.001), 0)} % |`);
    p();
  }
  const [p1, p5] = prof;
  const per1 = p1.totalMs / p1.reps;
  const per5 = p5.totalMs / p5.reps;
  verdict(per5 <= 1.2 * per1, `content-script CPU per one-row change (profile): ${ms(per5, 2)} ms at 5,000 rows vs ${ms(per1, 2)} ms at 1,000 (${x(per5 / per1)}; target ≤ 1.2×)`);

  p('### Cold start: page load → first `[data-lh3-chat-state]`');
  p();
  p(`Fresh tab per run on \`?state=busy&view=history\`; times from navigation start (\`performance.now()\` in an init script whose MutationObserver sees the first mark). Median of ${coldWasm.runs} runs; the first run of a browser in brackets.`);
  p();
  p('| engine | DOMContentLoaded | first mark | first mark after DOMContentLoaded |');
  p('|---|---:|---:|---:|');
  for (const c of [coldWasm, coldJs]) {
    p(`| ${c.engine}${c.engine === 'wasm2js' ? ' (strict CSP)' : ''} | ${ms(c.dcl, 0)} ms | ${ms(c.firstMark, 0)} ms (${ms(c.first, 0)}) | ${ms(c.afterDcl, 0)} ms |`);
  }
  p();
  verdict(coldWasm.afterDcl <= 60, `cold start with wasm: first mark ${ms(coldWasm.afterDcl, 0)} ms after DOMContentLoaded (target ≤ 60 ms)`);

  p('### Idle');
  p();
  p(`${IDLE_S} s with nothing changing on the page. **wake-ups** = the extension's MutationObserver callbacks plus flushes (a timer the page sets for a rule's next change is a flush); **script/tab** = CDP ScriptDuration/TaskDuration deltas for the tab, with the extension and for the same page in a browser without it (the fixture runs its own 250 ms timer).`);
  p();
  p('| page | wake-ups | flushes | extension tab: script / tab (ms) | no extension: script / tab (ms) |');
  p('|---|---:|---:|---:|---:|');
  for (const y of idle) {
    const wake = (y.s1.callbacks - y.s0.callbacks) + (y.s1.flushes - y.s0.flushes);
    y.wake = wake;
    p(`| ${y.name} | ${wake} | ${y.s1.flushes - y.s0.flushes} | ${ms((y.m1.ScriptDuration - y.m0.ScriptDuration) * 1000, 1)} / ${ms((y.m1.TaskDuration - y.m0.TaskDuration) * 1000, 1)} | ${ms((y.n1.ScriptDuration - y.n0.ScriptDuration) * 1000, 1)} / ${ms((y.n1.TaskDuration - y.n0.TaskDuration) * 1000, 1)} |`);
  }
  p();
  for (const y of idle) verdict(y.wake === 0, `no wake-ups while idle, ${y.name}: ${y.wake}`);
  p('### Memory after 5,000 rows');
  p();
  p('After `setHistoryRows(5000)` and all marks, two forced GCs, CDP `Runtime.getHeapUsage` for the tab (page and content script share the renderer\'s heap, so the extension\'s part is the difference from the same page without it) and the module\'s linear memory (`wasm_memory_bytes()` evaluated in the content script\'s world).');
  p();
  p('| tab | JS heap used | difference from no extension | wasm linear memory |');
  p('|---|---:|---:|---:|');
  p(`| no extension | ${kb(memPlain.used)} | — | — |`);
  p(`| extension, wasm | ${kb(memOurs.used)} | ${kb(memOurs.used - memPlain.used)} | ${kb(memOurs.wasm)} |`);
  p(`| extension, wasm2js (strict CSP) | ${kb(memJs.used)} | ${kb(memJs.used - memPlain.used)} | ${kb(memJs.wasm)} (an ArrayBuffer) |`);
  p();
  p('### Sizes');
  p();
  p('| file | raw | gzip -9 |');
  p('|---|---:|---:|');
  p(`| \`pkg/lh3_shift_bg.wasm\` (content script) | ${kb(sz.wasm.raw)} | ${kb(sz.wasm.gz)} |`);
  p(`| \`pkg/lh3_shift_wasm2js.js\` (content script, strict CSP) | ${kb(sz.wasm2js.raw)} | ${kb(sz.wasm2js.gz)} |`);
  p(`| \`pkg/lh3_shift.js\` (its glue) | ${kb(sz.glue.raw)} | ${kb(sz.glue.gz)} |`);
  for (const m of sz.pages) {
    p(`| \`pkg/${m.name}_bg.wasm\` (${m.what}) | ${kb(m.wasm.raw)} | ${kb(m.wasm.gz)} |`);
    p(`| \`pkg/${m.name}.js\` (its glue) | ${kb(m.glue.raw)} | ${kb(m.glue.gz)} |`);
  }
  for (const z of sz.zips) p(`| \`${z.name}\` | ${kb(z.raw)} | (zip) |`);
  p();
  // The budgets are build.sh's (SIZE_BUDGETS: "file budget ceiling", KB gzip -9).
  const budgets = new Map([...readFileSync(join(ROOT_DIR, 'build.sh'), 'utf8').matchAll(/^\s+"(pkg\/\S+) (\d+) \d+"$/gm)]
    .map((b) => [b[1], Number(b[2])]));
  const within = (file, what, size) => {
    const budget = budgets.get(file);
    if (budget == null) throw new Error(`no size budget for ${file} in build.sh`);
    verdict(size.gz <= budget * 1024, `${what} ≤ ${budget} KB gzip: ${kb(size.gz)}`);
  };
  within('pkg/lh3_shift_bg.wasm', 'content script module', sz.wasm);
  for (const m of sz.pages) within(`pkg/${m.name}_bg.wasm`, `${m.what} module`, m.wasm);
  within('pkg/lh3_shift_wasm2js.js', 'wasm2js fallback', sz.wasm2js);
  p('### Targets');
  p();
  out.push(...verdicts);
  process.stdout.write(out.join('\n') + '\n');
}

// Run as a script; imported (a one-off profile, say), it only lends its helpers.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
