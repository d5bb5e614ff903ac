//! The presets shipped in the extension (`presets/<id>.json`), read at run time by the
//! pages that show or choose a procedure: the procedure's text is data, never compiled
//! into a wasm module.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{runtime_get_url, ExtError, ExtResult};
use crate::core::checklist::Step;
use crate::core::procedure::{parse_preset, preset_path, Preset, PRESETS};
use crate::core::settings::Settings;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (window or worker).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_url(url: &str) -> Result<js_sys::Promise, JsValue>;
}

async fn text_of(url: &str) -> ExtResult<String> {
    let response = wasm_bindgen_futures::JsFuture::from(fetch_url(url)?).await?;
    let text: js_sys::Function = js_sys::Reflect::get(&response, &"text".into())?.dyn_into()?;
    let promise: js_sys::Promise = text.call0(&response)?.dyn_into()?;
    let body = wasm_bindgen_futures::JsFuture::from(promise).await?;
    body.as_string()
        .ok_or_else(|| ExtError(format!("{url}: not text")))
}

/// One shipped preset.
pub async fn load(id: &str) -> ExtResult<Preset> {
    if !PRESETS.contains(&id) {
        return Err(ExtError(format!(
            "no preset '{id}' ships with the extension"
        )));
    }
    let text = text_of(&runtime_get_url(&preset_path(id))).await?;
    parse_preset(&text).map_err(|e| ExtError(format!("the preset '{id}' could not be read: {e}")))
}

/// Every shipped preset, in `PRESETS` order (those that could not be read are left out
/// and their errors returned).
pub async fn load_all() -> (Vec<Preset>, Vec<String>) {
    let mut presets = Vec::new();
    let mut errors = Vec::new();
    for id in PRESETS {
        match load(id).await {
            Ok(p) => presets.push(p),
            Err(e) => errors.push(e.0),
        }
    }
    (presets, errors)
}

/// The procedure's steps in force: the consortium's own, else the chosen preset's.
pub async fn steps_in_force(settings: &Settings) -> ExtResult<Vec<Step>> {
    let procedure = &settings.procedure;
    if procedure.is_custom() {
        return Ok(procedure.steps.clone());
    }
    let preset = load(&procedure.preset).await?;
    Ok(procedure.steps_with(Some(&preset)).to_vec())
}
