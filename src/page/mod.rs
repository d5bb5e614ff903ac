//! The page adapter (wasm only): finds parts of the web client through the locator
//! table, reads them into plain data for the core, and applies marks. Page text is
//! only ever read with `textContent` and written with `set_text_content` — never as HTML.

pub mod controls;
pub mod effects;
pub mod events;
pub mod find;
pub mod grid;
pub mod guard;
pub mod locate;
pub mod marks;
pub mod notices;
pub mod observer;
pub mod panel;
pub mod picker;
pub mod read;
pub mod skeleton;
pub mod title;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The text a person sees in an element (`textContent`, which never runs anything).
pub fn text_of(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// The element's ARIA role: explicit, or implied by its tag.
pub fn role_of(el: &Element) -> String {
    if let Some(role) = el.get_attribute("role") {
        return role.trim().to_ascii_lowercase();
    }
    let tag = el.tag_name().to_ascii_lowercase();
    let implied = match tag.as_str() {
        "button" => "button",
        "a" if el.has_attribute("href") => "link",
        "nav" => "navigation",
        "dialog" => "dialog",
        "table" => "table",
        "textarea" => "textbox",
        "select" => "combobox",
        "option" => "option",
        "ul" | "ol" => "list",
        "li" => "listitem",
        "fieldset" => "group",
        "section" if el.has_attribute("aria-label") || el.has_attribute("aria-labelledby") => {
            "region"
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "input" => match el
            .get_attribute("type")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "checkbox" => "checkbox",
            "radio" => "radio",
            "button" | "submit" => "button",
            "number" => "spinbutton",
            _ => "textbox",
        },
        _ => "",
    };
    implied.to_string()
}

/// Tags that may carry a role implicitly, so `[role=x]` alone would miss them.
pub fn implicit_tags(role: &str) -> &'static str {
    match role {
        "button" => "button, input[type=button], input[type=submit]",
        "link" => "a[href]",
        "navigation" => "nav",
        "dialog" => "dialog",
        "table" => "table",
        "textbox" => "textarea, input:not([type]), input[type=text]",
        "combobox" => "select",
        "option" => "option",
        "list" => "ul, ol",
        "listitem" => "li",
        "group" => "fieldset",
        "region" => "section[aria-label], section[aria-labelledby]",
        "heading" => "h1, h2, h3, h4, h5, h6",
        "checkbox" => "input[type=checkbox]",
        "radio" => "input[type=radio]",
        _ => "",
    }
}

/// The accessible name, simplified: `aria-label`, then `aria-labelledby`, then the
/// labels of a form control, then `title`, then the visible text.
pub fn accessible_name(el: &Element) -> String {
    if let Some(label) = el.get_attribute("aria-label") {
        if !label.trim().is_empty() {
            return label;
        }
    }
    if let Some(ids) = el.get_attribute("aria-labelledby") {
        let doc = el.owner_document();
        let joined: Vec<String> = ids
            .split_whitespace()
            .filter_map(|id| doc.as_ref()?.get_element_by_id(id))
            .map(|e| text_of(&e))
            .collect();
        if !joined.is_empty() {
            return joined.join(" ");
        }
    }
    if let Some(labels) = control_labels(el) {
        if !labels.is_empty() {
            return labels;
        }
    }
    if let Some(title) = el.get_attribute("title") {
        if !title.trim().is_empty() {
            return title;
        }
    }
    text_of(el)
}

/// The text of the `<label>`s of a form control, if it is one.
fn control_labels(el: &Element) -> Option<String> {
    let labels = if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.labels()?
    } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.labels()
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.labels()
    } else {
        return None;
    };
    let texts: Vec<String> = elements(labels).map(|e| text_of(&e)).collect();
    Some(texts.join(" "))
}

/// The elements of a node list (`querySelectorAll`, `labels`), in order; whatever else
/// it holds is skipped.
pub fn elements(list: web_sys::NodeList) -> impl Iterator<Item = Element> {
    (0..list.length())
        .filter_map(move |i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
}

/// The elements under `scope` that `selector` matches, in document order; none for an
/// empty or invalid selector.
pub fn query_all(scope: &Element, selector: &str) -> Vec<Element> {
    if selector.is_empty() {
        return Vec::new();
    }
    scope
        .query_selector_all(selector)
        .into_iter()
        .flat_map(elements)
        .collect()
}

/// The locator interpreter for the table in force: the defaults with the configured
/// overrides (unknown override ids are reported by the options page, not here).
pub fn locate_in_force(settings: &crate::core::settings::Settings) -> locate::Locate {
    let (table, _unknown) = crate::core::locators::with_overrides(&settings.locator_overrides);
    locate::Locate::new(table)
}

/// An element as an `HtmlElement`, when it is one.
pub fn as_html(el: &Element) -> Option<HtmlElement> {
    el.clone().dyn_into::<HtmlElement>().ok()
}
