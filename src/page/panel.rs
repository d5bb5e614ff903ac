//! What the leaving features show beside the notices: the dock their blocks gather in,
//! lists, and the mailto links themselves (built as data, shown by `notices::Stage`).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::notices::{part, Node, UI_ATTR};
use crate::core::leaving::MailDraft;

/// `data-lh3-mail="missed_shift.staying"` on a mailto link (tests read it).
pub const MAIL_ATTR: &str = "data-lh3-mail";

/// The dock for leaving notices: at the top of `home` (the contacts list, where the
/// operator looks to see who is logged in), or floating in a corner when the page has
/// no such place. `kept` is the dock made earlier; a new one is made when there is
/// none, and it is moved back if the page re-rendered around it.
pub fn dock(doc: &Document, kept: Option<&Element>, home: Option<&Element>) -> Option<Element> {
    let d = match kept {
        Some(d) => d.clone(),
        None => {
            let d = doc.create_element("div").ok()?;
            d.set_attribute(UI_ATTR, "dock").ok()?;
            d.set_attribute("aria-live", "polite").ok()?;
            d
        }
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

/// An email link (`mailto:`) that opens the operator's mail program with the draft;
/// nothing is sent until they press Send there.
pub fn mail_link(draft: &MailDraft, label: &str, which: &str) -> Node {
    part("a", "mailto")
        .attr("href", &draft.mailto)
        .attr(MAIL_ATTR, which)
        .text(label)
}
