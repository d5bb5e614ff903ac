// Loads the Rust core into the LibraryH3lp web client and starts it. If the page's
// Content-Security-Policy forbids compiling WebAssembly, the wasm2js build of the same
// code runs instead. Nothing else happens in JavaScript.
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  // import() takes chrome.runtime.getURL(…) itself: the form Firefox's linter accepts.
  const core = await import(chrome.runtime.getURL('pkg/lh3_shift.js'));
  let engine = 'wasm';
  try {
    await core.default({ module_or_path: url('pkg/lh3_shift_bg.wasm') });
  } catch (wasmError) {
    engine = 'wasm2js';
    const asm = await import(chrome.runtime.getURL('pkg/lh3_shift_wasm2js.js'));
    core.__wbg_finalize_init({ exports: asm.instantiate(core.__wbg_get_imports()) }, undefined);
  }
  // The settings themselves (not `settings_raw_kept`, which the worker writes while reading them).
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || Object.keys(changes).some((k) => k.startsWith('settings:') || k === 'settings_in_local')) {
      core.content_settings_changed();
    }
  });
  // Popup → "Copy page skeleton": the page's structure without its text.
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || message?.kind !== 'page_skeleton') return false;
    sendResponse({ skeleton: core.content_page_skeleton() });
    return false;
  });
  // Background → page: the keyboard shortcut inserts the top suggestion (in Rust).
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || message?.kind !== 'insert_top_suggestion') return false;
    sendResponse(core.content_on_background_message(message));
    return false;
  });
  await core.content_start(engine);
  document.documentElement.dataset.lh3Engine = engine;
})().catch((error) => {
  // Tell the operator the extension is not running here rather than failing silently.
  console.error('LibraryH3lp shift helper could not start:', error);
  document.documentElement.dataset.lh3Engine = 'failed';
});
