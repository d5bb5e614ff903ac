//! `chrome.alarms`, `chrome.notifications`, and bringing a tab or the options page to
//! the front, or opening a URL: what the pre-shift reminder, the service-on watchdog and
//! the popup's links need.

use wasm_bindgen::prelude::*;

use super::{object, wait, ExtResult};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = get, catch)]
    fn alarms_get(name: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = create, catch)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = clear, catch)]
    fn alarms_clear(name: &str) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = create, catch)]
    fn notifications_create(id: &str, options: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = clear, catch)]
    fn notifications_clear(id: &str) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = get, catch)]
    fn tabs_get(id: i32) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = update, catch)]
    fn tabs_update(id: i32, props: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    fn tabs_create(props: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "windows"], js_name = update, catch)]
    fn windows_update(id: i32, props: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = openOptionsPage, catch)]
    fn runtime_open_options_page() -> Result<js_sys::Promise, JsValue>;
}

/// Arms (or re-arms) the named alarm at `when_ms` (milliseconds since the epoch).
pub async fn set_alarm(name: &str, when_ms: f64) -> ExtResult<()> {
    let info = object(&[("when", when_ms.into())])?;
    wait(alarms_create(name, &info)).await.map(|_| ())
}

/// Keeps an alarm repeating every `period_minutes`; an alarm already repeating at that
/// period is left alone (re-creating it on every worker start would postpone it forever).
pub async fn keep_repeating_alarm(name: &str, period_minutes: f64) -> ExtResult<()> {
    let existing = wait(alarms_get(name)).await?;
    if !existing.is_undefined() && !existing.is_null() {
        let period = js_sys::Reflect::get(&existing, &"periodInMinutes".into())?.as_f64();
        if period == Some(period_minutes) {
            return Ok(());
        }
    }
    let info = object(&[
        ("delayInMinutes", period_minutes.into()),
        ("periodInMinutes", period_minutes.into()),
    ])?;
    wait(alarms_create(name, &info)).await.map(|_| ())
}

pub async fn clear_alarm(name: &str) -> ExtResult<()> {
    wait(alarms_clear(name)).await.map(|_| ())
}

/// The options of a basic notification with the extension's icon.
pub(super) fn basic_notification(title: &str, message: &str) -> ExtResult<js_sys::Object> {
    object(&[
        ("type", "basic".into()),
        (
            "iconUrl",
            super::runtime_get_url("icons/icon128.png").into(),
        ),
        ("title", title.into()),
        ("message", message.into()),
    ])
}

/// A basic notification with the extension's icon (it goes the usual way; compare
/// `ext::notify`, which stays until dismissed).
pub async fn notify(id: &str, title: &str, message: &str) -> ExtResult<()> {
    let options = basic_notification(title, message)?;
    wait(notifications_create(id, &options)).await.map(|_| ())
}

pub async fn clear_notification(id: &str) -> ExtResult<()> {
    wait(notifications_clear(id)).await.map(|_| ())
}

/// Brings a tab and its window to the front; false when the tab is gone.
pub async fn focus_tab(tab_id: i32) -> ExtResult<bool> {
    let Ok(tab) = wait(tabs_get(tab_id)).await else {
        return Ok(false);
    };
    let active = object(&[("active", true.into())])?;
    wait(tabs_update(tab_id, &active)).await?;
    if let Some(window) = js_sys::Reflect::get(&tab, &"windowId".into())?.as_f64() {
        let focused = object(&[("focused", true.into())])?;
        wait(windows_update(window as i32, &focused)).await?;
    }
    Ok(true)
}

/// Opens a URL in a new tab (a `mailto:` link hands over to the mail program).
pub async fn open_tab(url: &str) -> ExtResult<()> {
    let props = object(&[("url", url.into())])?;
    wait(tabs_create(&props)).await.map(|_| ())
}

pub async fn open_options_page() -> ExtResult<()> {
    wait(runtime_open_options_page()).await.map(|_| ())
}
