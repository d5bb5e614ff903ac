// The service worker as the one owner of what several contexts change: the shift log
// has one writer (the worker), so events and ticks sent at the same moment from
// several contexts all land.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './harness.mjs';

test('the shift log: events and ticks sent at once from two pages are all kept', async (t) => {
  const env = await launch();
  t.after(env.close);
  const open = async () => {
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${env.extensionId}/popup.html`);
    return page;
  };
  const [a, b] = [await open(), await open()];
  const shiftKey = 'off-hours:2026-03-09';
  const at = new Date().toISOString();
  // Each page sends its messages all at once; the two pages at the same time.
  const send = (page, from, count) => page.evaluate(({ from, count, shiftKey, at }) => Promise.all(
    Array.from({ length: count }, (_, i) => chrome.runtime.sendMessage(i % 5 === 4
      ? { kind: 'shift_log', change: { change: 'tick', shift_key: shiftKey, step: ['login.queues', 'login.buddy_list', 'login.history', 'login.backchat_hello'][(from + i) % 4], on: true, at } }
      : { kind: 'log_shift_event', event: { shift_key: shiftKey, at, what: `event ${from + i}` } })),
  ), { from, count, shiftKey, at });
  await Promise.all([send(a, 0, 20), send(b, 100, 20)]);
  const log = await env.worker.evaluate(async () => (await chrome.storage.local.get('shift_log')).shift_log);
  const shift = log.shifts.find((s) => s.shift_key === shiftKey);
  const events = shift.events.map((e) => e.what).filter((w) => w.startsWith('event '));
  assert.equal(events.length, 32, `every event is kept: ${events.join(', ')}`);
  assert.deepEqual(new Set(shift.ticked), new Set(['login.queues', 'login.buddy_list', 'login.history', 'login.backchat_hello']));
  // Something that is not a step of the procedure is not ticked.
  await a.evaluate(({ shiftKey, at }) => chrome.runtime.sendMessage({ kind: 'shift_log', change: { change: 'tick', shift_key: shiftKey, step: 'not.a.step', on: true, at } }), { shiftKey, at });
  const again = await env.worker.evaluate(async () => (await chrome.storage.local.get('shift_log')).shift_log);
  assert.ok(!again.shifts.find((s) => s.shift_key === shiftKey).ticked.includes('not.a.step'));
});
