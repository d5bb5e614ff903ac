// The toolbar checklist, the options page and the pre-shift reminder, end to end: an
// operator fills in a schedule, opens the web client and the popup, ticks steps (which
// survive closing the popup and restarting the browser), and the options page refuses
// what is invalid and warns about what could not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openWebClient, openPopup, matrix, showStaffing, shiftAroundNow as oneOffAroundNow } from './harness.mjs';
import { seriousA11yViolations } from './a11y.mjs';

const REMINDER = 'pre-shift-reminder';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
// Zones spread over the day: together they put some zone at mid-day at every hour of the year.
const ZONES = [
  'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver',
  'America/Chicago', 'America/Toronto', 'America/Halifax', 'America/St_Johns', 'UTC',
  'Europe/London', 'Europe/Paris', 'Asia/Singapore', 'Asia/Hong_Kong', 'Australia/Perth',
  'Australia/Adelaide', 'Australia/Sydney', 'Pacific/Auckland',
];

/** Wall-clock parts of an instant in a zone: weekday (0 = Monday), "HH:MM", minutes. */
function wall(ms, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return {
    weekday: WEEKDAYS.indexOf(parts.weekday),
    hhmm: `${parts.hour}:${parts.minute}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * A shift around the real time: started 10 minutes ago, ends in 50, in a service zone
 * where that is mid-day (so no midnight or first/last-shift-of-the-day edge).
 */
function shiftAroundNow() {
  const now = Date.now();
  const minute = 60_000;
  const start = Math.floor((now - 10 * minute) / minute) * minute;
  const end = start + 60 * minute;
  const zone = ZONES.find((z) => {
    const h = wall(now, z).minutes / 60;
    return h >= 9.5 && h <= 17;
  });
  assert.ok(zone, 'some zone is at mid-day now');
  const s = wall(start, zone);
  return { zone, start, end, weekday: s.weekday, startText: s.hhmm, endText: wall(end, zone).hhmm };
}

async function openOptions(env, section = '') {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html${section && `#${section}`}`);
  await page.waitForSelector('#save');
  return page;
}

/** Puts a section of the options page on show, as an operator would: its entry in the list. */
async function showSection(page, id) {
  await page.click(`#nav-${id}`);
  await page.waitForSelector(`section#${id}:not([hidden])`);
}

async function popupPage(env, webClient) {
  const popup = webClient
    ? await openPopup(env.context, env.extensionId, webClient)
    : await env.context.newPage();
  await popup.setViewportSize({ width: 360, height: 900 });
  if (!webClient) await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await popup.waitForSelector('#shift[data-phase]');
  // On shift the checklist starts folded (live facts first): unfold it as an operator would.
  if (!(await popup.evaluate(() => document.querySelector('#checklist-fold').open))) {
    await popup.click('#checklist-fold > summary');
  }
  return popup;
}

/** Fills the schedule in the options page the way an operator would, and saves. */
async function fillSchedule(page, shift) {
  await showSection(page, 'general');
  await page.fill('#f-operator_name', 'mchen_seneca');
  await showSection(page, 'service');
  await page.selectOption('#f-service-time_zone', shift.zone);
  // Today's service hours 08:00–20:00 (adding a span if the day is closed).
  const day = `service.weekly[${shift.weekday}]`;
  if (!(await page.$(`[data-field="${day}[0].start"]`))) {
    await page.click(`[data-action="add"][data-list="${day}"]`);
  }
  await page.fill(`[data-field="${day}[0].start"]`, '08:00');
  await page.fill(`[data-field="${day}[0].end"]`, '20:00');
  await showSection(page, 'shifts');
  await page.click('[data-action="add"][data-list="shifts.weekly"]');
  // The new row's first input has the focus: keyboard users land in it.
  assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'shifts.weekly[0].weekday');
  await page.selectOption('[data-field="shifts.weekly[0].weekday"]', String(shift.weekday));
  await page.fill('[data-field="shifts.weekly[0].start"]', shift.startText);
  await page.fill('[data-field="shifts.weekly[0].end"]', shift.endText);
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
}

async function stepState(popup, id) {
  return popup.getAttribute(`[data-step="${id}"]`, 'data-state');
}

async function waitStep(popup, id, state) {
  await popup.waitForSelector(`[data-step="${id}"][data-state="${state}"]`, { timeout: 10000 });
}


for (const { page: kind, csp, tag } of matrix()) {
  test(`the checklist follows the shift: schedule in options, evidence from the web client, ticks that last ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(() => env.close());
    const shift = shiftAroundNow();

    const options = await openOptions(env);
    await fillSchedule(options, shift);
    const stored = await env.worker.evaluate(() => chrome.storage.sync.get(['settings:shifts', 'settings:service']));
    assert.equal(stored['settings:shifts'].weekly[0].start, shift.startText);
    assert.equal(stored['settings:service'].time_zone, shift.zone);
    assert.deepEqual(await seriousA11yViolations(options, { sections: true }), [], 'options page, every section, light and dark: no serious accessibility problems');
    await options.close();

    // Saving re-armed the reminder: next week's shift (this one began), minus 5 minutes.
    let alarm;
    for (let i = 0; i < 50 && !alarm; i++) {
      alarm = await env.worker.evaluate((n) => chrome.alarms.get(n), REMINDER);
      if (!alarm) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(alarm, 'the reminder alarm is armed');
    const fires = wall(alarm.scheduledTime + 5 * 60_000, shift.zone);
    assert.equal(fires.hhmm, shift.startText, 'the reminder is for the shift start');
    assert.equal(fires.weekday, shift.weekday);
    assert.ok(alarm.scheduledTime > Date.now() + 6 * 86_400_000, 'next week: this shift already began');

    const client = await openWebClient(env.context, '?state=connected');
    await showStaffing(client);
    let popup = await popupPage(env, client);
    assert.equal(await popup.getAttribute('#shift', 'data-phase'), 'on_shift');
    assert.match(await popup.textContent('#phase-headline'), new RegExp(`until ${shift.endText}`));
    await waitStep(popup, 'login.queues', 'done-auto');
    assert.equal(
      await popup.textContent('[data-step="login.queues"] > .evidence'),
      'Staffing all_colleges, all_backup',
    );
    await waitStep(popup, 'login.connect_now', 'done-auto');
    assert.equal(await popup.textContent('[data-step="login.connect_now"] > .evidence'), 'Status: Available');
    assert.equal(await stepState(popup, 'login.buddy_list'), 'todo');
    // Not the day's first shift: the offline-text duty is set aside.
    assert.equal(await stepState(popup, 'first.offline_texts'), 'na');
    // The picture of the day says the same in words.
    assert.match(await popup.textContent('[data-legend="shift"]'), new RegExp(`${shift.startText}–${shift.endText}`));
    assert.match(await popup.textContent('[data-legend="service"]'), /08:00–20:00/);
    const before = (await popup.getAttribute('[data-progress]', 'data-progress')).split('/').map(Number);
    assert.ok(before[0] >= 3 && before[1] > before[0], `progress ${before}`);
    // The Chat History section and page check are still there.
    assert.ok(await popup.$('#chat-history'));
    assert.ok(await popup.$('#page-check'));
    assert.deepEqual(await seriousA11yViolations(popup), [], 'popup, light and dark: no serious accessibility problems');

    // Tick a manual step, by keyboard.
    await popup.focus('[data-tick="login.buddy_list"]');
    await popup.keyboard.press('Space');
    await waitStep(popup, 'login.buddy_list', 'done-hand');
    const after = (await popup.getAttribute('[data-progress]', 'data-progress')).split('/').map(Number);
    assert.equal(after[0], before[0] + 1, 'progress counts the tick');
    assert.equal(await popup.evaluate(() => document.activeElement.dataset.tick), 'login.buddy_list', 'focus stays');
    // Screen readers: one live region, outside what is redrawn, for the phase and the
    // warnings only — a tick redraws the popup and announces nothing.
    assert.deepEqual(await popup.$$eval('[aria-live]', (els) => els.map((e) => e.id)), ['live']);
    assert.equal(await popup.textContent('#live'), '');
    // The procedure's text says its language (it can differ from the browser's).
    assert.equal(await popup.getAttribute('[data-step="login.buddy_list"] .step-text', 'lang'), 'en');
    assert.equal(await popup.getAttribute('#phase-headline', 'lang'), 'en');
    await popup.close();

    popup = await popupPage(env, client);
    await waitStep(popup, 'login.buddy_list', 'done-hand');
    await popup.close();

    // A browser restart with the same profile.
    await env.relaunch();
    popup = await popupPage(env, null);
    assert.equal(await popup.getAttribute('#shift', 'data-phase'), 'on_shift');
    await waitStep(popup, 'login.buddy_list', 'done-hand');
    // No web client after the restart: nothing is claimed as seen.
    assert.equal(await stepState(popup, 'login.queues'), 'todo');
    await popup.close();

    // The popup reads its own clock: just before the shift it is time to log in, and the
    // ticks of that same shift still count; an hour before, it is not yet.
    const early = await env.context.newPage();
    await early.clock.setFixedTime(new Date(shift.start - 3 * 60_000));
    await early.goto(`chrome-extension://${env.extensionId}/popup.html`);
    await early.waitForSelector('#shift[data-phase]');
    assert.equal(await early.getAttribute('#shift', 'data-phase'), 'login_window');
    assert.match(await early.textContent('#phase-headline'), new RegExp(`starts at ${shift.startText}`));
    await waitStep(early, 'login.buddy_list', 'done-hand');
    await early.clock.setFixedTime(new Date(shift.start - 60 * 60_000));
    await early.reload();
    await early.waitForSelector('#shift[data-phase]');
    assert.equal(await early.getAttribute('#shift', 'data-phase'), 'pre_shift');
    await early.close();
  });

}

test('the popup announces a new phase through its one live region, not every redraw', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const popup = await popupPage(env, null);
  assert.equal(await popup.getAttribute('#app', 'aria-live'), null, 'the redrawn part is no live region');
  const before = await popup.textContent('#phase-headline');
  assert.equal(await popup.textContent('#live'), '', 'nothing announced on opening');
  // A shift around now appears in the settings: the popup redraws with a new phase.
  const { service, shifts } = oneOffAroundNow(30, 30, { replacements: [] });
  await env.worker.evaluate((s) => chrome.storage.sync.set(s), {
    'settings:version': 1, 'settings:service': service, 'settings:shifts': shifts,
  });
  await popup.waitForSelector('#shift[data-phase="on_shift"]');
  const headline = await popup.textContent('#phase-headline');
  assert.notEqual(headline, before);
  await popup.waitForFunction(() => document.getElementById('live').textContent !== '');
  assert.ok((await popup.textContent('#live')).startsWith(headline), 'the new phase is announced');
});

test('the options page shows what could not be read and offers the stored copy', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  await env.worker.evaluate(() => chrome.storage.sync.set({
    'settings:timing': 'garbage',
    'settings:queues': { expected: 'all_colleges', home_team: [] },
  }));
  const page = await openOptions(env);
  const banner = await page.waitForSelector('#load-warnings');
  assert.ok(Number(await banner.getAttribute('data-warnings')) >= 2);
  assert.match(await banner.textContent(), /timing/);
  assert.match(await banner.textContent(), /queues\.expected/);
  // The defaults are in the form meanwhile.
  assert.equal(await page.inputValue('#f-timing-pre_shift_minutes'), '5');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-raw')]);
  const kept = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(kept.timing, 'garbage', 'the stored copy, as it was');
  assert.deepEqual(await seriousA11yViolations(page), [], 'warning banner: no serious accessibility problems');

  const popup = await popupPage(env, null);
  assert.ok(await popup.$('[data-warning="settings"]'), 'the popup says the settings need attention');
  await popup.close();
});

test('invalid input is shown next to its field and nothing is saved', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const page = await openOptions(env);
  await page.fill('#f-operator_name', 'someone_new');
  await showSection(page, 'timing');
  await page.fill('#f-timing-pre_shift_minutes', '500');
  await showSection(page, 'service');
  await page.fill('[data-field="service.weekly[0][0].end"]', '25:00');
  await showSection(page, 'general');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="invalid"]');
  const lead = await page.textContent('[data-field-wrap="timing.pre_shift_minutes"] .error');
  assert.match(lead, /^500 minutes is more than the most allowed \(120 minutes\)$/);
  // In a row of small inputs, the message sits under the row and names its input.
  const hours = await page.textContent('.error[data-error-for="service.weekly[0][0].end"]');
  assert.match(hours, /^Monday: Closes: '25:00' is not a time of day: hours go from 00 to 23$/);
  const errorId = await page.getAttribute('[data-field="service.weekly[0][0].end"]', 'aria-errormessage');
  assert.equal(await page.getAttribute(`#${errorId}`, 'data-error-for'), 'service.weekly[0][0].end');
  assert.equal(await page.getAttribute('#f-timing-pre_shift_minutes', 'aria-invalid'), 'true');
  assert.equal(
    await page.evaluate(() => document.activeElement.dataset.field),
    'service.weekly[0][0].end',
    'the first problem (in page order of validation) has the focus',
  );
  assert.ok(await page.isVisible('section#service'), 'its section is on show');
  assert.equal(await page.textContent('#nav-timing .nav-problems'), '1 to fix', 'the section list counts problems');
  assert.equal(await page.textContent('#nav-service .nav-problems'), '1 to fix');
  assert.ok(await page.isHidden('#nav-general .nav-problems'));
  const stored = await env.worker.evaluate(() => chrome.storage.sync.get(null));
  assert.deepEqual(Object.keys(stored).filter((k) => k.startsWith('settings:')), [], 'nothing saved');

  // Fixed, it saves; the errors go.
  await page.fill('[data-field="service.weekly[0][0].end"]', '22:00');
  await showSection(page, 'timing');
  await page.fill('#f-timing-pre_shift_minutes', '10');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.equal(await page.$('.error[data-error-for]'), null);
  const saved = await env.worker.evaluate(() => chrome.storage.sync.get(['settings:timing', 'settings:operator_name']));
  assert.equal(saved['settings:timing'].pre_shift_minutes, 10);
  assert.equal(saved['settings:operator_name'], 'someone_new');
});

test('an .ics schedule is shown before it is imported', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const page = await openOptions(env, 'shifts');
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:a@x',
    'DTSTART;TZID=America/Toronto:20260302T100000', 'DTEND;TZID=America/Toronto:20260302T110000',
    'RRULE:FREQ=WEEKLY;UNTIL=20260427T235959Z', 'SUMMARY:askON', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:b@x', 'DTSTART;TZID=America/Toronto:20260314T120000',
    'DTEND;TZID=America/Toronto:20260314T130000', 'SUMMARY:askON extra', 'END:VEVENT', 'END:VCALENDAR',
  ].join('\r\n');
  await page.setInputFiles('#ics-file', { name: 'shifts.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  const preview = await page.waitForSelector('[data-ics="ready"]');
  const text = await preview.textContent();
  // Dates said in words (the fields below keep them as typed).
  assert.match(text, /Monday 10:00–11:00 \(Monday 2 March 2026 → Monday 27 April 2026\)/);
  assert.match(text, /Saturday 14 March 2026 12:00–13:00/);
  assert.equal(await page.$('[data-field="shifts.weekly[0].start"]'), null, 'nothing applied yet');
  await page.click('#ics-add');
  assert.equal(await page.inputValue('[data-field="shifts.weekly[0].start"]'), '10:00');
  assert.equal(await page.inputValue('[data-field="shifts.one_off[0].date"]'), '2026-03-14');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  const stored = await env.worker.evaluate(() => chrome.storage.sync.get('settings:shifts'));
  assert.equal(stored['settings:shifts'].weekly[0].valid_until, '2026-04-27');
});

for (const { page: kind, csp, tag } of matrix()) {
  test(`the pre-shift reminder notifies and brings up the web client ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(() => env.close());
    // A one-off shift starting in 2–3 minutes: inside the 5-minute login window now (in
    // a zone where it falls on one day, whatever the hour the test runs at).
    const { service, shifts } = oneOffAroundNow(-3, 63, { replacements: [] });
    await env.worker.evaluate((s) => chrome.storage.sync.set(s), { 'settings:service': service, 'settings:shifts': shifts });

    await env.worker.evaluate((n) => self.lh3.alarm(n), REMINDER);
    const shown = await env.worker.evaluate(() => chrome.notifications.getAll());
    assert.ok(shown[REMINDER], 'the reminder is shown');
    // A one-off shift: nothing after it, so no alarm is left armed.
    assert.equal(await env.worker.evaluate((n) => chrome.alarms.get(n), REMINDER), undefined);

    // Clicking it with no web client open opens one on the consortium's server.
    const opened = env.context.waitForEvent('page');
    await env.worker.evaluate((n) => self.lh3.notificationClicked(n), REMINDER);
    const page = await opened;
    await page.waitForLoadState('domcontentloaded');
    assert.equal(new URL(page.url()).host, 'ca.libraryh3lp.com');
    assert.match(new URL(page.url()).pathname, /^\/webclient\//);
    assert.deepEqual(Object.keys(await env.worker.evaluate(() => chrome.notifications.getAll())), []);

    // With the web client open (it reported to the extension), clicking brings it forward.
    await page.waitForFunction(() => document.documentElement.dataset.lh3Engine, null, { timeout: 15000 });
    const other = await env.context.newPage();
    await other.goto(`chrome-extension://${env.extensionId}/options.html`);
    await other.bringToFront();
    const pages = env.context.pages().length;
    const inFront = () => env.worker.evaluate(async () => [
      (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
      (await chrome.storage.session.get('page_report_latest_tab')).page_report_latest_tab,
    ]);
    const [before, client] = await inFront();
    assert.notEqual(before, client, 'another tab is in front first');
    await env.worker.evaluate((n) => self.lh3.notificationClicked(n), REMINDER);
    const [active, reported] = await inFront();
    assert.ok(reported >= 0, 'the web client reported');
    assert.equal(active, reported, 'the web client tab is in front');
    assert.equal(env.context.pages().length, pages, 'no second web client opened');
  });
}
