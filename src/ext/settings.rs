//! Settings in browser storage: `chrome.storage.sync` (one item per top-level section,
//! since sync limits each item to 8 KB), `chrome.storage.local` when sync is not
//! available or full, and `chrome.storage.managed` (a consortium's policy) on top.
//! Reading goes through `core::storage`, which never loses what it cannot read.

use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use super::{from_js, to_js, ExtError, ExtResult, LOCAL, MANAGED, SYNC};
use crate::core::catalog::Said;
use crate::core::settings::{BrowserLanguage, Settings};
use crate::core::storage::{
    load_settings, load_settings_in, merge_managed_report, merge_managed_report_in, save_settings,
    Words,
};

pub use crate::core::storage::SETTINGS_RAW_KEPT_KEY as RAW_KEPT_KEY;
use crate::core::storage::{SETTINGS_IN_LOCAL_KEY as LOCAL_FLAG, SETTINGS_PREFIX as PREFIX};

/// The settings in force, and what the options page should say about them.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SettingsState {
    pub settings: Settings,
    /// Plain-words problems met while reading (shown as a warning, never silent).
    pub warnings: Vec<String>,
    /// Field paths set by the consortium's policy (shown locked).
    pub locked: Vec<String>,
    /// The stored document could not all be read; it is kept for export.
    pub raw_kept: bool,
    /// Settings are kept in local storage (sync unavailable or full).
    pub local_only: bool,
    /// The user's own settings, before the policy: what saving keeps for locked fields.
    pub user: Settings,
}

fn sections(all: &JsValue) -> ExtResult<Map<String, Value>> {
    let all: Map<String, Value> = match from_js::<Value>(all.clone())? {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    Ok(all
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(PREFIX).map(|s| (s.to_string(), v)))
        .collect())
}

/// Reads, migrates, repairs and merges the settings. Never fails: unreadable storage
/// gives the defaults with a warning.
pub async fn load() -> SettingsState {
    let mut warnings = Vec::new();
    let local = LOCAL.get_items(&JsValue::NULL).await;
    let local_only = local
        .as_ref()
        .ok()
        .and_then(|l| js_sys::Reflect::get(l, &LOCAL_FLAG.into()).ok())
        .is_some_and(|v| v.is_truthy());
    let stored = if local_only {
        local.and_then(|l| sections(&l))
    } else {
        match SYNC.get_items(&JsValue::NULL).await {
            Ok(all) => sections(&all),
            Err(e) => Err(e),
        }
    };
    let doc = match stored {
        Ok(map) if map.is_empty() => Value::Null,
        Ok(map) => Value::Object(map),
        Err(e) => {
            // The language chosen is in what could not be read: said in the browser's.
            let fault = Said::new("faultStoredSettingsNotRead", &[("why", &e.0)]);
            let language = super::catalog::browser_language();
            let _ = super::catalog::use_language(language).await;
            warnings.push(super::say(&fault));
            Value::Null
        }
    };
    let loaded = load_settings(&doc);
    let raw_kept = loaded.raw_kept.is_some();
    if let Some(raw) = &loaded.raw_kept {
        if let Ok(v) = to_js(raw) {
            let obj = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&obj, &RAW_KEPT_KEY.into(), &v);
            let _ = LOCAL.set_items(&obj).await;
        }
    }
    // Firefox and unmanaged Chrome may have no managed storage: that is "no policy".
    let managed = match MANAGED.get_items(&JsValue::NULL).await {
        Ok(v) => from_js::<Value>(v).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    let mut merged = merge_managed_report(&loaded.settings, &managed);
    // Never stored: what "follow the browser" means is read here.
    let browser = BrowserLanguage(super::catalog::browser_language());
    let mut loaded_notes = loaded.warnings;
    if !loaded_notes.is_empty() || !merged.warnings.is_empty() {
        // Repair notes name problems with catalog messages: read again (rare: only when
        // something could not be used) with the catalog of the language they will be
        // read in.
        let mut in_force = merged.settings.clone();
        in_force.browser_language = browser;
        if super::catalog::use_language(in_force.language())
            .await
            .is_ok()
        {
            let catalog = super::catalog::current();
            let words = Words(Some(&catalog));
            loaded_notes = load_settings_in(&doc, words).warnings;
            merged = merge_managed_report_in(&loaded.settings, &managed, words);
        }
    }
    warnings.extend(loaded_notes);
    warnings.extend(merged.warnings);
    let mut settings = merged.settings;
    let mut user = loaded.settings;
    (settings.browser_language, user.browser_language) = (browser, browser);
    SettingsState {
        settings,
        warnings,
        locked: merged.locked,
        raw_kept,
        local_only,
        user,
    }
}

/// Saves the settings, one item per section; falls back to local storage when sync
/// refuses (quota, or not available).
pub async fn save(settings: &Settings) -> ExtResult<()> {
    let doc = save_settings(settings);
    let Value::Object(map) = doc else {
        return Err(ExtError("settings did not serialise to an object".into()));
    };
    let items = js_sys::Object::new();
    for (k, v) in &map {
        js_sys::Reflect::set(&items, &format!("{PREFIX}{k}").into(), &to_js(v)?)?;
    }
    match SYNC.set_items(&items).await {
        Ok(_) => {
            let flag = js_sys::Object::new();
            js_sys::Reflect::set(&flag, &LOCAL_FLAG.into(), &false.into())?;
            LOCAL.set_items(&flag).await?;
            Ok(())
        }
        Err(_) => {
            js_sys::Reflect::set(&items, &LOCAL_FLAG.into(), &true.into())?;
            LOCAL.set_items(&items).await
        }
    }
}
