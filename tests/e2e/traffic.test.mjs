// Permissions and traffic: while an operator uses the web client, the popup and the
// options page, the extension makes no network request but the public presence check
// (GET https://*.libraryh3lp.com/presence/jid/QUEUE/DOMAIN/text). Everything its pages
// and service worker request is recorded (harness `recordTraffic`), and so is everything
// the loopback server sees from launch on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openWebClient, openPopup, recordTraffic, matrix, part, nextFlush } from './harness.mjs';

for (const { page: kind, csp, tag } of matrix(['none', 'strict'])) {
  test(`no request but the presence check from the extension ${tag}`, async (t) => {
    const env = await launch({ page: kind, csp });
    t.after(env.close);
    const traffic = recordTraffic(env);

    // The web client at work: chats arrive, are claimed, history changes, a re-render.
    const page = await openWebClient(env.context, '?state=busy&view=history');
    await page.evaluate(() => {
      const sim = window.lh3sim;
      const id = sim.addChat({ queue: 'all_colleges', message: 'Where is https://example.org/secret ?' });
      sim.guestSays(id, 'see https://example.com/x and //evil.example/y');
      sim.claim(id, 'aokafor_humber');
      sim.addHistoryRow({ queue: 'all_backup', guest: 'Guest NET1', started: '11:00', operator: '', duration: '', referrer: 'https://example.net/' });
      sim.rerenderHistory();
      sim.showView('chats');
      sim.showView('preferences');
      sim.showView('history');
    });
    await page.waitForFunction((rows) => document.querySelectorAll(`${rows}:not([data-lh3-chat-state]):not([data-lh3-unreadable])`).length === 0, part('history-row'));

    // The popup: every section opened, the page skeleton copied.
    const popup = await openPopup(env.context, env.extensionId, page);
    await popup.waitForSelector('#page-check', { state: 'attached' });
    for (const summary of await popup.$$('details > summary')) await summary.click().catch(() => {});
    await popup.click('[data-action="copy-skeleton"]');
    await popup.waitForSelector('[data-skeleton-text]', { state: 'attached', timeout: 15000 });

    // The options page.
    const options = await env.context.newPage();
    await options.goto(`chrome-extension://${env.extensionId}/options.html`);
    // Until the network has been quiet for half a second: the page has made its requests
    // (one that never ends keeps it from idling: the assertion below names it).
    const idle = (p) => p.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
    await idle(options);

    // The service worker's own work (a presence check, if it makes one, is allowed).
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.lh3Engine && document.documentElement.dataset.simReady);
    await nextFlush(page);
    await idle(page);

    traffic.stop();
    assert.ok(traffic.requests.some((r) => r.url.startsWith(`chrome-extension://${env.extensionId}/pkg/`)), 'the recorder saw the extension load');
    assert.ok(traffic.requests.some((r) => r.url.includes('/webclient/')), 'the recorder saw the web client');
    assert.deepEqual(traffic.unexpected(), []);
  });
}

test('the traffic rule itself: only the presence check is allowed off the page', async (t) => {
  const env = await launch();
  t.after(env.close);
  const traffic = recordTraffic(env);
  const [worker] = env.context.serviceWorkers();
  await worker.evaluate(() => fetch('https://ca.libraryh3lp.com/presence/jid/all_colleges/chat.ca.libraryh3lp.com/text').then((r) => r.text()));
  assert.deepEqual(traffic.unexpected(), [], 'the presence check is allowed');
  await worker.evaluate(() => fetch('https://ca.libraryh3lp.com/api/anything').catch(() => 0));
  await worker.evaluate(() => fetch('https://example.com/').catch(() => 0));
  await new Promise((r) => setTimeout(r, 300));
  const bad = traffic.unexpected();
  assert.ok(bad.some((b) => b.includes('/api/anything')), `an unexpected call to the web client host is caught: ${bad}`);
  assert.ok(bad.some((b) => b.includes('example.com')), `a call elsewhere is caught: ${bad}`);
});
