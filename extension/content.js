// Loads the Rust core into the LibraryH3lp web client and starts it. If the page's
// Content-Security-Policy forbids compiling WebAssembly, the wasm2js build of the same
// code runs instead. Nothing else happens in JavaScript: events are forwarded to Rust.
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
  // Browser events go to Rust, which decides: a storage change (the settings?) and a
  // message from the worker or the popup (answered with a typed reply).
  chrome.storage.onChanged.addListener((changes, area) => {
    core.content_on_storage_changed(changes, area).catch(console.error);
  });
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    sendResponse(core.content_on_message(message, sender));
    return false;
  });
  await core.content_start(engine);
  document.documentElement.dataset.lh3Engine = engine;
})().catch((error) => {
  // Tell the operator the extension is not running here rather than failing silently.
  console.error('LibraryH3lp shift helper could not start:', error);
  document.documentElement.dataset.lh3Engine = 'failed';
});
