// Loads the core and lets it render the first-run setup page. The core sets the page's
// language and title and says why it could not start; if the core itself cannot load,
// the browser's language says so.
import init, * as core from './pkg/lh3_pages.js';

const app = document.getElementById('app');
init({ module_or_path: 'pkg/lh3_pages_bg.wasm' })
  .catch((error) => {
    app.textContent = `${chrome.i18n.getMessage('startFailed')} ${error}`;
    throw error;
  })
  .then(() => core.setup_start(app))
  .then(() => { document.documentElement.dataset.ready = 'true'; })
  .catch(console.error);
