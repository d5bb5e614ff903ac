// The service worker: the one owner of what several contexts change (the shift log has
// one writer, so events and ticks sent at the same moment from several contexts all
// land), and typed answers with explicit errors (a worker that cannot give the
// settings is a fault the popup shows, never the defaults in silence).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXTENSION, ROOT, launch, openPopup, openWebClient, CSPS, cspTag } from './harness.mjs';

// The test-only build with `fault-injection` (`./build.sh faults`; `./build.sh test`
// builds it and requires it). The package users install has no such code.
const FAULTS = join(dirname(EXTENSION), 'faults', 'extension');

test('the shift log: events and ticks sent at once from two pages are all kept', async (t) => {
  const env = await launch();
  t.after(env.close);
  const open = async () => {
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${env.extensionId}/popup.html`);
    return page;
  };
  const [a, b] = [await open(), await open()];
  const shiftKey = 'off-hours:2026-03-09';
  const at = new Date().toISOString();
  // Each page sends its messages all at once; the two pages at the same time.
  const send = (page, from, count) => page.evaluate(({ from, count, shiftKey, at }) => Promise.all(
    Array.from({ length: count }, (_, i) => chrome.runtime.sendMessage(i % 5 === 4
      ? { kind: 'shift_log', change: { change: 'tick', shift_key: shiftKey, step: ['login.queues', 'login.buddy_list', 'login.history', 'login.backchat_hello'][(from + i) % 4], on: true, at } }
      : { kind: 'log_shift_event', event: { shift_key: shiftKey, at, what: `event ${from + i}` } })),
  ), { from, count, shiftKey, at });
  await Promise.all([send(a, 0, 20), send(b, 100, 20)]);
  const log = await env.worker.evaluate(async () => (await chrome.storage.local.get('shift_log')).shift_log);
  const shift = log.shifts.find((s) => s.shift_key === shiftKey);
  const events = shift.events.map((e) => e.what).filter((w) => w.startsWith('event '));
  assert.equal(events.length, 32, `every event is kept: ${events.join(', ')}`);
  assert.deepEqual(new Set(shift.ticked), new Set(['login.queues', 'login.buddy_list', 'login.history', 'login.backchat_hello']));
  // Something that is not a step of the procedure is not ticked.
  await a.evaluate(({ shiftKey, at }) => chrome.runtime.sendMessage({ kind: 'shift_log', change: { change: 'tick', shift_key: shiftKey, step: 'not.a.step', on: true, at } }), { shiftKey, at });
  const again = await env.worker.evaluate(async () => (await chrome.storage.local.get('shift_log')).shift_log);
  assert.ok(!again.shifts.find((s) => s.shift_key === shiftKey).ticked.includes('not.a.step'));
});

/** The fault-injection build with the worker refusing the settings, the web client
 * open and the popup showing the settings fault; null when the test build is missing
 * and not required (the test is then skipped). */
async function settingsFaultInPopup(t, options) {
  if (!existsSync(join(FAULTS, 'manifest.json'))) {
    if (process.env.LH3_FAULTS_REQUIRED) assert.fail(`no test build at ${FAULTS}: run ./build.sh faults`);
    t.skip(`no test build at ${FAULTS} (./build.sh faults)`);
    return null;
  }
  const env = await launch({ extension: FAULTS, ...options });
  t.after(env.close);
  await env.worker.evaluate(() => chrome.storage.local.set({ lh3_faults: ['worker.settings'] }));
  const page = await openWebClient(env.context);
  const popup = await openPopup(env.context, env.extensionId, page);
  const fault = popup.locator('[data-fault="settings"]');
  await fault.waitFor({ timeout: 15000 });
  return { env, popup, fault };
}

for (const csp of CSPS) {
  test(`the worker cannot give the settings: the popup names the fault, and it clears when they come ${cspTag(csp)}[webclient]`, async (t) => {
    const opened = await settingsFaultInPopup(t, { csp });
    if (!opened) return;
    const { env, popup, fault } = opened;
    assert.match(await fault.textContent(), /the settings could not be had from the extension \(fault injected: the worker cannot read the settings\): the defaults are used until they change/);

    // The worker answers again; a settings change makes the page ask, and the fault goes.
    await env.worker.evaluate(() => chrome.storage.local.set({ lh3_faults: [] }));
    await env.worker.evaluate(() => chrome.storage.sync.set({ 'settings:operator_name': 'mchen_seneca' }));
    await fault.waitFor({ state: 'detached', timeout: 15000 });
    assert.deepEqual(await popup.$$eval('[data-fault]', (fs) => fs.map((f) => f.textContent)), []);
  });
}

for (const csp of CSPS) {
  test(`the worker cannot give the settings: the language chosen is unknown, so the fault is said in the browser's (French) ${cspTag(csp)}[webclient]`, async (t) => {
    const opened = await settingsFaultInPopup(t, { csp, lang: 'fr-CA' });
    if (!opened) return;
    const { popup, fault } = opened;
    assert.match(await popup.evaluate(() => chrome.i18n.getUILanguage()), /^fr/, 'a French browser');
    const fr = JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', 'fr', 'messages.json'), 'utf8'));
    const [before, after] = fr.faultSettingsNotHad.message.split('{why}');
    const text = await fault.textContent();
    assert.ok(text.includes(before) && text.includes(after), text);
    assert.doesNotMatch(text, /could not be had|defaults are used|settings:/);
    assert.ok(text.includes(`${fr.popupSettings.message}\u202f: `), `the part that failed is named in French: ${text}`);
  });
}
