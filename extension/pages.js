// Loads a page's core (its own module: `core`, the wasm-bindgen glue the page imports,
// whose wasm is pkg/NAME_bg.wasm) and hands it the page's #app: `start` is the page's
// own call into the core. The core sets the page's language and title and says why it
// could not start; if the core itself cannot load, the browser's language says so.
export function loadPage(core, name, start) {
  const app = document.getElementById('app');
  return core.default({ module_or_path: `pkg/${name}_bg.wasm` })
    .catch((error) => {
      app.textContent = `${chrome.i18n.getMessage('startFailed')} ${error}`;
      throw error;
    })
    .then(() => start(core, app))
    .then(() => { document.documentElement.dataset.ready = 'true'; })
    .catch(console.error);
}
