//! Typed bindings for the few browser-extension APIs the extension uses. Every call
//! goes through here so the rest of the Rust code never touches `chrome.*` directly.
//! (Firefox provides the same promise-returning `chrome` namespace in Manifest V3.)

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

pub mod alarms;
pub mod catalog;
pub mod clock;
pub mod presence;
pub mod presets;
pub mod settings;
pub mod shift_log;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    fn runtime_send_message(message: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    pub fn runtime_get_url(path: &str) -> String;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getManifest, catch)]
    fn runtime_get_manifest() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeText, catch)]
    fn action_set_badge_text(details: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "action"], js_name = setBadgeBackgroundColor, catch)]
    fn action_set_badge_background_color(details: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    fn tabs_query(query: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    fn tabs_send_message_raw(tab_id: i32, message: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "notifications"], js_name = create, catch)]
    fn notifications_create(id: &str, options: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

/// An error from the browser API, as text the popup can show.
#[derive(Debug)]
pub struct ExtError(pub String);

impl std::fmt::Display for ExtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<JsValue> for ExtError {
    fn from(v: JsValue) -> Self {
        ExtError(
            v.as_string()
                .or_else(|| {
                    js_sys::Reflect::get(&v, &"message".into())
                        .ok()
                        .and_then(|m| m.as_string())
                })
                .unwrap_or_else(|| format!("{v:?}")),
        )
    }
}

impl From<serde_wasm_bindgen::Error> for ExtError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        ExtError(e.to_string())
    }
}

pub type ExtResult<T> = Result<T, ExtError>;

/// Serialises to a plain JS object (maps as objects, not `Map`s).
pub fn to_js<T: Serialize>(value: &T) -> ExtResult<JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    Ok(value.serialize(&ser)?)
}

pub fn from_js<T: DeserializeOwned>(value: JsValue) -> ExtResult<T> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// The outcome of a promise-returning `chrome.*` call.
pub(crate) async fn wait(p: Result<js_sys::Promise, JsValue>) -> ExtResult<JsValue> {
    Ok(JsFuture::from(p?).await?)
}

/// A plain JS object from `(key, value)` pairs: the options `chrome.*` calls take.
pub(crate) fn object(pairs: &[(&str, JsValue)]) -> ExtResult<js_sys::Object> {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), v)?;
    }
    Ok(o)
}

pub async fn send_message<T: Serialize>(message: &T) -> ExtResult<JsValue> {
    wait(runtime_send_message(&to_js(message)?)).await
}

/// Asks the worker and reads its typed answer (`core::messages::Reply`): what was asked
/// for, or the worker's error; no answer at all is an error too.
pub async fn ask<R: DeserializeOwned>(message: &impl Serialize) -> ExtResult<R> {
    read_reply(send_message(message).await?)
}

/// Asks the content script of one tab (needs no `tabs` permission), as `ask`.
pub async fn ask_tab<R: DeserializeOwned>(tab_id: i32, message: &impl Serialize) -> ExtResult<R> {
    read_reply(wait(tabs_send_message_raw(tab_id, &to_js(message)?)).await?)
}

fn read_reply<R: DeserializeOwned>(answer: JsValue) -> ExtResult<R> {
    if answer.is_undefined() || answer.is_null() {
        return Err(ExtError("no answer".into()));
    }
    let reply: crate::core::messages::Reply<R> =
        from_js(answer).map_err(|e| ExtError(format!("an answer of another shape ({})", e.0)))?;
    reply.into_result().map_err(ExtError)
}

/// A typed reply as the JS value `sendResponse` passes on.
pub fn reply<T: Serialize>(result: ExtResult<T>) -> JsValue {
    let reply: crate::core::messages::Reply<T> = result.map_err(|e| e.0).into();
    to_js(&reply).unwrap_or(JsValue::UNDEFINED)
}

/// The keys a `chrome.storage.onChanged` event names.
pub fn changed_keys(changes: JsValue) -> Vec<String> {
    js_sys::Object::keys(&changes.into())
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
}

/// Who sent a message (`chrome.runtime.MessageSender`): the tab, when it came from one.
pub fn sender_tab(sender: &JsValue) -> Option<i32> {
    let tab = js_sys::Reflect::get(sender, &"tab".into()).ok()?;
    tab_id(&tab)
}

/// The id of a `tabs.Tab` (undefined when there is none).
pub fn tab_id(tab: &JsValue) -> Option<i32> {
    if tab.is_undefined() || tab.is_null() {
        return None;
    }
    js_sys::Reflect::get(tab, &"id".into())
        .ok()?
        .as_f64()
        .map(|id| id as i32)
}

/// Whether a message comes from this extension (its pages, worker or content scripts).
pub fn from_this_extension(sender: &JsValue) -> bool {
    let id_of = |o: &JsValue| {
        js_sys::Reflect::get(o, &"id".into())
            .ok()
            .and_then(|id| id.as_string())
    };
    let runtime = js_sys::Reflect::get(&js_sys::global(), &"chrome".into())
        .and_then(|c| js_sys::Reflect::get(&c, &"runtime".into()));
    match (id_of(sender), runtime.ok().and_then(|r| id_of(&r))) {
        (Some(from), Some(mine)) => from == mine,
        _ => false,
    }
}

#[wasm_bindgen]
extern "C" {
    /// A `chrome.storage.StorageArea`.
    type StorageArea;
    #[wasm_bindgen(method, catch)]
    fn get(this: &StorageArea, keys: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn set(this: &StorageArea, items: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn remove(this: &StorageArea, keys: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

/// A `chrome.storage` area, by its name there.
pub struct Area(&'static str);

/// `chrome.storage.session`: per-browser-session state (page reports per tab).
pub const SESSION: Area = Area("session");
/// `chrome.storage.local`: what must survive a browser restart.
pub const LOCAL: Area = Area("local");
/// `chrome.storage.sync`: the settings, when the browser syncs them.
pub const SYNC: Area = Area("sync");
/// `chrome.storage.managed`: a consortium's policy (read only; absent without one).
pub const MANAGED: Area = Area("managed");

impl Area {
    fn js(&self) -> ExtResult<StorageArea> {
        let area = js_sys::Reflect::get(&js_sys::global(), &"chrome".into())
            .and_then(|c| js_sys::Reflect::get(&c, &"storage".into()))
            .and_then(|s| js_sys::Reflect::get(&s, &self.0.into()))?;
        Ok(area.unchecked_into())
    }

    /// One item (undefined when there is none).
    pub async fn get(&self, key: &str) -> ExtResult<JsValue> {
        let all = self.get_items(&JsValue::from_str(key)).await?;
        Ok(js_sys::Reflect::get(&all, &JsValue::from_str(key))?)
    }

    /// The items `keys` names (a key, a list, or null for all), as one object.
    pub async fn get_items(&self, keys: &JsValue) -> ExtResult<JsValue> {
        wait(self.js()?.get(keys)).await
    }

    /// Writes one item.
    pub async fn set(&self, key: &str, value: &JsValue) -> ExtResult<()> {
        let obj = js_sys::Object::new();
        js_sys::Reflect::set(&obj, &JsValue::from_str(key), value)?;
        self.set_items(&obj).await
    }

    /// Writes every item of `items` (an object of key → value).
    pub async fn set_items(&self, items: &JsValue) -> ExtResult<()> {
        wait(self.js()?.set(items)).await.map(|_| ())
    }

    pub async fn remove(&self, key: &str) -> ExtResult<()> {
        wait(self.js()?.remove(&JsValue::from_str(key)))
            .await
            .map(|_| ())
    }
}

/// The extension's version, as its manifest says.
pub fn manifest_version() -> String {
    runtime_get_manifest()
        .ok()
        .and_then(|m| js_sys::Reflect::get(&m, &"version".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Local-storage key of the current shift's remembered facts.
pub const REMEMBERED_KEY: &str = "remembered";

/// The toolbar badge on every tab (no `tabId`): the operator researching in another
/// tab sees it too.
pub async fn set_badge(text: &str) -> ExtResult<()> {
    let details = object(&[("text", text.into())])?;
    wait(action_set_badge_text(&details)).await?;
    let colour = object(&[("color", "#b3261e".into())])?;
    wait(action_set_badge_background_color(&colour)).await?;
    Ok(())
}

/// A system notification that stays until dismissed (the same id replaces it).
pub async fn notify(id: &str, title: &str, message: &str) -> ExtResult<()> {
    let options = alarms::basic_notification(title, message)?;
    // Chrome keeps it on screen until dismissed; Firefox rejects the option, so retry
    // without it there.
    let sticky = js_sys::Object::assign(&js_sys::Object::new(), &options);
    js_sys::Reflect::set(&sticky, &"requireInteraction".into(), &true.into())?;
    if wait(notifications_create(id, &sticky)).await.is_ok() {
        return Ok(());
    }
    wait(notifications_create(id, &options)).await.map(|_| ())
}

/// The id of the active tab in the current window (the popup's tab).
pub async fn active_tab_id() -> ExtResult<Option<i32>> {
    let query = object(&[("active", true.into()), ("currentWindow", true.into())])?;
    let tabs: js_sys::Array = wait(tabs_query(&query)).await?.into();
    Ok(tab_id(&tabs.get(0)))
}

/// A message of the catalog in force (`catalog::use_language`), or the key itself when
/// missing (so a gap is visible).
pub fn t(key: &str) -> String {
    catalog::current().get(key)
}

/// A message to say (`core::catalog::Said`), in the catalog in force; with none loaded
/// (the worker could not give it), its key and values rather than a bare key.
pub fn say(said: &crate::core::catalog::Said) -> String {
    let catalog = catalog::current();
    if catalog.is_empty() {
        return said.to_string();
    }
    said.text(&catalog)
}

/// A message of the catalog in force with each `{name}` filled in.
pub fn fill(key: &str, args: &[(&str, &str)]) -> String {
    catalog::current().fill(key, args)
}

/// Session-storage key holding the tab id of the web client that reported last.
pub const LATEST_REPORT_KEY: &str = "page_report_latest_tab";

/// The tab of the web client that reported last, if any.
pub async fn latest_report_tab() -> ExtResult<Option<i32>> {
    Ok(SESSION
        .get(LATEST_REPORT_KEY)
        .await?
        .as_f64()
        .map(|id| id as i32))
}

/// Key of a tab's page report in session storage.
pub fn page_report_key(tab_id: i32) -> String {
    format!("page_report:{tab_id}")
}
