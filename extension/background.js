// Service worker (Chrome) / event page (Firefox). Every listener is registered
// synchronously here, before the wasm module has loaded; each waits for it.
import init, * as core from './pkg/lh3_pages.js';

const ready = init({ module_or_path: chrome.runtime.getURL('pkg/lh3_pages_bg.wasm') });

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready
    .then(() => core.background_on_message(message, sender.tab?.id ?? -1))
    .then(sendResponse, (error) => sendResponse({ error: String(error) }));
  return true; // the answer comes asynchronously
});

chrome.tabs.onRemoved.addListener((tabId) => {
  ready.then(() => core.background_on_tab_removed(tabId)).catch(console.error);
});

// Service-on watchdog (optional): a repeating alarm while it is turned on; its
// notification opens an email to the service coordinator. Kept on `self` so the
// end-to-end test can run one check and click it: alarms and clicks cannot be faked.
self.lh3Watchdog = {
  arm: () => ready.then(() => core.background_watchdog_arm()),
  fire: (name) => ready.then(() => core.background_watchdog_on_alarm(name)),
  click: (id) => ready.then(() => core.background_guard_notification_clicked(id)),
};
chrome.alarms.onAlarm.addListener((alarm) => self.lh3Watchdog.fire(alarm.name).catch(console.error));
chrome.notifications.onClicked.addListener((id) => self.lh3Watchdog.click(id).catch(console.error));
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || Object.keys(changes).some((k) => k.startsWith('settings:'))) {
    self.lh3Watchdog.arm().catch(console.error);
  }
});
self.lh3Watchdog.arm().catch(console.error);

// Keyboard shortcuts (manifest "commands", rebindable in chrome://extensions/shortcuts).
// Kept on `self` so the end-to-end test can run the same path: commands cannot be faked.
self.lh3OnCommand = (command, tab) =>
  ready.then(() => core.background_on_command(command, tab?.id ?? -1));
chrome.commands.onCommand.addListener((command, tab) => {
  self.lh3OnCommand(command, tab).catch(console.error);
});

// Pre-shift reminder: one alarm at the next shift's start minus the login lead time,
// re-armed whenever this worker starts and whenever the settings change. Kept on `self`
// so the end-to-end test can fire and click it: alarms and notification clicks cannot
// be faked.
self.lh3Reminder = {
  arm: () => ready.then(() => core.background_arm_reminder()),
  fire: (name) => ready.then(() => core.background_on_alarm(name)),
  click: (id) => ready.then(() => core.background_on_notification_clicked(id)),
};
chrome.alarms.onAlarm.addListener((alarm) => {
  self.lh3Reminder.fire(alarm.name).catch(console.error);
});
chrome.notifications.onClicked.addListener((id) => {
  self.lh3Reminder.click(id).catch(console.error);
});
chrome.storage.onChanged.addListener((changes, area) => {
  // Only the settings themselves: `settings_raw_kept` is written while loading them.
  if (area === 'managed' || Object.keys(changes).some((k) => k.startsWith('settings:') || k === 'settings_in_local')) {
    self.lh3Reminder.arm().catch(console.error);
  }
});
self.lh3Reminder.arm().catch(console.error);
