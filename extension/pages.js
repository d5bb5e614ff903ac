// Loads the pages' core (options, setup, popup) and hands it the page's #app: `start`
// is the page's own call into the core. The core sets the page's language and title and
// says why it could not start; if the core itself cannot load, the browser's language
// says so.
import init, * as core from './pkg/lh3_pages.js';

export function loadPage(start) {
  const app = document.getElementById('app');
  return init({ module_or_path: 'pkg/lh3_pages_bg.wasm' })
    .catch((error) => {
      app.textContent = `${chrome.i18n.getMessage('startFailed')} ${error}`;
      throw error;
    })
    .then(() => start(core, app))
    .then(() => { document.documentElement.dataset.ready = 'true'; })
    .catch(console.error);
}
