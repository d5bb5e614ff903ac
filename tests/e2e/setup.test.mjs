// The first run, end to end in Chromium with the built extension: the setup page opens
// on install; a fresh install names no coordinator; the consortium preset, the name, the
// language and the shifts are saved (a mistake is shown next to its field first); the
// popup's empty states are buttons to where things are set; an update's "what's new"
// shows once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION, launch } from './harness.mjs';
import { seriousA11yViolations } from './a11y.mjs';

async function openPopup(env) {
  const popup = await env.context.newPage();
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await popup.waitForSelector('#checklist');
  return popup;
}

const stored = (env) => env.worker.evaluate(() => chrome.storage.sync.get(null));

test('first run: the setup page opens on install and sets the consortium, name, language and shifts', async (t) => {
  const env = await launch({ keepSetup: true });
  t.after(() => env.close());
  const setup = env.setup;
  assert.ok(setup, 'the install opened the setup page');
  await setup.waitForSelector('#finish');
  assert.equal(new URL(setup.url()).pathname, '/setup.html');

  // Both presets are offered, askON (the default configuration) chosen.
  const presets = await setup.$$eval('input[name=preset]', (rs) => rs.map((r) => [r.value, r.checked]));
  assert.deepEqual(presets, [['askon', true], ['neutral', false]]);
  assert.deepEqual(await seriousA11yViolations(setup), []);

  // A fresh install shows no one by name: the defaults have no service coordinator.
  const popup = await openPopup(env);
  assert.equal(await popup.locator('[data-missing]').count(), 1);
  assert.equal(await popup.getAttribute('[data-missing]', 'data-missing'), 'setup');
  assert.ok(await popup.locator('[data-step="login.queues"]').count() > 0, "askON's procedure, read from its preset file");
  assert.doesNotMatch(await popup.textContent('body'), /Lauren|Rupert/);
  const options = await env.context.newPage();
  await options.goto(`chrome-extension://${env.extensionId}/options.html#coordinators`);
  await options.waitForSelector('section#coordinators:not([hidden])');
  assert.doesNotMatch(await options.textContent('section#coordinators'), /Lauren|ocls/);
  assert.equal(await options.locator('section#coordinators input[value*="@"]').count(), 0);

  // Name, language, one weekly shift with a mistake: shown next to it, nothing saved.
  await setup.fill('#f-operator_name', 'mchen_seneca');
  await setup.selectOption('#f-language', 'fr');
  await setup.click('#add-shift');
  assert.equal(await setup.evaluate(() => document.activeElement.id), 'f-shifts-weekly-0-weekday', 'the new row takes the focus');
  await setup.selectOption('#f-shifts-weekly-0-weekday', '2');
  await setup.fill('#f-shifts-weekly-0-start', '14:00');
  await setup.fill('#f-shifts-weekly-0-end', '25:00');
  await setup.click('#finish');
  const error = await setup.waitForSelector('.error[data-error-for="shifts.weekly[0].end"]');
  // In the language just chosen.
  assert.equal(await error.textContent(), "«\u202f25:00\u202f» n'est pas une heure\u202f: les heures vont de 00 à 23");
  assert.equal(await setup.getAttribute('#f-shifts-weekly-0-end', 'aria-invalid'), 'true');
  assert.equal(await setup.evaluate(() => document.activeElement.id), 'f-shifts-weekly-0-end');
  assert.deepEqual(Object.keys(await stored(env)).filter((k) => k.startsWith('settings:')), [], 'nothing saved');

  // Fixed: saved, with askON's settings (its coordinator comes with its preset).
  await setup.fill('#f-shifts-weekly-0-end', '15:00');
  await setup.click('#finish');
  await setup.waitForSelector('[data-setup="done"]');
  const s = await stored(env);
  assert.equal(s['settings:operator_name'], 'mchen_seneca');
  assert.equal(s['settings:language'], 'fr');
  assert.deepEqual(s['settings:shifts'].weekly.map((w) => [w.weekday, w.start, w.end]), [[2, '14:00', '15:00']]);
  assert.equal(s['settings:procedure'].preset, 'askon');
  assert.deepEqual(s['settings:coordinators'].service, [{ name: 'Lauren Rupert', email: 'lrupert@ocls.ca' }]);
  assert.equal(await setup.getAttribute('#open-webclient', 'href'), 'https://ca.libraryh3lp.com/webclient/');

  // The popup no longer asks for anything, and speaks French.
  await popup.reload();
  await popup.waitForSelector('#checklist');
  assert.equal(await popup.locator('[data-missing]').count(), 0);
  assert.equal(await popup.getAttribute('[data-step="login.queues"] .step-text', 'lang'), 'fr');
  assert.match(await popup.textContent('[data-step="login.queues"] .step-text'), /Connectez-vous/);
});

test('first run with the neutral preset: no askON names, its own procedure, a calendar file for the shifts', async (t) => {
  const env = await launch({ keepSetup: true });
  t.after(() => env.close());
  const setup = env.setup;
  await setup.waitForSelector('#finish');
  await setup.check('#preset-neutral');
  await setup.fill('#f-operator_name', 'Ana Lopez');
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
    'BEGIN:VEVENT', 'UID:1@test', 'DTSTART;TZID=America/Toronto:20260309T100000',
    'DTEND;TZID=America/Toronto:20260309T110000', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Chat shift', 'END:VEVENT',
    'END:VCALENDAR', '',
  ].join('\r\n');
  await setup.setInputFiles('#ics-file', { name: 'shifts.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  await setup.waitForSelector('#ics-found');
  assert.match(await setup.textContent('#ics-found'), /1 weekly shifts and 0 one-off/);
  await setup.click('#finish');
  await setup.waitForSelector('[data-setup="done"]');
  const s = await stored(env);
  assert.equal(s['settings:procedure'].preset, 'neutral');
  assert.deepEqual(s['settings:coordinators'].service, []);
  assert.deepEqual(s['settings:shifts'].weekly.map((w) => [w.weekday, w.start, w.end]), [[0, '10:00', '11:00']]);
  assert.doesNotMatch(JSON.stringify(s['settings:canned']), /askON/);

  const popup = await openPopup(env);
  assert.ok(await popup.locator('[data-step]').count() >= 20, "the neutral preset's steps");
  const text = await popup.textContent('#checklist');
  assert.doesNotMatch(text, /askON|Lauren/);
});

test("the popup's empty states are buttons to where things are set", async (t) => {
  const env = await launch();
  t.after(() => env.close());
  await env.worker.evaluate(() => chrome.storage.sync.set({ 'settings:version': 1, 'settings:operator_name': 'mchen_seneca' }));
  const popup = await openPopup(env);
  await popup.waitForSelector('[data-missing="shifts"]');
  // The words come from the catalog (once in a few runs, a popup opened right after the
  // install drew the message names; its next drawing had the words).
  await popup.waitForFunction(() => document.querySelector('[data-missing="shifts"]')?.textContent === 'Add your shifts', null, { timeout: 5000 });
  assert.equal(await popup.locator('[data-missing]').count(), 1, 'only the shifts are missing');
  const [options] = await Promise.all([
    env.context.waitForEvent('page'),
    popup.click('[data-missing="shifts"]'),
  ]);
  await options.waitForSelector('section#shifts:not([hidden])');
  assert.equal(new URL(options.url()).hash, '#shifts');

  // No web client has reported: a button opens it.
  const [client] = await Promise.all([
    env.context.waitForEvent('page'),
    popup.click('#open-webclient'),
  ]);
  await client.waitForURL(/ca\.libraryh3lp\.com\/webclient\//);
});

test("after an update, the popup says what's new once", async (t) => {
  // The extension as built, updated from 0.1.0.
  assert.equal(JSON.parse(readFileSync(join(EXTENSION, 'manifest.json'), 'utf8')).version, '0.2.0');
  const env = await launch();
  t.after(() => env.close());
  // The browser's update event, through the same path (`runtime.onInstalled`).
  await env.worker.evaluate(() => self.lh3.installed({ reason: 'update', previousVersion: '0.1.0' }));
  assert.deepEqual(await env.worker.evaluate(async () => (await chrome.storage.local.get('whats_new')).whats_new),
    { from: '0.1.0', to: '0.2.0' });
  assert.equal(env.context.pages().filter((p) => p.url().endsWith('/setup.html')).length, 0, 'an update opens no setup page');
  const popup = await openPopup(env);
  await popup.waitForSelector('#whats-new');
  assert.equal(await popup.textContent('#whats-new-title'), "What's new in 0.2.0");
  assert.equal(await popup.locator('#whats-new li').count(), 4);
  await popup.click('#whats-new-dismiss');
  await popup.waitForSelector('#whats-new', { state: 'detached' });
  assert.equal(await env.worker.evaluate(async () => (await chrome.storage.local.get('whats_new')).whats_new), undefined);
  await popup.reload();
  await popup.waitForSelector('#checklist');
  assert.equal(await popup.locator('#whats-new').count(), 0, 'once');
});
