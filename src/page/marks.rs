//! The attributes the extension writes on the page. `data-lh3-*` attributes are a
//! public contract (other tools and the tests read them); the look comes from
//! `extension/content.css`, which keys on the same attributes.

use std::collections::HashMap;

use web_sys::{Document, Element};

use super::elements;
use crate::core::snapshot::ChatPane;

/// `data-lh3-chat-state="new|ongoing|completed"` on a Chat History row.
pub const CHAT_STATE: &str = "data-lh3-chat-state";
/// Set instead of `CHAT_STATE` on a row whose cells could not be read (never guessed).
pub const UNREADABLE: &str = "data-lh3-unreadable";

/// `data-lh3-pane="p1"`: the key the extension gave a chat pane.
pub const PANE_KEY: &str = "data-lh3-pane";

/// The chat panes on the page, by their key (`PANE_KEY`).
pub struct Panes(HashMap<String, Element>);

impl Panes {
    pub fn on(doc: &Document) -> Self {
        let mut by_key = HashMap::new();
        for el in doc
            .query_selector_all(&format!("[{PANE_KEY}]"))
            .into_iter()
            .flat_map(elements)
        {
            if let Some(k) = el.get_attribute(PANE_KEY) {
                by_key.insert(k, el);
            }
        }
        Panes(by_key)
    }

    pub fn get(&self, key: &str) -> Option<&Element> {
        self.0.get(key)
    }

    /// The snapshot's chats with their pane, in the snapshot's order; a chat whose pane
    /// is gone from the page since it was read is left out.
    pub fn of<'a>(
        &'a self,
        chats: &'a [ChatPane],
    ) -> impl Iterator<Item = (&'a ChatPane, &'a Element)> {
        chats
            .iter()
            .filter_map(|chat| self.get(&chat.key).map(|pane| (chat, pane)))
    }
}

/// Sets or clears an attribute, touching the DOM only when the value changes.
pub fn set_attr(el: &Element, name: &str, value: Option<&str>) {
    let current = el.get_attribute(name);
    match (current.as_deref(), value) {
        (Some(a), Some(b)) if a == b => {}
        (None, None) => {}
        (_, Some(v)) => {
            let _ = el.set_attribute(name, v);
        }
        (Some(_), None) => {
            let _ = el.remove_attribute(name);
        }
    }
}
