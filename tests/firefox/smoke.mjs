#!/usr/bin/env node
// Firefox smoke test: the same built extension (dist/lh3-shift-helper-firefox.zip, or
// LH3_DIST) installed as a temporary add-on into Debian's firefox-esr through geckodriver,
// on the simulated web client served from loopback: it loads, highlights new chats
// (marks agree with the simulation), and the popup counts them.
//
//   node tests/firefox/smoke.mjs        (exit 0 = pass; run by ./build.sh test)
//
// Plain Node 20: WebDriver over HTTP with fetch, no npm packages. How the pieces fit:
// - geckodriver (cargo install geckodriver) drives /usr/bin/firefox-esr -headless.
// - The add-on goes in with POST /session/{id}/moz/addon/install {path, temporary: true}.
// - Host mapping: Firefox has no --host-resolver-rules, so it is pointed at a tiny HTTP
//   CONNECT proxy on loopback (prefs network.proxy.*) that sends every tunnel to the
//   fixture server; the page keeps its real name https://ca.libraryh3lp.com/webclient/
//   (no root, no port 443, safe to run beside other test runs).
// - The self-signed certificate is accepted with the acceptInsecureCerts capability.
// - MV3 host permissions are opt-in in Firefox; from Firefox 127 the origins of
//   host_permissions and content_scripts are granted at install when the pref
//   extensions.originControls.grantByDefault is true (its default). The profile sets it
//   explicitly so the content script runs without a click on the toolbar button.
//   Checked on firefox-esr 153: left at its default the content script starts; set to
//   false it never does (the page waits for a click on the toolbar button).
// - WebDriver may not navigate to moz-extension:// pages; the popup tab is opened from
//   the browser's chrome context, which geckodriver allows with --allow-system-access.
// - The extension's moz-extension:// UUID is fixed with extensions.webextensions.uuids so
//   the popup can be opened as a page.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../e2e/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..', '..');
const DIST = process.env.LH3_DIST ? resolve(process.env.LH3_DIST) : join(ROOT, 'dist');
const ZIP = join(DIST, 'lh3-shift-helper-firefox.zip');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const GECKODRIVER = process.env.GECKODRIVER
  || [join(process.env.HOME || '/root', '.cargo/bin/geckodriver'), '/usr/local/bin/geckodriver', '/usr/bin/geckodriver'].find(existsSync)
  || 'geckodriver';
const HOST = 'ca.libraryh3lp.com';
const ADDON_ID = JSON.parse(readFileSync(join(DIST, 'extension', 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
const UUID = '6a5e0c3e-1f0b-4c6e-9b59-7f3c2d1e0a42';

const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function certs() {
  const dir = join(ROOT, 'tests', 'e2e', '.certs');
  if (!existsSync(join(dir, 'cert.pem'))) execFileSync('sh', [join(ROOT, 'tests', 'e2e', 'certs.sh'), dir], { stdio: 'ignore' });
  return { tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') };
}

/** An HTTP CONNECT proxy that tunnels every *.libraryh3lp.com:443 to the fixture server. */
async function startProxy(targetPort) {
  const tunnels = [];
  const server = http.createServer((req, res) => { res.writeHead(403); res.end('tunnels only\n'); });
  server.on('connect', (req, client, head) => {
    const [host] = String(req.url).split(':');
    if (!/(^|\.)libraryh3lp\.com$/.test(host)) {
      // Anything else the browser tries (it should try nothing) goes nowhere.
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      tunnels.push({ host, refused: true });
      return;
    }
    tunnels.push({ host, refused: false });
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, tunnels, close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections?.(); }) };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolvePort(port)); });
  });
}

/** A minimal W3C WebDriver client. */
function webdriver(base) {
  async function call(method, path, body) {
    const res = await fetch(base + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok || json.value?.error) {
      throw new Error(`${method} ${path}: ${res.status} ${json.value?.error || ''} ${json.value?.message || ''}`.trim());
    }
    return json.value;
  }
  return {
    call,
    newSession: (caps) => call('POST', '/session', { capabilities: caps }),
    session(id) {
      const p = `/session/${id}`;
      return {
        installAddon: (path) => call('POST', `${p}/moz/addon/install`, { path, temporary: true }),
        go: (url) => call('POST', `${p}/url`, { url }),
        run: (script, args = []) => call('POST', `${p}/execute/sync`, { script, args }),
        switchTo: (handle) => call('POST', `${p}/window`, { handle }),
        quit: () => call('DELETE', p),
      };
    },
  };
}

async function waitFor(what, fn, timeout = 20000, every = 200) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

// What to undo, newest first; also run when the test is interrupted, so no geckodriver
// or Firefox is left behind.
const cleanup = [];
async function undo() {
  while (cleanup.length) await Promise.resolve().then(cleanup.shift()).catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => undo().finally(() => process.exit(130)));
}

async function main() {
  if (!existsSync(ZIP)) throw new Error(`${ZIP} is missing: run ./build.sh first`);
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing (apt-get install firefox-esr)`);
  try {
    const server = await startServer({ port: 0, ...certs(), csp: 'none', log: false });
    cleanup.unshift(() => server.close());
    const proxy = await startProxy(server.port);
    cleanup.unshift(() => proxy.close());

    const port = await freePort();
    const profileRoot = mkdtempSync(join(tmpdir(), 'lh3-gecko-'));
    cleanup.unshift(() => rmSync(profileRoot, { recursive: true, force: true }));
    const driver = spawn(GECKODRIVER, ['--port', String(port), '--host', '127.0.0.1', '--allow-system-access'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: profileRoot },
    });
    let driverLog = '';
    driver.stdout.on('data', (d) => { driverLog += d; });
    driver.stderr.on('data', (d) => { driverLog += d; });
    cleanup.unshift(() => driver.kill());
    const wd = webdriver(`http://127.0.0.1:${port}`);
    await waitFor('geckodriver', () => wd.call('GET', '/status').then((v) => v.ready !== undefined), 15000);

    const prefs = {
      // Every https request goes through the loopback CONNECT proxy (the host keeps its name).
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'network.dns.disablePrefetch': true,
      // MV3: grant the manifest's host permissions at install, as Firefox does by default.
      'extensions.originControls.grantByDefault': true,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      // Quiet profile: no first-run pages, no update or telemetry traffic.
      'browser.shell.checkDefaultBrowser': false,
      'browser.startup.homepage_override.mstone': 'ignore',
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.reportingpolicy.firstRun': false,
      'app.update.disabledForTesting': true,
      'extensions.update.enabled': false,
    };
    const created = await wd.newSession({
      alwaysMatch: {
        browserName: 'firefox',
        acceptInsecureCerts: true,
        'moz:firefoxOptions': { binary: FIREFOX, args: ['-headless'], prefs },
      },
    });
    const s = wd.session(created.sessionId);
    cleanup.unshift(() => s.quit().catch(() => {}));
    log(`# ${created.capabilities.browserName} ${created.capabilities.browserVersion}, geckodriver on ${port}`);

    const installed = await s.installAddon(ZIP);
    log(`ok 1 - add-on installed as a temporary add-on (${installed})`);

    await s.go(`https://${HOST}/webclient/?state=busy&view=history`);
    const engine = await waitFor('the content script (data-lh3-engine)', () => s.run('return document.documentElement.dataset.lh3Engine || null'), 30000);
    if (engine === 'failed') throw new Error('the content script reported that it could not start');
    log(`ok 2 - content script started (engine ${engine})`);

    const compare = `
      const byId = new Map();
      for (const tr of document.querySelectorAll('tr[data-sim-id]')) byId.set(tr.dataset.simId, tr);
      const bad = [];
      for (const r of (window.wrappedJSObject || window).lh3sim.state().history) {
        const mark = byId.get(r.id)?.getAttribute('data-lh3-chat-state') ?? null;
        const want = r.state === 'unreadable' ? null : r.state;
        if (mark !== want) bad.push(r.id + ': ' + mark + ' (want ' + want + ')');
      }
      return bad;`;
    await waitFor('marks on every history row', async () => (await s.run(compare)).length === 0, 20000);
    const counts = await s.run(`
      const h = (window.wrappedJSObject || window).lh3sim.state().history;
      return { rows: h.length, new: h.filter((r) => r.state === 'new').length };`);
    if (counts.new < 1) throw new Error('the busy fixture should have new chats');
    log(`ok 3 - ${counts.rows} history rows marked as the simulation says (${counts.new} new)`);

    // Live: a new chat arrives and is marked.
    const added = await s.run(`return (window.wrappedJSObject || window).lh3sim.addHistoryRow({ queue: 'all_colleges', guest: 'Guest FX01', started: '11:00', operator: '', duration: '' });`);
    await waitFor('the new row marked', () => s.run(`return document.querySelector('tr[data-sim-id="${added}"]')?.getAttribute('data-lh3-chat-state') === 'new';`), 10000);
    log('ok 4 - a new row is marked live');

    // The popup, opened as a page: it reads the web client that reported last.
    // WebDriver may not navigate to moz-extension:// pages, so the tab is opened from the
    // browser's own (chrome) context — which needs geckodriver --allow-system-access.
    const sid = created.sessionId;
    const webClientHandle = await wd.call('GET', `/session/${sid}/window`);
    const before = new Set(await wd.call('GET', `/session/${sid}/window/handles`));
    await wd.call('POST', `/session/${sid}/moz/context`, { context: 'chrome' });
    await s.run(`gBrowser.selectedTab = gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); return true;`,
      [`moz-extension://${UUID}/popup.html`]);
    await wd.call('POST', `/session/${sid}/moz/context`, { context: 'content' });
    const popupHandle = await waitFor('the popup tab', async () => (await wd.call('GET', `/session/${sid}/window/handles`)).find((h) => !before.has(h)), 10000);
    await s.switchTo(popupHandle);
    const popupNew = await waitFor('the popup count of new chats', () => s.run(`return document.querySelector('[data-count="new"] .count-value')?.textContent ?? null;`), 20000);
    if (popupNew !== String(counts.new + 1)) throw new Error(`popup says ${popupNew} new, the page has ${counts.new + 1}`);
    log(`ok 5 - popup counts ${popupNew} new chats`);
    // The page got its settings from the worker (the one reader of settings storage) and
    // no feature failed: either would be listed in the popup as a fault.
    const faults = await s.run(`return [...document.querySelectorAll('[data-fault]')].map((f) => f.textContent);`);
    if (faults.length) throw new Error(`the popup lists faults: ${faults.join(' | ')}`);
    log('ok 6 - no feature fault and the settings came from the worker');
    await s.switchTo(webClientHandle);

    const refused = proxy.tunnels.filter((t) => t.refused).map((t) => t.host);
    log(`# proxy tunnels: ${proxy.tunnels.length} (refused, not libraryh3lp.com: ${[...new Set(refused)].join(', ') || 'none'})`);
    log('# pass 6');
  } finally {
    await undo();
  }
}

main().catch((e) => {
  log(`not ok - ${e.message}`);
  process.exit(1);
});
