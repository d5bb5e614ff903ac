// Leaving a shift end to end: Feature `tab-close-guard`, Feature `logout-gate`,
// Feature `offline-text-guard` and Feature `closing-duties`, on the simulated web client
// with the built extension. Schedules are written into chrome.storage.sync relative to
// the real clock (the extension reads the browser's time), in a zone where it is about
// midday so every scripted shift falls within today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openWebClient, openPopup, matrix, part, pane, inPane, historyRow, chooseStatus, shownStatus, nextFlush, showView, waitForNotification } from './harness.mjs';

const ME = 'mchen_seneca';
const SHOTS = process.env.LH3_SHOTS || '';

/** The consortium zone where it is closest to noon now. */
function middayZone() {
  const zones = ['America/Toronto', 'America/Vancouver', 'Pacific/Honolulu', 'Pacific/Auckland',
    'Australia/Sydney', 'Australia/Perth', 'Asia/Singapore', 'Europe/Paris', 'Europe/London', 'America/Halifax', 'UTC'];
  const hour = (z) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: z, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  return zones.reduce((best, z) => (Math.abs(hour(z) - 12) < Math.abs(hour(best) - 12) ? z : best));
}

const ZONE = middayZone();

/** Date and HH:MM in ZONE, `minutes` from now. */
function at(minutes) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60000));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  // The date as an English email says it ("Saturday 5 December": the catalog's dateFormat).
  const said = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' })
    .format(new Date(Date.now() + minutes * 60000)).replace(',', '');
  return { date: `${p.year}-${p.month}-${p.day}`, hm: `${p.hour}:${p.minute}`, said };
}

/**
 * Writes the settings items the options page would (see src/ext/settings.rs): service
 * hours every day `open`–`close`, one shift today `from`–`to` minutes from now.
 */
async function schedule(worker, { open = '00:00', close = '24:00', from, to, replacements = [], closed = false }) {
  const span = [{ start: open, end: close }];
  const items = {
    'settings:version': 1,
    'settings:operator_name': ME,
    'settings:service': { time_zone: ZONE, weekly: Array(7).fill(closed ? [] : span), closed_days: [], exceptions: [] },
    'settings:shifts': {
      weekly: [],
      skipped: [],
      one_off: from === undefined ? [] : [{ date: at(0).date, start: at(from).hm, end: at(to).hm, replacements }],
    },
    'settings:coordinators': {
      site: [{ name: 'Site A', email: 'site.a@college.ca' }, { name: 'Site B', email: 'site.b@college.ca' }],
      service: [{ name: 'Lauren Rupert', email: 'lrupert@ocls.ca' }],
    },
  };
  await worker.evaluate((i) => chrome.storage.sync.set(i), items);
}

/** The extension has seen everything done so far (its next flush has run). */
const settle = nextFlush;

async function setOperators(page, online) {
  await page.evaluate((names) => window.lh3sim.setOperators(
    [...names.map((name) => ({ name, online: true })), { name: 'tnguyen_centennial', online: false }]), online);
  await settle(page);
}

/** A click on the page: Chromium shows a leave-page prompt only after a user gesture. */
const gesture = (page) => page.mouse.click(4, 4);

const sim = (page) => page.evaluate(() => window.lh3sim.state());

/**
 * Login step 4, "review chat activity under Chat History": the real client draws only
 * the view in front, so the gate counts New chats from Chat History as last seen.
 */
async function reviewHistory(page) {
  await showView(page, 'history');
  await settle(page);
  await showView(page, 'chats');
  await settle(page);
}

async function chooseLogout(page) {
  await chooseStatus(page, 'Logout');
  await page.waitForSelector('[data-lh3-panel="logout-gate"]', { timeout: 3000 });
}

/** Types into a pane's typing area and sends with Enter, as the operator does. */
async function send(page, id, text) {
  await page.fill(inPane(id, 'pane-typing'), text);
  await page.press(inPane(id, 'pane-typing'), 'Enter');
}

const outstanding = (page) => page.$$eval('[data-lh3-outstanding]', (els) => els.map((e) => e.dataset.lh3Outstanding));
const itemText = (page, key) => page.textContent(`[data-lh3-outstanding="${key}"]`);

/**
 * What the shift log (the checklist's, in local storage) recorded, all shifts, once
 * `until(events)` holds (the worker writes it after the page's message), or after 5 s.
 */
async function historyEvents(worker, until = () => true) {
  let events = [];
  for (let i = 0; i < 50; i++) {
    const all = await worker.evaluate(() => chrome.storage.local.get('shift_log'));
    events = (all.shift_log?.shifts || []).flatMap((s) => s.events.map((e) => e.what));
    if (until(events)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return events;
}

/** A mailto: link's parts, decoded (RFC 6068). */
function parseMailto(href) {
  assert.ok(href.startsWith('mailto:'), href);
  const [addr, query = ''] = href.slice('mailto:'.length).split('?');
  const params = {};
  for (const kv of query.split('&')) {
    const [k, v = ''] = kv.split('=');
    params[k] = decodeURIComponent(v);
  }
  const list = (s) => (s ? s.split(',').map(decodeURIComponent) : []);
  return { to: list(addr), cc: list(params.cc), subject: params.subject, body: params.body };
}

/** Closes the page as a person would (after a gesture) and counts the leave-page prompts, accepting them. */
async function promptsOnClose(page) {
  let prompts = 0;
  page.on('dialog', (d) => { prompts += 1; d.accept(); });
  await gesture(page);
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent('close', { timeout: 5000 }).catch(() => {});
  assert.equal(page.isClosed(), true);
  return prompts;
}

async function shot(page, name, selector) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const target = selector ? page.locator(selector) : page;
  await target.screenshot({ path: join(SHOTS, name) });
}

for (const { page: kind, csp, tag } of matrix()) {
  test(`Feature \`tab-close-guard\`: the leave-page prompt while connected, never when logged out ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const page = await openWebClient(env.context, '?state=connected');
    await settle(page);
    await gesture(page);
    const asked = page.waitForEvent('dialog', { timeout: 5000 });
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    assert.equal(dialog.type(), 'beforeunload');
    await dialog.dismiss(); // "Stay on page"
    // The page still answers (a closing page would not), and is still connected.
    assert.equal((await sim(page)).connected, true);
    assert.equal(page.isClosed(), false, 'the operator chose to stay');

    // Logged out: closing just closes.
    await page.evaluate(() => window.lh3sim.logout());
    await settle(page);
    assert.equal(await promptsOnClose(page), 0, 'no prompt once logged out');

    // A web client that never connected does not ask either.
    const fresh = await openWebClient(env.context, '');
    await settle(fresh);
    assert.equal(await promptsOnClose(fresh), 0);
  });

  test(`Feature \`tab-close-guard\`: a tab restored connected outside service hours alerts at once ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await schedule(env.worker, { closed: true });
    // Logging in through the dialog off hours is the login guard's business, not a restore.
    const first = await openWebClient(env.context, '?persist=1');
    await first.evaluate(() => window.lh3sim.login());
    await settle(first);
    assert.equal(await first.$('[data-lh3-notice="leaving.restored_off_hours"]'), null);
    await first.close(); // closed without logging out: the session stays on

    const restored = await openWebClient(env.context, '?persist=1');
    assert.equal((await sim(restored)).connected, true, 'the client logged itself back in');
    const alert = await restored.waitForSelector('[data-lh3-notice="leaving.restored_off_hours"]', { timeout: 3000 });
    assert.equal(await alert.getAttribute('data-level'), 'alert');
    assert.match(await alert.textContent(), /outside service hours.*Log out now/);
    await waitForNotification(env.worker, 'lh3-restored-off-hours');

    // Logging out ends the alert.
    await restored.evaluate(() => window.lh3sim.logout());
    await restored.waitForSelector('[data-lh3-notice="leaving.restored_off_hours"]', { state: 'detached', timeout: 3000 });
  });

  test(`Feature \`logout-gate\`: lists exactly what is outstanding ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const shift = { from: -30, to: 30, replacements: ['amy_humber', 'bo_algonquin'] };

    // Mid-shift, quiet: the shift runs on, Bo is not in, no sign-off yet.
    await schedule(env.worker, shift);
    let page = await openWebClient(env.context, '?state=connected');
    await setOperators(page, [ME, 'amy_humber']);
    await reviewHistory(page);
    await chooseLogout(page);
    assert.deepEqual(await outstanding(page), ['shift_not_over', 'replacements_not_in', 'backchat_sign_off']);
    assert.match(await itemText(page, 'replacements_not_in'), /bo_algonquin/);
    assert.doesNotMatch(await itemText(page, 'replacements_not_in'), /amy_humber/);
    assert.match(await itemText(page, 'shift_not_over'), /runs (29|30|31) more min/);
    assert.equal(await page.$('[data-lh3-section="missed-shift"]'), null, 'the shift is not over');
    await page.close();

    // Mid-shift, busy: our chat, a transfer under way, New chats (counted from Chat History).
    page = await openWebClient(env.context, '?state=busy');
    await setOperators(page, [ME, 'amy_humber', 'bo_algonquin']);
    await reviewHistory(page);
    await chooseLogout(page);
    // Both replacements are in: leaving before the end is fine, the duties are not done.
    assert.deepEqual(await outstanding(page),
      ['active_chats', 'transfers_in_progress', 'new_chats', 'backchat_sign_off']);
    const newRows = (await sim(page)).history.filter((r) => r.state === 'new').length;
    assert.match(await itemText(page, 'new_chats'), new RegExp(`^${newRows} New chats? not picked up`));
    await shot(page, 'logout-gate-busy.png');
    await page.close();

    // First shift of the day: offline texts are its duty, and not counted twice as New.
    await schedule(env.worker, { ...shift, open: at(-30).hm });
    page = await openWebClient(env.context, '?state=busy');
    await setOperators(page, [ME, 'amy_humber']);
    await reviewHistory(page);
    await chooseLogout(page);
    assert.deepEqual(await outstanding(page), ['shift_not_over', 'replacements_not_in', 'active_chats',
      'transfers_in_progress', 'new_chats', 'offline_texts', 'backchat_sign_off']);
    const state = await sim(page);
    const offline = state.chats.filter((c) => c.isOffline && !c.answeredBy).length;
    const allNew = state.history.filter((r) => r.state === 'new').length;
    assert.match(await itemText(page, 'offline_texts'), new RegExp(`^${offline} offline texts? not answered`));
    assert.match(await itemText(page, 'new_chats'), new RegExp(`^${allNew - offline} New chats? not picked up`));
    await page.close();

    // All done after the end: both replacements in, signed off in backchat → straight out.
    await schedule(env.worker, { from: -65, to: -5, replacements: ['amy_humber', 'bo_algonquin'] });
    page = await openWebClient(env.context, '?state=connected');
    await setOperators(page, [ME, 'amy_humber', 'bo_algonquin']);
    await reviewHistory(page);
    await send(page, 'backchat', 'Signing off now. Thanks, everyone!');
    await settle(page);
    await chooseStatus(page, 'Logout');
    await settle(page);
    assert.equal(await page.$('[data-lh3-panel="logout-gate"]'), null, 'nothing to ask');
    const done = await sim(page);
    assert.equal(done.connected, false);
    assert.equal(done.logouts.at(-1).reason, 'status');
    const logged = 'logout gate: logged out (status menu; nothing outstanding)';
    assert.ok((await historyEvents(env.worker, (e) => e.includes(logged))).includes(logged));
  });

  test(`Feature \`logout-gate\`: a New chat arriving in Chat History holds the Logout back at once ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    // After the shift, both replacements in, signed off: nothing outstanding…
    await schedule(env.worker, { from: -65, to: -5, replacements: ['amy_humber', 'bo_algonquin'] });
    const page = await openWebClient(env.context, '?state=connected');
    await setOperators(page, [ME, 'amy_humber', 'bo_algonquin']);
    await send(page, 'backchat', 'Signing off now. Thanks, everyone!');
    await page.evaluate(() => { window.lh3sim.showView('history'); window.lh3sim.setHistoryRows(0); });
    await settle(page);
    // …until a row comes in: only the table and its "N chats" label change, so new-chats
    // runs alone on that batch, and the gate must still count the new chat.
    const id = await page.evaluate(() => window.lh3sim.addHistoryRow({ queue: 'all_colleges', guest: 'Guest G1', started: '11:00', operator: '', duration: '' }));
    await page.waitForFunction((row) => document.querySelector(row)?.getAttribute('data-lh3-chat-state') === 'new', historyRow(id));
    await chooseLogout(page);
    assert.deepEqual(await outstanding(page), ['new_chats']);
    assert.equal((await sim(page)).connected, true);
  });

}

// Also under a strict CSP, where the page runs the wasm2js build.
for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`Feature \`logout-gate\`: go back keeps the operator connected; log out anyway logs out ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await schedule(env.worker, { from: -30, to: 30, replacements: ['amy_humber', 'bo_algonquin'] });
    const page = await openWebClient(env.context, '?state=connected');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.lh3Engine),
      csp === 'strict' ? 'wasm2js' : 'wasm');
    await setOperators(page, [ME, 'amy_humber']);
    await reviewHistory(page);

    await chooseLogout(page);
    // The page never saw the Logout: still connected, the drop-down shows Available again.
    assert.equal((await sim(page)).connected, true);
    assert.equal(await shownStatus(page), 'Available');
    if (csp === 'none') await shot(page, 'logout-gate.png');
    await page.click('[data-lh3-action="logout-gate.back"]');
    await page.waitForSelector('[data-lh3-panel="logout-gate"]', { state: 'detached' });
    let state = await sim(page);
    assert.equal(state.connected, true);
    assert.equal(state.status, 'Available');
    assert.deepEqual(state.logouts, []);

    // Escape is "go back" too, and a second choice of Logout asks again.
    await chooseLogout(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-lh3-panel="logout-gate"]', { state: 'detached' });
    assert.equal((await sim(page)).connected, true);

    await chooseLogout(page);
    await page.click('[data-lh3-action="logout-gate.anyway"]');
    await page.waitForFunction(() => !window.lh3sim.state().connected);
    state = await sim(page);
    assert.equal(state.status, 'Logout');
    assert.equal(state.logouts.length, 1);
    assert.equal(state.logouts[0].reason, 'status', 'the same way the operator chose');

    // The Logout link in the left navigation is gated the same way.
    await page.evaluate(() => window.lh3sim.login());
    await settle(page);
    await page.click(part('nav-logout'));
    await page.waitForSelector('[data-lh3-panel="logout-gate"] [data-via="link"]');
    assert.equal((await sim(page)).connected, true);
    await page.click('[data-lh3-action="logout-gate.anyway"]');
    await page.waitForFunction(() => !window.lh3sim.state().connected);
    assert.equal((await sim(page)).logouts.at(-1).reason, 'nav');

    const gate = (events) => events.filter((e) => e.startsWith('logout gate:'));
    const gated = gate(await historyEvents(env.worker, (e) => gate(e).length >= 4));
    assert.deepEqual(gated.map((e) => e.replace(/ \(.*/, '')), [
      'logout gate: went back', 'logout gate: went back', 'logout gate: logged out anyway', 'logout gate: logged out anyway',
    ]);
    assert.match(gated[0], /\(status menu; outstanding: shift_not_over, replacements_not_in, backchat_sign_off\)/);
    assert.match(gated[3], /\(Logout link; outstanding: /);
  });
}

for (const { page: kind, csp, tag } of matrix()) {
  test(`Feature \`logout-gate\`: a replacement who does not come — steps and email in the page and the popup ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const end = at(-5);
    await schedule(env.worker, { from: -65, to: -5, replacements: ['amy_humber', 'bo_algonquin'] });
    const page = await openWebClient(env.context, '?state=connected');
    await setOperators(page, [ME, 'amy_humber']);

    const notice = await page.waitForSelector('[data-lh3-notice="leaving.missed_shift"]', { timeout: 3000 });
    assert.match(await notice.textContent(), /Replacement not here.*Not logged in: bo_algonquin\./);
    const staying = parseMailto(await page.getAttribute('[data-lh3-mail="missed_shift.staying"]', 'href'));
    assert.deepEqual(staying.to, ['site.a@college.ca', 'site.b@college.ca']);
    assert.deepEqual(staying.cc, ['lrupert@ocls.ca']);
    assert.equal(staying.subject, `askON missed shift: ${end.said} from ${end.hm}`);
    assert.equal(staying.body, `Hello,\r\n\r\nThe askON shift on ${end.said} (from ${end.hm}) was not picked up: bo_algonquin did not log in to take over from me (${ME}).\r\n\r\nI am staying on until a replacement arrives.\r\n\r\nThank you.`);
    const leaving = parseMailto(await page.getAttribute('[data-lh3-mail="missed_shift.not_staying"]', 'href'));
    assert.match(leaving.body, /I could not stay past the end of my shift\./);
    assert.deepEqual(leaving.to, staying.to);

    // Opening the mail program is not leaving the page: no leave-page prompt for it. The
    // browser dispatches beforeunload for the link; a listener of the page's own, added
    // after the extension's, sees whether the extension asked for the prompt.
    let prompts = 0;
    const onDialog = (d) => { prompts += 1; d.dismiss(); };
    page.on('dialog', onDialog);
    await page.evaluate(() => {
      window.__beforeunload = [];
      window.addEventListener('beforeunload', (e) => window.__beforeunload.push(e.defaultPrevented));
    });
    await page.click('[data-lh3-mail="missed_shift.staying"]');
    await page.waitForFunction(() => window.__beforeunload.length > 0, null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.__beforeunload), [false], 'no prompt asked for');
    page.off('dialog', onDialog);
    assert.equal(prompts, 0, 'no prompt for the email link');
    assert.equal((await sim(page)).connected, true);

    // Choosing Logout: the panel asks for Bo and the sign-off, and repeats the steps.
    await reviewHistory(page);
    await chooseLogout(page);
    assert.deepEqual(await outstanding(page), ['replacements_not_in', 'backchat_sign_off']);
    assert.ok(await page.$('[data-lh3-panel="logout-gate"] [data-lh3-section="missed-shift"]'));
    assert.equal(await page.$('[data-lh3-notice="leaving.missed_shift"]'), null, 'one copy on screen');
    await shot(page, 'logout-gate-missed-shift.png');
    await page.click('[data-lh3-action="logout-gate.back"]');
    await page.waitForSelector('[data-lh3-notice="leaving.missed_shift"]', { timeout: 3000 });

    // The popup shows the same section from the page report.
    const popup = await openPopup(env.context, env.extensionId, page);
    const section = await popup.waitForSelector('#replacement-not-here', { timeout: 5000 });
    assert.match(await section.textContent(), /Replacement not here/);
    assert.equal((await popup.textContent('#replacement-not-here .who')).trim(), 'Not logged in: bo_algonquin.');
    const popupMail = parseMailto(await popup.getAttribute('#replacement-not-here [data-mail="staying"]', 'href'));
    assert.deepEqual(popupMail, staying);
    assert.match(await popup.textContent('[data-step="appreciated"]'), /always appreciated/);
    assert.match(await popup.textContent('[data-step="tell_others"]'), /tell the operators still logged in/);
    if (SHOTS) await popup.setViewportSize({ width: 420, height: 700 });
    await shot(popup, 'missed-shift-popup.png', '#replacement-not-here');
    await popup.close();
  });

  test(`Feature \`offline-text-guard\`: ending an unanswered text asks first ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await schedule(env.worker, {});
    const page = await openWebClient(env.context, '?state=connected');
    const text = await page.evaluate(() => window.lh3sim.addChat({ text: true, offline: true, minimised: false, message: 'Are you open Sunday?' }));
    await settle(page);
    const end = inPane(text, 'pane-end');
    const question = `${pane(text)} [data-lh3-notice^="offline_text.confirm_end:"]`;

    await page.click(end);
    await page.waitForSelector(question);
    assert.match(await page.textContent(question), /You have not answered this text/);
    assert.ok((await sim(page)).chats.some((c) => c.id === text), 'the page never saw the click');
    await shot(page, 'offline-text-guard.png', pane(text));
    await page.click(`${question} >> text=Go back`);
    await page.waitForSelector(question, { state: 'detached' });
    assert.ok((await sim(page)).chats.some((c) => c.id === text));

    await page.click(end);
    await page.click(`${question} >> text=End anyway`);
    await page.waitForFunction((id) => !window.lh3sim.state().chats.some((c) => c.id === id), text);

    // Answered texts and web chats end at once.
    const answered = await page.evaluate((me) => {
      const id = window.lh3sim.addChat({ text: true, minimised: false });
      window.lh3sim.operatorSays(id, 'Hi, thanks for your text!');
      return id;
    }, ME);
    const web = await page.evaluate(() => window.lh3sim.addChat({ minimised: false }));
    await settle(page);
    for (const id of [answered, web]) {
      await page.click(inPane(id, 'pane-end'));
      await page.waitForFunction((c) => !window.lh3sim.state().chats.some((x) => x.id === c), id, { timeout: 3000 });
    }
    assert.equal(await page.$('[data-lh3-notice^="offline_text.confirm_end:"]'), null);
  });

  test(`Feature \`closing-duties\`: heads-up before close, Closing for each open chat, and the after-close audit ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    // Before close: the last shift ends at close, in five minutes.
    await schedule(env.worker, { close: at(5).hm, from: -55, to: 5 });
    let page = await openWebClient(env.context, '?state=busy');
    const headsUp = await page.waitForSelector('[data-lh3-notice="leaving.closing_heads_up"]', { timeout: 3000 });
    // Close is the minute five minutes from when the schedule was written (4–5 min away);
    // a minute may turn between then and the page's pass (slower with wasm2js).
    assert.match(await headsUp.textContent(), /closes in [345] min\. Give your visitors a heads-up/);
    assert.equal(await page.$('[data-lh3-notice="leaving.after_close_audit"]'), null);
    await page.close();

    // After close: each chat still ours gets "Closing"; Tran is still logged in.
    await schedule(env.worker, { close: at(-5).hm, from: -65, to: -5 });
    page = await openWebClient(env.context, '?state=busy');
    await page.evaluate((me) => window.lh3sim.setOperators([
      { name: me, online: true }, { name: 'tnguyen_centennial', online: true }, { name: 'amy_humber', online: false },
    ]), ME);
    const closing = await page.waitForSelector('[data-lh3-notice="leaving.closing_chats"]', { timeout: 3000 });
    assert.match(await closing.textContent(), /Send the "Closing" canned message to each chat still open/);
    // Minimised chats have no pane on screen to read (they are only listed in Current Guests).
    const open = (await sim(page)).chats
      .filter((c) => (!c.answeredBy || c.answeredBy === ME) && !c.guestLeft && !c.minimised);
    const listed = await page.$$eval('[data-lh3-closing-chat]', (els) => els.map((e) => e.textContent));
    assert.deepEqual(listed.sort(), open.map((c) => c.guest).sort());

    const audit = await page.waitForSelector('[data-lh3-notice="leaving.after_close_audit"]', { timeout: 3000 });
    assert.equal(await page.$('[data-lh3-notice="leaving.restored_off_hours"]'), null,
      'connected to close the service is not a restored tab');
    assert.match(await audit.textContent(), /Still logged in after close: tnguyen_centennial\./);
    const mail = parseMailto(await page.getAttribute('[data-lh3-mail="audit"]', 'href'));
    assert.deepEqual(mail.to, ['lrupert@ocls.ca']);
    assert.deepEqual(mail.cc, []);
    assert.equal(mail.subject, `Operators still logged in after close: ${at(0).said}`);
    assert.match(mail.body, /these operators were still logged in at \d\d:\d\d: tnguyen_centennial\./);
    assert.match(mail.body, new RegExp(`Thank you\\.\\r\\n${ME}$`));
    await shot(page, 'closing-duties.png', '[data-lh3-ui="dock"]');

    // The report's status is the page's: Logout once logged out, and the duties end.
    await page.evaluate(() => window.lh3sim.logout());
    await page.waitForSelector('[data-lh3-notice="leaving.after_close_audit"]', { state: 'detached', timeout: 3000 });
    const popup = await openPopup(env.context, env.extensionId, page);
    const report = await env.worker.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all).find(([k]) => k.startsWith('page_report:'))?.[1];
    });
    assert.equal(report.status, 'logout');
    await popup.close();
  });
}
