// Shared set-up for the end-to-end suite, the demo and the benchmark: serves the
// simulated web client on loopback at the real host name and path, and launches
// Debian's Chromium with the built dist/extension loaded — the same folder users install.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, FIXTURES } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const EXTENSION = join(process.env.LH3_DIST ? resolve(process.env.LH3_DIST) : join(ROOT, 'dist'), 'extension');
export const HOST = 'ca.libraryh3lp.com';

/**
 * The simulated web clients the suite runs on: `LH3_PAGES=webclient,recom` (default
 * `webclient`). Each name is a folder of tests/fixtures served at /webclient/.
 */
export const PAGES = (process.env.LH3_PAGES || 'webclient').split(',').map((p) => p.trim()).filter(Boolean);
for (const p of PAGES) {
  if (!Object.hasOwn(FIXTURES, p)) throw new Error(`LH3_PAGES: unknown page ${JSON.stringify(p)} (known: ${Object.keys(FIXTURES).join(', ')})`);
}

/**
 * The content security policies the web client is served with: `LH3_CSPS=none,strict`
 * (default `none`; `./build.sh test` runs both). Under `strict` the page forbids
 * WebAssembly compilation, so the content script runs its wasm2js engine: every test
 * that opens the web client runs on both engines. Extension pages (popup, options,
 * setup) are not served by the fixture, so the CSP does not concern them.
 */
export const CSPS = (process.env.LH3_CSPS || 'none').split(',').map((c) => c.trim()).filter(Boolean);
for (const c of CSPS) {
  if (c !== 'none' && c !== 'strict') throw new Error(`LH3_CSPS: unknown CSP ${JSON.stringify(c)} (known: none, strict)`);
}

/** What a title says of its CSP: `(CSP strict) ` when the run has more than one. */
export function cspTag(csp, csps = CSPS) {
  return csps.length > 1 ? `(CSP ${csp}) ` : '';
}

/**
 * Every page of LH3_PAGES with every CSP of LH3_CSPS (or those given: a test that must
 * always run on both engines names them): `{page, csp, tag}` where `tag` is what a
 * test's title ends with, e.g. `(CSP strict) [recom]`. Titles stay literals
 * (tests/conventions.rs reads them).
 */
export function matrix(csps = CSPS) {
  return PAGES.flatMap((page) => csps.map((csp) => ({
    page,
    csp,
    tag: `${cspTag(csp, csps)}[${page}]`,
  })));
}

// Browsers launched without a CSP chosen: opening the web client in one of them while
// the run asks for several CSPs is a test that forgot the matrix, and fails loudly.
const NO_CSP_CHOSEN = new WeakSet();
function guardCsp(context) {
  if (NO_CSP_CHOSEN.has(context) && CSPS.length > 1) {
    throw new Error('this test opens the web client but launched without a csp: loop over matrix() or CSPS and pass csp to launch()');
  }
}

function certs() {
  const dir = join(here, '.certs');
  if (!existsSync(join(dir, 'cert.pem'))) {
    execFileSync('bash', [join(here, 'certs.sh'), dir], { stdio: 'inherit' });
  }
  return { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

/**
 * Starts the fixture server and Chromium with the extension.
 * @param {{page?: string, csp?: 'strict'|'none', headless?: boolean, extension?: string}} options
 *   `page`: which simulated web client is served at /webclient/ (a name of FIXTURES:
 *   `webclient`, the default, or `recom`); `extension`: another build folder (a test's
 *   copy with a changed manifest); `keepSetup`: leave the first-run setup tab open
 *   (`env.setup`), which is otherwise closed; `lang`: the browser's interface language
 *   as pages see it ("fr-CA"), when not the machine's.
 */
export async function launch({ page = 'webclient', csp, headless = true, extension = EXTENSION, keepSetup = false, lang } = {}) {
  const chosen = csp !== undefined;
  csp ??= 'none';
  if (!existsSync(join(extension, 'manifest.json'))) {
    throw new Error('dist/extension is missing: run ./build.sh first');
  }
  const { cert, key } = certs();
  const server = await startServer({ port: 0, tlsCert: cert, tlsKey: key, csp, page, log: false });
  const profile = mkdtempSync(join(tmpdir(), 'lh3-profile-'));
  const browserOptions = {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      `--host-resolver-rules=MAP *.libraryh3lp.com 127.0.0.1:${server.port}, MAP libraryh3lp.com 127.0.0.1:${server.port}`,
      '--ignore-certificate-errors',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // Pages' chrome.i18n.getUILanguage follows Playwright's locale (the worker's does not).
    ...(lang ? { locale: lang } : {}),
  };
  const start = async () => {
    const context = await chromium.launchPersistentContext(profile, browserOptions);
    let [worker] = context.serviceWorkers();
    if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 15000 });
    if (!chosen) NO_CSP_CHOSEN.add(context);
    return { context, worker, extensionId: new URL(worker.url()).host };
  };
  const env = { server, profile, page, ...(await start()) };
  // A new install opens the first-run setup page (tests/e2e/setup.test.mjs); the other
  // tests start without it, so a stray tab never changes what they count.
  env.setup = await setupPage(env.context);
  if (!keepSetup) {
    await env.setup.close();
    env.setup = null;
  }
  env.close = async () => {
    await env.context.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  // A browser restart on the same profile: `env.context`, `env.worker` are new after it.
  env.relaunch = async () => {
    await env.context.close();
    Object.assign(env, await start());
    return env;
  };
  return env;
}

/** The setup page the extension opens on install (it may already be open). */
async function setupPage(context) {
  const isSetup = (p) => p.url().endsWith('/setup.html');
  const open = context.pages().find(isSetup);
  if (open) return open;
  return context.waitForEvent('page', { predicate: isSetup, timeout: 15000 });
}

/**
 * Opens the simulated web client and waits until the extension has started on it and
 * the page has drawn itself (`data-sim-ready`: a page may render late, after `load`).
 */
export async function openWebClient(context, query = '') {
  guardCsp(context);
  const page = await context.newPage();
  await page.goto(`https://${HOST}/webclient/${query}`);
  await page.waitForFunction(() => document.documentElement.dataset.lh3Engine, null, { timeout: 15000 });
  await page.waitForFunction(() => document.documentElement.dataset.simReady === 'true', null, { timeout: 15000 });
  return page;
}

// ---------------------------------------------------------------------------------------
// Page-agnostic access to the simulated web clients. Tests find the page's parts only
// through the test hooks `data-sim-part` (and `data-sim-value`, `data-sim-id`), which
// both fixtures carry on the same parts (vocabulary: tests/fixtures/webclient/README.md);
// what differs by page (a <select> or a dropdown button, links or icon buttons) is done
// here, with real Playwright input (trusted events), never by calling the page's script.

/** A CSS selector for a hooked part, optionally with its `data-sim-value`. */
export function part(name, value) {
  return value == null ? `[data-sim-part="${name}"]` : `[data-sim-part="${name}"][data-sim-value="${value}"]`;
}

/** The chat pane (or backchat, id `backchat`) with the fixture's id. */
export const pane = (id) => `[data-sim-part="pane"][data-sim-id="${id}"]`;

/** A hooked part inside a chat pane. */
export const inPane = (id, name, value) => `${pane(id)} ${part(name, value)}`;

/** The Chat History row with the fixture's id (a <tr> or a grid row). */
export const historyRow = (id) => `[data-sim-part="history-row"][data-sim-id="${id}"]`;

/** Which simulated web client this tab shows (`webclient`, `recom`). */
export function pageKind(page) {
  return page.evaluate(() => document.documentElement.dataset.simPage);
}

/**
 * Chooses a status the way an operator does: picks it in a <select>, or opens the
 * dropdown button and clicks the item. `word`: Available, Away, Busy or Logout.
 */
export async function chooseStatus(page, word) {
  const control = page.locator(part('status'));
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') {
    await control.selectOption(word);
    return;
  }
  await control.click();
  await page.locator(part('status-item', word)).click();
}

/** The status word the status control shows now, as the page spells it in its menu. */
export async function shownStatus(page) {
  return page.locator(part('status')).evaluate((e) => {
    const word = e.tagName === 'SELECT' ? e.value : (e.querySelector('img')?.alt || e.textContent).trim();
    return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  });
}

/** Opens a view (`chats`, `history`, `preferences`) from the left navigation. */
export async function showView(page, name) {
  await page.locator(part(`nav-${name}`)).click();
}

/**
 * Brings the queues being staffed on screen, as an operator checking them would: on a
 * page whose contacts are tabs (only the selected one is drawn), the "I'm Staffing" tab;
 * a page that always shows the list needs nothing.
 */
export async function showStaffing(page) {
  const tab = page.locator(part('contacts-tab', 'staffing'));
  if (await tab.count()) await tab.click();
  await page.locator(part('staffing')).waitFor({ state: 'attached' });
}

/**
 * Staffs exactly `queues`, as the operator would on this page: on a page whose "I'm
 * Staffing" tab lists every queue with a checkbox, by ticking and unticking them there
 * (a React checkbox changes no markup, only the `change` event tells); elsewhere
 * through the simulation's login.
 */
export async function staffQueues(page, queues) {
  const boxes = page.locator(`${part('staffing-queue')} input[type="checkbox"]`);
  if ((await pageKind(page)) !== 'recom' || !(await boxes.count())) {
    await page.evaluate((q) => window.lh3sim.login({ queues: q }), queues);
    return;
  }
  for (const row of await page.locator(part('staffing-queue')).all()) {
    const want = queues.includes(await row.getAttribute('data-sim-value'));
    const box = row.locator('input[type="checkbox"]');
    if ((await box.isChecked()) !== want) await box.click();
  }
}

/**
 * The name a left-navigation item shows to a person: its text, or, for an icon-only
 * item, the tooltip a mouse hover brings up (the pointer moves away afterwards).
 */
export async function hoverRailItem(page, name) {
  const item = page.locator(part(`nav-${name}`));
  await item.hover();
  const tip = page.locator(part('tooltip'));
  const text = (await tip.count()) ? await tip.first().textContent() : await item.textContent();
  await page.mouse.move(0, 0);
  return text.trim();
}

/** Checks or unchecks a login dialog queue toggle by clicking it (`on` = wanted state). */
export async function setLoginQueue(page, queue, on) {
  const box = page.locator(part('login-queue', queue));
  if (on) await box.check();
  else await box.uncheck();
}

/** Types a timer into a countdown's hours/minutes fields (`login` or `prefs`) and leaves them. */
export async function fillTimer(page, where, { hours, minutes }) {
  for (const [field, value] of [['hours', hours], ['minutes', minutes]]) {
    if (value == null) continue;
    const input = page.locator(part(`${where}-${field}`));
    await input.fill(String(value));
    await input.dispatchEvent('change');
  }
}

/**
 * Waits for the extension's next finished flush (`<html data-lh3-flushes>`, counted by
 * the content script) that started after this call: the extension has then seen
 * everything done before it. A harmless comment node added to and taken from <body>
 * guarantees there is a change to flush. Use it before asserting that nothing happened.
 */
export async function nextFlush(page, timeout = 5000) {
  const before = await page.evaluate(() => {
    const c = document.createComment('lh3 test: flush');
    document.body.appendChild(c);
    c.remove();
    return Number(document.documentElement.dataset.lh3Flushes || 0);
  });
  await page.waitForFunction((n) => Number(document.documentElement.dataset.lh3Flushes || 0) > n, before, { timeout, polling: 50 });
}

/**
 * Watches every error of every world of `page` from now on (the page's and the content
 * script's): uncaught exceptions, console errors, page errors. Returns the list it fills.
 */
export async function watchErrors(env, page) {
  const errors = [];
  const worlds = new Map();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  const cdp = await env.context.newCDPSession(page);
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.set(context.id, context.origin));
  cdp.on('Runtime.exceptionThrown', ({ exceptionDetails: d }) => {
    errors.push(`exception in ${worlds.get(d.executionContextId) || '?'}: ${d.exception?.description || d.text}`);
  });
  cdp.on('Runtime.consoleAPICalled', (e) => {
    if (e.type === 'error' || e.type === 'assert') {
      const text = e.args.map((a) => a.value ?? a.description ?? '').join(' ');
      errors.push(`console.${e.type} in ${worlds.get(e.executionContextId) || '?'}: ${text}`);
    }
  });
  await cdp.send('Runtime.enable');
  return errors;
}

/** Where Chromium reads the machine's managed policies. */
export const POLICY_DIR = process.env.LH3_POLICY_DIR || '/etc/chromium/policies/managed';

/** Chrome's id of an unpacked extension: its absolute path's SHA-256, hex digits as a–p. */
export function unpackedId(path) {
  const hex = createHash('sha256').update(realpathSync(path)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

/** Why the policy folder cannot be written (a test of `what` is then skipped), or null. */
export function policyDirUnwritable(what) {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return null;
  } catch (e) {
    return `writing a Chromium policy needs root (${POLICY_DIR}: ${e.code || e.message}); run the suite as root to test ${what}`;
  }
}

/**
 * Stores settings sections as the options page stores them (one sync item each, beside
 * `settings:version`).
 */
/** Service zones a test's shift may be set in, UTC first: one of them has room at any hour. */
const SHIFT_ZONES = [
  'UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Paris', 'America/Toronto',
  'Pacific/Honolulu', 'Asia/Singapore', 'Pacific/Auckland',
];

/** The wall clock at `ms` in `zone`: date (YYYY-MM-DD), time (HH:MM) and minutes of the day. */
function wallClock(ms, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hhmm: `${p.hour}:${p.minute}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/**
 * `service` and `shifts` settings for a one-off shift from `before` minutes ago to
 * `after` minutes from now, the service open all day, in a zone where the whole shift
 * falls on one day with an hour to spare each side: a test must pass whatever the hour it
 * runs at (a shift across midnight is a case of its own, not an accident of the clock).
 */
export function shiftAroundNow(before, after, oneOff = {}) {
  const now = Date.now();
  const start = now - before * 60000;
  const end = now + after * 60000;
  for (const zone of SHIFT_ZONES) {
    const s = wallClock(start, zone);
    const e = wallClock(end, zone);
    if (s.date === e.date && s.minutes >= 60 && e.minutes <= 23 * 60) {
      return {
        service: { time_zone: zone, weekly: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]), closed_days: [], exceptions: [] },
        shifts: { weekly: [], one_off: [{ date: s.date, start: s.hhmm, end: e.hhmm, ...oneOff }], skipped: [] },
      };
    }
  }
  throw new Error(`no zone fits a shift from ${before} min ago to ${after} min from now`);
}

export async function writeSettings(worker, sections, version = 1) {
  await worker.evaluate(async ({ s, version }) => {
    const items = { 'settings:version': version };
    for (const [k, v] of Object.entries(s)) items[`settings:${k}`] = v;
    await chrome.storage.sync.set(items);
  }, { s: sections, version });
}

/**
 * Opens the web client at `path` (a query) with every error of every world watched from
 * the start (`errors` lists them); returns once the extension has started on it and the
 * page has drawn itself.
 */
export async function openWatched(env, path, timeout = 30000) {
  guardCsp(env.context);
  const page = await env.context.newPage();
  const errors = await watchErrors(env, page);
  await page.goto(`https://${HOST}/webclient/${path}`);
  await page.waitForFunction(() => document.documentElement.dataset.lh3Engine, null, { timeout });
  await page.waitForFunction(() => document.documentElement.dataset.simReady === 'true', null, { timeout });
  return { page, errors };
}

/**
 * Launches a copy of the extension whose manifest grants its optional hosts, as the
 * operator does at the browser's prompt. The copy and the browser go when test `t` ends.
 */
export async function launchGranted(t, { csp } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lh3-granted-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(EXTENSION, dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.host_permissions = [...(m.host_permissions || []), ...m.optional_host_permissions];
  writeFileSync(file, JSON.stringify(m));
  const env = await launch({ extension: dir, csp });
  t.after(() => env.close());
  return env;
}

/** The popup, opened as a page for the given web client tab. */
export async function openPopup(context, extensionId, webClientPage) {
  const tabId = await tabIdOf(context, webClientPage);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  return popup;
}

/** Chrome's tab id of the (single) web client tab: the one the extension reported on. */
export async function tabIdOf(context, _page) {
  const [worker] = context.serviceWorkers();
  for (let i = 0; i < 100; i++) {
    const id = await worker.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      const keys = Object.keys(all).filter((k) => /^page_report:\d+$/.test(k));
      return keys.length === 1 ? Number(keys[0].split(':')[1]) : -1;
    });
    if (id >= 0) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no single web client tab has reported to the extension');
}

/** The toolbar badge text of a tab. */
export async function badgeOf(context, tabId) {
  const [worker] = context.serviceWorkers();
  return worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/**
 * Records the network traffic of the extension's own contexts and the web client tab:
 * `context.on('request')` sees every page (web client, popup, options) and service
 * worker. `unexpected()` lists each request that is none of: the fixture page's own
 * resources (https://HOST/webclient/…, /favicon.ico), the extension's files
 * (chrome-extension://ID/…), data:/blob: URLs, or the one call the extension may make,
 * GET https://*.libraryh3lp.com/presence/jid/QUEUE/DOMAIN/text. The fixture server's own
 * log (kept from launch, so it covers the worker's start too) is checked by the same rule.
 * @param {{context: import('playwright-core').BrowserContext, server: {requests: {method: string, path: string}[]}, extensionId: string}} env
 */
export function recordTraffic(env) {
  const requests = [];
  const onRequest = (req) => {
    let from = 'page';
    try {
      from = req.serviceWorker() ? 'service worker' : req.frame().url();
    } catch { /* a worker request has no frame */ }
    requests.push({ method: req.method(), url: req.url(), from });
  };
  env.context.on('request', onRequest);
  const presence = /^\/presence\/jid\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/text$/;
  const allowedPath = (method, path) => {
    const p = path.split('?')[0];
    return p === '/favicon.ico' || p === '/webclient' || p.startsWith('/webclient/')
      || ((method === 'GET' || method === 'HEAD') && presence.test(p));
  };
  const allowed = ({ method, url }) => {
    let u;
    try { u = new URL(url); } catch { return false; }
    if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
    if (u.protocol === 'chrome-extension:') return u.host === env.extensionId;
    if (u.protocol !== 'https:') return false;
    if (u.host === HOST) return allowedPath(method, u.pathname);
    return /(^|\.)libraryh3lp\.com$/.test(u.host) && (method === 'GET' || method === 'HEAD') && presence.test(u.pathname);
  };
  return {
    requests,
    unexpected() {
      const bad = requests.filter((r) => !allowed(r)).map((r) => `${r.method} ${r.url} (from ${r.from})`);
      for (const r of env.server.requests) {
        if (!allowedPath(r.method, r.path)) bad.push(`${r.method} https://${HOST}${r.path} (seen by the fixture server)`);
      }
      return bad;
    },
    stop() { env.context.off('request', onRequest); },
  };
}

/** The ids of the system notifications the extension has up. */
export async function notifications(worker) {
  return Object.keys(await worker.evaluate(() => chrome.notifications.getAll()));
}

/** Waits (up to 5 s) for the notification `id`: the page shows its alert first, then
 * asks the worker, so the notification comes a moment later. */
export async function waitForNotification(worker, id) {
  for (let i = 0; i < 50; i++) {
    if ((await notifications(worker)).includes(id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok((await notifications(worker)).includes(id), `notification ${id}: ${await notifications(worker)}`);
}
