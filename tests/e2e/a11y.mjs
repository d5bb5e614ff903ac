// axe-core on a page of the extension, in the light and the dark colour scheme
// (prefers-color-scheme emulated): the serious and critical violations, one line each.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * @param {import('playwright-core').Page} page
 * @param {{sections?: boolean}} options `sections`: the options page, every section in
 *   turn (one is on show at a time), then back to the one on show before.
 */
export async function seriousA11yViolations(page, { sections = false } = {}) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
  const views = sections ? await page.$$eval('a[data-nav]', (as) => as.map((a) => a.dataset.nav)) : [''];
  const before = sections ? await page.getAttribute('a[data-nav][aria-current="page"]', 'data-nav') : '';
  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const view of views) {
      if (view) {
        await page.click(`#nav-${view}`);
        await page.waitForSelector(`section#${view}:not([hidden])`);
      }
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
        found.push(`${scheme}${view && ` #${view}`}: ${v.id}: ${v.help} — ${v.nodes.length} node(s): ${where}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (before) await page.click(`#nav-${before}`);
  return found;
}
