//! Reads the web client into a `Snapshot` (everything but Chat History rows, which the
//! `new-chats` feature reads incrementally). One pass per flush, through the locator
//! table only. What cannot be read stays `None`, never guessed.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

use super::find::{self, checked, control_name, status_value};
use super::locate::Locate;
use super::{accessible_name, query_all, text_of};
use crate::core::locators::{ids, line_match, normalize_text, text_matches, Find};
use crate::core::settings::Settings;
use crate::core::snapshot::{
    parse_tally, CannedMessage, ChatPane, LoginDialog, QueueToggle, Snapshot, Status, TimerChoice,
};

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

/// The status the status control shows (a select's choice, a button's word, an icon's
/// `alt`); `None` when no control was found or it shows nothing.
pub fn read_status(doc: &Document, locate: &mut Locate) -> Option<Status> {
    let menu = locate.first(doc, ids::STATUS_MENU)?;
    let words = match locate.find_of(ids::STATUS_MENU) {
        Some(Find::Status { any_of }) => any_of.clone(),
        _ => Vec::new(),
    };
    status_value(&menu, &words).map(|v| Status::parse(&v))
}

fn number(el: Option<Element>) -> Option<u32> {
    value_of(&el?)?.trim().parse::<u32>().ok()
}

pub fn read_login_dialog(doc: &Document, locate: &mut Locate) -> Option<LoginDialog> {
    let dialog = locate.first(doc, ids::LOGIN_DIALOG)?;
    let all_toggle = locate.first_in(&dialog, ids::ALL_QUEUES_TOGGLE);
    // The auto-logout choices are not queues, whatever control the page uses for them.
    let mut not_queues: Vec<Element> = all_toggle.iter().cloned().collect();
    for id in [ids::TIMER_USE, ids::TIMER_SPECIFIC, ids::TIMER_NEVER] {
        not_queues.extend(locate.all_in(&dialog, id));
    }
    let mut queues = Vec::new();
    for toggle in locate.all_in(&dialog, ids::QUEUE_TOGGLE) {
        if not_queues.iter().any(|n| n.is_same_node(Some(&toggle))) {
            continue;
        }
        if let Some(on) = checked(&toggle) {
            let name = control_name(&toggle).trim().to_string();
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

/// The entries of a contacts group, as elements with their text: list items where the
/// page has lists, else its lines of text (a re-com list is boxes of spans). The
/// group's own title and bare counts ("(3)", "2/5") are not entries.
fn entries(group: &Element, titles: &[String]) -> Vec<(Element, String)> {
    let items = query_all(group, "li, [role=listitem], [role=option], [role=row]");
    let raw: Vec<(Element, String)> = if items.is_empty() {
        find::lines(group)
    } else {
        items
            .into_iter()
            .map(|li| {
                let t = text_of(&li);
                (li, t)
            })
            .collect()
    };
    raw.into_iter()
        .map(|(el, t)| (el, t.trim().to_string()))
        .filter(|(_, t)| !t.is_empty() && !text_matches(t, titles))
        .filter(|(_, t)| t.chars().any(char::is_alphabetic))
        .collect()
}

/// A queue's name is one word (`all_colleges`, `seneca-htf`): a line of a re-com list
/// that is a sentence ("Not connected") is not a queue.
fn looks_like_queue(name: &str) -> bool {
    !name.contains(char::is_whitespace) && (2..=64).contains(&name.chars().count())
}

pub fn read_staffing(doc: &Document, locate: &mut Locate) -> Option<Vec<String>> {
    let group = locate.first(doc, ids::STAFFING_GROUP)?;
    let titles = locate.words(ids::STAFFING_GROUP);
    let listed = !query_all(&group, "li, [role=listitem], [role=option], [role=row]").is_empty();
    Some(
        entries(&group, &titles)
            .into_iter()
            // A queue listed with a checkbox (the real client's tab lists every queue
            // assigned, ticked when staffed) counts only when ticked.
            .filter(|(el, _)| ticked_beside(el, &group) != Some(false))
            .map(|(_, t)| t)
            .filter(|t| listed || looks_like_queue(t))
            .collect(),
    )
}

/// The state of the checkbox or switch an entry carries, in itself or in the small row
/// around it (not the whole group); `None` when it has none.
fn ticked_beside(entry: &Element, group: &Element) -> Option<bool> {
    const CHOICE: &str = "input[type=checkbox], [role=checkbox], [role=switch]";
    let mut at = Some(entry.clone());
    for _ in 0..3 {
        let el = at?;
        if el.is_same_node(Some(group.unchecked_ref())) {
            return None;
        }
        let boxes = query_all(&el, CHOICE);
        let own = el.matches(CHOICE).unwrap_or(false);
        match (own, boxes.len()) {
            (true, _) => return Some(is_ticked(&el)),
            (false, 1) => return Some(is_ticked(&boxes[0])),
            (false, n) if n > 1 => return None,
            _ => {}
        }
        at = el.parent_element();
    }
    None
}

fn is_ticked(choice: &Element) -> bool {
    choice
        .dyn_ref::<web_sys::HtmlInputElement>()
        .map(|i| i.checked())
        .unwrap_or_else(|| choice.get_attribute("aria-checked").as_deref() == Some("true"))
}

/// "I'm Staffing (2/5)": how many queues are opted in, of how many assigned, read from
/// the title even while its tab is not selected.
pub fn read_staffing_tally(doc: &Document, locate: &Locate) -> Option<(u32, u32)> {
    let titles = locate.words(ids::STAFFING_GROUP);
    let root = doc.document_element()?;
    find::with_text(&root, &titles)
        .iter()
        .find_map(|t| parse_tally(&text_of(t)))
}

/// Operators shown online in the contacts list: entries of the operators' group with
/// an online mark. Where the service names that group otherwise, the whole Guests &
/// Contacts tab is read, leaving out its guests and its queues (`not_people`).
pub fn read_operators_online(
    doc: &Document,
    locate: &mut Locate,
    not_people: &[String],
) -> Option<Vec<String>> {
    let group = locate.first(doc, ids::OPERATORS_GROUP)?;
    let guests = locate.first(doc, ids::GUESTS_GROUP);
    let titles = locate.words(ids::OPERATORS_GROUP);
    let mut online = Vec::new();
    for (entry, name) in entries(&group, &titles) {
        if guests
            .as_ref()
            .is_some_and(|g| g.contains(Some(entry.unchecked_ref())))
            || not_people
                .iter()
                .any(|q| normalize_text(q) == normalize_text(&name))
        {
            continue;
        }
        // The mark sits in the entry, or beside it in the entry's small row.
        // (A parent holding nothing else to read: the entry's name and its icons.)
        let row = entry
            .parent_element()
            .filter(|p| {
                p.child_element_count() <= 4
                    && !p.is_same_node(Some(group.unchecked_ref()))
                    && normalize_text(&text_of(p)) == normalize_text(&name)
            })
            .unwrap_or_else(|| entry.clone());
        if locate.first_in(&entry, ids::ONLINE_MARK).is_some()
            || locate.first_in(&row, ids::ONLINE_MARK).is_some()
        {
            online.push(name);
        }
    }
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

/// A pane's title: its label where the page gives one, else the words of its first
/// part that has any (the title bar: queue name and guest id, or "backchat"), each
/// line apart.
fn pane_title(pane: &Element) -> String {
    if pane.has_attribute("aria-label") || pane.has_attribute("aria-labelledby") {
        return accessible_name(pane);
    }
    let mut at = pane.first_element_child();
    while let Some(el) = at {
        if !text_of(&el).trim().is_empty() {
            let words: Vec<String> = find::lines(&el)
                .into_iter()
                .map(|(_, t)| t.trim().to_string())
                .collect();
            return if words.is_empty() {
                text_of(&el)
            } else {
                words.join(" ")
            };
        }
        at = el.next_element_sibling();
    }
    String::new()
}

/// Guest and queue from a title such as "all_colleges Guest 6CYJ" (the real client's
/// title bar) when it names a known queue; else as `guest_and_queue` reads a label.
fn title_parts(title: &str, queues: &[String]) -> (Option<String>, Option<String>) {
    // A label that says it in words ("Chat with Guest 6CYJ on all_colleges") first.
    if let label @ (Some(_), Some(_)) = guest_and_queue(title) {
        return label;
    }
    let words: Vec<&str> = title.split_whitespace().collect();
    let known = words.iter().position(|w| {
        queues
            .iter()
            .any(|q| normalize_text(q) == normalize_text(w))
    });
    match known {
        Some(i) => {
            let guest: Vec<&str> = words
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, w)| *w)
                .collect();
            (
                Some(guest.join(" ")).filter(|g| !g.is_empty()),
                Some(words[i].to_string()),
            )
        }
        None => guest_and_queue(title),
    }
}

/// Reads one chat pane. `me` is the operator's name (may be empty: then only what the
/// page says about the pane itself is used); `queues` the queue names it may show.
pub fn read_pane(
    pane: &Element,
    key: String,
    me: &str,
    queues: &[String],
    locate: &mut Locate,
) -> ChatPane {
    let lines = find::lines(pane);
    let title = pane_title(pane);
    let (guest, queue) = title_parts(&title, queues);
    // The last line each system-line locator finds (its index in `lines`), and what
    // follows its phrase. An override that is not a `Line` is looked up as it says.
    let last_line = |locate: &mut Locate, id: &str| -> Option<(usize, String)> {
        let phrases = locate.phrases(id);
        let hit = if phrases.is_empty() {
            let found = locate.all_in(pane, id);
            found.last().and_then(|el| {
                lines
                    .iter()
                    .rposition(|(l, _)| l.is_same_node(Some(el)))
                    .map(|i| (i, String::new()))
            })
        } else {
            lines
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, (_, t))| line_match(t, &phrases).map(|rest| (i, rest)))
        };
        if hit.is_some() {
            locate.record(id, true);
        }
        hit
    };
    let answered = last_line(locate, ids::LINE_ANSWERED_BY);
    let transferring = last_line(locate, ids::LINE_BEING_TRANSFERRED);
    let cancelled = last_line(locate, ids::LINE_TRANSFER_CANCELLED);
    // "being transferred" counts until a later "answered by" or "cancelled" settles it.
    let after =
        |line: &Option<(usize, String)>, t: usize| line.as_ref().is_some_and(|(i, _)| *i > t);
    let being_transferred = transferring
        .as_ref()
        .is_some_and(|(t, _)| !after(&answered, *t) && !after(&cancelled, *t));
    let answered_by = answered.map(|(_, who)| who).filter(|n| !n.is_empty());
    let me_norm = normalize_text(me);
    let mine = !me_norm.is_empty() && answered_by.as_deref() == Some(me_norm.as_str());
    let backchat = locate.phrases(ids::BACKCHAT_PANE);
    ChatPane {
        key,
        queue,
        guest,
        is_text: last_line(locate, ids::LINE_TEXTING).is_some(),
        is_offline_text: last_line(locate, ids::LINE_OFFLINE_TEXT).is_some(),
        is_backchat: line_match(&title, &backchat).is_some()
            || normalize_text(&title).contains("backchat"),
        answered_by,
        being_transferred,
        transferred_to_me: last_line(locate, ids::LINE_TRANSFERRED_TO_ME).is_some(),
        operator_replied: mine,
        ended: last_line(locate, ids::LINE_ENDED).is_some(),
    }
}

/// The pane elements, in page order.
pub fn panes(doc: &Document, locate: &mut Locate) -> Vec<Element> {
    locate.all(doc, ids::CHAT_PANE)
}

pub fn read_canned(doc: &Document, locate: &mut Locate) -> Option<Vec<CannedMessage>> {
    let list = locate.first(doc, ids::CANNED_LIST)?;
    let marked = list.query_selector_all("[role=option], option, li").ok()?;
    let mut items: Vec<Element> = (0..marked.length())
        .filter_map(|i| marked.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .collect();
    if items.is_empty() {
        // Boxes without roles: below the wrappers that hold one box each, the
        // first box holding several is the list, its children the messages.
        let mut at = list.clone();
        while at.child_element_count() == 1 {
            match at.first_element_child() {
                Some(c) => at = c,
                None => break,
            }
        }
        let children = at.children();
        items = (0..children.length())
            .filter_map(|i| children.item(i))
            .collect();
    }
    let mut out = Vec::new();
    for opt in items {
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
/// The settings give the operator's name (to tell "answered by" me from a colleague)
/// and the queues (names in the contacts list that are never people).
pub fn read_snapshot(doc: &Document, locate: &mut Locate, settings: &Settings) -> Snapshot {
    let me = settings.operator_name.as_str();
    let queues: Vec<String> = settings
        .queues
        .expected
        .iter()
        .chain(&settings.queues.home_team)
        .cloned()
        .collect();
    let pane_elements = panes(doc, locate);
    let chats = pane_elements
        .iter()
        .map(|p| read_pane(p, pane_key(p), me, &queues, locate))
        .collect();
    let snapshot = Snapshot {
        status: read_status(doc, locate),
        login_dialog: read_login_dialog(doc, locate),
        staffing: read_staffing(doc, locate),
        operators_online: read_operators_online(doc, locate, &queues),
        staffing_tally: read_staffing_tally(doc, locate),
        chats,
        history: None,
        autologout_popup_open: locate.first(doc, ids::AUTOLOGOUT_POPUP).is_some(),
        canned_offered: read_canned(doc, locate),
    };
    // I'm Staffing may be a tab not selected ("not shown now"); connected with neither
    // its list nor its title to be found, it is missing.
    if snapshot.connected() && snapshot.staffing.is_none() && snapshot.staffing_tally.is_none() {
        locate.expect(ids::STAFFING_GROUP);
    }
    snapshot
}
