//! Feature `canned-suggestions`: the canned message the procedure names for this moment,
//! one click (or Alt+Shift+S) away, above each chat's typing area.
//!
//! Observes: the chat panes (snapshot), the operator's own sends, when each pane last
//! changed (mutation records), and the web client's canned-message list while it is open.
//! Decides: `core::canned::suggest` per chat (page text preferred, configured text
//! otherwise), `core::canned::winding_down`, `core::canned::missing_canned`.
//! Shows: a strip of buttons (`data-lh3-ui="suggestions"`) above the typing area; choosing
//! one puts its text into that chat's typing area at the cursor — it never sends.
//! Names the rules use that the page does not offer go to the popup's page check.
//!
//! A strip is rebuilt only when its suggestions changed. The texts live here, not in the
//! DOM, so the click handler and the keyboard shortcut insert exactly what was decided.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::{Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Verdict};
use crate::core::canned::{
    missing_canned, suggest, winding_down, winding_down_from, ChatFacts, RankedSuggestion,
};
use crate::core::catalog::Said;
use crate::core::guards::same_name;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::{Language, Moment};
use crate::core::snapshot::{CannedMessage, ChatPane};
use crate::core::wake::Wake;
use crate::page::elements;
use crate::page::marks::{Panes, PANE_KEY};
use crate::page::notices::UI_ATTR;

pub const ID: &str = "canned-suggestions";
/// `data-lh3-ui` value of a strip.
const STRIP: &str = "suggestions";
/// On each button: the canned message's name, and the moment it is for.
const NAME_ATTR: &str = "data-lh3-suggestion";
const MOMENT_ATTR: &str = "data-lh3-moment";
/// On a strip: the key of its pane.
const FOR_ATTR: &str = "data-lh3-for";
/// A change to "answered by" this soon after our own send in that pane is our claim.
const CLAIM_AFTER_SEND_SECONDS: i64 = 30;

/// What is shown for one pane.
struct Shown {
    strip: Element,
    input: Element,
    suggestions: Vec<RankedSuggestion>,
    signature: String,
}

/// What the feature remembers about a pane between flushes.
#[derive(Default)]
struct PaneFacts {
    answered_by: Option<String>,
    was_transferring: bool,
    /// The "answered by" name that appeared right after our own send here: ours.
    mine: Option<String>,
    /// When the pane last changed on the page (a guest line, a system line…).
    last_change: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct CannedSuggestions {
    /// The web client's canned messages as last seen (its list is only readable open).
    offered: Option<Vec<CannedMessage>>,
    panes: HashMap<String, PaneFacts>,
    /// The strips shown, by pane key.
    strips: HashMap<String, Shown>,
    /// The pane the operator was last in (the shortcut's target when focus is elsewhere).
    last_focused: Option<String>,
}

/// The moment in the operator's words (the strip's label).
fn moment_words(m: Moment) -> Said {
    Said::from(match m {
        Moment::TransferAccepted => "momentTransferAccepted",
        Moment::ChatPickedUp => "momentChatPickedUp",
        Moment::OfflineTextFirstShift => "momentOfflineText",
        Moment::LeavingWithActiveChats => "momentLeaving",
        Moment::ClosingHeadsUp => "momentClosingSoon",
        Moment::AtClose => "momentClosing",
        Moment::WindingDown => "momentWrappingUp",
        Moment::BackchatHello => "momentSayHello",
        Moment::BackchatSignOff => "momentSignOff",
    })
}

/// Where extension UI for a typing area goes: before the row that holds it (so it sits
/// above, whatever the row's layout), or before the typing area itself.
pub(crate) fn typing_anchor(pane: &Element, input: &Element) -> Element {
    // The boxes that only wrap the typing area (re-com's input-text is two) go with it:
    // a strip put beside the area inside them would stand to its left, not above.
    let mut area = input.clone();
    while let Some(p) = area.parent_element() {
        if p.is_same_node(Some(pane)) || p.child_element_count() != 1 {
            break;
        }
        area = p;
    }
    if !area.is_same_node(Some(input)) {
        return area;
    }
    match input.parent_element() {
        Some(p) if !p.is_same_node(Some(pane)) => p,
        _ => input.clone(),
    }
}

fn pane_of(node: &web_sys::Node) -> Option<String> {
    let el = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    el.closest(&format!("[{PANE_KEY}]"))
        .ok()
        .flatten()?
        .get_attribute(PANE_KEY)
}

fn signature(suggestions: &[RankedSuggestion], language: Language) -> String {
    let mut s = language.code().to_string();
    for x in suggestions {
        s.push('\u{1e}');
        s.push_str(&x.name);
        s.push('\u{1f}');
        s.push_str(&x.text);
        s.push('\u{1f}');
        s.push_str(x.moment.id());
    }
    s
}

fn build_strip(doc: &Document, key: &str, suggestions: &[RankedSuggestion]) -> Option<Element> {
    let strip = doc.create_element("div").ok()?;
    strip.set_attribute(UI_ATTR, STRIP).ok()?;
    strip.set_attribute(FOR_ATTR, key).ok()?;
    strip.set_attribute("role", "group").ok()?;
    let label = Said::new("cannedSuggestedCannedMessages", &[]);
    strip
        .set_attribute("aria-label", &crate::ext::say(&label))
        .ok()?;
    let caption = doc.create_element("span").ok()?;
    caption.set_attribute(UI_ATTR, "suggestions-label").ok()?;
    caption.set_text_content(Some(&crate::ext::say(&moment_words(suggestions[0].moment))));
    strip.append_child(&caption).ok()?;
    for (i, s) in suggestions.iter().enumerate() {
        let b = doc.create_element("button").ok()?;
        b.set_attribute("type", "button").ok()?;
        b.set_attribute(UI_ATTR, "suggestion").ok()?;
        b.set_attribute(NAME_ATTR, &s.name).ok()?;
        b.set_attribute(MOMENT_ATTR, s.moment.id()).ok()?;
        let source = match s.source {
            crate::core::canned::Source::Page => "page",
            crate::core::canned::Source::Configured => "configured",
        };
        b.set_attribute("data-lh3-source", source).ok()?;
        if i == 0 {
            b.set_attribute("data-lh3-top", "true").ok()?;
        }
        // The tooltip shows exactly what will be inserted (an attribute: never HTML).
        b.set_attribute("title", &s.text).ok()?;
        b.set_text_content(Some(&s.name));
        strip.append_child(&b).ok()?;
    }
    Some(strip)
}

impl CannedSuggestions {
    /// The suggestion `name` of pane `key` (the top one without a name), to insert.
    fn insertion(&self, key: &str, name: Option<&str>) -> Option<Effect> {
        let shown = self.strips.get(key)?;
        let pick = match name {
            Some(n) => shown.suggestions.iter().find(|x| x.name == n)?,
            None => shown.suggestions.first()?,
        };
        Some(Effect::Insert {
            input: shown.input.clone(),
            text: pick.text.clone(),
            name: pick.name.clone(),
        })
    }

    /// The keyboard shortcut's pane: the one holding the focus, else the one last
    /// focused, else the only pane with suggestions.
    fn shortcut_pane(&self, doc: &Document) -> Option<String> {
        if let Some(k) = doc.active_element().and_then(|el| pane_of(&el)) {
            // Focus is in a pane with nothing to suggest: do nothing rather than
            // write into another chat.
            return self.strips.contains_key(&k).then_some(k);
        }
        if let Some(k) = self
            .last_focused
            .as_ref()
            .filter(|k| self.strips.contains_key(*k))
        {
            return Some(k.clone());
        }
        (self.strips.len() == 1).then(|| self.strips.keys().next().cloned())?
    }

    fn remove_strip(&mut self, key: &str) {
        if let Some(shown) = self.strips.remove(key) {
            shown.strip.remove();
        }
    }

    /// Shows `suggestions` above the typing area of `pane`, rebuilding only what changed.
    fn show(
        &mut self,
        doc: &Document,
        key: &str,
        pane: &Element,
        input: &Element,
        suggestions: Vec<RankedSuggestion>,
        language: Language,
    ) {
        if suggestions.is_empty() {
            self.remove_strip(key);
            return;
        }
        let signature = signature(&suggestions, language);
        let existing = self
            .strips
            .get(key)
            .filter(|x| x.signature == signature)
            .map(|x| x.strip.clone());
        let strip = match existing {
            Some(strip) => strip,
            None => {
                self.remove_strip(key);
                let Some(strip) = build_strip(doc, key, &suggestions) else {
                    return;
                };
                strip
            }
        };
        // Keep it right above the typing area (the page may have re-rendered around it).
        let anchor = typing_anchor(pane, input);
        let placed = anchor
            .previous_element_sibling()
            .is_some_and(|s| s.is_same_node(Some(&strip)));
        if !placed {
            let _ = anchor.before_with_node_1(&strip);
        }
        self.strips.insert(
            key.to_string(),
            Shown {
                strip,
                input: input.clone(),
                suggestions,
                signature,
            },
        );
    }
}

impl CannedSuggestions {
    /// The chat as the rules should see it: "answered by" our own name is our claim, not
    /// a colleague's (the operator's name from the settings, or the name that appeared
    /// right after our own send in this pane).
    fn as_rules_see_it(
        &mut self,
        chat: &ChatPane,
        me: &str,
        last_sent: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> ChatPane {
        let facts = self.panes.entry(chat.key.clone()).or_default();
        if chat.answered_by.is_some() && chat.answered_by != facts.answered_by {
            let claimable =
                !facts.was_transferring && (facts.answered_by.is_none() || chat.transferred_to_me);
            let just_sent = last_sent
                .is_some_and(|t| now - t <= chrono::Duration::seconds(CLAIM_AFTER_SEND_SECONDS));
            if claimable && just_sent {
                facts.mine = chat.answered_by.clone();
            }
        }
        facts.answered_by = chat.answered_by.clone();
        facts.was_transferring = chat.being_transferred;
        let mut chat = chat.clone();
        let name = chat.answered_by.as_deref().unwrap_or("");
        if same_name(name, me) || (facts.mine.is_some() && facts.mine == chat.answered_by) {
            chat.answered_by = None;
            chat.operator_replied = true;
        }
        chat
    }
}

impl Feature for CannedSuggestions {
    fn id(&self) -> FeatureId {
        FeatureId::CannedSuggestions
    }

    /// A click on a suggestion inserts it; pressing the button does not take the focus
    /// (or the cursor position) away from the typing area. The shortcut inserts the top
    /// one of the chat being typed in.
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        match event.kind() {
            Kind::FocusIn => {
                if let Some(k) = event.target().and_then(|t| pane_of(t)) {
                    self.last_focused = Some(k);
                }
                Verdict::Allow
            }
            Kind::InsertTopSuggestion => {
                let insert = self
                    .shortcut_pane(ctx.doc)
                    .and_then(|key| self.insertion(&key, None));
                match insert {
                    Some(effect) => {
                        ctx.then(effect);
                        Verdict::Block
                    }
                    None => Verdict::Allow,
                }
            }
            Kind::MouseDown | Kind::Click => {
                let Some(button) = event.closest(&format!("[{NAME_ATTR}]")) else {
                    return Verdict::Allow;
                };
                let Some(key) = button
                    .closest(&format!("[{FOR_ATTR}]"))
                    .ok()
                    .flatten()
                    .and_then(|s| s.get_attribute(FOR_ATTR))
                else {
                    return Verdict::Allow;
                };
                if event.kind() == Kind::Click {
                    let name = button.get_attribute(NAME_ATTR).unwrap_or_default();
                    if let Some(effect) = self.insertion(&key, Some(&name)) {
                        ctx.then(effect);
                    }
                }
                Verdict::Block
            }
            _ => Verdict::Allow,
        }
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        if let Some(list) = page
            .snapshot
            .canned_offered
            .as_ref()
            .filter(|l| !l.is_empty())
        {
            self.offered = Some(list.clone());
        }
        if let Some(offered) = &self.offered {
            let missing = missing_canned(page.settings, offered);
            if !missing.is_empty() {
                let names = missing.join(", ");
                page.notice(
                    "canned.missing",
                    NoticeLevel::Warning,
                    Said::new("cannedMissing", &[("names", &names)]),
                );
            }
        }
        for rec in page.records {
            if let Some(key) = rec.target().and_then(|t| pane_of(&t)) {
                self.panes.entry(key).or_default().last_change = Some(page.now);
            }
        }
        let panes = Panes::on(page.doc);
        let language = page.settings.language();
        let mut live = Vec::new();
        for (chat, pane) in panes.of(&page.snapshot.chats) {
            let Some(input) = page.locate.first_in(pane, ids::CHAT_INPUT) else {
                self.remove_strip(&chat.key);
                continue;
            };
            live.push(chat.key.clone());
            let last_sent = page
                .memory
                .sent
                .iter()
                .filter(|s| s.pane == chat.key)
                .map(|s| s.at)
                .max();
            let seen =
                self.as_rules_see_it(chat, &page.settings.operator_name, last_sent, page.now);
            let last_change = self.panes.get(&chat.key).and_then(|p| p.last_change);
            // Leaving is read from the shift (handover, shift over): the page shows no
            // sign of it before the operator logs out, and then the panes are gone.
            let facts = ChatFacts {
                said_hello: page.memory.remembered.said_hello,
                leaving: false,
                winding_down: winding_down(last_sent, last_change, page.now),
            };
            // "Thank you" comes up once the guest has been quiet long enough.
            if let Some(at) = winding_down_from(last_sent, last_change).filter(|t| *t > page.now) {
                page.wake(Wake::At(at));
            }
            let mut suggestions = suggest(
                &seen,
                page.shift,
                page.settings,
                self.offered.as_deref(),
                &facts,
            );
            if page.memory.remembered.leaving.said_sign_off {
                // Said once is enough.
                suggestions.retain(|s| s.moment != Moment::BackchatSignOff);
            }
            self.show(page.doc, &chat.key, pane, &input, suggestions, language);
        }
        // Panes that left the page take their strips with them.
        let gone: Vec<String> = self
            .strips
            .keys()
            .filter(|k| !live.contains(k))
            .cloned()
            .collect();
        for key in gone {
            self.remove_strip(&key);
        }
        self.panes.retain(|k, _| panes.get(k).is_some());
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        for (_, shown) in self.strips.drain() {
            shown.strip.remove();
        }
        // Strips left by an earlier run of the page loop, if any.
        for el in doc
            .query_selector_all(&format!("[{UI_ATTR}=\"{STRIP}\"]"))
            .into_iter()
            .flat_map(elements)
        {
            el.remove();
        }
    }
}
