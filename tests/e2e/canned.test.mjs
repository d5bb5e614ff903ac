// Feature `canned-suggestions` and Feature `transfer-guard` end to end: the built
// extension on the simulated web client, with a shift in progress (the day's first) set
// in chrome.storage.sync the way the options page stores it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openWebClient, tabIdOf, matrix, pane, inPane, nextFlush } from './harness.mjs';

// Screenshots only when asked (LH3_SHOTS=docs/screenshots): a test run leaves the tree alone.
const SHOTS = process.env.LH3_SHOTS || '';

/** A zone where it is mid-day now, and the time there. */
function middayZone(now = new Date()) {
  for (const zone of ['UTC', 'America/Toronto', 'America/Los_Angeles', 'Asia/Singapore', 'Pacific/Auckland']) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23',
    }).formatToParts(now).map((p) => [p.type, p.value]));
    const minutes = Number(parts.hour) * 60 + Number(parts.minute);
    if (minutes >= 60 && minutes <= 20 * 60) {
      const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday);
      return { zone, minutes, weekday };
    }
  }
  throw new Error('no zone at mid-day (cannot happen: they span the globe)');
}

const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Service open and one shift from 30 minutes ago for three hours: the day's first. */
function shiftNow() {
  const { zone, minutes, weekday } = middayZone();
  const start = hhmm(minutes - 30);
  const end = hhmm(minutes + 180);
  const spans = [{ start, end }];
  return {
    hours: `${start}–${end}`,
    items: {
      'settings:version': 1,
      'settings:service': { time_zone: zone, weekly: Array(7).fill(spans), closed_days: [], exceptions: [] },
      'settings:shifts': { weekly: [{ weekday, start, end, replacements: [] }], one_off: [], skipped: [] },
    },
  };
}

async function setSettings(worker, items) {
  await worker.evaluate((i) => chrome.storage.sync.set(i), items);
}

const typing = (id) => inPane(id, 'pane-typing');
const suggestion = (id, name) => `${pane(id)} [data-lh3-ui="suggestions"] [data-lh3-suggestion="${name}"]`;

async function strip(page, id) {
  return page.evaluate((sel) => [...document.querySelectorAll(`${sel} [data-lh3-suggestion]`)].map((b) => ({
    name: b.dataset.lh3Suggestion, moment: b.dataset.lh3Moment, source: b.dataset.lh3Source, title: b.title, text: b.textContent,
  })), pane(id));
}

/** A chat we answered and are now transferring to all_backup: its id. */
const transferringChat = (page, guest, message) => page.evaluate(([g, m]) => {
  const s = window.lh3sim;
  const c = s.addChat({ guest: g, queue: 'all_colleges', message: m, minimised: false });
  s.operatorSays(c, 'Hi!');
  s.startTransfer(c, 'all_backup');
  return c;
}, [guest, message]);
/** Empties every chat's typing area, as the operator would (an input event each). */
async function clearDrafts(page) {
  for (const id of await page.evaluate(() => window.lh3sim.state().chats.filter((c) => !c.minimised).map((c) => c.id))) {
    await page.fill(typing(id), '');
  }
}
const draft = (page, id) => page.evaluate((c) => window.lh3sim.state().chats.find((x) => x.id === c).draft, id);

for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`Feature \`canned-suggestions\`: the right canned message at each moment, inserted, never sent ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const shift = shiftNow();
    await setSettings(env.worker, shift.items);
    const page = await openWebClient(env.context, '?state=connected');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.lh3Engine), csp === 'strict' ? 'wasm2js' : 'wasm');
    await page.bringToFront();
    const canned = await page.evaluate(() => window.lh3sim.canned);
    const pageText = (name) => canned.find((m) => m.name === name).text;

    const ids = await page.evaluate(() => {
      const s = window.lh3sim;
      const fresh = s.addChat({ guest: 'Guest N3W1', queue: 'all_colleges', message: 'Hi, I need a book', minimised: false });
      const transfer = s.acceptTransfer(s.incomingTransfer({ from: 'amy_humber', guest: 'Guest TR4N', queue: 'all_colleges', message: 'Still there?' }));
      const text = s.addChat({ offline: true, message: 'Is the library open Sunday?', minimised: false });
      return { fresh, transfer, text };
    });

    await t.test('each moment gets its canned message, top first', async () => {
      await page.waitForSelector(suggestion(ids.fresh, 'Welcome'));
      await page.waitForSelector(suggestion(ids.transfer, "I've reviewed your transcript"));
      await page.waitForSelector(suggestion(ids.text, 'Offline text greeting'));
      await page.waitForSelector(suggestion('backchat', 'Backchat hello'));
      assert.deepEqual((await strip(page, ids.fresh)).map((s) => [s.name, s.moment]), [['Welcome', 'chat_picked_up']]);
      assert.deepEqual((await strip(page, ids.transfer)).map((s) => [s.name, s.moment]),
        [["I've reviewed your transcript", 'transfer_accepted']]);
      const [offline] = await strip(page, ids.text);
      assert.equal(offline.moment, 'offline_text_first_shift');
      assert.ok(offline.title.includes(`We're open today ${shift.hours}.`), offline.title);
      assert.deepEqual((await strip(page, 'backchat')).map((s) => [s.name, s.moment]), [['Backchat hello', 'backchat_hello']]);
      // The strip sits above the typing area, inside the pane.
      const above = await page.evaluate(([sel, area]) => {
        const strip = document.querySelector(`${sel} [data-lh3-ui="suggestions"]`);
        return strip.getBoundingClientRect().bottom <= document.querySelector(area).getBoundingClientRect().top + 1;
      }, [pane(ids.fresh), typing(ids.fresh)]);
      assert.ok(above, 'strip above the typing area');
    });

    await t.test("the page's own canned messages are preferred once its list was seen; missing names reported", async () => {
      assert.equal((await strip(page, ids.fresh))[0].source, 'configured');
      await page.click(inPane(ids.fresh, 'pane-canned'));
      await page.waitForSelector(inPane(ids.fresh, 'canned-list'));
      await page.keyboard.press('Escape');
      await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.lh3Source === 'page', suggestion(ids.fresh, 'Welcome'));
      const [welcome] = await strip(page, ids.fresh);
      assert.equal(welcome.title, pageText('Welcome'));
      const tabId = await tabIdOf(env.context, page);
      let notice;
      for (let i = 0; i < 50 && !notice; i++) {
        const report = await env.worker.evaluate(async (k) => (await chrome.storage.session.get(k))[k], `page_report:${tabId}`);
        notice = report?.notices?.find((n) => n.id === 'canned.missing');
        if (!notice) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(notice, 'canned.missing notice in the page report');
      assert.equal(notice.feature, 'canned-suggestions');
      // The notice is a catalog message and its values (`Said::encode`: key, then
      // "\u001fname=t<length>:value"), said by whichever page shows it.
      const [key, names] = notice.text.split('\u001f');
      assert.equal(key, 'cannedMissing', notice.text);
      const listed = names.replace(/^names=t\d+:/, '').split(', ');
      for (const name of ['Offline text greeting', 'Leaving: transfer', 'Closing soon', 'Backchat hello', 'Backchat sign-off']) {
        assert.ok(listed.includes(name), `${name} reported missing: ${listed}`);
      }
      for (const name of ['Welcome', 'Thank you', 'Save a copy', "I've reviewed your transcript"]) {
        assert.ok(!listed.includes(name), `${name} is offered`);
      }
    });

    await t.test('choosing a suggestion puts the exact text in that chat only, and sends nothing', async () => {
      await page.click(suggestion(ids.fresh, 'Welcome'));
      assert.equal(await draft(page, ids.fresh), pageText('Welcome'));
      assert.equal(await draft(page, ids.transfer), '');
      assert.equal(await draft(page, ids.text), '');
      const focused = await page.evaluate((sel) => document.activeElement === document.querySelector(sel), typing(ids.fresh));
      assert.ok(focused, 'the typing area has the focus');
      assert.deepEqual(await page.evaluate(() => window.lh3sim.sent), []);
    });

    await t.test('the keyboard shortcut inserts the top suggestion into the focused chat', async () => {
      await page.focus(typing(ids.transfer));
      // The same path chrome.commands.onCommand takes (a command cannot be fired synthetically).
      const answer = await env.worker.evaluate(() => self.lh3.command('insert-top-suggestion', undefined));
      assert.deepEqual(answer, { ok: "I've reviewed your transcript" });
      assert.equal(await draft(page, ids.transfer), pageText("I've reviewed your transcript"));
      assert.equal(await draft(page, ids.fresh), pageText('Welcome'), 'the other chat is untouched');
      // Focus moved to our own strip button: the pane is still the one being typed in.
      await clearDrafts(page);
      await page.focus(typing(ids.text));
      await page.evaluate(() => document.activeElement.blur());
      const again = await env.worker.evaluate((id) => self.lh3.command('insert-top-suggestion', { id }), await tabIdOf(env.context, page));
      assert.deepEqual(again, { ok: 'Offline text greeting' }, 'the pane focused last');
      assert.ok((await draft(page, ids.text)).includes(shift.hours));
      assert.deepEqual(await env.worker.evaluate(() => self.lh3.command('something-else', undefined)), { error: { message: 'no such command: something-else' } });
      // A real key press: headless Chromium may not route it to extension commands.
      await clearDrafts(page);
      await page.focus(typing(ids.fresh));
      await page.keyboard.press('Alt+Shift+S');
      await page.waitForTimeout(500);
      const pressed = await draft(page, ids.fresh);
      t.diagnostic(`real Alt+Shift+S key press reached the command: ${pressed === pageText('Welcome') ? 'yes' : `no (draft ${JSON.stringify(pressed)})`}`);
      assert.ok(pressed === '' || pressed === pageText('Welcome'), 'a key press inserts the suggestion or nothing');
      assert.deepEqual(await page.evaluate(() => window.lh3sim.sent), []);
    });

    if (csp === 'none') {
      await t.test('screenshot: a pane with its suggestion strip', { skip: !SHOTS && 'set LH3_SHOTS to write it' }, async () => {
        await clearDrafts(page);
        await page.evaluate(() => document.activeElement?.blur());
        mkdirSync(SHOTS, { recursive: true });
        await page.locator(pane(ids.transfer)).screenshot({ path: join(SHOTS, 'suggestions.png') });
      });
    }

    await t.test('moments move on: once greeted, the welcome goes away', async () => {
      await page.fill(typing(ids.fresh), 'Hello! Looking now.');
      await page.press(typing(ids.fresh), 'Enter');
      await page.waitForFunction((sel) => !document.querySelector(sel), suggestion(ids.fresh, 'Welcome'));
      // Backchat: the hello goes in with one click, the operator sends it, it is not offered again.
      await page.click(suggestion('backchat', 'Backchat hello'));
      const hello = await page.evaluate(() => window.lh3sim.state().backchat.draft);
      assert.equal(hello, "Hi everyone, I'm on shift now.");
      assert.deepEqual(await page.evaluate(() => window.lh3sim.sent.map((s) => s.text)), ['Hello! Looking now.'], 'inserting sent nothing');
      await page.press(typing('backchat'), 'Enter');
      await page.waitForFunction((sel) => !document.querySelector(sel), suggestion('backchat', 'Backchat hello'));
      const sent = await page.evaluate(() => window.lh3sim.sent.map((s) => s.text));
      assert.deepEqual(sent, ['Hello! Looking now.', hello], 'only what the operator sent');
    });

    await t.test('canned text with markup stays text', async () => {
      const evil = 'Hi <img src=x onerror="window.__pwned=1"><b>bold</b> & welcome';
      await setSettings(env.worker, {
        'settings:canned': { rules: [{ moment: 'chat_picked_up', suggestions: [{ name: 'Evil <i>name</i>', text: { en: evil, fr: evil } }] }] },
      });
      const id = await page.evaluate(() => window.lh3sim.addChat({ guest: 'Guest EV1L', message: 'hi', minimised: false }));
      await page.waitForSelector(suggestion(id, 'Evil <i>name</i>'));
      const [s] = await strip(page, id);
      assert.equal(s.text, 'Evil <i>name</i>');
      assert.equal(s.title, evil);
      assert.equal(await page.locator(`${pane(id)} [data-lh3-ui="suggestions"] img, ${pane(id)} [data-lh3-ui="suggestions"] i`).count(), 0);
      await page.click(suggestion(id, 'Evil <i>name</i>'));
      assert.equal(await draft(page, id), evil);
      await nextFlush(page);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.deepEqual(await page.evaluate(() => window.lh3sim.sent.map((x) => x.text)), ['Hello! Looking now.', "Hi everyone, I'm on shift now."]);
    });
  });
}

for (const { page: kind, csp, tag } of matrix()) {
  test(`Feature \`transfer-guard\`: typing is stopped only while the chat is being transferred ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const page = await openWebClient(env.context, '?state=connected');
    const id = await page.evaluate(() => {
      const s = window.lh3sim;
      const c = s.addChat({ guest: 'Guest GRD1', queue: 'all_colleges', message: 'Can you help?', minimised: false });
      s.operatorSays(c, 'Sure, one moment.');
      return c;
    });
    const area = typing(id);
    const sentCount = () => page.evaluate(() => window.lh3sim.sent.length);
    const before = await sentCount();
    await page.fill(area, 'half-typed');
    const state = () => page.evaluate((c) => window.lh3sim.state().chats.find((x) => x.id === c).state, id);

    await page.evaluate((c) => window.lh3sim.startTransfer(c, 'all_backup'), id);
    const notice = `${pane(id)} [data-lh3-ui="notice"][data-lh3-notice^="transfer-guard."]`;
    await page.waitForSelector(notice);
    assert.equal(
      (await page.textContent(`${notice} [data-lh3-ui="text"]`)).trim(),
      'This chat is being transferred — typing now takes it back and your colleague cannot answer.',
    );
    await page.click(area);
    await page.keyboard.type(' more');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    assert.equal(await draft(page, id), 'half-typed', 'keys changed nothing');
    // A page with a Send button (Enter sends on every page).
    if (await page.locator(inPane(id, 'pane-send')).count()) await page.click(inPane(id, 'pane-send'));
    assert.equal(await sentCount(), before, 'neither Enter nor Send sent anything');
    assert.equal(await state(), 'transferring', 'the transfer still runs');
    assert.equal(await page.locator(`${pane(id)} [data-lh3-ui="suggestions"]`).count(), 0, 'no suggestions while transferring');

    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.evaluate((sel) => {
        document.activeElement?.blur();
        const log = document.querySelector(sel);
        log.scrollTop = log.scrollHeight;
      }, inPane(id, 'pane-log'));
      await page.locator(pane(id)).screenshot({ path: join(SHOTS, 'transfer-guard.png') });
    }

    await page.evaluate((c) => window.lh3sim.completeTransfer(c, 'amy_humber'), id);
    await page.waitForSelector(notice, { state: 'detached' });
    await page.fill(area, '');
    await page.click(area);
    await page.keyboard.type('typing works');
    assert.equal(await draft(page, id), 'typing works', 'the guard lifted when the transfer settled');

    // "Take the chat back": the operator's explicit choice lifts the guard for that transfer.
    const other = await transferringChat(page, 'Guest GRD2', 'Hello?');
    const otherNotice = `${pane(other)} [data-lh3-ui="notice"]`;
    await page.waitForSelector(otherNotice);
    await page.click(typing(other));
    await page.keyboard.type('x');
    assert.equal(await draft(page, other), '');
    await page.click(`${otherNotice} [data-lh3-action]`);
    await page.waitForSelector(otherNotice, { state: 'detached' });
    await page.click(typing(other));
    await page.keyboard.type('back');
    assert.equal(await draft(page, other), 'back');

    // Turned off with the feature toggle: no guard at all. The switch has reached the page
    // when the guard's notice on a chat being transferred comes down.
    const third = await transferringChat(page, 'Guest GRD3', 'Hey');
    await page.waitForSelector(`${pane(third)} [data-lh3-ui="notice"]`);
    await env.worker.evaluate(() => chrome.storage.sync.set({ 'settings:features': { disable_all: false, off: ['transfer-guard'] } }));
    await page.waitForSelector(`${pane(third)} [data-lh3-ui="notice"]`, { state: 'detached' });
    const fourth = await transferringChat(page, 'Guest GRD4', 'Hey');
    await nextFlush(page);
    for (const [chat, key] of [[third, 'y'], [fourth, 'z']]) {
      await page.click(typing(chat));
      await page.keyboard.type(key);
      assert.equal(await draft(page, chat), key);
      assert.equal(await page.locator(`${pane(chat)} [data-lh3-ui="notice"]`).count(), 0);
    }
  });
}
