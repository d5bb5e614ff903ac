// Loads the core and lets it render the popup.
import init, * as core from './pkg/lh3_shift.js';

init({ module_or_path: 'pkg/lh3_shift_bg.wasm' })
  .then(() => core.popup_start(document.getElementById('app')))
  .catch((error) => {
    document.getElementById('app').textContent = `Could not start: ${error}`;
  });
