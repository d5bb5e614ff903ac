// The login guards end to end, on the simulated web client with the built extension:
// Feature `login-guard`, Feature `staffing-check`, Feature `status-guard`,
// Feature `autologout-watch`, Feature `off-hours-guard`, and the service-on watchdog
// against the loopback presence stub (never the real host).
//
// The schedule is written into chrome.storage.sync the way the options page saves it,
// relative to the real clock (the extension reads the browser's clock), in UTC.
// Screenshots of each in-page warning go to $LH3_SHOTS (default: a temp folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION, launch, launchGranted, openWebClient, openPopup, tabIdOf, matrix, part, setLoginQueue, fillTimer, nextFlush, writeSettings, showStaffing, staffQueues, notifications, waitForNotification, shiftAroundNow } from './harness.mjs';

const SHOTS = process.env.LH3_SHOTS || join(tmpdir(), 'lh3-login-guards');
mkdirSync(SHOTS, { recursive: true });

const ALL_DAY = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
const CLOSED = Array.from({ length: 7 }, () => []);

const onShift = (before, after, extra = {}) => ({
  ...shiftAroundNow(before, after),
  operator_name: 'mchen_seneca',
  ...extra,
});

const notice = (page, id) => page.locator(`[data-lh3-notice="${id}"]`);

async function waitGone(page, id) {
  await page.waitForFunction((i) => !document.querySelector(`[data-lh3-notice="${i}"]`), id, { timeout: 5000 });
}

/** The notices the popup would list for the web client tab. */
async function popupNotices(env, page) {
  const tab = await tabIdOf(env.context, page);
  return env.worker.evaluate(async (t) => {
    const r = (await chrome.storage.session.get(`page_report:${t}`))[`page_report:${t}`];
    return (r?.notices || []).map((n) => `${n.feature}:${n.id}`);
  }, tab);
}

async function waitForPopupNotice(env, page, want) {
  for (let i = 0; i < 50; i++) {
    if ((await popupNotices(env, page)).includes(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok((await popupNotices(env, page)).includes(want), `popup notice ${want}`);
}

/** A notification taken down (its moment passed, or it was clicked). */
async function waitForNoNotification(worker, id) {
  for (let i = 0; i < 50; i++) {
    if (!(await notifications(worker)).includes(id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(!(await notifications(worker)).includes(id), `notification ${id} still up`);
}

const sim = (page) => page.evaluate(() => window.lh3sim.state());

for (const { page: kind, csp, tag } of matrix()) {
  test(`Feature \`login-guard\`: each finding next to Connect now, and the one-click fixes never connect ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    // On shift for 90 more minutes: the dialog's default 1 h timer is too short;
    // recommended = 90 + 15 margin = 1 h 45 min.
    await writeSettings(env.worker, onShift(5, 90));
    const page = await openWebClient(env.context);

    const short = notice(page, 'login.timer_short');
    await short.waitFor();
    const first = await short.textContent();
    assert.match(first, /before your shift ends/);
    // With nothing changing on the page, the finding follows the clock: at the next minute
    // the dialog's 1 h timer ends a minute later (the extension's timer is set to it).
    await page.waitForFunction((text) => {
      const n = document.querySelector('[data-lh3-notice="login.timer_short"]');
      return n && n.textContent !== text;
    }, first, { timeout: 75_000, polling: 500 });
    assert.match(await short.textContent(), /timer ends at \d\d:\d\d, before your shift ends/);
    // Just above the row holding Connect now, inside the dialog.
    assert.ok(await page.evaluate(([dialog, connect]) => {
      const n = document.querySelector('[data-lh3-notice="login.timer_short"]');
      return n.closest(dialog) && n.nextElementSibling?.contains(document.querySelector(connect));
    }, [part('login-dialog'), part('login-connect')]), 'the notice sits right above Connect now');
    await waitForPopupNotice(env, page, 'login-guard:login.timer_short');
    await page.screenshot({ path: join(SHOTS, 'login-timer-short.png') });

    // An expected queue turned off.
    await setLoginQueue(page, 'all_backup', false);
    const off = notice(page, 'login.queue_off');
    await off.waitFor();
    assert.match(await off.textContent(), /all_backup/);

    // "Never auto-logout" is forbidden.
    await page.locator(part('login-timer', 'never')).check();
    const never = notice(page, 'login.timer_never');
    await never.waitFor();
    assert.equal(await never.getAttribute('data-level'), 'alert');
    await waitGone(page, 'login.timer_short');
    await waitForPopupNotice(env, page, 'login-guard:login.timer_never');
    await page.screenshot({ path: join(SHOTS, 'login-never-queue-off.png') });

    // A timer far past the shift end.
    await page.locator(part('login-timer', 'countdown')).check();
    await fillTimer(page, 'login', { hours: 10 });
    await notice(page, 'login.timer_long').waitFor();
    await waitGone(page, 'login.timer_never');

    // One click: "Use timer" 1 h 45 min, typed into the page's own inputs.
    await notice(page, 'login.timer_long').getByRole('button', { name: 'Use recommended timer (1 h 45 min)' }).click();
    await waitGone(page, 'login.timer_long');
    assert.equal(await page.locator(part('login-hours')).inputValue(), '1');
    assert.equal(await page.locator(part('login-minutes')).inputValue(), '45');
    assert.ok(await page.locator(part('login-timer', 'countdown')).isChecked());
    await off.getByRole('button', { name: 'Turn on all_backup' }).click();
    await waitGone(page, 'login.queue_off');
    assert.ok(await page.locator(part('login-queue', 'all_backup')).isChecked());

    // Nothing pressed Connect now: still logged out, dialog open.
    const state = await sim(page);
    assert.equal(state.status, 'Logout');
    assert.equal(state.connected, false);
    assert.equal(state.loginDialogOpen, true);
  });

  test(`Feature \`staffing-check\` and Feature \`status-guard\`: a dropped queue, an unexpected one, Away on shift ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await writeSettings(env.worker, onShift(30, 30));
    const page = await openWebClient(env.context, '?state=connected');
    await showStaffing(page);
    await nextFlush(page);
    assert.equal(await page.locator('[data-lh3-notice^="staffing."]').count(), 0, 'the right queues: no notice');

    await staffQueues(page, ['all_colleges', 'practice']);
    const missing = notice(page, 'staffing.missing');
    await missing.waitFor();
    assert.match(await missing.textContent(), /not staffing all_backup/);
    const unexpected = notice(page, 'staffing.unexpected');
    await unexpected.waitFor();
    assert.match(await unexpected.textContent(), /also staffing practice/);
    assert.ok(await page.evaluate((staffing) =>
      !!document.querySelector('[data-lh3-notice="staffing.missing"]').closest(staffing), part('staffing')),
    'inside the I\'m Staffing group');
    await waitForPopupNotice(env, page, 'staffing-check:staffing.missing');
    await page.screenshot({ path: join(SHOTS, 'staffing.png') });

    // Away during the shift.
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    const away = notice(page, 'shift.status_away');
    await away.waitFor();
    assert.match(await away.textContent(), /Available/);
    // Floating right under the status drop-down.
    const [menu, box] = await Promise.all([
      page.locator(part('status')).boundingBox(),
      away.boundingBox(),
    ]);
    assert.ok(box.y >= menu.y + menu.height && box.y - (menu.y + menu.height) < 30, 'just below the status menu');
    await waitForPopupNotice(env, page, 'status-guard:shift.status_away');
    await page.screenshot({ path: join(SHOTS, 'status-away.png') });
    await away.getByRole('button', { name: 'Set Available' }).click();
    await waitGone(page, 'shift.status_away');
    assert.equal((await sim(page)).status, 'Available');

    // The settings switch turns the rule off: the Busy notice goes when the settings reach
    // the page, and Away brings none.
    await page.evaluate(() => window.lh3sim.setStatus('Busy'));
    await page.locator('[data-lh3-notice^="shift.status"]').waitFor();
    await writeSettings(env.worker, onShift(30, 30, {
      guards: { status_guard: false, off_hours_guard: true, watchdog: false, watchdog_interval_minutes: 5, watchdog_after_close_minutes: 60, default_replacements_needed: 2 },
    }));
    await page.waitForFunction(() => !document.querySelector('[data-lh3-notice^="shift.status"]'), null, { timeout: 5000 });
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await nextFlush(page);
    assert.equal(await page.locator('[data-lh3-notice^="shift.status"]').count(), 0);
  });

  test(`Feature \`autologout-watch\`: warned before, notified and title flashing when the popup opens, advice inside it ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    // 30 minutes of shift left: the popup's advice is "Remain logged in" with 45 min.
    await writeSettings(env.worker, onShift(30, 30));
    const page = await openWebClient(env.context);
    // Connect with a 4-minute timer, through the dialog as the operator would.
    await fillTimer(page, 'login', { hours: 0, minutes: 4 });
    await notice(page, 'login.timer_short').waitFor();
    const connectedAt = Date.now();
    await page.locator(part('login-connect')).click();

    // Within the warning window at once: a notice and a system notification.
    const soon = notice(page, 'autologout.soon');
    await soon.waitFor();
    assert.match(await soon.textContent(), /Auto-logout in 4 min .*Remain logged in.*45 min/);
    await waitForNotification(env.worker, 'autologout.soon');
    const tab = await tabIdOf(env.context, page);
    const deadline = await env.worker.evaluate(async (t) =>
      (await chrome.storage.session.get(`page_report:${t}`))[`page_report:${t}`]?.autologout_deadline, tab);
    const ms = Date.parse(deadline);
    assert.ok(Math.abs(ms - (connectedAt + 4 * 60000)) < 15000, `deadline ${deadline}`);
    await page.screenshot({ path: join(SHOTS, 'autologout-soon.png') });
    // The toolbar popup counts down among its live facts, at the top.
    const popup = await openPopup(env.context, env.extensionId, page);
    const countdown = popup.locator('#facts [data-fact="autologout"]');
    await countdown.waitFor();
    assert.match(await countdown.textContent(), /Auto-logout\s*in [1-4] min, at \d\d:\d\d/);
    await popup.close();

    // The popup: notification, flashing title, advice inside with a fill button.
    const ownTitle = await page.title();
    await page.evaluate(() => window.lh3sim.fireAutoLogout());
    const advice = page.locator(`${part('autologout')} [data-lh3-notice="autologout.advice"]`);
    await advice.waitFor();
    assert.match(await advice.textContent(), /Remain logged in.*45 min/);
    await waitGone(page, 'autologout.soon');
    await waitForNotification(env.worker, 'autologout.popup');
    await waitForNoNotification(env.worker, 'autologout.soon');
    await waitForPopupNotice(env, page, 'autologout-watch:autologout.advice');
    // The title flashes: the warning, then the page's own title again.
    await page.waitForFunction(() => document.title === '⚠ Auto-logout: answer now', null, { timeout: 5000, polling: 50 });
    await page.waitForFunction((t) => document.title === t, ownTitle, { timeout: 5000, polling: 50 });
    await advice.getByRole('button', { name: 'Fill in 45 min' }).click();
    assert.equal(await page.locator(part('autologout-minutes')).inputValue(), '45');
    const during = await sim(page);
    assert.equal(during.autoLogoutPopup.open, true, 'the popup still waits for the operator');
    assert.equal(during.connected, true);
    assert.equal(during.logouts.length, 0);
    await page.screenshot({ path: join(SHOTS, 'autologout-popup.png') });

    // The operator answers: the title comes back, the new timer is followed.
    const answeredAt = Date.now();
    await page.locator(part('autologout-stay')).click();
    await waitGone(page, 'autologout.advice');
    await page.waitForFunction((t) => document.title === t, ownTitle, { timeout: 3000 });
    await waitForNoNotification(env.worker, 'autologout.popup');
    let followed = false;
    for (let i = 0; i < 50 && !followed; i++) {
      const d = await env.worker.evaluate(async (t) =>
        (await chrome.storage.session.get(`page_report:${t}`))[`page_report:${t}`]?.autologout_deadline, tab);
      followed = Math.abs(Date.parse(d) - (answeredAt + 45 * 60000)) < 15000;
      if (!followed) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(followed, 'the deadline follows "Remain logged in" with 45 minutes');

    // The popup again, with the operator in another tab: notified again, and a click on
    // the notification brings the web client back to the front.
    const other = await env.context.newPage();
    await other.goto('about:blank');
    await page.evaluate(() => window.lh3sim.fireAutoLogout());
    await waitForNotification(env.worker, 'autologout.popup');
    assert.equal(await env.worker.evaluate((t) => chrome.tabs.get(t).then((x) => x.active), tab), false);
    await env.worker.evaluate(() => self.lh3.notificationClicked('autologout.popup'));
    assert.equal(await env.worker.evaluate((t) => chrome.tabs.get(t).then((x) => x.active), tab), true);
    await waitForNoNotification(env.worker, 'autologout.popup');
  });

  test(`Feature \`off-hours-guard\`: the login dialog is covered until "I understand, continue", which is recorded ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await writeSettings(env.worker, {
      service: { time_zone: 'UTC', weekly: CLOSED, closed_days: [], exceptions: [] },
      shifts: { weekly: [], one_off: [], skipped: [] },
    });
    const page = await openWebClient(env.context);
    const cover = page.locator(`${part('login-dialog')} [data-lh3-notice="off_hours.connecting"]`);
    await cover.waitFor();
    assert.match(await cover.textContent(), /training account/);
    await waitForPopupNotice(env, page, 'off-hours-guard:off_hours.connecting');
    await page.screenshot({ path: join(SHOTS, 'off-hours.png') });

    // The mouse lands on the notice, not on Connect now.
    const connect = page.locator(part('login-connect'));
    const b = await connect.boundingBox();
    assert.ok(await page.evaluate(([x, y]) =>
      !!document.elementFromPoint(x, y)?.closest('[data-lh3-notice="off_hours.connecting"]'), [b.x + b.width / 2, b.y + b.height / 2]));
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    // Keyboard: Enter and Space on Connect now, Enter in a field; and a scripted click.
    await connect.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    await page.locator(part('login-minutes')).focus();
    await page.keyboard.press('Enter');
    await page.evaluate((sel) => document.querySelector(sel).click(), part('login-connect'));
    await nextFlush(page);
    let state = await sim(page);
    assert.equal(state.connected, false, 'Connect now was stopped');
    assert.equal(state.status, 'Logout');

    await cover.getByRole('button', { name: 'I understand, continue' }).click();
    await waitGone(page, 'off_hours.connecting');
    assert.equal(await page.locator('[data-lh3-covered], [data-lh3-blocked]').count(), 0);
    // Recorded in the shift history the popup keeps.
    let shift;
    for (let i = 0; i < 50 && !shift; i++) {
      const log = await env.worker.evaluate(async () => (await chrome.storage.local.get('shift_log')).shift_log);
      shift = log?.shifts?.find((s) => s.events.some((e) => e.what.startsWith('off-hours guard: I understand, continue')));
      if (!shift) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(shift, 'the override is in the shift log');
    assert.match(shift.shift_key, /^off-hours:\d{4}-\d{2}-\d{2}$/);
    const event = shift.events.find((e) => e.what.startsWith('off-hours guard'));
    assert.ok(Math.abs(Date.parse(event.at) - Date.now()) < 60000);

    // The operator's own choice now goes through; connected off hours, the notice says so.
    await connect.click();
    state = await sim(page);
    assert.equal(state.connected, true);
    const connected = notice(page, 'off_hours.connected');
    await connected.waitFor();
    assert.match(await connected.textContent(), /log out/);
    await page.screenshot({ path: join(SHOTS, 'off-hours-connected.png') });
  });
}

test('service-on watchdog: the permission is optional and asked for; off hours a queue left on is notified with an email', async (t) => {
  // The real build: the request is declared (it waits on the browser's prompt, which
  // a test cannot answer, instead of failing as an undeclared permission would).
  {
    const env = await launch();
    try {
      const manifest = JSON.parse(readFileSync(join(EXTENSION, 'manifest.json'), 'utf8'));
      assert.deepEqual(manifest.optional_host_permissions, ['https://*.libraryh3lp.com/presence/*', 'https://libraryh3lp.com/presence/*']);
      assert.ok(!(manifest.host_permissions || []).some((h) => h.includes('presence')));
      // The real path: the options page's watchdog switch, clicked as an operator would.
      // The browser's prompt cannot be answered here, so the request is watched on its way.
      const page = await env.context.newPage();
      await page.goto(`chrome-extension://${env.extensionId}/options.html#guards`);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      await page.evaluate(() => {
        const request = chrome.permissions.request.bind(chrome.permissions);
        window.__requested = [];
        chrome.permissions.request = (p) => {
          window.__requested.push(p);
          const asked = request(p);
          window.__asked = 'waiting';
          asked.then((g) => { window.__asked = String(g); }, (e) => { window.__asked = `error: ${e.message || e}`; });
          return asked;
        };
      });
      await page.click('input[data-field="guards.watchdog"]');
      await page.waitForFunction(() => window.__requested.length > 0, null, { timeout: 5000 });
      assert.deepEqual(await page.evaluate(() => window.__requested), [{ origins: manifest.optional_host_permissions }]);
      assert.equal(await env.worker.evaluate(() => chrome.permissions.contains({ origins: ['https://ca.libraryh3lp.com/presence/*'] })), false);
      // Asked inside the click: the browser is waiting on the operator, not refusing a
      // request made outside a gesture (that rejects at once).
      assert.equal(await page.evaluate(() => window.__asked), 'waiting', 'the browser asks the operator');
    } finally {
      await env.close();
    }
  }

  // A copy whose manifest grants what the operator would grant at the prompt.
  const env = await launchGranted(t);
  const { worker, server } = env;

  // Off: no alarm. On: an alarm every N minutes.
  await writeSettings(worker, {
    service: { time_zone: 'UTC', weekly: CLOSED, closed_days: [], exceptions: [] },
    guards: { status_guard: true, off_hours_guard: true, watchdog: true, watchdog_interval_minutes: 7, watchdog_after_close_minutes: 60, default_replacements_needed: 2 },
    // The askON preset's service coordinator (the defaults name no one).
    coordinators: { service: [{ name: 'Lauren Rupert', email: 'lrupert@ocls.ca' }] },
  });
  let alarm;
  for (let i = 0; i < 50 && !alarm; i++) {
    alarm = await worker.evaluate(() => chrome.alarms.get('lh3-watchdog'));
    if (!alarm) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(alarm?.periodInMinutes, 7);

  // Nobody on: no notification.
  await worker.evaluate(() => self.lh3.alarm('lh3-watchdog'));
  assert.ok(!(await notifications(worker)).includes('watchdog.service_on'));
  const asked = server.requests.filter((r) => r.path.startsWith('/presence/')).map((r) => r.path);
  assert.deepEqual(asked.sort(), [
    '/presence/jid/all_backup/chat.ca.libraryh3lp.com/text',
    '/presence/jid/all_colleges/chat.ca.libraryh3lp.com/text',
  ]);

  // Someone left all_colleges on.
  server.setPresence({ all_colleges: 'available' });
  await worker.evaluate(() => self.lh3.alarm('lh3-watchdog'));
  await waitForNotification(worker, 'watchdog.service_on');
  const state = await worker.evaluate(async () => (await chrome.storage.local.get('watchdog')).watchdog);
  assert.deepEqual(state.last.on, ['all_colleges']);
  assert.equal(state.last.due, true);
  // Only the presence paths were asked: nothing else left the browser.
  assert.ok(server.requests.every((r) => r.path.startsWith('/presence/') || r.path.startsWith('/webclient') || r.path === '/favicon.ico'));

  // A click opens the email to the service coordinator.
  const opened = await worker.evaluate(async () => {
    const urls = [];
    const create = chrome.tabs.create;
    chrome.tabs.create = async (p) => { urls.push(p.url); return {}; };
    try {
      await self.lh3.notificationClicked('watchdog.service_on');
    } finally {
      chrome.tabs.create = create;
    }
    return urls;
  });
  assert.equal(opened.length, 1);
  assert.match(opened[0], /^mailto:lrupert@ocls\.ca\?subject=Service%20on%20during%20off%20hours%3A%20all_colleges&body=/);
  await waitForNoNotification(worker, 'watchdog.service_on');

  // During service hours the watchdog does not ask.
  const before = server.requests.length;
  await writeSettings(worker, {
    service: { time_zone: 'UTC', weekly: ALL_DAY, closed_days: [], exceptions: [] },
  });
  await worker.evaluate(() => self.lh3.alarm('lh3-watchdog'));
  assert.equal(server.requests.slice(before).filter((r) => r.path.startsWith('/presence/')).length, 0);

  // Turned off: the alarm goes.
  await writeSettings(worker, {
    guards: { status_guard: true, off_hours_guard: true, watchdog: false, watchdog_interval_minutes: 7, watchdog_after_close_minutes: 60, default_replacements_needed: 2 },
  });
  for (let i = 0; i < 50 && alarm; i++) {
    alarm = await worker.evaluate(() => chrome.alarms.get('lh3-watchdog'));
    if (alarm) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(alarm, undefined);
});
