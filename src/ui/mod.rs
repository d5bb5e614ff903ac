//! The extension's own pages (popup, options), built in Rust with a tiny element
//! builder. All text goes in with `set_text_content`.

pub mod checklist;
pub mod options;
pub mod popup;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

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
