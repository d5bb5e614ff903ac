//! What the service-on watchdog needs from the browser besides its alarm and
//! notification (`ext::alarms`): the optional host permission for the public presence
//! endpoint and a `fetch` that sends nothing but the URL.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{object, wait, ExtError, ExtResult};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = contains, catch)]
    fn permissions_contains(p: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = request, catch)]
    fn permissions_request(p: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_signal_timeout(ms: f64) -> Result<JsValue, JsValue>;
}

fn origins_object(origins: &[String]) -> ExtResult<js_sys::Object> {
    let list = js_sys::Array::new();
    for o in origins {
        list.push(&JsValue::from_str(o));
    }
    object(&[("origins", list.into())])
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
    let init = object(&[
        ("method", "GET".into()),
        ("credentials", "omit".into()),
        ("referrerPolicy", "no-referrer".into()),
        ("cache", "no-store".into()),
    ])?;
    if let Ok(signal) = abort_signal_timeout(timeout_ms) {
        js_sys::Reflect::set(&init, &"signal".into(), &signal)?;
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
