//! The functions JavaScript calls: one entry per extension context. The loaders in
//! `extension/*.js` only load the module and register browser events.
//!
//! Two modules are built from this crate (see `build.sh`): `content` (the page loop,
//! also as wasm2js for pages whose CSP forbids wasm) and `pages` (service worker,
//! popup, options). Each export belongs to one; the linker drops what a module's
//! exports never reach, so the content script does not carry the options page.

use wasm_bindgen::prelude::*;

use crate::core::checklist::ShiftLogChange;
use crate::core::messages::{ContentToBackground, PopupToBackground};
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

/// Content script: the settings changed in storage.
#[cfg(feature = "content")]
#[wasm_bindgen]
pub async fn content_settings_changed() {
    crate::content::settings_changed().await
}

/// Background: one message from a content script or an extension page.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_on_message(message: JsValue, tab_id: i32) -> Result<JsValue, JsValue> {
    let msg: ContentToBackground = match ext::from_js(message.clone()) {
        Ok(msg) => msg,
        Err(e) => {
            let Ok(PopupToBackground::ShiftLog { change }) = ext::from_js(message) else {
                return Err(JsValue::from_str(&format!("bad message: {}", e.0)));
            };
            return ext::shift_log::apply(change)
                .await
                .map(JsValue::from)
                .map_err(|e| JsValue::from_str(&e.0));
        }
    };
    match msg {
        ContentToBackground::LogShiftEvent { event } => {
            ext::shift_log::apply(ShiftLogChange::Event { event })
                .await
                .map(JsValue::from)
                .map_err(|e| JsValue::from_str(&e.0))
        }
        ContentToBackground::PageReport { report } => {
            if tab_id < 0 {
                return Err("page report without a tab".into());
            }
            let badge = report.history.map(|h| h.badge_text()).unwrap_or_default();
            ext::session::set(
                &ext::page_report_key(tab_id),
                &ext::to_js(&report).map_err(|e| JsValue::from_str(&e.0))?,
            )
            .await
            .map_err(|e| JsValue::from_str(&e.0))?;
            // What the operator did this shift survives a reload of the web client.
            let remembered = crate::core::checklist::StoredRemembered {
                shift_key: report.shift_key.clone(),
                remembered: report.remembered.clone(),
            };
            ext::local::set(
                ext::REMEMBERED_KEY,
                &ext::to_js(&remembered).map_err(|e| JsValue::from_str(&e.0))?,
            )
            .await
            .map_err(|e| JsValue::from_str(&e.0))?;
            ext::session::set(ext::LATEST_REPORT_KEY, &JsValue::from(tab_id))
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            ext::set_badge(tab_id, &badge)
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            Ok(JsValue::TRUE)
        }
        ContentToBackground::Notify { id, title, message } => {
            ext::notify(&id, &title, &message)
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            Ok(JsValue::TRUE)
        }
        ContentToBackground::Settings => {
            let state = ext::settings::load().await;
            ext::to_js(&state.settings).map_err(|e| JsValue::from_str(&e.0))
        }
        ContentToBackground::WatchdogCheckNow => crate::watchdog::check(true).await,
        ContentToBackground::ClearNotification { id } => {
            ext::alarms::clear_notification(&id)
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            Ok(JsValue::TRUE)
        }
    }
}

/// Background: a tab closed; forget its report.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_on_tab_removed(tab_id: i32) -> Result<(), JsValue> {
    ext::session::remove(&ext::page_report_key(tab_id))
        .await
        .map_err(|e| JsValue::from_str(&e.0))
}

/// Popup: renders into `root`, and again on `popup_refresh` and as the clock moves.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn popup_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::checklist::start(root).await
}

/// Popup: something in storage changed (page report, ticks, settings).
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub fn popup_refresh() {
    crate::ui::checklist::refresh()
}

/// Options page: renders the settings form into `root`.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn options_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::options::start(root).await
}

/// Background: (re-)arms the pre-shift reminder; resolves to when it fires (ms since
/// the epoch) or null when the operator has no shift ahead.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_arm_reminder() -> Result<JsValue, JsValue> {
    Ok(crate::background::arm_reminder()
        .await?
        .map_or(JsValue::NULL, JsValue::from))
}

/// Background: a `chrome.alarms` alarm fired.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_on_alarm(name: String) -> Result<(), JsValue> {
    crate::background::on_alarm(&name).await
}

/// Background: a notification was clicked.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_on_notification_clicked(id: String) -> Result<(), JsValue> {
    crate::background::on_notification_clicked(&id).await
}

/// Content script: the web client's structure without its content (popup → "Copy page
/// skeleton"). See `page::skeleton` for what is kept.
#[cfg(feature = "content")]
#[wasm_bindgen]
pub fn content_page_skeleton() -> String {
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

/// Background: keeps the service-on watchdog's repeating alarm in step with the settings.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_watchdog_arm() -> Result<(), JsValue> {
    crate::watchdog::arm().await
}

/// Background: an alarm fired (the watchdog answers only its own).
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_watchdog_on_alarm(name: String) -> Result<(), JsValue> {
    crate::watchdog::on_alarm(&name).await
}

/// Background: a notification was clicked (the watchdog's opens the email to the
/// service coordinator; the auto-logout alerts bring the web client to the front).
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_guard_notification_clicked(id: String) -> Result<(), JsValue> {
    crate::watchdog::on_notification_clicked(&id).await
}

/// Options page or popup ("Check now"): one service-on check now, even during service
/// hours. Resolves to the check (`core::alerts::WatchdogCheck` as JSON) or null.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn watchdog_check_now() -> Result<JsValue, JsValue> {
    crate::watchdog::check(true).await
}

/// Options page or popup, straight from a click (the switch that turns the service-on
/// watchdog on): asks for the optional host permission of the presence endpoint.
/// Resolves to whether it was granted.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub fn request_watchdog_permission() -> Result<js_sys::Promise, JsValue> {
    crate::watchdog::request_permission()
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

/// Background: a keyboard shortcut (manifest `commands`). `tab_id` is the tab the browser
/// names, or -1 for the active tab. Resolves to the page's answer (`{inserted}`), or
/// false when the tab is not the web client.
#[cfg(feature = "pages")]
#[wasm_bindgen]
pub async fn background_on_command(command: String, tab_id: i32) -> Result<JsValue, JsValue> {
    use crate::core::messages::{BackgroundToContent, COMMAND_INSERT_TOP_SUGGESTION};
    if command != COMMAND_INSERT_TOP_SUGGESTION {
        return Ok(JsValue::FALSE);
    }
    let tab = if tab_id >= 0 {
        Some(tab_id)
    } else {
        ext::active_tab_id()
            .await
            .map_err(|e| JsValue::from_str(&e.0))?
    };
    let Some(tab) = tab else {
        return Ok(JsValue::FALSE);
    };
    // Another site has no content script to answer: nothing to do there.
    Ok(
        ext::tabs_send_message(tab, &BackgroundToContent::InsertTopSuggestion)
            .await
            .unwrap_or(JsValue::FALSE),
    )
}

/// Content script: a message from the background. Answers `{inserted: name | null}`.
#[cfg(feature = "content")]
#[wasm_bindgen]
pub fn content_on_background_message(message: JsValue) -> JsValue {
    use crate::core::messages::BackgroundToContent;
    match ext::from_js::<BackgroundToContent>(message) {
        Ok(BackgroundToContent::InsertTopSuggestion) => {
            let inserted = crate::content::insert_top_suggestion();
            let answer = js_sys::Object::new();
            let name = inserted.map_or(JsValue::NULL, |n| JsValue::from_str(&n));
            let _ = js_sys::Reflect::set(&answer, &"inserted".into(), &name);
            answer.into()
        }
        Err(_) => JsValue::NULL,
    }
}
