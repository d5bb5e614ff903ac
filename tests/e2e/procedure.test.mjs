// The procedure as a document, end to end in Chromium with the built extension: a
// coordinator chooses a preset, writes the consortium's own steps in the options page (a
// mistake is named by its step and nothing is saved), imports a procedure file, and the
// popup's checklist follows; a Chromium policy pushes a procedure, locked. The policy
// part needs root (it writes Chromium's managed-policies folder) and says so without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION, POLICY_DIR, launch, policyDirUnwritable, unpackedId } from './harness.mjs';

async function openOptions(env, section) {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html#${section}`);
  await page.waitForSelector(`section#${section}:not([hidden])`);
  return page;
}

async function popupSteps(env) {
  const popup = await env.context.newPage();
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await popup.waitForSelector('#checklist');
  const steps = await popup.$$eval('[data-step]', (els) => els.map((e) => e.dataset.step));
  return { popup, steps };
}

const step = (id, en, fr, extra = {}) => ({ id, phases: ['off_hours', 'pre_shift', 'login_window', 'on_shift'], applies: 'always', text: { en, fr }, ...extra });

test('a coordinator writes the consortium\'s own procedure in the options page; the popup follows it', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const page = await openOptions(env, 'procedure');
  assert.equal(await page.inputValue('#f-procedure-preset'), 'askon');
  assert.equal(await page.getAttribute('#procedure-state', 'data-custom'), 'false');
  assert.match(await page.textContent('#procedure-state'), /askON: LibraryH3lp log in and log out procedures \(\d+ steps\)/);
  assert.equal(await page.inputValue('#f-procedure-steps'), '', "empty: the preset's steps");

  // A copy of the preset's steps to start from.
  await page.click('#procedure-copy');
  const copied = JSON.parse(await page.inputValue('#f-procedure-steps'));
  assert.ok(copied.length > 30 && copied[0].id === 'login.on_time');
  assert.match(copied[0].links[0].url, /^https:\/\//, 'links come with the steps');

  // The consortium's own two steps, one with a mistake: named by its step, not saved.
  const own = [
    step('ours.hello', 'Say hello to the team', 'Saluez l\'équipe', {
      links: [{ text: { en: 'Our guide', fr: 'Notre guide' }, url: 'https://example.org/guide' }],
    }),
    step('ours.queues', '', 'Vérifiez {queues}', { check: 'queues_staffed' }),
  ];
  await page.fill('#f-procedure-steps', JSON.stringify(own, null, 2));
  await page.click('#save');
  await page.waitForSelector('#status[data-status="invalid"]');
  const error = await page.textContent('.error[data-error-for="procedure.steps[1].text.en"]');
  assert.equal(error, "step 'ours.queues' has no English text");
  assert.equal(await env.worker.evaluate(async () => (await chrome.storage.sync.get('settings:procedure'))['settings:procedure']), undefined, 'nothing saved');

  own[1].text.en = 'Check {queues}';
  await page.fill('#f-procedure-steps', JSON.stringify(own, null, 2));
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  const saved = await env.worker.evaluate(async () => (await chrome.storage.sync.get(null)));
  assert.deepEqual(saved['settings:procedure'].steps.map((s) => s.id), ['ours.hello', 'ours.queues']);
  assert.equal(saved['settings:procedure'].version, 2);

  const { popup, steps } = await popupSteps(env);
  assert.deepEqual(steps, ['ours.hello', 'ours.queues']);
  assert.equal(await popup.getAttribute('[data-step="ours.hello"] .step-links a', 'href'), 'https://example.org/guide');
  assert.equal(await popup.textContent('[data-step="ours.hello"] .step-links a'), 'Our guide');
  assert.equal(await popup.textContent('[data-step="ours.queues"] .step-text'), 'Check all_colleges, all_backup');
  await popup.close();

  // A procedure file (version 1, as the extension once compiled it in) imports over it.
  const v1 = { _about: 'old', steps: [{ ...step('old.one', 'The old first step', 'La première étape'), check: 'manual' }] };
  await page.setInputFiles('#import-procedure', { name: 'procedure.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(v1)) });
  await page.waitForSelector('#status[data-status="imported"]');
  assert.deepEqual(JSON.parse(await page.inputValue('#f-procedure-steps')).map((s) => s.id), ['old.one']);
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.deepEqual((await popupSteps(env)).steps, ['old.one']);

  // Back to a preset: the neutral one, with its settings.
  await page.click('#procedure-clear');
  await page.selectOption('#f-procedure-preset', 'neutral');
  await page.click('#apply-preset');
  await page.waitForSelector('#status[data-status="imported"]');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  const { popup: neutral, steps: neutralSteps } = await popupSteps(env);
  assert.ok(neutralSteps.length >= 20 && !neutralSteps.includes('old.one'));
  assert.doesNotMatch(await neutral.textContent('#checklist'), /askON/);
});

test('a procedure larger than browser sync allows is kept in this browser, and the options page says so, in the page\'s language', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const messages = (lang) => JSON.parse(readFileSync(join(EXTENSION, '_locales', lang, 'messages.json'), 'utf8'));
  const page = await openOptions(env, 'procedure');
  assert.equal(await page.$('#local-only'), null, 'synced: nothing to say');
  // 60 steps of ~200 characters: more than the 8 KB sync gives one item.
  const long = 'Check the queues, the timer and the backchat before the shift starts. '.repeat(3);
  const own = Array.from({ length: 60 }, (_, i) => step(`ours.step${i}`, long, long));
  await page.fill('#f-procedure-steps', JSON.stringify(own));
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  const en = messages('en');
  assert.equal(await page.textContent('#status'), en.optionsSavedLocal.message);
  const banner = await page.textContent('#local-only');
  const tooBig = en.optionsLocalOnlyTooBig.message.replace('{sections}', en.optionsProcedure.message);
  assert.equal(banner, en.optionsLocalOnly.message.replace('{why}', tooBig));
  const stored = await env.worker.evaluate(async () => ({
    local: await chrome.storage.local.get(['settings_in_local', 'settings:procedure']),
    sync: await chrome.storage.sync.get('settings:procedure'),
  }));
  assert.equal(stored.local.settings_in_local, true);
  assert.equal(stored.local['settings:procedure'].steps.length, 60, 'the procedure is kept, in local storage');
  assert.equal(stored.sync['settings:procedure'], undefined);

  // In French, the same note in French (the language is saved with the rest).
  await page.click('#nav-general');
  await page.selectOption('#f-language', 'fr');
  await page.click('#save');
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  const fr = messages('fr');
  const trop = fr.optionsLocalOnlyTooBig.message.replace('{sections}', fr.optionsProcedure.message);
  assert.equal(await page.textContent('#local-only'), fr.optionsLocalOnly.message.replace('{why}', trop));

  // Back to a preset: the settings fit again, sync takes them and the note goes.
  await page.click('#nav-procedure');
  await page.fill('#f-procedure-steps', '');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  await page.waitForSelector('#local-only', { state: 'detached' });
  assert.equal(await env.worker.evaluate(async () => (await chrome.storage.local.get('settings_in_local')).settings_in_local), false);
});

test('a Chromium policy pushes the procedure: locked in the options page, followed by the popup', async (t) => {
  const why = policyDirUnwritable('a procedure pushed by policy');
  if (why) return t.skip(why);
  const policy = {
    procedure: {
      preset: 'neutral',
      name: { en: 'Our service: shift procedure', fr: 'Notre service : procédure de quart' },
      steps: [step('policy.one', 'Read the day\'s notes', 'Lisez les notes du jour'), step('policy.two', 'Say hello', 'Dites bonjour')],
    },
  };
  const id = unpackedId(EXTENSION);
  const file = join(POLICY_DIR, `lh3-shift-e2e-procedure-${id}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [id]: policy } } }, null, 2));
  t.after(() => rmSync(file, { force: true }));
  const env = await launch();
  t.after(() => env.close());
  let managed = {};
  for (let i = 0; i < 100 && !managed.procedure; i++) {
    managed = await env.worker.evaluate(() => chrome.storage.managed.get(null));
    if (!managed.procedure) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(managed, policy, 'Chromium accepted the procedure under the managed schema');

  const page = await openOptions(env, 'procedure');
  assert.ok(await page.locator('#f-procedure-steps').isDisabled(), 'the steps are locked');
  assert.ok(await page.locator('#f-procedure-preset').isDisabled());
  assert.ok(await page.locator('#procedure-copy').isDisabled());
  assert.deepEqual(JSON.parse(await page.inputValue('#f-procedure-steps')).map((s) => s.id), ['policy.one', 'policy.two']);
  assert.match(await page.textContent('[data-field-wrap="procedure.steps"] .locked-note'), /consortium|policy/i);
  assert.deepEqual((await popupSteps(env)).steps, ['policy.one', 'policy.two']);
});
