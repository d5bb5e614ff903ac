// Loads the core and lets it render the popup; storage changes (a new page report,
// ticks, settings) make it draw again. The core sets the page's language and says
// why it could not start; if the core itself cannot load, the browser's language says so.
import init, * as core from './pkg/lh3_pages.js';

const app = document.getElementById('app');
init({ module_or_path: 'pkg/lh3_pages_bg.wasm' })
  .catch((error) => {
    app.textContent = `${chrome.i18n.getMessage('startFailed')} ${error}`;
    throw error;
  })
  .then(() => core.popup_start(app))
  .then(() => {
    chrome.storage.onChanged.addListener(() => core.popup_refresh());
    document.documentElement.dataset.ready = 'true';
  })
  .catch(console.error);
