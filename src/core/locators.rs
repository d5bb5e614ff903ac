//! Every locator of the LibraryH3lp web client, in one table.
//!
//! Nobody on the team can open the real page, so each locator finds things by what a
//! person sees — visible text, `aria-label`, `role`, `title`, column headers — and only
//! as a last resort by CSS class. The page adapter (`src/page`) interprets this table;
//! settings may override any entry by id, so a page change can be fixed without a
//! release. The popup's page check lists each entry as found / not found.

use serde::{Deserialize, Serialize};

/// Bumped whenever an entry's meaning changes, so overrides written for an older table
/// can be recognised and reported.
pub const LOCATOR_TABLE_VERSION: u32 = 1;

/// How a locator finds its element(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum Find {
    /// A table whose header row contains every one of these column names.
    TableWithHeaders { headers: Vec<String> },
    /// A column of the table found by `within`, by its header text (any alternative).
    Column { any_of: Vec<String> },
    /// Elements with this ARIA role (explicit or implied by the tag) whose accessible
    /// name (aria-label, else visible text) matches one of the alternatives.
    /// An empty `any_of` accepts any name.
    Role { role: String, any_of: Vec<String> },
    /// Buttons, links, tabs, menu items, headings and labels whose visible text,
    /// `aria-label` or `title` matches one of the alternatives.
    Text { any_of: Vec<String> },
    /// A form control (input, select, textarea) labelled by one of the alternatives
    /// (a `<label>`, `aria-label` or `title`).
    Label { any_of: Vec<String> },
    /// A line of text (an element with no child elements) that contains one of the
    /// phrases: the system lines of a chat pane ("answered by NAME", …).
    Line { any_of: Vec<String> },
    /// A CSS selector — the last resort, for classes we cannot avoid.
    Css { selector: String },
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locator {
    /// Stable id: used by features, overrides and the page check.
    pub id: String,
    /// What the element is, in the operators' words (shown in the page check).
    pub purpose: String,
    /// Id of another locator to search inside, if any.
    pub within: Option<String>,
    pub find: Find,
    /// Some parts of the page only exist at some moments (the login dialog, the
    /// auto-logout popup). A missing optional locator is "not shown now", not broken.
    pub optional: bool,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn entry(id: &str, purpose: &str, within: Option<&str>, find: Find, optional: bool) -> Locator {
    Locator {
        id: id.to_string(),
        purpose: purpose.to_string(),
        within: within.map(str::to_string),
        find,
        optional,
    }
}

/// Locator ids, so feature code never spells an id twice.
pub mod ids {
    pub const HISTORY_TABLE: &str = "history.table";
    pub const HISTORY_OPERATOR: &str = "history.column.operator";
    pub const HISTORY_DURATION: &str = "history.column.duration";
    pub const HISTORY_QUEUE: &str = "history.column.queue";
    pub const HISTORY_GUEST: &str = "history.column.guest";
    pub const HISTORY_STARTED: &str = "history.column.started";
    pub const HISTORY_NAV: &str = "nav.chat_history";
    pub const PREFERENCES_NAV: &str = "nav.preferences";
    pub const LOGOUT_LINK: &str = "nav.logout";
    pub const STATUS_MENU: &str = "status.menu";
    pub const LOGIN_DIALOG: &str = "login.dialog";
    pub const QUEUE_TOGGLE: &str = "login.queue_toggle";
    pub const ALL_QUEUES_TOGGLE: &str = "login.all_queues";
    pub const TIMER_USE: &str = "login.timer.use";
    pub const TIMER_SPECIFIC: &str = "login.timer.specific_time";
    pub const TIMER_NEVER: &str = "login.timer.never";
    pub const TIMER_HOURS: &str = "login.timer.hours";
    pub const TIMER_MINUTES: &str = "login.timer.minutes";
    pub const TIMER_AT: &str = "login.timer.at";
    pub const CONNECT_NOW: &str = "login.connect_now";
    pub const CONTACTS: &str = "contacts.list";
    pub const STAFFING_GROUP: &str = "contacts.im_staffing";
    pub const GUESTS_GROUP: &str = "contacts.current_guests";
    pub const OPERATORS_GROUP: &str = "contacts.operators";
    pub const CHAT_PANE: &str = "chat.pane";
    pub const CHAT_TRANSFER: &str = "chat.transfer_button";
    pub const CHAT_CANNED: &str = "chat.canned_button";
    pub const CHAT_INPUT: &str = "chat.typing_area";
    pub const CANNED_LIST: &str = "canned.list";
    pub const AUTOLOGOUT_POPUP: &str = "autologout.popup";
    pub const REMAIN_LOGGED_IN: &str = "autologout.remain";
    pub const LOG_ME_OUT: &str = "autologout.log_me_out";
    pub const AUTOLOGOUT_NEW_TIMER: &str = "autologout.new_timer";
    pub const PREFS_TIMER_USE: &str = "prefs.timer.use";
    pub const PREFS_TIMER_SPECIFIC: &str = "prefs.timer.specific_time";
    pub const PREFS_TIMER_NEVER: &str = "prefs.timer.never";
    pub const PREFS_TIMER_HOURS: &str = "prefs.timer.hours";
    pub const PREFS_TIMER_MINUTES: &str = "prefs.timer.minutes";
    pub const PREFS_TIMER_AT: &str = "prefs.timer.at";
    pub const ONLINE_MARK: &str = "contacts.online_mark";
    pub const CHAT_SEND: &str = "chat.send_button";
    pub const CHAT_END: &str = "chat.end_button";
    pub const LINE_ANSWERED_BY: &str = "chat.line.answered_by";
    pub const LINE_BEING_TRANSFERRED: &str = "chat.line.being_transferred";
    pub const LINE_TRANSFERRED_TO_ME: &str = "chat.line.transferred_to_me";
    pub const LINE_TEXTING: &str = "chat.line.texting";
    pub const LINE_OFFLINE_TEXT: &str = "chat.line.offline_text";
    pub const LINE_ENDED: &str = "chat.line.ended";
    pub const LINE_TRANSFER_CANCELLED: &str = "chat.line.transfer_cancelled";
    pub const BACKCHAT_PANE: &str = "chat.backchat";
}

/// The default table, written from what LibraryH3lp's public documentation shows
/// (`shared/docs/libraryh3lp-web-client.md`).
pub fn default_table() -> Vec<Locator> {
    use ids::*;
    let role = |r: &str, names: &[&str]| Find::Role {
        role: r.to_string(),
        any_of: strings(names),
    };
    let text = |names: &[&str]| Find::Text {
        any_of: strings(names),
    };
    let label = |names: &[&str]| Find::Label {
        any_of: strings(names),
    };
    let column = |names: &[&str]| Find::Column {
        any_of: strings(names),
    };
    let line = |phrases: &[&str]| Find::Line {
        any_of: strings(phrases),
    };
    vec![
        entry(
            HISTORY_TABLE,
            "Chat History table",
            None,
            Find::TableWithHeaders {
                headers: strings(&["Operator", "Duration"]),
            },
            true,
        ),
        entry(
            HISTORY_OPERATOR,
            "Chat History column: Operator",
            Some(HISTORY_TABLE),
            column(&["Operator"]),
            true,
        ),
        entry(
            HISTORY_DURATION,
            "Chat History column: Duration",
            Some(HISTORY_TABLE),
            column(&["Duration"]),
            true,
        ),
        entry(
            HISTORY_QUEUE,
            "Chat History column: Queue",
            Some(HISTORY_TABLE),
            column(&["Queue"]),
            true,
        ),
        entry(
            HISTORY_GUEST,
            "Chat History column: Guest",
            Some(HISTORY_TABLE),
            column(&["Guest", "Visitor"]),
            true,
        ),
        entry(
            HISTORY_STARTED,
            "Chat History column: Started",
            Some(HISTORY_TABLE),
            column(&["Started", "Start", "Time"]),
            true,
        ),
        entry(
            HISTORY_NAV,
            "Left navigation: Chat History and Activity",
            None,
            text(&["Chat History and Activity", "Chat History"]),
            false,
        ),
        entry(
            PREFERENCES_NAV,
            "Left navigation: Preferences",
            None,
            text(&["Preferences"]),
            false,
        ),
        entry(
            LOGOUT_LINK,
            "Left navigation: log out",
            None,
            text(&["Logout", "Log out"]),
            true,
        ),
        entry(
            STATUS_MENU,
            "Status drop-down (Available / Away / Busy / Logout)",
            None,
            label(&["Status"]),
            false,
        ),
        entry(
            LOGIN_DIALOG,
            "Login dialog: Choose Staffing Assignments",
            None,
            role(
                "dialog",
                &[
                    "Choose Staffing Assignments",
                    "Review staffing assignments before connecting",
                ],
            ),
            true,
        ),
        entry(
            QUEUE_TOGGLE,
            "Login dialog: one toggle per queue",
            Some(LOGIN_DIALOG),
            Find::Role {
                role: "checkbox".into(),
                any_of: vec![],
            },
            true,
        ),
        entry(
            ALL_QUEUES_TOGGLE,
            "Login dialog: Receive chats on ALL queues",
            Some(LOGIN_DIALOG),
            label(&["Receive chats on ALL queues"]),
            true,
        ),
        entry(
            TIMER_USE,
            "Auto-logout: Use timer",
            Some(LOGIN_DIALOG),
            label(&["Use timer"]),
            true,
        ),
        entry(
            TIMER_SPECIFIC,
            "Auto-logout: log out at a specific time",
            Some(LOGIN_DIALOG),
            label(&["Log out at a specific time", "Specific time"]),
            true,
        ),
        entry(
            TIMER_NEVER,
            "Auto-logout: Never auto-logout",
            Some(LOGIN_DIALOG),
            label(&["Never auto-logout"]),
            true,
        ),
        entry(
            TIMER_HOURS,
            "Auto-logout timer: hours",
            Some(LOGIN_DIALOG),
            label(&["Hours"]),
            true,
        ),
        entry(
            TIMER_MINUTES,
            "Auto-logout timer: minutes",
            Some(LOGIN_DIALOG),
            label(&["Minutes"]),
            true,
        ),
        entry(
            TIMER_AT,
            "Auto-logout: logout time",
            Some(LOGIN_DIALOG),
            label(&["Logout time", "Log out at"]),
            true,
        ),
        entry(
            CONNECT_NOW,
            "Login dialog: Connect now",
            Some(LOGIN_DIALOG),
            text(&["Connect now"]),
            true,
        ),
        entry(
            CONTACTS,
            "Contacts list",
            None,
            role("navigation", &["Contacts"]),
            false,
        ),
        entry(
            STAFFING_GROUP,
            "Contacts: I'm Staffing",
            Some(CONTACTS),
            role("group", &["I'm Staffing", "I’m Staffing"]),
            false,
        ),
        entry(
            GUESTS_GROUP,
            "Contacts: Current Guests",
            Some(CONTACTS),
            role("group", &["Current Guests"]),
            true,
        ),
        entry(
            OPERATORS_GROUP,
            "Contacts: operators",
            Some(CONTACTS),
            role("group", &["Operators", "Colleagues"]),
            true,
        ),
        entry(CHAT_PANE, "Chat panes", None, role("region", &[]), true),
        entry(
            CHAT_TRANSFER,
            "Chat toolbar: Transfer",
            Some(CHAT_PANE),
            text(&["Transfer"]),
            true,
        ),
        entry(
            CHAT_CANNED,
            "Chat toolbar: canned messages",
            Some(CHAT_PANE),
            text(&["Canned messages", "Canned message"]),
            true,
        ),
        entry(
            CHAT_INPUT,
            "Chat typing area",
            Some(CHAT_PANE),
            role("textbox", &[]),
            true,
        ),
        entry(
            CANNED_LIST,
            "Canned messages list",
            None,
            role("listbox", &["Canned messages"]),
            true,
        ),
        entry(
            AUTOLOGOUT_POPUP,
            "Auto-logout popup",
            None,
            role(
                "alertdialog",
                &["Auto-logout", "Auto logout", "You will be logged out"],
            ),
            true,
        ),
        entry(
            REMAIN_LOGGED_IN,
            "Auto-logout popup: Remain logged in",
            Some(AUTOLOGOUT_POPUP),
            text(&["Remain logged in"]),
            true,
        ),
        entry(
            LOG_ME_OUT,
            "Auto-logout popup: Log me out",
            Some(AUTOLOGOUT_POPUP),
            text(&["Log me out"]),
            true,
        ),
        entry(
            AUTOLOGOUT_NEW_TIMER,
            "Auto-logout popup: new timer (minutes)",
            Some(AUTOLOGOUT_POPUP),
            label(&["New timer (minutes)", "New timer"]),
            true,
        ),
        // Preferences repeat the login dialog's auto-logout controls; while connected the
        // dialog is gone, so these find the Preferences ones.
        entry(
            PREFS_TIMER_USE,
            "Preferences: auto-logout Use timer",
            None,
            label(&["Use timer"]),
            true,
        ),
        entry(
            PREFS_TIMER_SPECIFIC,
            "Preferences: log out at a specific time",
            None,
            label(&["Log out at a specific time", "Specific time"]),
            true,
        ),
        entry(
            PREFS_TIMER_NEVER,
            "Preferences: Never auto-logout",
            None,
            label(&["Never auto-logout"]),
            true,
        ),
        entry(
            PREFS_TIMER_HOURS,
            "Preferences: auto-logout timer hours",
            None,
            label(&["Hours"]),
            true,
        ),
        entry(
            PREFS_TIMER_MINUTES,
            "Preferences: auto-logout timer minutes",
            None,
            label(&["Minutes"]),
            true,
        ),
        entry(
            PREFS_TIMER_AT,
            "Preferences: logout time",
            None,
            label(&["Logout time", "Log out at"]),
            true,
        ),
        entry(
            ONLINE_MARK,
            "Contacts: an operator's online mark",
            Some(OPERATORS_GROUP),
            role("img", &["online", "available"]),
            true,
        ),
        entry(
            CHAT_SEND,
            "Chat: Send button",
            Some(CHAT_PANE),
            text(&["Send"]),
            true,
        ),
        entry(
            CHAT_END,
            "Chat: End button (closes the chat)",
            Some(CHAT_PANE),
            text(&["End", "End chat"]),
            true,
        ),
        entry(
            BACKCHAT_PANE,
            "Backchat pane",
            None,
            role("region", &["Chat with backchat", "backchat"]),
            true,
        ),
        entry(
            LINE_ANSWERED_BY,
            "Chat line: answered by NAME",
            Some(CHAT_PANE),
            line(&["answered by"]),
            true,
        ),
        entry(
            LINE_BEING_TRANSFERRED,
            "Chat line: being transferred",
            Some(CHAT_PANE),
            line(&["being transferred"]),
            true,
        ),
        entry(
            LINE_TRANSFERRED_TO_ME,
            "Chat line: transferred to you",
            Some(CHAT_PANE),
            line(&["Transferred to you by"]),
            true,
        ),
        entry(
            LINE_TEXTING,
            "Chat line: The guest is texting.",
            Some(CHAT_PANE),
            line(&["The guest is texting"]),
            true,
        ),
        entry(
            LINE_OFFLINE_TEXT,
            "Chat line: sent while the service was offline",
            Some(CHAT_PANE),
            line(&["while the service was offline"]),
            true,
        ),
        entry(
            LINE_ENDED,
            "Chat line: the guest left / chat ended",
            Some(CHAT_PANE),
            line(&["Guest has left the chat", "This chat has ended"]),
            true,
        ),
        entry(
            LINE_TRANSFER_CANCELLED,
            "Chat line: the transfer was cancelled",
            Some(CHAT_PANE),
            line(&["Transfer cancelled", "transfer was cancelled"]),
            true,
        ),
    ]
}

/// The table with configured overrides applied (by id). Overrides for unknown ids are
/// returned separately so the options page can report them instead of dropping them.
pub fn with_overrides(overrides: &[Locator]) -> (Vec<Locator>, Vec<String>) {
    let mut table = default_table();
    let mut unknown = Vec::new();
    for o in overrides {
        match table.iter_mut().find(|l| l.id == o.id) {
            Some(slot) => *slot = o.clone(),
            None => unknown.push(o.id.clone()),
        }
    }
    (table, unknown)
}

/// Text as a person reads it: non-breaking and other Unicode spaces folded, runs of
/// white space collapsed, trimmed, case folded, typographic apostrophes made plain.
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for ch in raw.chars() {
        if ch.is_whitespace() || ch == '\u{00a0}' || ch == '\u{200b}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let ch = match ch {
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        };
        out.extend(ch.to_lowercase());
    }
    out
}

/// Whether visible text matches any of a locator's alternatives (after normalising).
/// An alternative matches the whole text, or its start when what follows has no
/// letters: a count or a sort glyph ("Current Guests (3)", "Operator↕") still matches,
/// another label ("Log out at a specific time", "Status message") does not.
pub fn text_matches(text: &str, any_of: &[String]) -> bool {
    if any_of.is_empty() {
        return true;
    }
    let text = normalize_text(text);
    any_of.iter().any(|alt| {
        let alt = normalize_text(alt);
        if alt.is_empty() {
            return false;
        }
        text == alt
            || text.strip_prefix(alt.as_str()).is_some_and(|rest| {
                rest.starts_with(|c: char| !c.is_alphanumeric())
                    && !rest.chars().any(char::is_alphabetic)
            })
    })
}

/// Whether a line of text contains one of the phrases (normalised), and what follows
/// the first one found ("answered by amy_humber" → "amy_humber").
pub fn line_match(text: &str, phrases: &[String]) -> Option<String> {
    let norm = normalize_text(text);
    phrases.iter().find_map(|p| {
        let p = normalize_text(p);
        if p.is_empty() {
            return None;
        }
        let at = norm.find(&p)?;
        let rest = norm[at + p.len()..]
            .trim()
            .trim_end_matches(['.', '!'])
            .trim()
            .to_string();
        Some(rest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn phrases_are_found_in_lines_and_return_what_follows() {
        let answered = vec!["answered by".to_string()];
        assert_eq!(
            line_match("Chat answered by Amy_Humber.", &answered).as_deref(),
            Some("amy_humber")
        );
        assert_eq!(line_match("Guest: hello", &answered), None);
        assert_eq!(line_match("anything", &[String::new()]), None);
    }

    #[test]
    fn ids_are_unique_and_within_refers_to_existing_entries() {
        let table = default_table();
        let ids: HashSet<_> = table.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids.len(), table.len(), "duplicate locator id");
        for l in &table {
            if let Some(w) = &l.within {
                assert!(ids.contains(w.as_str()), "{} is within unknown {}", l.id, w);
            }
        }
    }

    #[test]
    fn classes_are_a_last_resort() {
        assert!(default_table()
            .iter()
            .all(|l| !matches!(l.find, Find::Css { .. })));
    }

    #[test]
    fn overrides_replace_by_id_and_report_unknown_ids() {
        let mut o = default_table()[0].clone();
        o.find = Find::Css {
            selector: "table.history".into(),
        };
        let bogus = entry("no.such", "x", None, Find::Text { any_of: vec![] }, true);
        let (table, unknown) = with_overrides(&[o.clone(), bogus]);
        assert_eq!(table[0], o);
        assert_eq!(unknown, vec!["no.such".to_string()]);
    }

    #[test]
    fn text_matching_folds_spaces_case_and_apostrophes() {
        let alts = vec!["I'm Staffing".to_string()];
        assert!(text_matches("  I’m\u{a0}STAFFING ", &alts));
        assert!(text_matches("I'm Staffing (2)", &alts));
        assert!(text_matches("Operator↕", &["Operator".to_string()]));
        assert!(!text_matches(
            "Log out at a specific time",
            &["Log out".to_string()]
        ));
        assert!(!text_matches("Status message", &["Status".to_string()]));
        assert!(!text_matches("I'm Staffingly", &alts));
        assert!(!text_matches("Not I'm Staffing", &alts));
        assert!(text_matches("anything", &[]));
    }
}
