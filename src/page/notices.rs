//! What the extension adds to the web client: notices next to the control they concern,
//! with action buttons. Every element carries `data-lh3-ui` (the observer ignores
//! changes inside them, so showing a notice never wakes the page loop), text goes in
//! with `set_text_content` only, and updates touch the DOM only when something changed.

use crate::core::messages::NoticeLevel;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// Marks an element the extension added.
pub const UI_ATTR: &str = "data-lh3-ui";
/// The notice id on a notice element (`data-lh3-notice="login.timer_never"`).
pub const NOTICE_ATTR: &str = "data-lh3-notice";
/// The action id on a button inside a notice.
pub const ACTION_ATTR: &str = "data-lh3-action";

/// Where a notice goes relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Before,
    After,
    /// First child of the anchor.
    Prepend,
    /// Last child of the anchor.
    Append,
}

/// A button in a notice: its label and the action id it fires.
pub struct Action<'a> {
    pub label: &'a str,
    pub id: &'a str,
}

/// Shows (or updates in place) the notice `id` next to `anchor`. Returns the element.
pub fn show_notice(
    doc: &Document,
    anchor: &Element,
    place: Place,
    id: &str,
    level: NoticeLevel,
    text: &str,
    actions: &[Action],
) -> Option<Element> {
    let selector = notice_selector(id);
    let existing = doc.query_selector(&selector).ok().flatten();
    let notice = match existing {
        Some(n) => n,
        None => {
            let n = doc.create_element("div").ok()?;
            n.set_attribute(UI_ATTR, "notice").ok()?;
            n.set_attribute(NOTICE_ATTR, id).ok()?;
            let msg = doc.create_element("p").ok()?;
            msg.set_attribute(UI_ATTR, "text").ok()?;
            n.append_child(&msg).ok()?;
            n
        }
    };
    let role = if level == NoticeLevel::Info {
        "status"
    } else {
        "alert"
    };
    if notice.get_attribute("role").as_deref() != Some(role) {
        let _ = notice.set_attribute("role", role);
    }
    if notice.get_attribute("data-level").as_deref() != Some(level.name()) {
        let _ = notice.set_attribute("data-level", level.name());
    }
    if let Some(msg) = notice.first_element_child() {
        if msg.text_content().as_deref() != Some(text) {
            msg.set_text_content(Some(text));
        }
    }
    // Buttons: rebuilt only when the set of actions changed.
    let wanted: Vec<String> = actions
        .iter()
        .map(|a| format!("{}={}", a.id, a.label))
        .collect();
    let have = notice.get_attribute("data-lh3-actions").unwrap_or_default();
    if have != wanted.join("|") {
        while notice.child_element_count() > 1 {
            if let Some(last) = notice.last_element_child() {
                last.remove();
            }
        }
        for a in actions {
            if let Ok(b) = doc.create_element("button") {
                let _ = b.set_attribute("type", "button");
                let _ = b.set_attribute(UI_ATTR, "action");
                let _ = b.set_attribute(ACTION_ATTR, a.id);
                b.set_text_content(Some(a.label));
                let _ = notice.append_child(&b);
            }
        }
        let _ = notice.set_attribute("data-lh3-actions", &wanted.join("|"));
    }
    // Keep it where it belongs (the anchor may have been re-rendered).
    let there = match place {
        Place::Before => anchor.previous_element_sibling(),
        Place::After => anchor.next_element_sibling(),
        Place::Prepend => anchor.first_element_child(),
        Place::Append => anchor.last_element_child(),
    };
    if !there.is_some_and(|s| s.is_same_node(Some(&notice))) {
        let _ = match place {
            Place::Before => anchor.before_with_node_1(&notice),
            Place::After => anchor.after_with_node_1(&notice),
            Place::Prepend => anchor.prepend_with_node_1(&notice),
            Place::Append => anchor.append_with_node_1(&notice),
        };
    }
    Some(notice)
}

/// The selector of the notice `id`.
pub fn notice_selector(id: &str) -> String {
    format!("[{NOTICE_ATTR}=\"{}\"]", id.replace('"', ""))
}

/// Removes the notice `id` if it is shown.
pub fn hide_notice(doc: &Document, id: &str) {
    let selector = notice_selector(id);
    if let Ok(Some(n)) = doc.query_selector(&selector) {
        n.remove();
    }
}

/// Whether a node is part of what the extension added.
pub fn is_own(node: &web_sys::Node) -> bool {
    let el = match node.dyn_ref::<Element>() {
        Some(e) => Some(e.clone()),
        None => node.parent_element(),
    };
    el.and_then(|e| e.closest(&format!("[{UI_ATTR}]")).ok().flatten())
        .is_some()
}
