//! Reads the web client into a `Snapshot` (everything but Chat History rows, which the
//! `new-chats` feature reads incrementally). One pass per flush, through the locator
//! table only. What cannot be read stays `None`, never guessed.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

use super::locate::Locate;
use super::{accessible_name, query_all, text_of};
use crate::core::locators::{ids, line_match, normalize_text};
use crate::core::snapshot::{
    CannedMessage, ChatPane, LoginDialog, QueueToggle, Snapshot, Status, TimerChoice,
};

fn checked(el: &Element) -> Option<bool> {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return Some(input.checked());
    }
    match el.get_attribute("aria-checked").as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

fn value_of(el: &Element) -> Option<String> {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return Some(input.value());
    }
    if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        let i = select.selected_index();
        if i >= 0 {
            if let Some(opt) = select.options().item(i as u32) {
                return Some(text_of(&opt));
            }
        }
        return Some(select.value());
    }
    let v = text_of(el);
    (!v.trim().is_empty()).then_some(v)
}

pub fn read_status(doc: &Document, locate: &mut Locate) -> Option<Status> {
    let menu = locate.first(doc, ids::STATUS_MENU)?;
    value_of(&menu).map(|v| Status::parse(&v))
}

fn number(el: Option<Element>) -> Option<u32> {
    value_of(&el?)?.trim().parse::<u32>().ok()
}

pub fn read_login_dialog(doc: &Document, locate: &mut Locate) -> Option<LoginDialog> {
    let dialog = locate.first(doc, ids::LOGIN_DIALOG)?;
    let all_toggle = locate.first_in(&dialog, ids::ALL_QUEUES_TOGGLE);
    let mut queues = Vec::new();
    for toggle in locate.all_in(&dialog, ids::QUEUE_TOGGLE) {
        if all_toggle
            .as_ref()
            .is_some_and(|a| a.is_same_node(Some(&toggle)))
        {
            continue;
        }
        if let Some(on) = checked(&toggle) {
            let name = accessible_name(&toggle).trim().to_string();
            if !name.is_empty() {
                queues.push(QueueToggle { name, on });
            }
        }
    }
    let is_on = |el: Option<Element>| el.as_ref().and_then(checked).unwrap_or(false);
    let timer = if is_on(locate.first_in(&dialog, ids::TIMER_NEVER)) {
        TimerChoice::Never
    } else if is_on(locate.first_in(&dialog, ids::TIMER_SPECIFIC)) {
        locate
            .first_in(&dialog, ids::TIMER_AT)
            .and_then(|e| value_of(&e))
            .map_or(TimerChoice::Unreadable, |t| TimerChoice::at(&t))
    } else if is_on(locate.first_in(&dialog, ids::TIMER_USE)) {
        TimerChoice::countdown(
            number(locate.first_in(&dialog, ids::TIMER_HOURS)),
            number(locate.first_in(&dialog, ids::TIMER_MINUTES)),
        )
    } else {
        TimerChoice::Unreadable
    };
    Some(LoginDialog {
        queues,
        all_queues: all_toggle.as_ref().and_then(checked),
        timer,
    })
}

fn list_items(group: &Element) -> Vec<Element> {
    query_all(group, "li, [role=listitem]")
}

pub fn read_staffing(doc: &Document, locate: &mut Locate) -> Option<Vec<String>> {
    let group = locate.first(doc, ids::STAFFING_GROUP)?;
    Some(
        list_items(&group)
            .iter()
            .map(|li| text_of(li).trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    )
}

pub fn read_operators_online(doc: &Document, locate: &mut Locate) -> Option<Vec<String>> {
    let group = locate.first(doc, ids::OPERATORS_GROUP)?;
    let online = list_items(&group)
        .into_iter()
        .filter(|li| locate.first_in(li, ids::ONLINE_MARK).is_some())
        .map(|li| text_of(&li).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    Some(online)
}

/// "Chat with Guest 6CYJ on all_colleges" → ("Guest 6CYJ", "all_colleges").
fn guest_and_queue(name: &str) -> (Option<String>, Option<String>) {
    let name = name.trim();
    let rest = name
        .strip_prefix("Chat with ")
        .or_else(|| name.strip_prefix("chat with "))
        .unwrap_or(name);
    match rest.rsplit_once(" on ") {
        Some((guest, queue)) => (
            Some(guest.trim().to_string()),
            Some(queue.trim().to_string()),
        ),
        None => (Some(rest.to_string()).filter(|s| !s.is_empty()), None),
    }
}

/// Reads one chat pane. `me` is the operator's name (may be empty: then only what the
/// page says about the pane itself is used).
pub fn read_pane(pane: &Element, key: String, me: &str, locate: &mut Locate) -> ChatPane {
    let name = accessible_name(pane);
    let (guest, queue) = guest_and_queue(&name);
    let line = |locate: &mut Locate, id: &str| -> Option<String> {
        let phrases = locate.phrases(id);
        locate
            .all_in(pane, id)
            .last()
            .and_then(|el| line_match(&text_of(el), &phrases))
    };
    let answered_by = line(locate, ids::LINE_ANSWERED_BY).filter(|n| !n.is_empty());
    let transfer_line = locate
        .all_in(pane, ids::LINE_BEING_TRANSFERRED)
        .last()
        .cloned();
    let answered_line = locate.all_in(pane, ids::LINE_ANSWERED_BY).last().cloned();
    let cancelled_line = locate
        .all_in(pane, ids::LINE_TRANSFER_CANCELLED)
        .last()
        .cloned();
    // "being transferred" counts until a later "answered by" or "cancelled" settles it.
    let settled_after = |t: &Element, line: &Option<Element>| {
        line.as_ref().is_some_and(|l| {
            l.compare_document_position(t) & web_sys::Node::DOCUMENT_POSITION_PRECEDING != 0
        })
    };
    let being_transferred = transfer_line
        .as_ref()
        .is_some_and(|t| !settled_after(t, &answered_line) && !settled_after(t, &cancelled_line));
    let me_norm = normalize_text(me);
    let mine = !me_norm.is_empty() && answered_by.as_deref() == Some(me_norm.as_str());
    ChatPane {
        key,
        queue,
        guest,
        is_text: line(locate, ids::LINE_TEXTING).is_some(),
        is_offline_text: line(locate, ids::LINE_OFFLINE_TEXT).is_some(),
        is_backchat: normalize_text(&name).contains("backchat"),
        answered_by,
        being_transferred,
        transferred_to_me: line(locate, ids::LINE_TRANSFERRED_TO_ME).is_some(),
        operator_replied: mine,
        ended: line(locate, ids::LINE_ENDED).is_some(),
    }
}

/// The pane elements, in page order.
pub fn panes(doc: &Document, locate: &mut Locate) -> Vec<Element> {
    locate.all(doc, ids::CHAT_PANE)
}

pub fn read_canned(doc: &Document, locate: &mut Locate) -> Option<Vec<CannedMessage>> {
    let list = locate.first(doc, ids::CANNED_LIST)?;
    let options = list.query_selector_all("[role=option], option, li").ok()?;
    let mut out = Vec::new();
    for i in 0..options.length() {
        let Some(opt) = options.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        // Name: the first line of the option; text: the rest.
        let first = opt.first_element_child();
        let (name, text) = match (&first, opt.child_element_count()) {
            (Some(f), n) if n >= 2 => {
                let name = text_of(f).trim().to_string();
                let all = text_of(&opt);
                let text = all
                    .trim()
                    .strip_prefix(&name)
                    .unwrap_or(&all)
                    .trim()
                    .to_string();
                (name, text)
            }
            _ => {
                let t = text_of(&opt).trim().to_string();
                (t.clone(), t)
            }
        };
        if !name.is_empty() {
            out.push(CannedMessage { name, text });
        }
    }
    Some(out)
}

thread_local! {
    static NEXT_PANE: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// A key for a pane that stays while the pane element lives (kept in our own
/// attribute, which the observer does not watch).
pub fn pane_key(pane: &Element) -> String {
    if let Some(k) = pane.get_attribute(super::marks::PANE_KEY) {
        return k;
    }
    let n = NEXT_PANE.with(|c| {
        let n = c.get();
        c.set(n + 1);
        n
    });
    let key = format!("p{n}");
    let _ = pane.set_attribute(super::marks::PANE_KEY, &key);
    key
}

/// Everything the rules need from the page, in one pass.
pub fn read_snapshot(doc: &Document, locate: &mut Locate, me: &str) -> Snapshot {
    let pane_elements = panes(doc, locate);
    let chats = pane_elements
        .iter()
        .map(|p| read_pane(p, pane_key(p), me, locate))
        .collect();
    Snapshot {
        status: read_status(doc, locate),
        login_dialog: read_login_dialog(doc, locate),
        staffing: read_staffing(doc, locate),
        operators_online: read_operators_online(doc, locate),
        chats,
        history: None,
        autologout_popup_open: locate.first(doc, ids::AUTOLOGOUT_POPUP).is_some(),
        canned_offered: read_canned(doc, locate),
    }
}
