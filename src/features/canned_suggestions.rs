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

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlTextAreaElement};

use super::{Feature, FeatureId, PageView};
use crate::core::canned::{
    missing_canned, suggest, winding_down, winding_down_from, ChatFacts, RankedSuggestion,
};
use crate::core::guards::same_name;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::{Language, LocalText, Moment};
use crate::core::snapshot::{CannedMessage, ChatPane};
use crate::core::wake::Wake;
use crate::page::controls::new_event;
use crate::page::marks::PANE_KEY;
use crate::page::notices::UI_ATTR;
use crate::page::{elements, listen_capture, target_element};

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

#[derive(Default)]
struct Strips {
    panes: HashMap<String, Shown>,
    /// The pane the operator was last in (the shortcut's target when focus is elsewhere).
    last_focused: Option<String>,
}

thread_local! {
    static STRIPS: RefCell<Strips> = RefCell::new(Strips::default());
    static LISTENING: Cell<bool> = const { Cell::new(false) };
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
}

/// The moment in the operator's words (the strip's label).
fn moment_words(m: Moment) -> LocalText {
    let (en, fr) = match m {
        Moment::TransferAccepted => ("Transfer accepted", "Transfert accepté"),
        Moment::ChatPickedUp => ("New chat", "Nouvelle conversation"),
        Moment::OfflineTextFirstShift => ("Offline text", "Texto hors ligne"),
        Moment::LeavingWithActiveChats => ("Leaving", "Départ"),
        Moment::ClosingHeadsUp => ("Closing soon", "Fermeture bientôt"),
        Moment::AtClose => ("Closing", "Fermeture"),
        Moment::WindingDown => ("Wrapping up", "Fin de la conversation"),
        Moment::BackchatHello => ("Say hello", "Dire bonjour"),
        Moment::BackchatSignOff => ("Sign off", "Dire au revoir"),
    };
    LocalText::new(en, fr)
}

/// Where extension UI for a typing area goes: before the row that holds it (so it sits
/// above, whatever the row's layout), or before the typing area itself.
pub(crate) fn typing_anchor(pane: &Element, input: &Element) -> Element {
    match input.parent_element() {
        Some(p) if !p.is_same_node(Some(pane)) => p,
        _ => input.clone(),
    }
}

/// Panes on the page by their key.
pub(crate) fn panes_by_key(doc: &Document) -> HashMap<String, Element> {
    let mut out = HashMap::new();
    for el in doc
        .query_selector_all(&format!("[{PANE_KEY}]"))
        .into_iter()
        .flat_map(elements)
    {
        if let Some(k) = el.get_attribute(PANE_KEY) {
            out.insert(k, el);
        }
    }
    out
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

fn build_strip(
    doc: &Document,
    key: &str,
    suggestions: &[RankedSuggestion],
    language: Language,
) -> Option<Element> {
    let strip = doc.create_element("div").ok()?;
    strip.set_attribute(UI_ATTR, STRIP).ok()?;
    strip.set_attribute(FOR_ATTR, key).ok()?;
    strip.set_attribute("role", "group").ok()?;
    let label = LocalText::new("Suggested canned messages", "Messages préparés suggérés");
    strip
        .set_attribute("aria-label", label.get(language))
        .ok()?;
    let caption = doc.create_element("span").ok()?;
    caption.set_attribute(UI_ATTR, "suggestions-label").ok()?;
    caption.set_text_content(Some(moment_words(suggestions[0].moment).get(language)));
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

/// Puts `text` into a typing area at the cursor, as if typed: the value is set through
/// the element's own setter (so page frameworks see it), an `input` event follows, the
/// cursor ends after the text. Never sends.
pub(crate) fn insert_at_cursor(input: &Element, text: &str) -> bool {
    let (value, start, end, proto) = if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        let v = t.value();
        let n = v.encode_utf16().count() as u32;
        let s = t.selection_start().ok().flatten().unwrap_or(n).min(n);
        let e = t.selection_end().ok().flatten().unwrap_or(n).clamp(s, n);
        (v, s, e, "HTMLTextAreaElement")
    } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        let v = i.value();
        let n = v.encode_utf16().count() as u32;
        let s = i.selection_start().ok().flatten().unwrap_or(n).min(n);
        let e = i.selection_end().ok().flatten().unwrap_or(n).clamp(s, n);
        (v, s, e, "HTMLInputElement")
    } else {
        return false;
    };
    let units: Vec<u16> = value.encode_utf16().collect();
    let before = String::from_utf16_lossy(&units[..start as usize]);
    let after = String::from_utf16_lossy(&units[end as usize..]);
    // A space between existing words and the inserted text, as the page's own list does.
    let sep = if before.chars().last().is_some_and(|c| !c.is_whitespace()) {
        " "
    } else {
        ""
    };
    let head = format!("{before}{sep}{text}");
    let caret = head.encode_utf16().count() as u32;
    let new_value = format!("{head}{after}");
    set_value(input, proto, &new_value);
    if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        let _ = t.set_selection_range(caret, caret);
    } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = i.set_selection_range(caret, caret);
    }
    let _ = input.dispatch_event(&input_event(text));
    if let Some(h) = crate::page::as_html(input) {
        let _ = h.focus();
    }
    true
}

/// Sets `value` through the prototype's setter: a framework that wraps the element's own
/// `value` property then notices the change like a typed one.
fn set_value(input: &Element, proto: &str, value: &str) {
    let via_proto = (|| -> Option<()> {
        let global = js_sys::global();
        let ctor = js_sys::Reflect::get(&global, &proto.into()).ok()?;
        let prototype = js_sys::Reflect::get(&ctor, &"prototype".into()).ok()?;
        let desc = js_sys::Object::get_own_property_descriptor(
            prototype.dyn_ref::<js_sys::Object>()?,
            &"value".into(),
        );
        let setter = js_sys::Reflect::get(&desc, &"set".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        setter.call1(input, &value.into()).ok().map(|_| ())
    })();
    if via_proto.is_none() {
        if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
            t.set_value(value);
        } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
            i.set_value(value);
        }
    }
}

/// An `input` event that bubbles, typed as an insertion where the browser allows it.
fn input_event(text: &str) -> web_sys::Event {
    let typed = new_event(
        "InputEvent",
        "input",
        &[
            ("bubbles", true.into()),
            ("inputType", "insertText".into()),
            ("data", text.into()),
        ],
    );
    typed.unwrap_or_else(|| web_sys::Event::new("input").expect("an input event"))
}

/// Inserts the suggestion `name` of pane `key`. The state is read and released before
/// inserting: focusing the typing area fires `focusin`, which reads it again.
fn insert_suggestion(key: &str, name: Option<&str>) -> Option<String> {
    let (input, suggestion) = STRIPS.with(|s| {
        let s = s.borrow();
        let shown = s.panes.get(key)?;
        let pick = match name {
            Some(n) => shown.suggestions.iter().find(|x| x.name == n)?,
            None => shown.suggestions.first()?,
        };
        Some((shown.input.clone(), pick.clone()))
    })?;
    insert_at_cursor(&input, &suggestion.text).then_some(suggestion.name)
}

/// The keyboard shortcut: the top suggestion into the chat being typed in — the pane
/// holding the focus, else the pane last focused, else the only pane with suggestions.
/// Returns the name inserted.
pub fn insert_top_suggestion() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let focused = doc.active_element().and_then(|el| pane_of(&el));
    let key = STRIPS.with(|s| {
        let s = s.borrow();
        if let Some(k) = focused {
            // Focus is in a pane with nothing to suggest: do nothing rather than
            // write into another chat.
            return s.panes.contains_key(&k).then_some(k);
        }
        if let Some(k) = s.last_focused.as_ref().filter(|k| s.panes.contains_key(*k)) {
            return Some(k.clone());
        }
        (s.panes.len() == 1).then(|| s.panes.keys().next().cloned())?
    })?;
    insert_suggestion(&key, None)
}

/// One set of listeners for every strip: a click inserts; pressing the button does not
/// take the focus (or the cursor position) away from the typing area.
fn ensure_listeners(doc: &Document) {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let _ = listen_capture(
        doc,
        &["mousedown", "click", "focusin"],
        |e: web_sys::Event| {
            let Some(target) = target_element(&e) else {
                return;
            };
            if e.type_() == "focusin" {
                if let Some(k) = pane_of(&target) {
                    STRIPS.with(|s| s.borrow_mut().last_focused = Some(k));
                }
                return;
            }
            let Ok(Some(button)) = target.closest(&format!("[{NAME_ATTR}]")) else {
                return;
            };
            let Some(key) = button
                .closest(&format!("[{FOR_ATTR}]"))
                .ok()
                .flatten()
                .and_then(|s| s.get_attribute(FOR_ATTR))
            else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            if e.type_() == "click" {
                let name = button.get_attribute(NAME_ATTR).unwrap_or_default();
                insert_suggestion(&key, Some(&name));
            }
        },
    )
    .map(Closure::forget); // lives as long as the page
}

fn remove_strip(key: &str) {
    STRIPS.with(|s| {
        if let Some(shown) = s.borrow_mut().panes.remove(key) {
            shown.strip.remove();
        }
    });
}

/// Shows `suggestions` above the typing area of `pane`, rebuilding only what changed.
fn show(
    doc: &Document,
    key: &str,
    pane: &Element,
    input: &Element,
    suggestions: Vec<RankedSuggestion>,
    language: Language,
) {
    if suggestions.is_empty() {
        remove_strip(key);
        return;
    }
    let signature = signature(&suggestions, language);
    let existing = STRIPS.with(|s| {
        s.borrow()
            .panes
            .get(key)
            .filter(|x| x.signature == signature)
            .map(|x| x.strip.clone())
    });
    let strip = match existing {
        Some(strip) => strip,
        None => {
            remove_strip(key);
            let Some(strip) = build_strip(doc, key, &suggestions, language) else {
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
    STRIPS.with(|s| {
        s.borrow_mut().panes.insert(
            key.to_string(),
            Shown {
                strip,
                input: input.clone(),
                suggestions,
                signature,
            },
        )
    });
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

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        ensure_listeners(page.doc);
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
                    ID,
                    "canned.missing",
                    NoticeLevel::Warning,
                    LocalText::new(
                        &format!("Canned messages the suggestions name that the web client does not offer: {names}. Their configured texts are suggested instead."),
                        &format!("Messages préparés nommés par les suggestions que le client Web n'offre pas : {names}. Leurs textes configurés sont suggérés à la place."),
                    ),
                );
            }
        }
        for rec in page.records {
            if let Some(key) = rec.target().and_then(|t| pane_of(&t)) {
                self.panes.entry(key).or_default().last_change = Some(page.now);
            }
        }
        let elements = panes_by_key(page.doc);
        let language = page.settings.language;
        let mut live = Vec::new();
        for chat in &page.snapshot.chats {
            let Some(pane) = elements.get(&chat.key) else {
                continue;
            };
            let Some(input) = page.locate.first_in(pane, ids::CHAT_INPUT) else {
                remove_strip(&chat.key);
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
            show(page.doc, &chat.key, pane, &input, suggestions, language);
        }
        // Panes that left the page take their strips with them.
        let gone: Vec<String> = STRIPS.with(|s| {
            s.borrow()
                .panes
                .keys()
                .filter(|k| !live.contains(k))
                .cloned()
                .collect()
        });
        for key in gone {
            remove_strip(&key);
        }
        self.panes.retain(|k, _| elements.contains_key(k));
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        STRIPS.with(|s| {
            for (_, shown) in s.borrow_mut().panes.drain() {
                shown.strip.remove();
            }
        });
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
