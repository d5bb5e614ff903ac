//! Feature `transfer-guard`: while a chat is being transferred, typing into it is
//! stopped — in LibraryH3lp, typing to the patron during a transfer takes the chat back
//! and the colleague cannot answer.
//!
//! Observes: "being transferred" per chat pane (snapshot; "answered by" or a cancelled
//! transfer ends it).
//! Decides: guard a pane while it is being transferred, not ended, and the operator has
//! not chosen to take it back.
//! Shows: a warning above the typing area; keystrokes and edits in that typing area, and
//! its Send button, are stopped in the capture phase (before the page sees them).
//!
//! Turn it off with the feature toggle in the options page.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::canned_suggestions::{panes_by_key, typing_anchor};
use super::{Feature, FeatureId, PageView};
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::LocalText;
use crate::page::marks::set_attr;
use crate::page::notices::{self, Action, Place};
use crate::page::{listen_capture, query_all, target_element};

pub const ID: &str = "transfer-guard";
/// On a guarded pane's typing area (`typing`) and Send button (`send`).
const GUARD_ATTR: &str = "data-lh3-transfer-guard";

thread_local! {
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    /// Panes whose transfer the operator chose to take back (until that transfer ends).
    static TAKEN_BACK: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

#[derive(Default)]
pub struct TransferGuard {
    /// Panes guarded now.
    guarded: HashSet<String>,
}

fn notice_id(key: &str) -> String {
    format!("transfer-guard.{key}")
}

fn warning() -> LocalText {
    LocalText::new(
        "This chat is being transferred — typing now takes it back and your colleague cannot answer.",
        "Cette conversation est en cours de transfert — écrire maintenant la reprend et votre collègue ne peut pas répondre.",
    )
}

fn take_back_label() -> LocalText {
    LocalText::new("Take the chat back", "Reprendre la conversation")
}

/// Keys that change nothing may pass: moving, selecting, copying, leaving the field.
fn harmless(e: &web_sys::KeyboardEvent) -> bool {
    let key = e.key();
    let command = e.ctrl_key() || e.meta_key();
    match key.as_str() {
        "Enter" | "Backspace" | "Delete" | "Process" | "Unidentified" => false,
        k if command => !matches!(k.to_lowercase().as_str(), "v" | "x" | "z" | "y"),
        k => k.chars().count() > 1,
    }
}

/// Capture-phase listeners on the window, so they run before the page's own handlers
/// (and before the extension's send watcher, which must not count a stopped Enter).
fn ensure_listeners() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let _ = listen_capture(
        &window,
        &["keydown", "beforeinput", "paste", "drop", "click"],
        |e: web_sys::Event| {
            let Some(target) = target_element(&e) else {
                return;
            };
            let Ok(Some(guarded)) = target.closest(&format!("[{GUARD_ATTR}]")) else {
                return;
            };
            let what = guarded.get_attribute(GUARD_ATTR).unwrap_or_default();
            let stop = match e.type_().as_str() {
                "keydown" => {
                    what == "typing"
                        && e.dyn_ref::<web_sys::KeyboardEvent>()
                            .is_some_and(|k| !harmless(k))
                }
                "beforeinput" | "paste" | "drop" => what == "typing",
                "click" => what == "send",
                _ => false,
            };
            if stop {
                e.prevent_default();
                e.stop_propagation();
            }
        },
    )
    .map(Closure::forget); // lives as long as the page
}

fn mark_all(elements: &[Element], value: Option<&str>) {
    for el in elements {
        set_attr(el, GUARD_ATTR, value);
    }
}

fn unguard_pane(doc: &Document, pane: Option<&Element>, key: &str) {
    notices::hide_notice(doc, &notice_id(key));
    if let Some(pane) = pane {
        for el in query_all(pane, &format!("[{GUARD_ATTR}]")) {
            set_attr(&el, GUARD_ATTR, None);
        }
    }
}

impl Feature for TransferGuard {
    fn id(&self) -> FeatureId {
        FeatureId::TransferGuard
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let elements = panes_by_key(page.doc);
        let language = page.settings.language;
        let mut now_guarded = HashSet::new();
        for chat in &page.snapshot.chats {
            let Some(pane) = elements.get(&chat.key) else {
                continue;
            };
            if !chat.being_transferred {
                // The transfer is over: the next one is guarded again.
                TAKEN_BACK.with(|t| t.borrow_mut().remove(&chat.key));
            }
            let taken_back = TAKEN_BACK.with(|t| t.borrow().contains(&chat.key));
            if !chat.being_transferred || chat.ended || taken_back {
                continue;
            }
            let Some(input) = page.locate.first_in(pane, ids::CHAT_INPUT) else {
                continue;
            };
            ensure_listeners();
            now_guarded.insert(chat.key.clone());
            mark_all(std::slice::from_ref(&input), Some("typing"));
            mark_all(&page.locate.all_in(pane, ids::CHAT_SEND), Some("send"));
            let action = format!("transfer-guard.take-back.{}", chat.key);
            if !self.guarded.contains(&chat.key) {
                let key = chat.key.clone();
                notices::on_action(&action, move || {
                    TAKEN_BACK.with(|t| t.borrow_mut().insert(key.clone()));
                    crate::content::request_flush();
                });
            }
            let label = take_back_label();
            notices::show_notice(
                page.doc,
                &typing_anchor(pane, &input),
                Place::Before,
                &notice_id(&chat.key),
                NoticeLevel::Warning,
                warning().get(language),
                &[Action {
                    label: label.get(language),
                    id: &action,
                }],
            );
        }
        for key in self.guarded.difference(&now_guarded) {
            unguard_pane(page.doc, elements.get(key), key);
        }
        self.guarded = now_guarded;
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        if self.guarded.is_empty() {
            return;
        }
        let elements = panes_by_key(doc);
        for key in self.guarded.drain() {
            unguard_pane(doc, elements.get(&key), &key);
        }
        TAKEN_BACK.with(|t| t.borrow_mut().clear());
    }
}
