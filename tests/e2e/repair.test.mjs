// Repair in the field, end to end on the simulated web client built like the real one
// (tests/fixtures/recom): a locator broken by an override leaves its guard silent and
// the page check says so; the page check's Fix… opens the element picker on the web
// client, the operator picks the part, the extension shows what it now reads, and the
// saved fix brings the guard back — and travels in the settings export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openWebClient, openPopup, part, nextFlush, CSPS, cspTag, shiftAroundNow } from './harness.mjs';


/** On shift for the next half hour, with the status locator broken by an override. */
async function brokenStatusOnShift(worker) {
  await worker.evaluate(async (s) => {
    const items = { 'settings:version': 1 };
    for (const [k, v] of Object.entries(s)) items[`settings:${k}`] = v;
    await chrome.storage.sync.set(items);
  }, {
    ...shiftAroundNow(30, 30),
    operator_name: 'mchen_seneca',
    locator_overrides: [{
      id: 'status.menu', purpose: 'Status menu', within: null, optional: false,
      find: { by: 'css', selector: '#no-such-status-control' },
    }],
  });
}

for (const csp of CSPS) {
  test(`Fix… on a broken locator: pick the status button, the status guard works again, the export carries the fix ${cspTag(csp)}[recom]`, async (t) => {
    const env = await launch({ page: 'recom', csp });
    t.after(env.close);
    await brokenStatusOnShift(env.worker);
    const page = await openWebClient(env.context, '?state=connected');

    // Broken: Away on shift, and the guard is silent; the page check names the locator.
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await nextFlush(page);
    assert.equal(await page.locator('[data-lh3-notice="shift.status_away"]').count(), 0, 'the broken guard is silent');
    const popup = await openPopup(env.context, env.extensionId, page);
    await popup.click('#page-check summary');
    const row = popup.locator('#page-check li[data-locator="status.menu"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'not-found');
    assert.equal(await row.getAttribute('data-overridden'), 'true');
    assert.equal(await row.getAttribute('data-fragile'), 'true');
    // The popup says so in words too, instead of going quiet.
    await popup.locator('[data-notice="page.status_unreadable"]').waitFor();

    // Fix…: the picker opens on the web client.
    const closed = popup.waitForEvent('close');
    await row.locator('[data-action="fix-locator"]').click();
    const bar = page.locator('[data-lh3-ui="picker"][data-lh3-picker="status.menu"]');
    await bar.waitFor();
    assert.equal(await bar.getAttribute('data-lh3-stage'), 'picking');

    // The popup closes itself so the operator can point at the page (as a real popup does).
    await closed;

    // Escape cancels, and nothing on the page was pressed.
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    const again = await openPopup(env.context, env.extensionId, page);
    await again.click('#page-check summary');
    await again.locator('#page-check [data-fix="status.menu"]').click();
    await bar.waitFor();

    // Pointing outlines; the click picks (the page never sees it: its menu stays shut).
    const status = page.locator(part('status'));
    await status.hover();
    await page.locator('[data-lh3-ui="picker-outline"]:not([hidden])').waitFor();
    await status.click();
    await page.locator('[data-lh3-ui="picker"][data-lh3-stage="proposal"]').waitFor();
    assert.equal(await page.evaluate(() => document.querySelector('.dropdown.open, .btn-group.open')), null, 'the click did not open the menu');
    assert.equal(await bar.getAttribute('data-lh3-matches'), '1', await bar.locator('[data-lh3-ui="found"]').textContent());
    assert.equal(await bar.getAttribute('data-lh3-fragile'), 'false', 'found by its words, not its classes');
    assert.match(await bar.locator('[data-lh3-ui="reads"]').textContent(), /Status: Away/);

    // Save: the fix reaches the settings, the page reads the status again, the guard speaks.
    await bar.locator('[data-lh3-action="picker.save"]').click();
    await bar.waitFor({ state: 'detached' });
    await page.locator('[data-lh3-notice="shift.status_away"]').waitFor({ timeout: 10000 });
    const stored = await env.worker.evaluate(async () => (await chrome.storage.sync.get('settings:locator_overrides'))['settings:locator_overrides']);
    const fix = stored.find((o) => o.id === 'status.menu');
    assert.notEqual(fix.find.by, 'css', `a fix by words: ${JSON.stringify(fix.find)}`);

    // The export (for this operator, and the one for the consortium) carries the fix.
    const options = await env.context.newPage();
    await options.goto(`chrome-extension://${env.extensionId}/options.html#backup`);
    await options.waitForSelector('#save');
    for (const button of ['#export-settings', '#export-consortium']) {
      const [download] = await Promise.all([options.waitForEvent('download'), options.click(button)]);
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.deepEqual(exported.locator_overrides.find((o) => o.id === 'status.menu'), fix, `${button} carries the fix`);
    }
  });
}

for (const csp of CSPS) {
  test(`the picker works from the keyboard: arrows move, Enter picks ${cspTag(csp)}[recom]`, async (t) => {
    const env = await launch({ page: 'recom', csp });
    t.after(env.close);
    await brokenStatusOnShift(env.worker);
    const page = await openWebClient(env.context, '?state=connected');
    const popup = await openPopup(env.context, env.extensionId, page);
    await popup.click('#page-check summary');
    await popup.locator('#page-check [data-locator="status.menu"] [data-action="fix-locator"]').click();
    const bar = page.locator('[data-lh3-ui="picker"]');
    await bar.waitFor();
    // Focus the page, then walk to the status button: down from the page's top until
    // the outline is on it (a bounded walk: up, down and sideways as a person would).
    await page.bringToFront();
    const onStatus = () => page.evaluate(() => {
      const o = document.querySelector('[data-lh3-ui="picker-outline"]');
      const s = document.querySelector('[data-sim-part="status"]').getBoundingClientRect();
      const r = o.getBoundingClientRect();
      return Math.abs(r.top - s.top) < 1 && Math.abs(r.left - s.left) < 1 && Math.abs(r.width - s.width) < 1;
    });
    // Path from <body>'s first element to the status button, as arrow presses.
    const keys = await page.evaluate(() => {
      const target = document.querySelector('[data-sim-part="status"]');
      const start = document.body.firstElementChild;
      const chain = [];
      for (let at = target; at && at !== start; at = at.parentElement) chain.unshift(at);
      if (!start.contains(target)) return null;
      const out = [];
      let at = start;
      for (const next of chain) {
        out.push('ArrowDown');
        let c = at.firstElementChild;
        while (c && c !== next) { out.push('ArrowRight'); c = c.nextElementSibling; }
        at = next;
      }
      return out;
    });
    assert.ok(keys, 'the status button is inside the page body');
    for (const k of keys) await page.keyboard.press(k);
    assert.ok(await onStatus(), 'the outline is on the status button');
    await page.keyboard.press('Enter');
    await page.locator('[data-lh3-ui="picker"][data-lh3-stage="proposal"]').waitFor();
    assert.match(await bar.locator('[data-lh3-ui="reads"]').textContent(), /Status: Available/);
    // The first button (Save fix) has the keyboard.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-lh3-action')), 'picker.save');
    await page.keyboard.press('Enter');
    await bar.waitFor({ state: 'detached' });
  });
}
