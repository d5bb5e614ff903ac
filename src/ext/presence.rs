//! What the service-on watchdog needs from the browser: a repeating alarm, the
//! optional host permission for the public presence endpoint, a `fetch` that sends
//! nothing but the URL, and opening the coordinator's `mailto:` link.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{ExtError, ExtResult};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = get, catch)]
    fn alarms_get(name: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = create, catch)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = clear, catch)]
    fn alarms_clear(name: &str) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = contains, catch)]
    fn permissions_contains(p: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = request, catch)]
    fn permissions_request(p: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_signal_timeout(ms: f64) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    fn tabs_create(props: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = clear, catch)]
    fn notifications_clear(id: &str) -> Result<js_sys::Promise, JsValue>;
}

async fn wait(p: Result<js_sys::Promise, JsValue>) -> ExtResult<JsValue> {
    Ok(JsFuture::from(p?).await?)
}

fn set(o: &js_sys::Object, k: &str, v: impl Into<JsValue>) -> ExtResult<()> {
    js_sys::Reflect::set(o, &k.into(), &v.into())?;
    Ok(())
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
    let info = js_sys::Object::new();
    set(&info, "delayInMinutes", period_minutes)?;
    set(&info, "periodInMinutes", period_minutes)?;
    wait(alarms_create(name, &info)).await.map(|_| ())
}

pub async fn clear_alarm(name: &str) -> ExtResult<()> {
    wait(alarms_clear(name)).await.map(|_| ())
}

fn origins_object(origins: &[String]) -> ExtResult<JsValue> {
    let list = js_sys::Array::new();
    for o in origins {
        list.push(&JsValue::from_str(o));
    }
    let p = js_sys::Object::new();
    set(&p, "origins", list)?;
    Ok(p.into())
}

/// Whether the extension may fetch from these origins (host permission granted).
pub async fn has_origins(origins: &[String]) -> ExtResult<bool> {
    let p = origins_object(origins)?;
    Ok(wait(permissions_contains(&p)).await?.is_truthy())
}

/// Asks the operator for the optional host permission. Starts the request at once, so
/// it must be called straight from a click handler (the browser asks for a gesture).
pub fn request_origins(origins: &[String]) -> Result<js_sys::Promise, JsValue> {
    let p = origins_object(origins).map_err(|e| JsValue::from_str(&e.0))?;
    permissions_request(&p)
}

/// GETs `url` with no cookies, no referrer and no cache, within `timeout_ms`; returns
/// the HTTP status and the body's first `max_chars` characters.
pub async fn fetch_text(url: &str, timeout_ms: f64, max_chars: usize) -> ExtResult<(u16, String)> {
    let init = js_sys::Object::new();
    set(&init, "method", "GET")?;
    set(&init, "credentials", "omit")?;
    set(&init, "referrerPolicy", "no-referrer")?;
    set(&init, "cache", "no-store")?;
    if let Ok(signal) = abort_signal_timeout(timeout_ms) {
        set(&init, "signal", signal)?;
    }
    let response = wait(global_fetch(url, &init)).await?;
    let status = js_sys::Reflect::get(&response, &"status".into())?
        .as_f64()
        .unwrap_or(0.0) as u16;
    let text_fn: js_sys::Function = js_sys::Reflect::get(&response, &"text".into())?
        .dyn_into()
        .map_err(|_| ExtError("a response without text()".into()))?;
    let promise: js_sys::Promise = text_fn
        .call0(&response)?
        .dyn_into()
        .map_err(|_| ExtError("text() did not return a promise".into()))?;
    let body = JsFuture::from(promise)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok((status, body.chars().take(max_chars).collect()))
}

/// Opens a URL in a new tab (a `mailto:` link hands over to the mail program).
pub async fn open_url(url: &str) -> ExtResult<()> {
    let props = js_sys::Object::new();
    set(&props, "url", url)?;
    wait(tabs_create(&props)).await.map(|_| ())
}

pub async fn clear_notification(id: &str) -> ExtResult<()> {
    wait(notifications_clear(id)).await.map(|_| ())
}
