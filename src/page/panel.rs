//! Blocks the leaving features add to the web client: notices with lists and email
//! links in one fixed dock, and the mailto links themselves. Like `notices`, every element
//! carries `data-lh3-ui`, text goes in with `set_text_content` only, and a block is
//! rebuilt only when what it shows changed.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::notices::{notice_selector, NOTICE_ATTR, UI_ATTR};
use crate::core::leaving::MailDraft;
use crate::core::messages::NoticeLevel;
use crate::ui::{el, El};

/// What a block shows, kept on it so an unchanged block is never rebuilt.
const SIGNATURE_ATTR: &str = "data-lh3-signature";
/// `data-lh3-mail="missed_shift.staying"` on a mailto link (tests read it).
pub const MAIL_ATTR: &str = "data-lh3-mail";

/// A new element marked as the extension's (`data-lh3-ui=part`).
pub fn part(doc: &Document, tag: &str, part: &str) -> El {
    el(doc, tag).attr(UI_ATTR, part)
}

/// The dock for leaving notices: at the top of `home` (the contacts list, where the
/// operator looks to see who is logged in), or floating in a corner when the page has
/// no such place. Created on first use, moved back if the page re-rendered around it.
fn dock(doc: &Document, home: Option<&Element>) -> Option<Element> {
    let selector = format!("[{UI_ATTR}=\"dock\"]");
    let d = match doc.query_selector(&selector).ok().flatten() {
        Some(d) => d,
        None => part(doc, "div", "dock").attr("aria-live", "polite").into(),
    };
    match home {
        Some(home) => {
            let placed = home
                .first_element_child()
                .is_some_and(|c| c.is_same_node(Some(d.unchecked_ref())));
            if !placed {
                home.prepend_with_node_1(&d).ok()?;
            }
            if d.has_attribute("data-floating") {
                let _ = d.remove_attribute("data-floating");
            }
        }
        None => {
            let body = doc.body()?;
            let in_body = d
                .parent_element()
                .is_some_and(|p| p.is_same_node(Some(body.unchecked_ref())));
            if !in_body {
                body.append_child(&d).ok()?;
            }
            if !d.has_attribute("data-floating") {
                let _ = d.set_attribute("data-floating", "");
            }
        }
    }
    Some(d)
}

/// Shows block `id` in the dock (see `dock` for `home`): a notice whose first line is
/// `text`, followed by what `build` makes. Rebuilt only when `signature` changed.
pub fn show_block(
    doc: &Document,
    home: Option<&Element>,
    id: &str,
    level: NoticeLevel,
    text: &str,
    signature: &str,
    build: impl FnOnce(&Document) -> Vec<Element>,
) -> Option<Element> {
    let dock = dock(doc, home)?;
    let selector = notice_selector(id);
    let existing = dock.query_selector(&selector).ok().flatten();
    let wanted = format!("{}|{text}|{signature}", level.name());
    if let Some(block) = &existing {
        if block.get_attribute(SIGNATURE_ATTR).as_deref() == Some(wanted.as_str()) {
            return existing;
        }
    }
    let role = if level == NoticeLevel::Info {
        "status"
    } else {
        "alert"
    };
    let block: Element = part(doc, "div", "notice")
        .attr(NOTICE_ATTR, id)
        .attr("role", role)
        .attr("data-level", level.name())
        .attr(SIGNATURE_ATTR, &wanted)
        .child(part(doc, "p", "text").text(text))
        .children(build(doc))
        .into();
    match existing {
        Some(old) => {
            let _ = old.replace_with_with_node_1(&block);
        }
        None => {
            let _ = dock.append_child(&block);
        }
    }
    Some(block)
}

/// Removes block `id` (and the dock when it is empty).
pub fn hide_block(doc: &Document, id: &str) {
    let Some(dock) = doc
        .query_selector(&format!("[{UI_ATTR}=\"dock\"]"))
        .ok()
        .flatten()
    else {
        return;
    };
    let selector = notice_selector(id);
    if let Ok(Some(b)) = dock.query_selector(&selector) {
        b.remove();
    }
    if dock.child_element_count() == 0 {
        dock.remove();
    }
}

/// A list of plain lines.
pub fn list(doc: &Document, items: &[String]) -> Element {
    part(doc, "ul", "list")
        .children(
            items
                .iter()
                .map(|t| Element::from(part(doc, "li", "item").text(t))),
        )
        .into()
}

/// An email link (`mailto:`) that opens the operator's mail program with the draft;
/// nothing is sent until they press Send there.
pub fn mail_link(doc: &Document, draft: &MailDraft, label: &str, which: &str) -> Element {
    part(doc, "a", "mailto")
        .attr("href", &draft.mailto)
        .attr(MAIL_ATTR, which)
        .text(label)
        .into()
}

/// A button for action `id` (a feature answers its click: `Feature::on_event`).
pub fn action_button(doc: &Document, label: &str, id: &str, kind: &str) -> Element {
    part(doc, "button", "action")
        .attr("type", "button")
        .attr(super::notices::ACTION_ATTR, id)
        .attr("data-kind", kind)
        .text(label)
        .into()
}
