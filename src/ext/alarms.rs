//! `chrome.alarms`, `chrome.notifications`, and bringing a tab or the options page to
//! the front: what the pre-shift reminder and the popup's links need.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::ExtResult;

#[wasm_bindgen]
extern "C" {
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

async fn wait(p: Result<js_sys::Promise, JsValue>) -> ExtResult<JsValue> {
    Ok(JsFuture::from(p?).await?)
}

fn object(pairs: &[(&str, JsValue)]) -> ExtResult<JsValue> {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), v)?;
    }
    Ok(o.into())
}

/// Arms (or re-arms) the named alarm at `when_ms` (milliseconds since the epoch).
pub async fn set_alarm(name: &str, when_ms: f64) -> ExtResult<()> {
    wait(alarms_create(name, &object(&[("when", when_ms.into())])?))
        .await
        .map(|_| ())
}

pub async fn clear_alarm(name: &str) -> ExtResult<()> {
    wait(alarms_clear(name)).await.map(|_| ())
}

/// A basic notification with the extension's icon.
pub async fn notify(id: &str, title: &str, message: &str) -> ExtResult<()> {
    let options = object(&[
        ("type", "basic".into()),
        (
            "iconUrl",
            super::runtime_get_url("icons/icon128.png").into(),
        ),
        ("title", title.into()),
        ("message", message.into()),
    ])?;
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
    wait(tabs_update(tab_id, &object(&[("active", true.into())])?)).await?;
    if let Some(window) = js_sys::Reflect::get(&tab, &"windowId".into())?.as_f64() {
        wait(windows_update(
            window as i32,
            &object(&[("focused", true.into())])?,
        ))
        .await?;
    }
    Ok(true)
}

pub async fn open_tab(url: &str) -> ExtResult<()> {
    wait(tabs_create(&object(&[("url", url.into())])?))
        .await
        .map(|_| ())
}

pub async fn open_options_page() -> ExtResult<()> {
    wait(runtime_open_options_page()).await.map(|_| ())
}
