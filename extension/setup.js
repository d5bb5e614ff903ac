// Loads the core and lets it render the first-run setup page.
import init, * as core from './pkg/lh3_pages.js';

document.documentElement.lang = chrome.i18n.getUILanguage().split('-')[0];
document.title = chrome.i18n.getMessage('setupTitle') || document.title;
init({ module_or_path: 'pkg/lh3_pages_bg.wasm' })
  .then(() => core.setup_start(document.getElementById('app')))
  .then(() => { document.documentElement.dataset.ready = 'true'; })
  .catch((error) => {
    document.getElementById('app').textContent = `Could not start: ${error}`;
  });
