// `./build.sh demo [--page webclient|recom]`: the built extension in Chromium on a
// simulated web client (the first one by default; `--page recom`: the one built like the
// real page), playing a short scripted shift. A window where a display exists, headless
// otherwise; screenshots of the page and the popup go to the folder printed at the end.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, openWebClient, openPopup, tabIdOf, badgeOf, ROOT, part } from './harness.mjs';

const { values: args } = parseArgs({ options: { page: { type: 'string', default: 'webclient' } } });

const out = process.env.LH3_DEMO_OUT || join(ROOT, 'demo-output');
mkdirSync(out, { recursive: true });
const headless = !process.env.DISPLAY;
const pause = (ms) => new Promise((r) => setTimeout(r, headless ? ms / 4 : ms));
const say = (line) => console.log(`  ${line}`);

const env = await launch({ headless, page: args.page });
try {
  console.log(`Demo: the extension on the simulated LibraryH3lp web client "${args.page}" (${headless ? 'headless' : 'window'})`);
  // The demo operator is on shift now: a one-hour shift that began ten minutes ago, in
  // the service's zone, with the service open all day (settings as the options page
  // stores them; see src/ext/settings.rs).
  await env.worker.evaluate(() => {
    const zone = 'America/Toronto';
    const parts = (ms) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    const start = parts(Date.now() - 10 * 60000);
    const end = parts(Date.now() + 50 * 60000);
    const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(start.weekday);
    const allDay = [{ start: '00:00', end: '24:00' }];
    return chrome.storage.sync.set({
      'settings:operator_name': 'mchen_seneca',
      'settings:service': { time_zone: zone, weekly: Array(7).fill(allDay), closed_days: [], exceptions: [] },
      'settings:shifts': {
        weekly: [{ weekday, start: `${start.hour}:${start.minute}`, end: `${end.hour}:${end.minute}`, replacements: ['jlavoie_algonquin'] }],
        one_off: [], skipped: [],
      },
    });
  });
  say('settings: a one-hour shift that began ten minutes ago');
  const page = await openWebClient(env.context, '?state=connected&view=history');
  say(`extension running as ${await page.evaluate(() => document.documentElement.dataset.lh3Engine)}`);

  // A short shift: chats arrive, one is picked up, one completes.
  const first = await page.evaluate(() => window.lh3sim.addChat({ guest: 'Guest 4KQ2', queue: 'all_colleges', message: 'Hi, how do I find peer-reviewed articles on climate policy?' }));
  say('a chat arrives on all_colleges');
  await pause(800);
  const second = await page.evaluate(() => window.lh3sim.addChat({ guest: '647-555-0199', queue: 'all_backup', text: true, message: 'Is the library open Saturday?' }));
  say('a text arrives on all_backup');
  await pause(800);
  await page.evaluate(() => window.lh3sim.addChat({ guest: 'Guest 8LMN', queue: 'all_colleges', message: 'Can I renew a laptop loan online?' }));
  say('another chat arrives');
  await pause(800);
  await page.evaluate((id) => window.lh3sim.operatorSays(id, 'Hi, welcome to askON! Let me look that up for you.'), first);
  say('the operator picks up the first chat');
  await pause(800);
  await page.evaluate((id) => { window.lh3sim.claim(id, 'aokafor_humber'); window.lh3sim.complete(id, '6:40'); }, second);
  say('a colleague answers the text and it completes');
  await page.evaluate(() => window.lh3sim.showView('history'));
  const rows = part('history-row');
  await page.waitForFunction((sel) => document.querySelectorAll(`${sel}[data-lh3-chat-state]`).length > 0, rows, { timeout: 10000 })
    .catch(() => say('no Chat History row was marked (the extension does not read this page yet)'));
  await pause(600);

  const marks = await page.evaluate((sel) => {
    const count = (s) => document.querySelectorAll(`${sel}[data-lh3-chat-state="${s}"]`).length;
    return { new: count('new'), ongoing: count('ongoing'), completed: count('completed'), unmarked: document.querySelectorAll(`${sel}:not([data-lh3-chat-state])`).length };
  }, rows);
  await page.screenshot({ path: join(out, 'web-client-history.png') });
  await page.evaluate(() => window.lh3sim.showView('chats'));
  await pause(300);
  await page.screenshot({ path: join(out, 'web-client-chats.png') });
  await page.evaluate(() => window.lh3sim.showView('history'));

  const tabId = await tabIdOf(env.context, page);
  const badge = await badgeOf(env.context, tabId);
  const popup = await openPopup(env.context, env.extensionId, page);
  await popup.setViewportSize({ width: 380, height: 720 });
  await popup.waitForSelector('[data-count="new"]');
  await pause(300);
  await popup.screenshot({ path: join(out, 'popup.png'), fullPage: true });
  const popupNew = await popup.textContent('[data-count="new"] .count-value');

  console.log('\nWhat the extension saw:');
  say(`Chat History: ${marks.new} new, ${marks.ongoing} ongoing, ${marks.completed} completed, ${marks.unmarked} left unmarked`);
  say(`toolbar badge: "${badge}"  popup shows ${popupNew} new`);
  console.log(`\nScreenshots in ${out}:`);
  for (const f of ['web-client-history.png', 'web-client-chats.png', 'popup.png']) say(join(out, f));
  if (!headless) {
    console.log('\nThe browser stays open for you to explore; press Ctrl+C to end.');
    await new Promise(() => {});
  }
} finally {
  if (headless) await env.close();
}
