// One language, and a popup that fits, end to end: with the language set to French the
// popup, the options page and the web client's notices say nothing in English (every
// English message of the catalog is looked for); on shift the popup fits Chrome's 600 px
// with the live facts first; the badge counts new chats on every tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, openWebClient, openPopup, tabIdOf, badgeOf, nextFlush, ROOT, matrix, writeSettings, CSPS, cspTag, shiftAroundNow } from './harness.mjs';

const SHOTS = process.env.LH3_SHOTS || join(tmpdir(), 'lh3-language');
mkdirSync(SHOTS, { recursive: true });

/** On shift (UTC, service open all day): from 30 minutes ago for two hours. */
function onShift(extra = {}) {
  return {
    ...shiftAroundNow(30, 90),
    operator_name: 'mchen_seneca',
    ...extra,
  };
}

const catalog = (lang) => JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));

/**
 * The English of the catalog that French text must not contain: each message's words
 * between its `{placeholders}`, less what French says the same way (names of the web
 * client's screens, "LibraryH3lp", a queue's name).
 */
function englishOnly() {
  const en = catalog('en');
  const fr = catalog('fr');
  const french = Object.values(fr).map((m) => m.message).join('\n');
  const out = new Map();
  for (const [key, { message }] of Object.entries(en)) {
    if (fr[key]?.message === message) continue;
    for (const part of message.split(/\{[^}]*\}/)) {
      const words = part.trim().replace(/^[\s,.:;()–—-]+|[\s,.:;()–—-]+$/g, '');
      if (words.length < 4 || !/[a-z]{3}/i.test(words) || french.includes(words)) continue;
      out.set(words, key);
    }
  }
  return out;
}

/** Each English string of the catalog found in `text`, with its key and where. */
function english(text, where, strings) {
  const found = [];
  for (const [words, key] of strings) {
    const at = text.indexOf(words);
    // A whole word or phrase: not "Notes" inside "Notes de quart", nor "Shift" in the
    // browser's name of a key combination (Alt+Shift+S).
    const edge = (c) => /[\w+]/.test(c || '');
    if (at >= 0 && !edge(text[at - 1]) && !edge(text[at + words.length])) {
      found.push(`${where}: "${words}" (${key}) in "…${text.slice(Math.max(0, at - 40), at + words.length + 40).replace(/\s+/g, ' ')}…"`);
    }
  }
  return found;
}

/**
 * The words of an extension page, less what the operator typed: values of fields (a
 * canned message's English text is the operator's, in English on purpose).
 */
function pageWords(page) {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    for (const field of copy.querySelectorAll('textarea, input')) field.remove();
    return copy.textContent;
  });
}

/** What the extension put into the web client: its notices, panels and the rows' labels. */
function extensionTextIn(page) {
  return page.evaluate(() => {
    const own = [...document.querySelectorAll('[data-lh3-ui], [data-lh3-notice], [data-lh3-panel]')];
    const labels = [...document.querySelectorAll('[data-lh3-chat-state] > :first-child')]
      .map((cell) => getComputedStyle(cell, '::before').content);
    const titles = own.flatMap((e) => [e.title, e.getAttribute('aria-label'), e.dataset.lh3Title]).filter(Boolean);
    return [...own.map((e) => e.textContent), ...labels, ...titles].join('\n');
  });
}

for (const csp of CSPS) {
  test(`One language: in French the popup, the options page and the web client's notices have no English of the catalog ${cspTag(csp)}[webclient]`, async (t) => {
    const env = await launch({ csp });
    t.after(env.close);
    await writeSettings(env.worker, onShift({ language: 'fr' }), 2);
    const strings = englishOnly();
    assert.ok(strings.size > 150, `the catalog's English is looked for (${strings.size} strings)`);

    // The web client: new chats marked, a queue missing, Away during the shift.
    const page = await openWebClient(env.context, '?state=busy&view=history');
    await page.waitForSelector('[data-lh3-chat-state="new"]');
    await page.evaluate(() => window.lh3sim.login({ queues: ['all_colleges', 'practice'] }));
    await page.locator('[data-lh3-notice="staffing.missing"]').waitFor();
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await page.locator('[data-lh3-notice="shift.status_away"]').waitFor();
    await nextFlush(page);
    const inPage = await extensionTextIn(page);
    assert.match(inPage, /NOUVEAU/, 'the new chats are labelled in French');
    // The core's notices and the features' buttons are catalog messages too (not pairs
    // compiled into the module): said in French, with French typography.
    const said = catalog('fr');
    for (const key of ['guardAwayOnShift', 'statusGuardSetAvailable', 'newChatsLabelNew']) {
      assert.ok(inPage.includes(said[key].message), `${key} in French on the page: ${inPage}`);
    }
    const found = english(inPage, 'web client', strings);

    const popup = await openPopup(env.context, env.extensionId, page);
    await popup.waitForSelector('#shift[data-phase]');
    await popup.waitForSelector('[data-notice]');
    assert.equal(await popup.getAttribute('html', 'lang'), 'fr');
    found.push(...english(await pageWords(popup), 'popup', strings));
    // The day bar says its times the French way too ("0 h–24 h", "9 h 14"), as the rest.
    assert.match(await popup.textContent('[data-legend="service"]'), /0 h–24 h/);
    assert.doesNotMatch(await popup.textContent('#shift'), /\d:\d\d/, 'no "09:14" times in French');
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.screenshot({ path: join(SHOTS, 'popup-fr-light.png'), fullPage: true });
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popup.screenshot({ path: join(SHOTS, 'popup-fr-dark.png'), fullPage: true });

    const options = await env.context.newPage();
    await options.goto(`chrome-extension://${env.extensionId}/options.html`);
    await options.waitForSelector('#save');
    assert.equal(await options.getAttribute('html', 'lang'), 'fr');
    assert.equal(await options.title(), catalog('fr').optionsTitle.message);
    // Every section is in the page (one shown at a time): all of them are read.
    found.push(...english(await pageWords(options), 'options', strings));

    // Mistakes are named in French: a number too large, a time that is not one, a
    // procedure step without its English text.
    const fr = catalog('fr');
    await options.click('#nav-timing');
    await options.fill('#f-timing-pre_shift_minutes', '500');
    await options.click('#nav-service');
    await options.fill('[data-field="service.weekly[0][0].end"]', '25:00');
    await options.click('#nav-procedure');
    await options.click('#add-f-procedure-steps');
    await options.fill('#f-procedure-steps-0-id', 'ours.a');
    await options.fill('#f-procedure-steps-0-text-fr', 'Vérifiez');
    await options.click('#save');
    await options.waitForSelector('#status[data-status="invalid"]');
    const errors = await options.$$eval('.error[data-error-for]', (es) => Object.fromEntries(es.map((e) => [e.dataset.errorFor, e.textContent])));
    const fill = (key, args) => Object.entries(args).reduce((m, [k, v]) => m.replaceAll(`{${k}}`, v), fr[key].message);
    assert.equal(errors['timing.pre_shift_minutes'], fill('problemAtMost', { value: '500', limit: '120' }));
    assert.match(errors['service.weekly[0][0].end'], new RegExp(`${fill('problemTimeHours', { text: '25:00' })}$`));
    // (in the step's form, the message names its field: "Étape 1: Texte (anglais): …")
    assert.ok(errors['procedure.steps[0].text.en'].endsWith(fill('problemStepNoEnglish', { step: fill('problemStepId', { id: 'ours.a' }) })), JSON.stringify(errors));
    found.push(...english(await pageWords(options), 'options with mistakes', strings));

    // An .ics file with what a schedule cannot hold: its warnings are said in French,
    // their dates the French way ("lundi 2 mars 2026", not "2026-03-02").
    await options.click('#nav-shifts');
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:a@x', 'SUMMARY:Mensuel',
      'DTSTART;TZID=America/Toronto:20260302T100000', 'DTEND;TZID=America/Toronto:20260302T110000',
      'RRULE:FREQ=MONTHLY', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:b@x', 'DTSTART;TZID=Mars/Olympus:20260303T100000',
      'DTEND;TZID=Mars/Olympus:20260303T110000', 'END:VEVENT', 'END:VCALENDAR',
    ].join('\r\n');
    await options.setInputFiles('#ics-file', { name: 'shifts.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await options.waitForSelector('[data-ics="ready"] .ics-warnings li');
    const warned = await options.$$eval('.ics-warnings li', (li) => li.map((e) => e.textContent));
    assert.equal(warned.length, 2, JSON.stringify(warned));
    assert.ok(warned[0].includes(fill('icsNotWeekly', { freq: fr.icsFreqMonthly.message })), warned[0]);
    assert.ok(warned[0].includes('lundi 2 mars 2026'), warned[0]);
    assert.ok(warned[1].includes(fill('icsUnknownZone', { tzid: 'Mars/Olympus' })), warned[1]);
    // The shifts it found, dates and times the French way too.
    const listed = await options.$$eval('.ics-shifts li', (li) => li.map((e) => e.textContent));
    assert.ok(listed.length > 0, 'the preview lists what it found');
    assert.deepEqual(listed.filter((l) => /\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/.test(l)), [], JSON.stringify(listed));
    found.push(...english(await pageWords(options), 'options with an .ics import', strings));
    assert.deepEqual(found, [], 'English in a French extension');

    // The check can fail: the same pages in English are full of the catalog's English.
    await writeSettings(env.worker, { language: 'en' }, 2);
    await options.reload();
    await options.waitForSelector('#save');
    assert.ok(english(await pageWords(options), 'options', strings).length > 20, 'English is found when it is there');
    await page.waitForFunction(() => !getComputedStyle(document.querySelector('[data-lh3-chat-state="new"] > :first-child'), '::before').content.includes('NOUVEAU'));
    assert.match(await extensionTextIn(page), /NEW/);
  });
}

test('One language: "follow the browser" is the default and the choice moves every page [webclient]', async (t) => {
  const env = await launch();
  t.after(env.close);
  const options = await env.context.newPage();
  await options.goto(`chrome-extension://${env.extensionId}/options.html#general`);
  await options.waitForSelector('#save');
  const browser = await options.evaluate(() => chrome.i18n.getUILanguage());
  assert.equal(await options.inputValue('#f-language'), 'browser');
  assert.equal(await options.getAttribute('html', 'lang'), browser.startsWith('fr') ? 'fr' : 'en');
  await options.selectOption('#f-language', 'fr');
  await options.click('#save');
  // Saved: the page speaks French at once, the stored choice is "fr".
  await options.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(await options.textContent('#save'), catalog('fr').optionsSave.message);
  const stored = await env.worker.evaluate(() => chrome.storage.sync.get('settings:language'));
  assert.equal(stored['settings:language'], 'fr');
});

for (const { page: kind, csp, tag } of matrix()) {
  test(`A popup that fits: on shift it is at most 600 px tall, live facts first; the badge shows on every tab ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await writeSettings(env.worker, onShift(), 2);
    const page = await openWebClient(env.context, '?state=busy&view=history');
    await page.waitForSelector('[data-lh3-chat-state="new"]');
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await page.locator('[data-lh3-notice="shift.status_away"]').waitFor();
    const newChats = await page.locator('[data-lh3-chat-state="new"]').count();

    const popup = await openPopup(env.context, env.extensionId, page);
    // Chrome sizes a popup to its content, up to 800 × 600: the page is given its width.
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.waitForSelector('#facts [data-fact="new-chats"]');
    await popup.waitForSelector('[data-notice]');
    assert.equal(await popup.textContent('#facts [data-fact="new-chats"] .fact-value'), String(newChats));
    const height = await popup.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height <= 600, `the popup is ${height} px tall on shift`);
    // Live facts first: new chats, warnings and the phase before the checklist.
    const order = await popup.evaluate(() => ['#facts', '#notices', '#shift', '#checklist']
      .map((s) => document.querySelector(s)?.getBoundingClientRect().top ?? -1));
    assert.ok(order.every((y) => y >= 0), `all there: ${order}`);
    assert.ok(order[0] < order[3] && order[1] < order[3] && order[2] < order[3], `live facts first: ${order}`);
    await popup.screenshot({ path: join(SHOTS, 'popup-on-shift.png'), fullPage: true });
    // The checklist folds and unfolds.
    const steps = popup.locator('#checklist [data-step]').first();
    const wasOpen = await popup.evaluate(() => document.querySelector('#checklist details.checklist-fold').open);
    assert.equal(wasOpen, false, 'on shift the checklist waits folded');
    await popup.click('#checklist summary');
    assert.equal(await steps.isVisible(), !wasOpen, 'a click on the checklist\'s title folds or unfolds it');
    await popup.screenshot({ path: join(SHOTS, 'popup-checklist-open.png'), fullPage: true });
    // Kept as left: the next opening (in the same phase) shows it the same way.
    await popup.waitForFunction(async (open) => (await chrome.storage.session.get('popup_folds')).popup_folds?.['checklist-fold']?.open === open, !wasOpen);
    await popup.close();
    const again = await openPopup(env.context, env.extensionId, page);
    await again.waitForSelector('#checklist details.checklist-fold');
    assert.equal(await again.evaluate(() => document.querySelector('#checklist details.checklist-fold').open), !wasOpen, 'the fold is kept between openings');
    await again.close();

    // Another tab (the operator researching): the badge counts new chats there too.
    const other = await env.context.newPage();
    await other.goto(`chrome-extension://${env.extensionId}/options.html`);
    const client = await tabIdOf(env.context, page);
    const otherId = await env.worker.evaluate(async (c) => {
      const tabs = await chrome.tabs.query({});
      return tabs.map((tab) => tab.id).find((id) => id !== c && id >= 0);
    }, client);
    assert.ok(otherId >= 0, 'another tab');
    assert.equal(await badgeOf(env.context, client), String(newChats));
    assert.equal(await badgeOf(env.context, otherId), String(newChats), 'the badge on another tab');
    // The web client closed: no count left on any tab.
    await page.close();
    for (let i = 0; i < 50 && (await badgeOf(env.context, otherId)) !== ''; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await badgeOf(env.context, otherId), '', 'no web client, no count');
  });
}
