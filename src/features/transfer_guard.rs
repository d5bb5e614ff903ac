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

use std::collections::HashSet;

use web_sys::{Document, Element};

use super::canned_suggestions::typing_anchor;
use super::{
    Action, Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Place, Verdict,
};
use crate::core::catalog::Said;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::page::events::Key;
use crate::page::marks::{set_attr, Panes};
use crate::page::query_all;

pub const ID: &str = "transfer-guard";
/// On a guarded pane's typing area (`typing`) and Send button (`send`).
const GUARD_ATTR: &str = "data-lh3-transfer-guard";

/// The action of "Take the chat back" in pane `key`.
const TAKE_BACK: &str = "transfer-guard.take-back.";

#[derive(Default)]
pub struct TransferGuard {
    /// Panes guarded now.
    guarded: HashSet<String>,
    /// Panes whose transfer the operator chose to take back (until that transfer ends).
    taken_back: HashSet<String>,
}

fn notice_id(key: &str) -> String {
    format!("transfer-guard.{key}")
}

fn warning() -> Said {
    Said::new("transferThisChatIsBeing", &[])
}

fn take_back_label() -> Said {
    Said::new("transferTakeTheChatBack", &[])
}

/// Keys that change nothing may pass: moving, selecting, copying, leaving the field.
fn harmless(key: &Key) -> bool {
    let command = key.command;
    match key.name.as_str() {
        "Enter" | "Backspace" | "Delete" | "Process" | "Unidentified" => false,
        k if command => !matches!(k.to_lowercase().as_str(), "v" | "x" | "z" | "y"),
        k => k.chars().count() > 1,
    }
}

fn mark_all(elements: &[Element], value: Option<&str>) {
    for el in elements {
        set_attr(el, GUARD_ATTR, value);
    }
}

fn unguard_pane(pane: Option<&Element>) {
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

    /// In a guarded pane, keystrokes that edit, edits, pastes and drops in the typing
    /// area and clicks on Send never reach the page (nor the extension's send watcher).
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if let Some(key) = event
            .action()
            .filter(|_| event.kind() == Kind::Click)
            .and_then(|a| a.strip_prefix(TAKE_BACK).map(str::to_string))
        {
            self.taken_back.insert(key);
            ctx.then(Effect::Flush);
            return Verdict::Block;
        }
        let Some(guarded) = event.closest(&format!("[{GUARD_ATTR}]")) else {
            return Verdict::Allow;
        };
        let what = guarded.get_attribute(GUARD_ATTR).unwrap_or_default();
        let stop = match event.kind() {
            Kind::KeyDown => what == "typing" && event.key().is_some_and(|k| !harmless(&k)),
            Kind::BeforeInput | Kind::Paste | Kind::Drop => what == "typing",
            Kind::Click => what == "send",
            _ => false,
        };
        if stop {
            Verdict::Block
        } else {
            Verdict::Allow
        }
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let panes = Panes::on(page.doc);
        let mut now_guarded = HashSet::new();
        for (chat, pane) in panes.of(&page.snapshot.chats) {
            if !chat.being_transferred {
                // The transfer is over: the next one is guarded again.
                self.taken_back.remove(&chat.key);
            }
            let taken_back = self.taken_back.contains(&chat.key);
            if !chat.being_transferred || chat.ended || taken_back {
                continue;
            }
            let Some(input) = page.locate.first_in(pane, ids::CHAT_INPUT) else {
                continue;
            };
            now_guarded.insert(chat.key.clone());
            mark_all(std::slice::from_ref(&input), Some("typing"));
            mark_all(&page.locate.all_in(pane, ids::CHAT_SEND), Some("send"));
            let action = format!("{TAKE_BACK}{}", chat.key);
            let label = take_back_label();
            page.show_notice(
                &notice_id(&chat.key),
                Place::Before(typing_anchor(pane, &input)),
                NoticeLevel::Warning,
                &crate::ext::say(&warning()),
                &[Action {
                    label: &crate::ext::say(&label),
                    id: &action,
                }],
            );
        }
        for key in self.guarded.difference(&now_guarded) {
            unguard_pane(panes.get(key));
        }
        self.guarded = now_guarded;
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        if self.guarded.is_empty() {
            return;
        }
        let panes = Panes::on(doc);
        for key in self.guarded.drain() {
            unguard_pane(panes.get(&key));
        }
        self.taken_back.clear();
    }
}
