//! The extension's own pages (popup, options), built in Rust with a tiny element
//! builder. All text goes in with `set_text_content`.

pub mod checklist;
pub mod options;
pub mod popup;
pub mod setup;

use wasm_bindgen::{JsCast, JsValue};

use crate::core::settings::Language;
use crate::ext;
use web_sys::{Document, Element};

/// Speaks `language` from now on: its catalog in force (`ext::t`) and the page marked
/// with it (`<html lang>`, for screen readers and hyphenation). A catalog that cannot be
/// read leaves the one in force, and says so in the console.
/// The language choices as a select lists them: (stored code, label), the browser's
/// named in it ("Follow the browser (Français)").
pub fn language_choices(browser: Language) -> Vec<(String, String)> {
    use crate::core::settings::LanguageChoice;
    LanguageChoice::ALL
        .iter()
        .map(|&c| {
            let label = match c {
                LanguageChoice::Browser => {
                    ext::fill("optionsLanguageBrowser", &[("language", browser.endonym())])
                }
                LanguageChoice::En => Language::En.endonym().to_string(),
                LanguageChoice::Fr => Language::Fr.endonym().to_string(),
            };
            (c.code().to_string(), label)
        })
        .collect()
}

pub async fn speak(language: Language) {
    if let Err(e) = ext::catalog::use_language(language).await {
        web_sys::console::error_1(&JsValue::from_str(&e.0));
    }
    if let Some(html) = document().ok().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", language.code());
    }
}

/// What a page says when it cannot start: in the catalog's words (the browser's when
/// none could be read), with the reason.
pub fn start_failed(root: &Element, error: &JsValue) {
    let reason = error.as_string().unwrap_or_else(|| format!("{error:?}"));
    root.set_text_content(Some(&format!("{} {reason}", ext::t("startFailed"))));
}

/// Listens to `event` on `target` for the page's life.
pub fn listen(
    target: &web_sys::EventTarget,
    event: &str,
    f: fn(web_sys::Event),
) -> Result<(), JsValue> {
    let closure = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(f);
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

/// A weekday's name, Monday = 0, in the catalog's language.
pub fn weekday(i: usize) -> String {
    const KEYS: [&str; 7] = [
        "optionsMonday",
        "optionsTuesday",
        "optionsWednesday",
        "optionsThursday",
        "optionsFriday",
        "optionsSaturday",
        "optionsSunday",
    ];
    ext::t(KEYS[i.min(6)])
}

/// Awaits a page's start; when it fails, the page says why (`start_failed`).
pub async fn start_or_say(
    root: &Element,
    start: impl std::future::Future<Output = Result<(), JsValue>>,
) -> Result<(), JsValue> {
    let started = start.await;
    if let Err(e) = &started {
        start_failed(root, e);
    }
    started
}

pub fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// A small element builder: `el(&doc, "li").attr("data-x", "1").text("hi").into()`.
pub struct El(pub Element);

pub fn el(doc: &Document, tag: &str) -> El {
    El(doc.create_element(tag).expect("valid tag name"))
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }
    pub fn class(self, name: &str) -> Self {
        let _ = self.0.class_list().add_1(name);
        self
    }
    pub fn text(self, text: &str) -> Self {
        self.0.set_text_content(Some(text));
        self
    }
    pub fn child(self, child: impl Into<Element>) -> Self {
        let _ = self.0.append_child(&child.into());
        self
    }
    pub fn children(self, children: impl IntoIterator<Item = Element>) -> Self {
        for c in children {
            let _ = self.0.append_child(&c);
        }
        self
    }
}

/// The elements under `root` that match `selector`, in document order (none when the
/// selector is invalid).
pub fn elements(root: &Element, selector: &str) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(nodes) = root.query_selector_all(selector) {
        for i in 0..nodes.length() {
            if let Some(e) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(e);
            }
        }
    }
    out
}

impl From<El> for Element {
    fn from(e: El) -> Element {
        e.0
    }
}
