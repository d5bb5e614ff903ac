//! The catalog in force (`core::catalog`): read as data from the extension's own
//! `_locales/<lang>/messages.json`, in the language the settings choose — not
//! `chrome.i18n.getMessage`, which follows the browser whatever the setting says.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{wait, ExtError, ExtResult};
use crate::core::catalog::Catalog;
use crate::core::settings::Language;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (a window's or a worker's).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_url(url: &str) -> Result<js_sys::Promise, JsValue>;

    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn ok(this: &FetchResponse) -> bool;
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchResponse) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getUILanguage, catch)]
    fn ui_language() -> Result<String, JsValue>;
}

thread_local! {
    static CURRENT: RefCell<Rc<Catalog>> = RefCell::new(Rc::new(Catalog::default()));
}

/// The browser's interface language, as the extension can speak it.
pub fn browser_language() -> Language {
    Language::from_tag(&ui_language().unwrap_or_default())
}

/// Makes `language` the catalog in force (read once; again only when it changes).
pub async fn use_language(language: Language) -> ExtResult<()> {
    let current = CURRENT.with(|c| c.borrow().clone());
    if current.language() == language && !current.is_empty() {
        return Ok(());
    }
    let url = super::runtime_get_url(&format!("_locales/{}/messages.json", language.code()));
    let response: FetchResponse = wait(fetch_url(&url)).await?.unchecked_into();
    if !response.ok() {
        return Err(ExtError(format!("the catalog {url} could not be read")));
    }
    let json = wait(response.text()).await?.as_string().unwrap_or_default();
    let catalog = Catalog::parse(language, &json).map_err(ExtError)?;
    CURRENT.with(|c| *c.borrow_mut() = Rc::new(catalog));
    Ok(())
}

/// Makes `catalog` the one in force (the page's module gets it from the worker).
pub fn set(catalog: Catalog) {
    CURRENT.with(|c| *c.borrow_mut() = Rc::new(catalog));
}

/// The catalog in force.
pub fn current() -> Rc<Catalog> {
    CURRENT.with(|c| c.borrow().clone())
}
