//! Feature `offline-text-guard`: "Do not close any texts without responding." Ending a
//! text chat the operator has not replied to asks first, inside the pane: end anyway,
//! or go back and answer.
//!
//! Observes: the chat panes (snapshot, with the operator's own sends), each pane's End
//! button (locator `chat.end_button`), and clicks on it before the page sees them.
//! Decides: `leaving::offline_text_close_needs_confirm` per pane, once per pass.
//! Shows: a notice in the pane (`data-lh3-notice="offline_text.confirm_end:KEY"`) with
//! "End anyway" / "Go back"; a click on End reaches the page only after "End anyway"
//! (then the extension presses End, as asked).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::{
    Action, Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Place, Shown, Verdict,
};
use crate::core::catalog::Said;
use crate::core::leaving::offline_text_close_needs_confirm;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::page::marks::Panes;
use crate::page::notices::notice;

const NOTICE: &str = "offline_text.confirm_end";
const END: &str = "offline-text.end:";
const BACK: &str = "offline-text.back:";

/// A text pane nobody has answered, with its End button.
struct Guarded {
    key: String,
    pane: Element,
    end: Element,
    input: Option<Element>,
}

#[derive(Default)]
pub struct OfflineTextGuard {
    guarded: Vec<Guarded>,
    /// Panes asking the question.
    asking: Vec<String>,
}

fn notice_id(key: &str) -> String {
    format!("{NOTICE}:{key}")
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

/// The question in pane `g`, with "Go back" taking the focus when it appears.
fn ask(g: &Guarded, page: &mut PageView) {
    let key = &g.key;
    let text = Said::new("offlineTextYouHaveNotAnswered", &[]);
    let end_id = format!("{END}{key}");
    let back_id = format!("{BACK}{key}");
    let end_label = Said::new("offlineTextEndAnyway", &[]);
    let back_label = Said::new("offlineTextGoBack", &[]);
    let place = match row_in_pane(&g.pane, &g.end) {
        Some(row) => Place::After(row),
        None => Place::Prepend(g.pane.clone()),
    };
    let id = notice_id(key);
    let node = notice(
        &id,
        NoticeLevel::Warning,
        &crate::ext::say(&text),
        &[
            Action {
                label: &crate::ext::say(&back_label),
                id: &back_id,
            },
            Action {
                label: &crate::ext::say(&end_label),
                id: &end_id,
            },
        ],
    );
    page.show(Shown::new(&id, place, node).focus(&back_id));
}

impl OfflineTextGuard {
    /// Stops asking about `key`; the question goes with the next pass.
    fn stop_asking(&mut self, key: &str, ctx: &mut EventCtx) -> Option<&Guarded> {
        self.asking.retain(|k| k != key);
        ctx.then(Effect::Flush);
        self.guarded.iter().find(|g| g.key == key)
    }
}

impl Feature for OfflineTextGuard {
    fn id(&self) -> FeatureId {
        FeatureId::OfflineTextGuard
    }

    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if event.kind() != Kind::Click {
            return Verdict::Allow;
        }
        if let Some(action) = event.action() {
            if let Some(key) = action.strip_prefix(BACK) {
                let input = self.stop_asking(key, ctx).and_then(|g| g.input.clone());
                if let Some(input) = input {
                    ctx.then(Effect::Focus(input));
                }
                return Verdict::Block;
            }
            if let Some(key) = action.strip_prefix(END) {
                // The operator confirmed: press End for them, as they asked.
                let end = self.stop_asking(key, ctx).map(|g| g.end.clone());
                if let Some(end) = end {
                    ctx.then(Effect::Press(end));
                }
                return Verdict::Block;
            }
            return Verdict::Allow;
        }
        if event.on_own_ui() {
            return Verdict::Allow;
        }
        let Some(g) = self.guarded.iter().find(|g| event.within(&g.end)) else {
            return Verdict::Allow;
        };
        if !self.asking.contains(&g.key) {
            self.asking.push(g.key.clone());
        }
        ctx.then(Effect::Flush);
        Verdict::Block
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let mut guarded = Vec::new();
        let panes = Panes::on(page.doc);
        for (chat, pane) in panes
            .of(&page.snapshot.chats)
            .filter(|(c, _)| offline_text_close_needs_confirm(c))
        {
            let Some(end) = page.locate.first_in(pane, ids::CHAT_END) else {
                continue;
            };
            let input = page.locate.first_in(pane, ids::CHAT_INPUT);
            guarded.push(Guarded {
                key: chat.key.clone(),
                pane: pane.clone(),
                end,
                input,
            });
        }
        self.guarded = guarded;
        // Answered (or gone) since the question: it no longer applies.
        let guarded = &self.guarded;
        self.asking.retain(|k| guarded.iter().any(|g| &g.key == k));
        for key in &self.asking {
            if let Some(g) = self.guarded.iter().find(|g| &g.key == key) {
                ask(g, page);
            }
        }
        Ok(())
    }

    fn clear(&mut self, _doc: &Document) {
        self.asking.clear();
        self.guarded.clear();
    }
}
