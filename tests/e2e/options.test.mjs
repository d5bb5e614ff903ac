// The options page in sections, end to end in Chromium with the built extension: the
// section list (keyboard too), unsaved edits shown and guarded on close, reset per
// section, import that changes only what the file names, the consortium export without
// what is personal, the watchdog's "Check now" with its result, and the way to the
// browser's shortcut settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, launchGranted } from './harness.mjs';

async function openOptions(env, section = '') {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html${section && `#${section}`}`);
  await page.waitForSelector('#save');
  return page;
}

const shown = (page) => page.$$eval('section[data-section]:not([hidden])', (s) => s.map((x) => x.id));

async function stored(env, keys) {
  return env.worker.evaluate((k) => chrome.storage.sync.get(k), keys);
}

test('one section at a time: the list moves between them, by mouse, keyboard and URL', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const page = await openOptions(env);
  assert.deepEqual(await shown(page), ['general']);
  assert.equal(await page.getAttribute('#nav-general', 'aria-current'), 'page');
  const ids = await page.$$eval('nav.sections-nav a[data-nav]', (as) => as.map((a) => a.dataset.nav));
  assert.deepEqual(ids, ['general', 'service', 'shifts', 'timing', 'queues', 'messages', 'coordinators', 'procedure', 'guards', 'features', 'advanced', 'backup']);
  assert.equal(await page.getAttribute('nav.sections-nav', 'aria-label'), 'Settings sections');

  // Keyboard: arrows move along the list, Enter opens, the focus lands on the heading.
  await page.focus('#nav-general');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'nav-shifts');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'nav-backup');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'nav-general', 'wraps around');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForSelector('section#advanced:not([hidden])');
  assert.deepEqual(await shown(page), ['advanced']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'advanced-title');
  assert.equal(new URL(page.url()).hash, '#advanced');
  assert.equal(await page.getAttribute('#nav-advanced', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('#nav-general', 'aria-current'), null);

  // Back in history: the section before. A link to a section opens it directly.
  await page.goBack();
  await page.waitForSelector('section#general:not([hidden])');
  const timing = await openOptions(env, 'timing');
  assert.deepEqual(await shown(timing), ['timing']);
  assert.ok(await timing.isVisible('#f-timing-pre_shift_minutes'));
  assert.ok(await timing.isHidden('#f-operator_name'), 'other sections are not on show');
});

test('unsaved edits are shown, guarded on close, and reset per section asks first', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const page = await openOptions(env, 'timing');
  assert.ok(await page.isHidden('#unsaved'), 'nothing to save yet');
  await page.click('#f-timing-pre_shift_minutes');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('30');
  await page.waitForSelector('#unsaved:not([hidden])');
  assert.equal(await page.textContent('#unsaved'), 'Unsaved changes');
  assert.ok(await page.isVisible('#nav-timing .nav-unsaved'), 'the section is marked');
  assert.ok(await page.isHidden('#nav-general .nav-unsaved'));
  // Typing the old value back: nothing unsaved any more.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.waitForSelector('#unsaved[hidden]', { state: 'attached' });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('30');
  await page.waitForSelector('#unsaved:not([hidden])');

  // Closing asks (the browser's "Leave site?"); staying keeps the edit.
  const asked = new Promise((resolve) => page.once('dialog', async (d) => { resolve(d.type()); await d.dismiss(); }));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  assert.ok(!page.isClosed(), 'the operator chose to stay');
  assert.equal(await page.inputValue('#f-timing-pre_shift_minutes'), '30');

  // Reset to defaults: asked in place; Cancel changes nothing, Reset puts the defaults.
  await page.fill('#f-timing-handover_minutes', '3');
  await page.click('#reset-timing');
  await page.waitForSelector('#reset-confirm');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reset-yes');
  assert.ok((await page.textContent('#reset-confirm')).includes(`“${await page.textContent('#nav-timing .nav-title')}”`), 'names the section');
  await page.click('#reset-no');
  assert.equal(await page.$('#reset-confirm'), null);
  assert.equal(await page.inputValue('#f-timing-pre_shift_minutes'), '30', 'cancel kept the edit');
  await page.click('#reset-timing');
  await page.click('#reset-yes');
  assert.equal(await page.inputValue('#f-timing-pre_shift_minutes'), '5');
  assert.equal(await page.inputValue('#f-timing-handover_minutes'), '10');
  assert.equal(await page.getAttribute('#status', 'data-status'), 'reset');
  assert.ok(await page.isHidden('#unsaved'), 'back to what is saved (the defaults)');

  // An edit saved: nothing unsaved, and closing no longer asks.
  await page.fill('#f-timing-handover_minutes', '4');
  await page.waitForSelector('#unsaved:not([hidden])');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.ok(await page.isHidden('#unsaved'));
  assert.equal((await stored(env, 'settings:timing'))['settings:timing'].handover_minutes, 4);
  let dialog = null;
  page.once('dialog', (d) => { dialog = d.type(); d.accept(); });
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent('close', { timeout: 5000 }).catch(() => {});
  assert.ok(page.isClosed(), 'closed without asking');
  assert.equal(dialog, null);
});

test('import changes only what the file names; the consortium export leaves out what is personal', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  await env.worker.evaluate(() => chrome.storage.sync.set({
    'settings:version': 1,
    'settings:operator_name': 'mchen_seneca',
    'settings:language': 'fr',
    'settings:queues': { expected: ['all_colleges', 'all_backup'], home_team: ['seneca'] },
    'settings:timing': { pre_shift_minutes: 5, autologout_margin_minutes: 15, autologout_warning_minutes: 5, closing_heads_up_minutes: 10, timer_rounding_minutes: 5, handover_minutes: 3, handover_grace_minutes: 30, after_close_minutes: 60 },
    'settings:shifts': { weekly: [{ weekday: 2, start: '10:00', end: '12:00', replacements: [] }], one_off: [], skipped: [] },
  }));
  const page = await openOptions(env, 'backup');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-consortium')]);
  assert.equal(download.suggestedFilename(), 'lh3-shift-consortium-settings.json');
  const shared = JSON.parse(readFileSync(await download.path(), 'utf8'));
  for (const personal of ['operator_name', 'language', 'shifts']) assert.ok(!(personal in shared), `${personal} left out`);
  assert.ok(!('home_team' in shared.queues), 'home-team queues left out');
  assert.deepEqual(shared.queues.expected, ['all_colleges', 'all_backup']);
  assert.equal(shared.timing.handover_minutes, 3);
  assert.equal(shared.version, 2);

  // A partial file: two fields of two sections.
  const file = { version: 1, timing: { pre_shift_minutes: 12 }, queues: { expected: ['askon_main'] } };
  await page.setInputFiles('#import-settings', { name: 'consortium.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.waitForSelector('#status[data-status="imported"]');
  // The operator chose French: the page says it in French.
  assert.match(await page.textContent('#status'), /2 modifiés/);
  assert.ok(await page.isVisible('#unsaved'), 'imported, not saved yet');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  const after = await stored(env, null);
  assert.equal(after['settings:timing'].pre_shift_minutes, 12);
  assert.equal(after['settings:timing'].handover_minutes, 3, 'a field the file does not name stays');
  assert.deepEqual(after['settings:queues'], { expected: ['askon_main'], home_team: ['seneca'] });
  assert.equal(after['settings:operator_name'], 'mchen_seneca');
  assert.equal(after['settings:language'], 'fr');
  assert.equal(after['settings:shifts'].weekly.length, 1);
});

test('the watchdog checks now and shows what it found; the shortcut settings open', async (t) => {
  // A copy whose manifest grants what the operator grants at the browser's prompt.
  const env = await launchGranted(t);
  await env.worker.evaluate(() => chrome.storage.sync.set({
    'settings:version': 1,
    'settings:service': { time_zone: 'UTC', weekly: Array.from({ length: 7 }, () => []), closed_days: [], exceptions: [] },
  }));
  env.server.setPresence({ all_colleges: 'available' });

  const page = await openOptions(env, 'guards');
  assert.equal(await page.textContent('#watchdog-last'), 'No check yet.');
  await page.click('#watchdog-check');
  await page.waitForSelector('#watchdog-last [data-watchdog="queue"]');
  const result = await page.textContent('#watchdog-last [data-watchdog="headline"]');
  assert.match(result, /^Last check \d{4}-\d\d-\d\d \d\d:\d\d: off hours, and ON: all_colleges\./);
  const queues = await page.$$eval('#watchdog-last [data-watchdog="queue"]', (ps) => ps.map((p) => p.textContent).sort());
  assert.deepEqual(queues, ['all_backup: unavailable', 'all_colleges: available']);
  assert.equal(await page.getAttribute('#watchdog-check', 'aria-disabled'), null, 'ready for another check');
  // The worker ran it: its state (and its notification) are the alarm's own.
  const state = await env.worker.evaluate(async () => (await chrome.storage.local.get('watchdog')).watchdog);
  assert.deepEqual(state.last.on, ['all_colleges']);
  const notes = await env.worker.evaluate(() => chrome.notifications.getAll());
  assert.ok('watchdog.service_on' in notes, 'off hours with a queue on: notified');
  // Shown again on the next visit.
  await page.reload();
  await page.waitForSelector('#watchdog-last [data-watchdog="queue"]');

  await page.goto(`chrome-extension://${env.extensionId}/options.html#features`);
  await page.waitForSelector('#open-shortcuts');
  assert.equal(await page.textContent('#shortcut-keys'), 'Insert the top canned suggestion: Alt+Shift+S');
  const opened = env.context.waitForEvent('page');
  await page.click('#open-shortcuts');
  const shortcuts = await opened;
  await shortcuts.waitForLoadState('domcontentloaded').catch(() => {});
  assert.equal(shortcuts.url(), 'chrome://extensions/shortcuts');
});
