//! The functions JavaScript calls: one entry per extension context. The loaders in
//! `extension/*.js` only load the module and register browser events.
//!
//! Four modules are built from this crate (see `build.sh`): `content` (the page loop,
//! also as wasm2js for pages whose CSP forbids wasm), `worker` (the service worker),
//! `popup`, and `options` (the options and setup pages). Each export belongs to one; the
//! linker drops what a module's exports never reach, so the content script does not
//! carry the options page, nor the popup the worker.

use wasm_bindgen::prelude::*;

use crate::ext;

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Content script: starts observing the web client. `engine` is "wasm" or "wasm2js".
#[cfg(feature = "content")]
#[wasm_bindgen]
pub async fn content_start(engine: String) -> Result<(), JsValue> {
    crate::content::start(engine).await
}

/// Background: `runtime.onInstalled` (its `details`, as the browser gives them).
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_installed(details: JsValue) -> Result<(), JsValue> {
    crate::background::on_installed(details).await.map_err(js)
}

/// Setup page (first run): renders into `root`.
#[cfg(feature = "options")]
#[wasm_bindgen]
pub async fn setup_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::start_or_say(&root, crate::ui::setup::start(root.clone())).await
}

/// Background: one message from a content script or an extension page; `sender` is the
/// browser's `MessageSender`. Resolves to a typed reply (`core::messages::Reply`).
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_message(message: JsValue, sender: JsValue) -> JsValue {
    crate::background::on_message(message, sender).await
}

/// Background: a tab closed; forget its report.
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_tab_removed(tab_id: i32) -> Result<(), JsValue> {
    crate::background::on_tab_removed(tab_id).await.map_err(js)
}

/// Background: the worker started (arms the reminder and the watchdog).
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_start() -> Result<(), JsValue> {
    crate::background::start().await.map_err(js)
}

/// Background: `chrome.storage.onChanged` (the alarms follow the settings).
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_storage_changed(changes: JsValue, area: String) -> Result<(), JsValue> {
    crate::background::on_storage_changed(changes, area)
        .await
        .map_err(js)
}

#[cfg(feature = "worker")]
fn js(e: ext::ExtError) -> JsValue {
    JsValue::from_str(&e.0)
}

/// Popup: renders into `root`, and again on `popup_refresh` and as the clock moves.
#[cfg(feature = "popup")]
#[wasm_bindgen]
pub async fn popup_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::start_or_say(&root, crate::ui::checklist::start(root.clone())).await
}

/// Popup: something in storage changed (page report, ticks, settings); `changes` as
/// `storage.onChanged` gives them.
#[cfg(feature = "popup")]
#[wasm_bindgen]
pub fn popup_refresh(changes: JsValue) {
    // The popup's own fold state is not news: drawing again for it would replace the
    // section the operator just clicked, under the pointer.
    let keys = crate::ext::changed_keys(changes);
    if keys.iter().all(|k| k == crate::core::popup_view::FOLDS_KEY) && !keys.is_empty() {
        return;
    }
    crate::ui::checklist::refresh()
}

/// Options page: renders the settings form into `root`.
#[cfg(feature = "options")]
#[wasm_bindgen]
pub async fn options_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::start_or_say(&root, crate::ui::options::start(root.clone())).await
}

/// Background: a `chrome.alarms` alarm fired (the reminder's or the watchdog's).
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_alarm(name: String) -> Result<(), JsValue> {
    crate::background::on_alarm(&name).await.map_err(js)
}

/// Background: a notification was clicked.
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_notification_clicked(id: String) -> Result<(), JsValue> {
    crate::background::on_notification_clicked(&id)
        .await
        .map_err(js)
}

/// Bytes of linear memory the module holds (the benchmark reads it).
#[cfg(feature = "content")]
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> u32 {
    (::core::arch::wasm32::memory_size(0) as u32).saturating_mul(65_536)
}

/// What the page observer has cost so far: `{callbacks, records, flushes, busyMs}`
/// (the benchmark reads it).
#[cfg(feature = "content")]
#[wasm_bindgen]
pub fn content_stats() -> JsValue {
    let s = crate::page::observer::stats();
    let o = js_sys::Object::new();
    let set = |k: &str, v: f64| {
        let _ = js_sys::Reflect::set(&o, &k.into(), &v.into());
    };
    set("callbacks", f64::from(s.callbacks));
    set("records", f64::from(s.records));
    set("flushes", f64::from(s.flushes));
    set("busyMs", s.busy_ms);
    o.into()
}

/// Background: a keyboard shortcut (manifest `commands`) in `tab` (the browser's
/// `tabs.Tab`, or undefined for the active tab). Resolves to a typed reply: the name of
/// the canned message put in, or null when the tab is not the web client.
#[cfg(feature = "worker")]
#[wasm_bindgen]
pub async fn background_on_command(command: String, tab: JsValue) -> JsValue {
    crate::background::on_command(&command, tab).await
}

/// Content script: a message from the worker or the popup (`sender` is the browser's
/// `MessageSender`). Answers with a typed reply (`core::messages::Reply`).
#[cfg(feature = "content")]
#[wasm_bindgen]
pub fn content_on_message(message: JsValue, sender: JsValue) -> JsValue {
    use crate::core::messages::{BackgroundToContent, PopupToContent};
    if !ext::from_this_extension(&sender) {
        return ext::reply::<()>(Err(ext::ExtError("not from this extension".into())));
    }
    if let Ok(BackgroundToContent::InsertTopSuggestion) = ext::from_js(message.clone()) {
        return ext::reply(Ok(crate::content::insert_top_suggestion()));
    }
    match ext::from_js::<PopupToContent>(message) {
        Ok(PopupToContent::PageSkeleton) => ext::reply(Ok(page_skeleton())),
        Ok(PopupToContent::CheckPage) => ext::reply(Ok(crate::content::check_page())),
        Ok(PopupToContent::PickLocator { id }) => {
            ext::reply(crate::content::pick_locator(&id).map_err(ext::ExtError))
        }
        Err(e) => ext::reply::<()>(Err(ext::ExtError(format!("not a message: {}", e.0)))),
    }
}

/// The web client's structure without its content (popup → "Copy page skeleton"). See
/// `page::skeleton` for what is kept.
#[cfg(feature = "content")]
fn page_skeleton() -> String {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    match root {
        Some(root) => {
            crate::page::skeleton::skeleton(&root, &crate::core::locators::default_table())
        }
        None => String::new(),
    }
}

/// Content script: `chrome.storage.onChanged`; the page reloads its settings when the
/// change can touch them.
#[cfg(feature = "content")]
#[wasm_bindgen]
pub async fn content_on_storage_changed(changes: JsValue, area: String) {
    let keys = ext::changed_keys(changes);
    if crate::core::storage::touches_settings(&area, keys.iter().map(String::as_str)) {
        crate::content::settings_changed().await
    }
}
