// Loads the core and lets it render the popup; storage changes (a new page report,
// ticks, settings) make it draw again.
import init, * as core from './pkg/lh3_pages.js';

document.documentElement.lang = chrome.i18n.getUILanguage().split('-')[0];
init({ module_or_path: 'pkg/lh3_pages_bg.wasm' })
  .then(() => core.popup_start(document.getElementById('app')))
  .then(() => {
    chrome.storage.onChanged.addListener(() => core.popup_refresh());
    document.documentElement.dataset.ready = 'true';
  })
  .catch((error) => {
    document.getElementById('app').textContent = `Could not start: ${error}`;
  });
