// The procedure as a document, end to end in Chromium with the built extension: a
// coordinator chooses a preset, writes the consortium's own steps in the options page —
// with the form (one fieldset per step: add, fill, move, remove) or as JSON (the
// advanced view of the same steps) — a mistake is named next to its field and nothing
// is saved, imports a procedure file, and the popup's checklist follows; a Chromium
// policy pushes a procedure, locked. The policy part needs root (it writes Chromium's
// managed-policies folder) and says so without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION, POLICY_DIR, launch, policyDirUnwritable, unpackedId } from './harness.mjs';
import { seriousA11yViolations } from './a11y.mjs';

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
  assert.equal(await page.locator('fieldset.step').count(), 0, "no steps of one's own: the preset's");

  // A copy of the preset's steps to start from: the form shows one fieldset per step.
  await page.click('#procedure-copy');
  const inForm = await page.locator('fieldset.step').count();
  assert.equal(await page.inputValue('#f-procedure-steps-0-id'), 'login.on_time');
  // The advanced view: the same steps, as their JSON document.
  await page.click('#procedure-view');
  const copied = JSON.parse(await page.inputValue('#f-procedure-steps'));
  assert.ok(copied.length > 30 && copied[0].id === 'login.on_time');
  assert.equal(copied.length, inForm);
  assert.match(copied[0].links[0].url, /^https:\/\//, 'links come with the steps');

  // The consortium's own two steps, one with a mistake: named by its step, not saved.
  const own = [
    step('ours.hello', 'Say hello to the team', 'Saluez l\'équipe', {
      links: [{ text: { en: 'Our guide', fr: 'Notre guide' }, url: 'https://example.org/guide' }],
    }),
    step('ours.queues', '', 'Vérifiez {queues}', { check: 'queues_staffed' }),
  ];
  // JSON that cannot be read keeps the advanced view on show (the form would lose it).
  await page.fill('#f-procedure-steps', '[{"id": oops');
  await page.click('#procedure-view');
  await page.waitForSelector('.error[data-error-for="procedure.steps"]');
  assert.equal(await page.getAttribute('#procedure-view', 'data-view'), 'json');
  assert.equal(await page.inputValue('#f-procedure-steps'), '[{"id": oops');
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

test('a coordinator adds, fills, moves and removes steps with the form; a mistake is shown next to its field and nothing is saved; the popup follows; the form speaks French', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const messages = (lang) => JSON.parse(readFileSync(join(EXTENSION, '_locales', lang, 'messages.json'), 'utf8'));
  const page = await openOptions(env, 'procedure');
  const f = (i, field) => `#f-procedure-steps-${i}-${field}`;
  const focused = () => page.evaluate(() => document.activeElement.id);
  const stored = () => env.worker.evaluate(async () => (await chrome.storage.sync.get('settings:procedure'))['settings:procedure']);

  // Two steps of one's own, added with the form (the focus lands in each new step).
  await page.click('#add-f-procedure-steps');
  assert.equal(await focused(), 'f-procedure-steps-0-id');
  assert.equal(await page.inputValue(f(0, 'id')), 'step.1', 'a free id to start with');
  assert.equal(await page.getAttribute('#unsaved', 'data-unsaved'), 'true');
  await page.fill(f(0, 'id'), 'ours.hello');
  await page.fill(f(0, 'text-en'), 'Say hello in backchat');
  await page.fill(f(0, 'text-fr'), 'Saluez dans le backchat');
  await page.selectOption(f(0, 'check'), 'backchat_hello');
  await page.click('#add-f-procedure-steps');
  assert.equal(await focused(), 'f-procedure-steps-1-id');
  assert.equal(await page.inputValue(f(0, 'text-en')), 'Say hello in backchat', 'what was typed stays');
  await page.fill(f(1, 'id'), 'ours.notes');
  await page.fill(f(1, 'text-fr'), 'Lisez les notes du jour');
  await page.check(f(1, 'phases-off_hours'));
  await page.click('#add-f-procedure-steps-1-links');
  await page.fill(f(1, 'links-0-text-en'), 'Notes');
  await page.fill(f(1, 'links-0-url'), 'javascript:alert(1)');

  // No English text and a link that is not a web address: each named next to its
  // field, in the catalog's words, and nothing saved.
  await page.click('#save');
  await page.waitForSelector('#status[data-status="invalid"]');
  const noText = page.locator('[data-step-row="1"] .error[data-error-for="procedure.steps[1].text.en"]');
  assert.match(await noText.textContent(), /step 'ours\.notes' has no English text$/);
  assert.equal(await page.getAttribute(f(1, 'text-en'), 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute(f(1, 'text-en'), 'aria-errormessage'), await noText.getAttribute('id'));
  const badLink = page.locator('[data-step-row="1"] .error[data-error-for="procedure.steps[1].links[0].url"]');
  assert.match(await badLink.textContent(), /step 'ours\.notes': 'javascript:alert\(1\)' is not a web or email address/);
  assert.equal(await page.locator('.error[data-error-for]').count(), 2);
  assert.equal(await stored(), undefined, 'nothing saved');
  assert.deepEqual(await seriousA11yViolations(page), [], 'the steps and their problems, light and dark');

  // Fixed, then moved above the first: the focus follows it (to "down" at the top).
  await page.fill(f(1, 'text-en'), 'Read the day\'s notes');
  await page.fill(f(1, 'links-0-url'), 'https://example.org/notes');
  await page.click(f(1, 'move-up'));
  assert.equal(await focused(), 'f-procedure-steps-0-move-down');
  assert.equal(await page.inputValue(f(0, 'id')), 'ours.notes');
  assert.ok(await page.locator(f(0, 'move-up')).isDisabled());
  // A third step, removed again.
  await page.click('#add-f-procedure-steps');
  assert.equal(await page.locator('fieldset.step').count(), 3);
  await page.click('[data-step-row="2"] button.remove[data-row="procedure.steps[2]"]');
  assert.equal(await page.locator('fieldset.step').count(), 2);
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.equal(await page.getAttribute('#unsaved', 'data-unsaved'), 'false');
  const saved = await stored();
  assert.deepEqual(saved.steps.map((s) => s.id), ['ours.notes', 'ours.hello']);
  assert.deepEqual(saved.steps[0].phases, ['off_hours', 'on_shift']);
  assert.deepEqual(saved.steps[0].links, [{ text: { en: 'Notes', fr: '' }, url: 'https://example.org/notes' }]);
  assert.equal(saved.steps[1].check, 'backchat_hello');
  assert.ok(!('hint' in saved.steps[0]), 'a blank hint is no hint');

  const { popup, steps } = await popupSteps(env);
  assert.deepEqual(steps.filter((s) => s.startsWith('ours.')).sort(), ['ours.hello', 'ours.notes']);
  assert.deepEqual(steps, ['ours.notes', 'ours.hello'], 'in the order the form gave');
  assert.equal(await popup.textContent('[data-step="ours.notes"] .step-text'), 'Read the day\'s notes');
  assert.equal(await popup.getAttribute('[data-step="ours.notes"] .step-links a', 'href'), 'https://example.org/notes');
  await popup.close();

  // The order is kept: the page opened again shows it, and the JSON view says the same.
  await page.reload();
  await page.waitForSelector('section#procedure:not([hidden])');
  assert.equal(await page.inputValue(f(0, 'id')), 'ours.notes');
  assert.equal(await page.inputValue(f(1, 'id')), 'ours.hello');
  await page.click('#procedure-view');
  assert.deepEqual(JSON.parse(await page.inputValue('#f-procedure-steps')).map((s) => s.id), ['ours.notes', 'ours.hello']);
  await page.click('#procedure-view');

  // "Under step" offers the steps above it, or none; a step moved above its parent
  // keeps it, and the mistake is named next to the field.
  const parentChoices = (i) => page.$$eval(`${f(i, 'parent')} option`, (os) => os.map((o) => o.value));
  assert.deepEqual(await parentChoices(0), ['']);
  assert.deepEqual(await parentChoices(1), ['', 'ours.notes']);
  await page.selectOption(f(1, 'parent'), 'ours.notes');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.equal((await stored()).steps[1].parent, 'ours.notes');
  await page.click(f(1, 'move-up'));
  assert.equal(await page.inputValue(f(0, 'parent')), 'ours.notes', 'kept, though no longer above it');
  await page.click('#save');
  await page.waitForSelector('#status[data-status="invalid"]');
  assert.match(await page.textContent('.error[data-error-for="procedure.steps[0].parent"]'), /step 'ours\.hello': its parent 'ours\.notes' is not a step listed before it$/);
  await page.click(f(0, 'move-down'));
  await page.click('#save');
  await page.waitForSelector('#status[data-status="saved"]');
  assert.equal((await stored()).steps[1].parent, 'ours.notes');

  // In French, the form's labels are the French catalog's.
  await page.click('#nav-general');
  await page.selectOption('#f-language', 'fr');
  await page.click('#save');
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  await page.click('#nav-procedure');
  const fr = messages('fr');
  assert.equal(await page.textContent('[data-step-row="0"] > legend'), fr.optionsStepN.message.replace('{n}', '1'));
  assert.equal(await page.textContent(`label[for="f-procedure-steps-0-id"]`), `${fr.optionsStepN.message.replace('{n}', '1')}: ${fr.optionsStepId.message}`);
  assert.equal(await page.textContent('label[for="f-procedure-steps-0-phases-off_hours"]'), fr.stepPhaseOffHours.message);
  assert.equal(await page.$eval(f(1, 'check'), (s) => s.selectedOptions[0].textContent), fr.stepCheckBackchatHello.message);
  assert.equal(await page.textContent('#add-f-procedure-steps'), fr.optionsStepAdd.message);
  assert.equal(await page.textContent('#procedure-view'), fr.optionsProcedureAsJson.message);

  // Reset to defaults (the section's): the preset's steps again, not saved yet.
  await page.click('#reset-procedure');
  await page.click('#reset-yes');
  assert.equal(await page.locator('fieldset.step').count(), 0);
  assert.equal(await page.getAttribute('#unsaved', 'data-unsaved'), 'true');
});

test('a procedure larger than browser sync allows is kept in this browser, and the options page says so, in the page\'s language', async (t) => {
  const env = await launch();
  t.after(() => env.close());
  const messages = (lang) => JSON.parse(readFileSync(join(EXTENSION, '_locales', lang, 'messages.json'), 'utf8'));
  const page = await openOptions(env, 'procedure');
  assert.equal(await page.$('#local-only'), null, 'synced: nothing to say');
  await page.click('#procedure-view');
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
  // The form is read-only and says why.
  assert.equal(await page.inputValue('#f-procedure-steps-0-id'), 'policy.one');
  assert.ok(await page.locator('#f-procedure-steps-0-text-en').isDisabled());
  assert.ok(await page.locator('#add-f-procedure-steps').isDisabled());
  assert.ok(await page.locator('#f-procedure-steps-1-move-up').isDisabled());
  assert.equal(await page.textContent('#procedure-locked'), JSON.parse(readFileSync(join(EXTENSION, '_locales', 'en', 'messages.json'), 'utf8')).optionsProcedureLocked.message);
  await page.click('#procedure-view');
  assert.ok(await page.locator('#f-procedure-steps').isDisabled(), 'the steps are locked');
  assert.ok(await page.locator('#f-procedure-preset').isDisabled());
  assert.ok(await page.locator('#procedure-copy').isDisabled());
  assert.deepEqual(JSON.parse(await page.inputValue('#f-procedure-steps')).map((s) => s.id), ['policy.one', 'policy.two']);
  assert.match(await page.textContent('[data-field-wrap="procedure.steps"] .locked-note'), /consortium|policy/i);
  assert.deepEqual((await popupSteps(env)).steps, ['policy.one', 'policy.two']);
});
