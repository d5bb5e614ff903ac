// Features fail alone, and carrying out a choice never trips over the extension's own
// listeners. The first test runs the fault-injection test build (dist/faults/extension,
// made by `./build.sh test` or `./build.sh faults`): there,
// `<html data-lh3-fault="status-guard">` makes Feature `status-guard` panic. The others
// must keep working — Feature `new-chats` still marks rows, Feature `logout-gate` still
// holds a Logout back — the page must say a feature stopped, and the popup's page check
// must name it with its error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXTENSION, launch, openPopup, matrix, part, historyRow, chooseStatus, nextFlush, openWatched, writeSettings, showStaffing, staffQueues, shiftAroundNow } from './harness.mjs';

const FAULTS = join(dirname(EXTENSION), 'faults', 'extension');


/** Settings with a shift from `before` minutes ago to `after` from now (UTC). */
async function onShift(worker, before, after) {
  await writeSettings(worker, { ...shiftAroundNow(before, after), operator_name: 'mchen_seneca' });
}

const sim = (page) => page.evaluate(() => window.lh3sim.state());
const notice = (page, id) => page.locator(`[data-lh3-notice="${id}"]`);

/** The test build on `kind` under `csp`, on shift, Chat History open; null when the
 * test build is missing and not required (the test is then skipped). */
async function onShiftInFaultsBuild(t, kind, csp) {
  if (!existsSync(join(FAULTS, 'manifest.json'))) {
    if (process.env.LH3_FAULTS_REQUIRED) assert.fail(`no test build at ${FAULTS}: run ./build.sh faults`);
    t.skip(`no test build at ${FAULTS} (./build.sh faults)`);
    return null;
  }
  const env = await launch({ page: kind, csp, extension: FAULTS });
  t.after(env.close);
  await onShift(env.worker, 30, 30);
  const { page, errors } = await openWatched(env, '?state=connected&view=history', 15000);
  return { env, page, errors };
}

for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`a feature that fails stops alone: Feature \`status-guard\` panics, Feature \`new-chats\` still marks, Feature \`logout-gate\` still gates, the page and the popup say so ${tag}`, async (t) => {
    const started = await onShiftInFaultsBuild(t, kind, csp);
    if (!started) return;
    const { env, page, errors } = started;
    // A trap is caught the same way in wasm and in its wasm2js translation.
    assert.equal(await page.evaluate(() => document.documentElement.dataset.lh3Engine),
      csp === 'strict' ? 'wasm2js' : 'wasm');

    // Before: the status guard answers Away on shift.
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await notice(page, 'shift.status_away').waitFor();
    await page.evaluate(() => window.lh3sim.setStatus('Available'));
    await page.waitForFunction(() => !document.querySelector('[data-lh3-notice="shift.status_away"]'));
    assert.equal(await notice(page, 'page.degraded').count(), 0, 'nothing has failed yet');

    // The status guard panics on its next run.
    await page.evaluate(() => { document.documentElement.dataset.lh3Fault = 'status-guard'; });
    await nextFlush(page);
    const degraded = notice(page, 'page.degraded');
    await degraded.waitFor();
    assert.match(await degraded.textContent(), /Status guard stopped working on this page/);
    assert.ok(errors.some((e) => /fault injected into status-guard/.test(e)), `the panic is in the console: ${errors}`);

    // It is not run again: Away on shift now goes unremarked ...
    await page.evaluate(() => window.lh3sim.setStatus('Away'));
    await nextFlush(page);
    await nextFlush(page);
    assert.equal(await page.locator('[data-lh3-notice^="shift.status_"]').count(), 0);
    await page.evaluate(() => window.lh3sim.setStatus('Available'));

    // ... while the others keep working: a new row is marked new,
    const id = await page.evaluate(() => window.lh3sim.addHistoryRow({
      queue: 'all_colleges', guest: 'Guest F1', started: '11:00', operator: '', duration: '',
    }));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-lh3-chat-state') === 'new',
      historyRow(id), { timeout: 5000 });
    // and a Logout in mid-shift is held back for the operator to decide.
    await chooseStatus(page, 'Logout');
    await page.waitForSelector('[data-lh3-panel="logout-gate"]', { timeout: 5000 });
    assert.equal((await sim(page)).connected, true, 'the page never saw the Logout');
    await page.click('[data-lh3-action="logout-gate.back"]');
    await page.waitForSelector('[data-lh3-panel="logout-gate"]', { state: 'detached' });
    assert.equal(await notice(page, 'page.degraded').count(), 1, 'the page still says it is degraded');

    // The popup's page check names the feature and its error, and no other.
    const popup = await openPopup(env.context, env.extensionId, page);
    const fault = popup.locator('[data-fault="status-guard"]');
    await fault.waitFor({ timeout: 10000 });
    assert.match(await fault.textContent(), /Status guard: fault injected into status-guard/);
    assert.equal(await popup.locator('[data-fault]').count(), 1, 'only the status guard failed');
    const others = errors.filter((e) => !/fault injected into status-guard/.test(e) && !/RuntimeError|unreachable/.test(e));
    assert.deepEqual(others, [], 'nothing else went wrong');
  });
}

for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`the page loop itself fails: the page says nothing is checked any more, and the popup names it ${tag}`, async (t) => {
    const started = await onShiftInFaultsBuild(t, kind, csp);
    if (!started) return;
    const { env, page, errors } = started;
    // The loop has run: rows are marked.
    await page.waitForSelector('[data-sim-part="history-row"][data-lh3-chat-state]', { timeout: 10000 });
    assert.equal(await notice(page, 'page.stopped').count(), 0, 'nothing has failed yet');

    // The loop panics outside every feature's guard on its next pass.
    await page.evaluate(() => { document.documentElement.dataset.lh3Fault = 'page'; });
    await nextFlush(page);
    const stopped = notice(page, 'page.stopped');
    await stopped.waitFor({ timeout: 5000 });
    assert.match(await stopped.textContent(), /Shift Helper stopped working on this page: nothing here is being checked any more/);
    assert.ok(errors.some((e) => /fault injected into page/.test(e)), `the panic is in the console: ${errors}`);

    // It stays said through the app's own re-renders, and nothing else throws on later batches.
    await page.evaluate(() => window.lh3sim.rerenderHistory());
    await nextFlush(page);
    assert.equal(await notice(page, 'page.stopped').count(), 1);

    // The popup names it instead of showing the last healthy report as if all were well.
    const popup = await openPopup(env.context, env.extensionId, page);
    const fault = popup.locator('[data-fault="page"]');
    await fault.waitFor({ timeout: 10000 });
    assert.match(await fault.textContent(), /the whole Shift Helper: fault injected into page/);
    const others = errors.filter((e) => !/fault injected into page/.test(e) && !/RuntimeError|unreachable/.test(e));
    assert.deepEqual(others, [], 'nothing else went wrong');
  });
}

for (const { page: kind, csp, tag } of matrix()) {
  test(`one-click fixes that act on the page throw nothing: Feature \`login-guard\`'s Turn on and Use recommended timer, Feature \`logout-gate\`'s Log out anyway ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await onShift(env.worker, 5, 90);
    const { page, errors } = await openWatched(env, '', 15000);
    await page.locator(part('login-queue', 'all_backup')).uncheck();
    const off = notice(page, 'login.queue_off');
    await off.waitFor();
    await off.getByRole('button', { name: 'Turn on all_backup' }).click();
    await page.waitForFunction(() => !document.querySelector('[data-lh3-notice="login.queue_off"]'));
    assert.ok(await page.locator(part('login-queue', 'all_backup')).isChecked());
    await page.locator(part('login-timer', 'never')).check();
    await notice(page, 'login.timer_never').waitFor();
    await page.locator(part('login-timer', 'countdown')).check();
    const fix = page.getByRole('button', { name: /Use recommended timer/ });
    await fix.waitFor();
    await fix.click();
    await page.waitForFunction(() => !document.querySelector('[data-lh3-action="login-guard.use-timer"]'));
    assert.equal((await sim(page)).connected, false, 'nothing pressed Connect now');

    await page.evaluate(() => window.lh3sim.login());
    await nextFlush(page);
    await chooseStatus(page, 'Logout');
    await page.waitForSelector('[data-lh3-panel="logout-gate"]', { timeout: 5000 });
    await page.click('[data-lh3-action="logout-gate.anyway"]');
    await page.waitForFunction(() => !window.lh3sim.state().connected);
    await nextFlush(page);
    assert.deepEqual(errors, []);
  });

  test(`what the extension shows comes back after the app re-renders it away: Feature \`staffing-check\`'s notices ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    await onShift(env.worker, 30, 30);
    const { page, errors } = await openWatched(env, '?state=connected', 15000);
    await showStaffing(page);
    await staffQueues(page, ['all_colleges', 'practice']);
    const missing = notice(page, 'staffing.missing');
    await missing.waitFor();
    await notice(page, 'staffing.unexpected').waitFor();
    // The app draws the I'm Staffing group again from scratch, as React does: its own
    // children replaced by new ones, the extension's notices gone with them.
    await page.evaluate((group) => {
      const g = document.querySelector(group);
      const own = [...g.children].filter((c) => !c.hasAttribute('data-lh3-ui'));
      g.replaceChildren(...own.map((c) => c.cloneNode(true)));
    }, part('staffing'));
    await page.waitForFunction((group) => document.querySelector(group)
      .querySelectorAll('[data-lh3-notice="staffing.missing"], [data-lh3-notice="staffing.unexpected"]').length === 2,
    part('staffing'), { timeout: 5000 });
    // Back in order, once each.
    assert.deepEqual(await page.$$eval('[data-lh3-notice^="staffing."]', (ns) => ns.map((n) => n.dataset.lh3Notice)),
      ['staffing.missing', 'staffing.unexpected']);
    assert.deepEqual(errors, []);
  });
}
