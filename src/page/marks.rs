//! The attributes the extension writes on the page. `data-lh3-*` attributes are a
//! public contract (other tools and the tests read them); the look comes from
//! `extension/content.css`, which keys on the same attributes.

use web_sys::Element;

/// `data-lh3-chat-state="new|ongoing|completed"` on a Chat History row.
pub const CHAT_STATE: &str = "data-lh3-chat-state";
/// Set instead of `CHAT_STATE` on a row whose cells could not be read (never guessed).
pub const UNREADABLE: &str = "data-lh3-unreadable";

/// `data-lh3-pane="p1"`: the key the extension gave a chat pane.
pub const PANE_KEY: &str = "data-lh3-pane";

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
