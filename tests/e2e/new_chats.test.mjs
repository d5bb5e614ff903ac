// Feature `new-chats` end to end: the built extension on the simulated web client,
// with and without a strict Content-Security-Policy (which forces the wasm2js build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openWebClient, openPopup, tabIdOf, badgeOf, matrix, part, historyRow, nextFlush, PAGES, CSPS, cspTag } from './harness.mjs';

const ROWS = part('history-row');

/** data-lh3-chat-state of every history row, keyed by the fixture's row id. */
async function rowStates(page) {
  return page.evaluate((rows) => {
    const out = {};
    for (const tr of document.querySelectorAll(rows)) {
      out[tr.dataset.simId] = tr.getAttribute('data-lh3-chat-state');
    }
    return out;
  }, ROWS);
}

async function waitForState(page, rowId, want) {
  await page.waitForFunction(
    ([sel, s]) => document.querySelector(sel)?.getAttribute('data-lh3-chat-state') === s,
    [historyRow(rowId), want],
    { timeout: 5000 },
  );
}

async function waitForBadge(context, tabId, want) {
  for (let i = 0; i < 50; i++) {
    if ((await badgeOf(context, tabId)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await badgeOf(context, tabId), want, 'badge');
}

for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`Feature \`new-chats\`: new chats are highlighted, live, with badge and popup counts ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const page = await openWebClient(env.context, '?state=busy&view=history');
    const engine = await page.evaluate(() => document.documentElement.dataset.lh3Engine);
    assert.equal(engine, csp === 'strict' ? 'wasm2js' : 'wasm');

    // Initial marks agree with the simulation's own idea of each row.
    const sim = await page.evaluate(() => window.lh3sim.state().history);
    await page.waitForFunction((rows) => document.querySelector(`${rows}[data-lh3-chat-state]`), ROWS);
    const marks = await rowStates(page);
    for (const row of sim) assert.equal(marks[row.id], row.state, `row ${row.id}`);
    const newCount = sim.filter((r) => r.state === 'new').length;
    assert.ok(newCount > 0, 'the busy fixture has new chats');

    // Live: add, change, remove.
    const added = await page.evaluate(() =>
      window.lh3sim.addHistoryRow({ queue: 'all_colleges', guest: 'Guest ZZ01', started: '11:00', operator: '', duration: '' }));
    await waitForState(page, added, 'new');
    await page.evaluate((id) => window.lh3sim.updateHistoryRow(id, { operator: 'amy_humber' }), added);
    await waitForState(page, added, 'ongoing');
    await page.evaluate((id) => window.lh3sim.updateHistoryRow(id, { duration: '4:12' }), added);
    await waitForState(page, added, 'completed');

    const tabId = await tabIdOf(env.context, page);
    await waitForBadge(env.context, tabId, String(newCount));
    const another = await page.evaluate(() =>
      window.lh3sim.addHistoryRow({ queue: 'all_backup', guest: 'Guest ZZ02', started: '11:01', operator: '', duration: '' }));
    await waitForState(page, another, 'new');
    await waitForBadge(env.context, tabId, String(newCount + 1));
    await page.evaluate((id) => window.lh3sim.removeHistoryRow(id), another);
    await waitForBadge(env.context, tabId, String(newCount));

    // A row changing state sends only the counts, which update the tab's stored report.
    // When the worker has lost that report (session storage cleared), it refuses the
    // counts and the page sends the whole report at once.
    const storedReport = () => env.worker.evaluate(async (k) => (await chrome.storage.session.get(k))[k], `page_report:${tabId}`);
    await env.worker.evaluate((k) => chrome.storage.session.remove(k), `page_report:${tabId}`);
    assert.equal(await storedReport(), undefined, 'the report is gone');
    const third = await page.evaluate(() =>
      window.lh3sim.addHistoryRow({ queue: 'all_backup', guest: 'Guest ZZ03', started: '11:02', operator: '', duration: '' }));
    await waitForBadge(env.context, tabId, String(newCount + 1));
    let again;
    for (let i = 0; i < 50 && !(again = await storedReport())?.engine; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(again?.engine, engine, 'the whole report is back');
    assert.equal(again.history.new, newCount + 1, 'with the counts');
    await page.evaluate((id) => window.lh3sim.removeHistoryRow(id), third);
    await waitForBadge(env.context, tabId, String(newCount));
    assert.equal((await storedReport()).history.new, newCount, 'counts alone update the stored report');

    // A whole re-render keeps the marks.
    await page.evaluate(() => window.lh3sim.rerenderHistory());
    await page.waitForFunction((rows) => document.querySelectorAll(`${rows}:not([data-lh3-chat-state])`).length === 0, ROWS);

    const popup = await openPopup(env.context, env.extensionId, page);
    await popup.waitForSelector('[data-count="new"]');
    const popupNew = await popup.textContent('[data-count="new"] .count-value');
    assert.equal(popupNew, String(newCount));
    // The page got its settings from the worker and no feature failed (else: listed here).
    assert.deepEqual(await popup.$$eval('[data-fault]', (fs) => fs.map((f) => f.textContent)), []);
    await popup.close();
  });
}

// The first page's own variant (the second page orders its columns its own way).
for (const csp of CSPS) {
  test(`reordered columns with extra columns and unknown classes still work ${cspTag(csp)}[webclient]`, { skip: !PAGES.includes('webclient') && 'webclient not in LH3_PAGES' }, async (t) => {
    const env = await launch({ csp });
    t.after(env.close);
    const page = await openWebClient(env.context, '?variant=reordered&state=busy&view=history');
    const heads = await page.$$eval(part('history-header'), (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(heads.slice(0, 8), ['Guest↕', 'Protocol↕', 'Queue↕', 'Profile↕', 'Started↕', 'Wait↕', 'Duration↕', 'Operator↕'], 'the reordered page');
    await page.waitForFunction((rows) => document.querySelector(`${rows}[data-lh3-chat-state]`), ROWS);
    const sim = await page.evaluate(() => window.lh3sim.state().history);
    const marks = await rowStates(page);
    for (const row of sim) assert.equal(marks[row.id], row.state, `row ${row.id}`);
  });
}

for (const { page: kind, csp, tag } of matrix()) {
  test(`visitor text with markup never executes ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const page = await openWebClient(env.context, '?state=connected&view=history');
    await page.evaluate(() => {
      const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
      window.lh3sim.addHistoryRow({ queue: 'all_colleges', guest: evil, started: '11:00', operator: '', duration: '' });
      const id = window.lh3sim.addChat({ guest: evil, queue: 'all_colleges', message: evil });
      window.lh3sim.guestSays(id, evil);
    });
    await page.waitForFunction((rows) => document.querySelectorAll(`${rows}[data-lh3-chat-state="new"]`).length >= 1, ROWS);
    await nextFlush(page);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });
}
