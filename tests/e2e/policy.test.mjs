// A consortium's policy, end to end in real Chromium: a JSON policy file for the
// extension in Chromium's managed-policies folder (/etc/chromium/policies/managed on
// Debian), then the values reach chrome.storage.managed, show locked in the options page
// (disabled, with a note) and apply on the web client (the policy's expected queues
// drive the staffing check). Writing the policy file needs root: without it the test
// says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION, POLICY_DIR, launch, openWebClient, policyDirUnwritable, unpackedId, CSPS, cspTag, shiftAroundNow } from './harness.mjs';


// What a coordinator would push: the consortium's queues (one more than the web client
// staffs) and a lead time.
const POLICY = {
  queues: { expected: ['all_colleges', 'all_backup', 'practice'] },
  timing: { pre_shift_minutes: 12 },
};

for (const csp of CSPS) {
  test(`a Chromium policy reaches the extension: locked in the options page, applied on the web client ${cspTag(csp)}[webclient]`, async (t) => {
    const why = policyDirUnwritable('the managed policy');
    if (why) return t.skip(why);
    const id = unpackedId(EXTENSION);
    const file = join(POLICY_DIR, `lh3-shift-e2e-${id}.json`);
    writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [id]: POLICY } } }, null, 2));
    t.after(() => rmSync(file, { force: true }));
    const env = await launch({ csp });
    t.after(() => env.close());
    assert.equal(env.extensionId, id, 'the policy file names the extension Chromium loaded');

    // Chromium validated the policy against storage.managed_schema and handed it over.
    let managed = {};
    for (let i = 0; i < 100 && !managed.queues; i++) {
      managed = await env.worker.evaluate(() => chrome.storage.managed.get(null));
      if (!managed.queues) await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(managed, POLICY);

    // The operator's own settings: on shift now, with a user value under the
    // policy's (which the policy overrides without erasing).
    const { service, shifts } = shiftAroundNow(30, 30, { replacements: [] });
    await env.worker.evaluate((s) => chrome.storage.sync.set(s), {
      'settings:version': 1,
      'settings:service': service,
      'settings:shifts': shifts,
      'settings:queues': { expected: ['mine_only'], home_team: [] },
      'settings:operator_name': 'mchen_seneca',
    });

    const options = await env.context.newPage();
    await options.goto(`chrome-extension://${env.extensionId}/options.html#queues`);
    await options.waitForSelector('#save');
    assert.ok(await options.isVisible('#locked-banner'), 'the page says some values come from the policy');
    const queues = options.locator('#f-queues-expected');
    assert.ok(await queues.isDisabled(), 'the policy\'s queues are locked');
    assert.equal(await queues.inputValue(), 'all_colleges\nall_backup\npractice');
    assert.match(await options.textContent('[data-field-wrap="queues.expected"] .locked-note'), /consortium|policy/i);
    assert.ok(await options.locator('#f-queues-home_team').isEnabled(), 'what the policy does not set stays editable');
    await options.goto(`chrome-extension://${env.extensionId}/options.html#timing`);
    await options.waitForSelector('#save');
    assert.ok(await options.locator('#f-timing-pre_shift_minutes').isDisabled());
    assert.equal(await options.inputValue('#f-timing-pre_shift_minutes'), '12');
    assert.ok(await options.locator('#f-timing-handover_minutes').isEnabled());

    // Saving keeps the operator's own value under the lock: the policy is not copied in.
    await options.fill('#f-timing-handover_minutes', '7');
    await options.click('#save');
    await options.waitForSelector('#status[data-status="saved"]');
    const stored = await env.worker.evaluate(() => chrome.storage.sync.get(['settings:queues', 'settings:timing']));
    assert.deepEqual(stored['settings:queues'].expected, ['mine_only']);
    assert.equal(stored['settings:timing'].handover_minutes, 7);
    assert.notEqual(stored['settings:timing'].pre_shift_minutes, 12);
    await options.close();

    // On the web client the policy's queues are the expected ones: it staffs
    // all_colleges and all_backup, so `practice` is missing (and `mine_only` is not).
    const page = await openWebClient(env.context, '?state=connected');
    const missing = page.locator('[data-lh3-notice="staffing.missing"]');
    await missing.waitFor();
    assert.match(await missing.textContent(), /not staffing practice/);
    assert.doesNotMatch(await missing.textContent(), /mine_only/);
  });
}
