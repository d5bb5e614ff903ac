// The popup: the core renders it (see pages.js); storage changes (a new page report,
// ticks, settings) make it draw again.
import * as core from './pkg/lh3_popup.js';
import { loadPage } from './pages.js';

loadPage(core, 'lh3_popup', async (core, app) => {
  await core.popup_start(app);
  chrome.storage.onChanged.addListener((changes) => core.popup_refresh(changes));
});
