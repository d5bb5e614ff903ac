// Service worker (Chrome) / event page (Firefox). JavaScript only forwards: each
// browser event goes to Rust, which decides. Every listener is registered
// synchronously here, before the wasm module has loaded; each waits for it.
import init, * as core from './pkg/lh3_worker.js';

const ready = init({ module_or_path: chrome.runtime.getURL('pkg/lh3_worker_bg.wasm') });
const forward = (name) => (...args) => ready.then(() => core[name](...args));

// Alarms, notification clicks and keyboard shortcuts cannot be fired by a test: kept
// on `self` so the end-to-end tests take the same path as the browser's events.
self.lh3 = {
  alarm: forward('background_on_alarm'),
  notificationClicked: forward('background_on_notification_clicked'),
  command: forward('background_on_command'),
  installed: forward('background_on_installed'),
};

// The answer is a typed reply (`core::messages::Reply`); none at all if the module
// could not load, which the sender reads as "no answer".
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  forward('background_on_message')(message, sender).then(sendResponse, () => sendResponse());
  return true; // the answer comes asynchronously
});
chrome.storage.onChanged.addListener((changes, area) => {
  forward('background_on_storage_changed')(changes, area).catch(console.error);
});
chrome.alarms.onAlarm.addListener((alarm) => self.lh3.alarm(alarm.name).catch(console.error));
chrome.notifications.onClicked.addListener((id) => self.lh3.notificationClicked(id).catch(console.error));
chrome.commands.onCommand.addListener((command, tab) => self.lh3.command(command, tab).catch(console.error));
chrome.runtime.onInstalled.addListener((details) => self.lh3.installed(details).catch(console.error));
chrome.tabs.onRemoved.addListener((tabId) => forward('background_on_tab_removed')(tabId).catch(console.error));
forward('background_start')().catch(console.error);
