//! Feature `offline-text-guard`: "Do not close any texts without responding." Ending a
//! text chat the operator has not replied to asks first, inside the pane: end anyway,
//! or go back and answer.
//!
//! Observes: the chat panes (snapshot, with the operator's own sends) and each pane's
//! End button (locator `chat.end_button`).
//! Decides: `leaving::offline_text_close_needs_confirm` per pane, once per flush.
//! Shows: a notice in the pane (`data-lh3-notice="offline_text.confirm_end:KEY"`) with
//! "End anyway" / "Go back"; a click on End reaches the page only after "End anyway".
//!
//! The click listener sits on `window` in the capture phase, so it runs before the
//! page's own handler on the End button.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use super::{Feature, FeatureId, PageView};
use crate::core::leaving::offline_text_close_needs_confirm;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::{Language, LocalText};
use crate::page::marks::PANE_KEY;
use crate::page::notices::{hide_notice, is_own, on_action, show_notice, Action, Place};
use crate::page::{listen_capture, target_element};

const NOTICE: &str = "offline_text.confirm_end";

/// A text pane nobody has answered, with its End button.
struct Guarded {
    key: String,
    pane: Element,
    end: Element,
    input: Option<Element>,
}

#[derive(Default)]
struct Shared {
    guarded: Vec<Guarded>,
    /// Panes showing the question.
    asking: Vec<String>,
    /// The pane whose End the operator confirmed: let that one click through.
    bypass: Option<String>,
    language: Language,
}

type Handle = Rc<RefCell<Shared>>;

pub struct OfflineTextGuard {
    shared: Handle,
    listener: Option<Closure<dyn FnMut(web_sys::Event)>>,
    /// Panes whose action handlers are registered.
    registered: Vec<String>,
}

impl Default for OfflineTextGuard {
    fn default() -> Self {
        OfflineTextGuard {
            shared: Rc::new(RefCell::new(Shared::default())),
            listener: None,
            registered: Vec::new(),
        }
    }
}

fn notice_id(key: &str) -> String {
    format!("{NOTICE}:{key}")
}

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The pane's child that holds `inner` (the title bar holding End): the question goes
/// right under it, where the operator is looking.
fn row_in_pane(pane: &Element, inner: &Element) -> Option<Element> {
    let mut el = inner.clone();
    loop {
        let parent = el.parent_element()?;
        if parent.is_same_node(Some(pane.unchecked_ref())) {
            return Some(el);
        }
        el = parent;
    }
}

fn ask(doc: &Document, shared: &Shared, key: &str, focus: bool) {
    let Some(g) = shared.guarded.iter().find(|g| g.key == key) else {
        return;
    };
    let lang = shared.language;
    let text = LocalText::new(
        "You have not answered this text. The procedure asks to respond to every offline text before closing it.",
        "Vous n'avez pas répondu à ce texto. La procédure demande de répondre à chaque texto hors ligne avant de le fermer.",
    );
    let end_id = format!("offline-text.end:{key}");
    let back_id = format!("offline-text.back:{key}");
    let end_label = LocalText::new("End anyway", "Terminer quand même");
    let back_label = LocalText::new("Go back", "Revenir");
    let (anchor, place) = match row_in_pane(&g.pane, &g.end) {
        Some(row) => (row, Place::After),
        None => (g.pane.clone(), Place::Prepend),
    };
    let notice = show_notice(
        doc,
        &anchor,
        place,
        &notice_id(key),
        NoticeLevel::Warning,
        text.get(lang),
        &[
            Action {
                label: back_label.get(lang),
                id: &back_id,
            },
            Action {
                label: end_label.get(lang),
                id: &end_id,
            },
        ],
    );
    if !focus {
        return;
    }
    if let Some(b) = notice
        .and_then(|n| {
            n.query_selector(&format!("[data-lh3-action=\"{back_id}\"]"))
                .ok()
        })
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
    {
        let _ = b.focus();
    }
}

/// Stops asking about `key` and takes the question off the page. Gives the pane's End
/// button and typing area, when it is still guarded.
fn stop_asking(handle: &Handle, key: &str) -> Option<(Element, Option<Element>)> {
    let guarded = {
        let mut s = handle.borrow_mut();
        s.asking.retain(|k| k != key);
        s.guarded
            .iter()
            .find(|g| g.key == key)
            .map(|g| (g.end.clone(), g.input.clone()))
    };
    if let Some(doc) = document() {
        hide_notice(&doc, &notice_id(key));
    }
    guarded
}

fn go_back(handle: &Handle, key: &str) {
    let input = stop_asking(handle, key).and_then(|(_, input)| input);
    if let Some(input) = input.as_ref().and_then(|i| i.dyn_ref::<HtmlElement>()) {
        let _ = input.focus();
    }
}

/// The operator confirmed: press End for them, as they asked.
fn end_anyway(handle: &Handle, key: &str) {
    let end = stop_asking(handle, key).map(|(end, _)| end);
    handle.borrow_mut().bypass = Some(key.to_string());
    // No borrow is held: the click passes through our own listener.
    if let Some(end) = end.as_ref().and_then(|e| e.dyn_ref::<HtmlElement>()) {
        end.click();
    }
    handle.borrow_mut().bypass = None;
}

fn on_click(handle: &Handle, e: &web_sys::Event) {
    let Some(target) = target_element(e) else {
        return;
    };
    if is_own(&target) {
        return;
    }
    let key = {
        let mut s = handle.borrow_mut();
        let Some(g) = s
            .guarded
            .iter()
            .find(|g| g.end.contains(Some(target.unchecked_ref())))
        else {
            return;
        };
        let key = g.key.clone();
        if s.bypass.as_deref() == Some(key.as_str()) {
            return;
        }
        e.prevent_default();
        e.stop_immediate_propagation();
        if !s.asking.contains(&key) {
            s.asking.push(key.clone());
        }
        key
    };
    if let Some(doc) = document() {
        ask(&doc, &handle.borrow(), &key, true);
    }
}

impl OfflineTextGuard {
    fn listen(&mut self) {
        if self.listener.is_some() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let handle = self.shared.clone();
        let listener = listen_capture(&window, &["click"], move |e: web_sys::Event| {
            on_click(&handle, &e)
        });
        self.listener = listener.ok();
    }

    fn register_actions(&mut self, key: &str) {
        if self.registered.iter().any(|k| k == key) {
            return;
        }
        self.registered.push(key.to_string());
        let (h1, k1) = (self.shared.clone(), key.to_string());
        on_action(&format!("offline-text.end:{key}"), move || {
            end_anyway(&h1, &k1)
        });
        let (h2, k2) = (self.shared.clone(), key.to_string());
        on_action(&format!("offline-text.back:{key}"), move || {
            go_back(&h2, &k2)
        });
    }
}

impl Feature for OfflineTextGuard {
    fn id(&self) -> FeatureId {
        FeatureId::OfflineTextGuard
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        self.listen();
        let mut guarded = Vec::new();
        for chat in page
            .snapshot
            .chats
            .iter()
            .filter(|c| offline_text_close_needs_confirm(c))
        {
            let selector = format!("[{PANE_KEY}=\"{}\"]", chat.key.replace('"', ""));
            let Some(pane) = page.doc.query_selector(&selector).ok().flatten() else {
                continue;
            };
            let Some(end) = page.locate.first_in(&pane, ids::CHAT_END) else {
                continue;
            };
            let input = page.locate.first_in(&pane, ids::CHAT_INPUT);
            guarded.push(Guarded {
                key: chat.key.clone(),
                pane,
                end,
                input,
            });
        }
        for g in &guarded {
            self.register_actions(&g.key);
        }
        let stale: Vec<String> = {
            let mut s = self.shared.borrow_mut();
            s.language = page.settings.language;
            s.guarded = guarded;
            let (keep, stale): (Vec<String>, Vec<String>) = std::mem::take(&mut s.asking)
                .into_iter()
                .partition(|k| s.guarded.iter().any(|g| &g.key == k));
            s.asking = keep;
            stale
        };
        // Answered (or gone) since the question: it no longer applies.
        for key in stale {
            hide_notice(page.doc, &notice_id(&key));
        }
        // Keep each open question in place (the page may have re-rendered the pane).
        let asking = self.shared.borrow().asking.clone();
        for key in asking {
            ask(page.doc, &self.shared.borrow(), &key, false);
        }
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        let mut s = self.shared.borrow_mut();
        for key in s.asking.drain(..) {
            hide_notice(doc, &notice_id(&key));
        }
        // Turned off: the listener stays but guards nothing.
        s.guarded.clear();
    }
}
