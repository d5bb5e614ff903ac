//! Every locator of the LibraryH3lp web client, in one table.
//!
//! Nobody on the team can open the real page, so each locator finds things by what a
//! person sees — visible text, `aria-label`, `role`, `title`, column headers — and only
//! as a last resort by CSS class. The page adapter (`src/page`) interprets this table;
//! settings may override any entry by id, so a page change can be fixed without a
//! release. The popup's page check lists each entry as found / not found.

use serde::{Deserialize, Serialize};

/// Bumped whenever an entry's meaning changes, so overrides written for an older table
/// can be recognised and reported. 2: words before structure (grids, boxes, sections,
/// controls by the text beside them, the status control, icons, panes around a typing
/// area, system lines anchored at their start).
pub const LOCATOR_TABLE_VERSION: u32 = 2;

/// Which form controls a `Control` locator considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// Any form control.
    #[default]
    Any,
    /// Something that is on or off: a checkbox, a radio button or a switch.
    Choice,
    /// A checkbox or a switch (not a radio button).
    Checkbox,
    /// A radio button.
    Radio,
    /// A field to type or pick a value in: a text, number or time input, a select.
    Field,
    /// Where a message is typed: a textarea or an editable box.
    TypingArea,
}

/// How a locator finds its element(s). Words first — visible text, the text beside a
/// control, `aria-label`, `title`, `alt`, header texts — roles where present but never
/// required, classes only as the last resort (`Icon` reads icon names, `Css` anything).
/// Read through `core::flat` (a flat struct: smaller code than the derive's buffering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "snake_case",
    tag = "by",
    try_from = "super::flat::FindFields"
)]
pub enum Find {
    /// A table — a `<table>`, ARIA table or grid, or boxes laid out as one — whose header
    /// row shows every one of these column names.
    #[serde(alias = "table_with_headers")]
    Grid { headers: Vec<String> },
    /// A column of the grid found by `within`, by its header text (any alternative).
    Column { any_of: Vec<String> },
    /// Elements with this ARIA role (explicit or implied by the tag) whose accessible
    /// name (aria-label, else visible text) matches one of the alternatives.
    /// An empty `any_of` accepts any name.
    Role { role: String, any_of: Vec<String> },
    /// The element whose visible text, `aria-label`, `title` or `alt` is one of the
    /// alternatives (the innermost one: a button's label, a tab, a menu item, a link).
    Text { any_of: Vec<String> },
    /// A form control named by one of the alternatives: its `<label>`, ARIA name,
    /// `title`, placeholder, or the text beside it (re-com puts a checkbox's text in a
    /// sibling `<span>`). An empty `any_of` accepts any control of the kind.
    #[serde(alias = "label")]
    Control {
        #[serde(default)]
        kind: ControlKind,
        any_of: Vec<String>,
    },
    /// A line of text (an element holding only inline content) that starts with one of
    /// the phrases: the system lines of a chat pane ("answered by NAME", …). Anchored
    /// at the start so that a visitor writing the words mid-sentence is not a system
    /// line. In a phrase, "…" stands for any text; a phrase starting with "…" may stand
    /// anywhere in the line.
    Line { any_of: Vec<String> },
    /// The nearest container holding one text of each group — a dialog is the box
    /// around its title and its "Connect now" — widened to the floating box around it
    /// (a dialog role, or fixed / absolute positioning) when there is one close by.
    #[serde(rename = "box")]
    Container { anchors: Vec<Vec<String>> },
    /// The part of the page a heading or a tab with one of these titles introduces: the
    /// heading's group, or a selected tab's content (a tab not selected is not shown).
    Section { titles: Vec<String> },
    /// The control that shows the operator's status: a `<select>` offering these words,
    /// or a button whose text or icon `alt` is one of them.
    Status { any_of: Vec<String> },
    /// Icons by name: `alt`, `aria-label`, `title`, or a dash-separated part of an
    /// icon's class name (`zmdi-power`, `fa-power-off`) — icon names are words of a
    /// sort, but they are classes: a fallback after the visible words.
    Icon { any_of: Vec<String> },
    /// Around each typing area, the widest part of the page that holds no other typing
    /// area and nothing the `apart_from` locators find: one chat pane each.
    Pane { apart_from: Vec<String> },
    /// The first of these that finds anything.
    AnyOf { of: Vec<Find> },
    /// A CSS selector — the last resort, for classes we cannot avoid.
    Css { selector: String },
}

impl Find {
    /// Every word the locator looks for (the page skeleton keeps these, and only these).
    pub fn words(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_words(&mut out);
        out
    }

    fn collect_words<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Find::Grid { headers: w }
            | Find::Column { any_of: w }
            | Find::Role { any_of: w, .. }
            | Find::Text { any_of: w }
            | Find::Control { any_of: w, .. }
            | Find::Line { any_of: w }
            | Find::Section { titles: w }
            | Find::Status { any_of: w }
            | Find::Icon { any_of: w } => out.extend(w.iter().map(String::as_str)),
            Find::Container { anchors } => out.extend(anchors.iter().flatten().map(String::as_str)),
            Find::AnyOf { of } => of.iter().for_each(|f| f.collect_words(out)),
            Find::Pane { .. } | Find::Css { .. } => {}
        }
    }

    /// The kind of finding, as its settings spell it (`"text"`, `"box"`, …).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Find::Grid { .. } => "grid",
            Find::Column { .. } => "column",
            Find::Role { .. } => "role",
            Find::Text { .. } => "text",
            Find::Control { .. } => "control",
            Find::Line { .. } => "line",
            Find::Container { .. } => "box",
            Find::Section { .. } => "section",
            Find::Status { .. } => "status",
            Find::Icon { .. } => "icon",
            Find::Pane { .. } => "pane",
            Find::AnyOf { .. } => "any_of",
            Find::Css { .. } => "css",
        }
    }

    /// Whether the locator depends on how the page is built rather than on what it
    /// says (a CSS selector): a page update may break it, so the page check says so.
    pub fn fragile(&self) -> bool {
        match self {
            Find::Css { .. } => true,
            Find::AnyOf { of } => of.iter().any(Find::fragile),
            _ => false,
        }
    }
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

/// The parts of the page a chat pane never contains: a pane is what lies around one
/// typing area, short of these.
/// (Big parts only: an icon of the rail's kind may also stand in a pane's toolbar.)
const NOT_IN_A_PANE: &[&str] = &[
    ids::STATUS_MENU,
    ids::CONTACTS,
    ids::HISTORY_TABLE,
    ids::LOGIN_DIALOG,
    ids::AUTOLOGOUT_POPUP,
];

/// The default table, written from what LibraryH3lp's public documentation says and
/// the one piece of markup evidence (`shared/docs/libraryh3lp-web-client.md`): the
/// words are documented, the structure is not, so every entry finds its part by words
/// and works whether or not the page carries roles and labels.
pub fn default_table() -> Vec<Locator> {
    use ids::*;
    let role = |r: &str, names: &[&str]| Find::Role {
        role: r.to_string(),
        any_of: strings(names),
    };
    let text = |names: &[&str]| Find::Text {
        any_of: strings(names),
    };
    let control = |kind: ControlKind, names: &[&str]| Find::Control {
        kind,
        any_of: strings(names),
    };
    let column = |names: &[&str]| Find::Column {
        any_of: strings(names),
    };
    let line = |phrases: &[&str]| Find::Line {
        any_of: strings(phrases),
    };
    let icon = |names: &[&str]| Find::Icon {
        any_of: strings(names),
    };
    let section = |titles: &[&str]| Find::Section {
        titles: strings(titles),
    };
    let container = |anchors: &[&[&str]]| Find::Container {
        anchors: anchors.iter().map(|a| strings(a)).collect(),
    };
    let any_of = |of: Vec<Find>| Find::AnyOf { of };
    use ControlKind::{Checkbox, Choice, Field, TypingArea};
    const STAFFING: &[&str] = &["I'm Staffing"];
    vec![
        entry(
            HISTORY_TABLE,
            "Chat History table",
            None,
            Find::Grid {
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
        // The real left rail is icons only, named in a hover popover: the icon names
        // are the fallback ("the list icon", the gear).
        entry(
            HISTORY_NAV,
            "Left navigation: Chat History and Activity",
            None,
            any_of(vec![
                text(&["Chat History and Activity", "Chat History"]),
                icon(&["view-list", "format-list-bulleted", "history"]),
            ]),
            false,
        ),
        entry(
            PREFERENCES_NAV,
            "Left navigation: Preferences",
            None,
            any_of(vec![
                text(&["Preferences"]),
                icon(&["settings", "gear", "cog"]),
            ]),
            false,
        ),
        // The Logout link of a rail, or the Logout item of the status menu while it is
        // open; the power icon at the bottom of an icon-only rail.
        entry(
            LOGOUT_LINK,
            "Log out (left navigation or status menu)",
            None,
            any_of(vec![
                text(&["Logout", "Log out"]),
                icon(&[
                    "power",
                    "power-off",
                    "power-settings-new",
                    "sign-out",
                    "logout",
                ]),
            ]),
            true,
        ),
        entry(
            STATUS_MENU,
            "Status menu (Available / Away / Busy / Logout)",
            None,
            // The words it may show, logged out included ("OFFLINE" on the real client
            // is a guess; Status::parse reads each of them).
            Find::Status {
                any_of: strings(&[
                    "Available",
                    "Away",
                    "Busy",
                    "Logout",
                    "Offline",
                    "Unavailable",
                ]),
            },
            false,
        ),
        entry(
            LOGIN_DIALOG,
            "Login dialog: Choose Staffing Assignments",
            None,
            container(&[
                &[
                    "Choose Staffing Assignments",
                    "Review staffing assignments before connecting",
                ],
                &["Connect now"],
            ]),
            true,
        ),
        entry(
            QUEUE_TOGGLE,
            "Login dialog: one toggle per queue",
            Some(LOGIN_DIALOG),
            control(Checkbox, &[]),
            true,
        ),
        entry(
            ALL_QUEUES_TOGGLE,
            "Login dialog: Receive chats on ALL queues",
            Some(LOGIN_DIALOG),
            control(Choice, &["Receive chats on ALL queues"]),
            true,
        ),
        entry(
            TIMER_USE,
            "Auto-logout: Use timer",
            Some(LOGIN_DIALOG),
            control(Choice, &["Use timer"]),
            true,
        ),
        entry(
            TIMER_SPECIFIC,
            "Auto-logout: log out at a specific time",
            Some(LOGIN_DIALOG),
            control(Choice, &["Log out at a specific time", "Specific time"]),
            true,
        ),
        entry(
            TIMER_NEVER,
            "Auto-logout: Never auto-logout",
            Some(LOGIN_DIALOG),
            control(Choice, &["Never auto-logout"]),
            true,
        ),
        entry(
            TIMER_HOURS,
            "Auto-logout timer: hours",
            Some(LOGIN_DIALOG),
            control(Field, &["Hours", "hrs", "h"]),
            true,
        ),
        entry(
            TIMER_MINUTES,
            "Auto-logout timer: minutes",
            Some(LOGIN_DIALOG),
            control(Field, &["Minutes", "mins", "min", "m"]),
            true,
        ),
        entry(
            TIMER_AT,
            "Auto-logout: logout time",
            Some(LOGIN_DIALOG),
            control(Field, &["Logout time", "Log out at"]),
            true,
        ),
        entry(
            CONNECT_NOW,
            "Login dialog: Connect now",
            Some(LOGIN_DIALOG),
            text(&["Connect now"]),
            true,
        ),
        // The contacts column: a landmark where there is one, else the box around two
        // of its documented titles (headings, or the tabs of the real client).
        entry(
            CONTACTS,
            "Contacts list",
            None,
            any_of(vec![
                role("navigation", &["Contacts"]),
                container(&[STAFFING, &["Current Guests"]]),
                container(&[STAFFING, &["Guests & Contacts", "Guests and Contacts"]]),
            ]),
            false,
        ),
        entry(
            STAFFING_GROUP,
            "Contacts: I'm Staffing",
            None,
            section(STAFFING),
            // Shown only while its tab is selected on the real client.
            true,
        ),
        entry(
            GUESTS_GROUP,
            "Contacts: Current Guests",
            None,
            section(&["Current Guests"]),
            true,
        ),
        // Each service's admins name the operators' heading: the usual names, else the
        // whole Guests & Contacts tab (its guests and queues are left out when read).
        entry(
            OPERATORS_GROUP,
            "Contacts: operators",
            None,
            any_of(vec![
                section(&["Operators", "Colleagues", "Staff", "Librarians"]),
                section(&["Guests & Contacts", "Guests and Contacts"]),
            ]),
            true,
        ),
        entry(
            CHAT_PANE,
            "Chat panes",
            None,
            Find::Pane {
                apart_from: strings(NOT_IN_A_PANE),
            },
            true,
        ),
        entry(
            CHAT_TRANSFER,
            "Chat toolbar: Transfer",
            Some(CHAT_PANE),
            any_of(vec![
                text(&["Transfer"]),
                icon(&["transfer", "swap", "compare-arrows", "exchange", "arrows"]),
            ]),
            true,
        ),
        entry(
            CHAT_CANNED,
            "Chat toolbar: canned messages",
            Some(CHAT_PANE),
            any_of(vec![
                text(&["Canned messages", "Canned message"]),
                icon(&["canned", "flash", "bolt", "comment-text"]),
            ]),
            true,
        ),
        entry(
            CHAT_INPUT,
            "Chat typing area",
            Some(CHAT_PANE),
            control(TypingArea, &[]),
            true,
        ),
        entry(
            CANNED_LIST,
            "Canned messages list",
            None,
            // A listbox where the page names it; else the open popover holding the
            // consortium's documented canned names (askON's tip sheet: "Welcome",
            // "Thank you", "Save a copy", "Closing") — other names need a Fix….
            any_of(vec![
                role("listbox", &["Canned messages"]),
                container(&[&["Welcome"], &["Thank you", "Save a copy", "Closing"]]),
            ]),
            true,
        ),
        entry(
            AUTOLOGOUT_POPUP,
            "Auto-logout popup",
            None,
            container(&[&["Remain logged in"], &["Log me out"]]),
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
            any_of(vec![
                control(Field, &["New timer (minutes)", "New timer", "minutes"]),
                control(Field, &[]),
            ]),
            true,
        ),
        // Preferences repeat the login dialog's auto-logout controls; while connected the
        // dialog is gone, so these find the Preferences ones.
        entry(
            PREFS_TIMER_USE,
            "Preferences: auto-logout Use timer",
            None,
            control(Choice, &["Use timer"]),
            true,
        ),
        entry(
            PREFS_TIMER_SPECIFIC,
            "Preferences: log out at a specific time",
            None,
            control(Choice, &["Log out at a specific time", "Specific time"]),
            true,
        ),
        entry(
            PREFS_TIMER_NEVER,
            "Preferences: Never auto-logout",
            None,
            control(Choice, &["Never auto-logout"]),
            true,
        ),
        entry(
            PREFS_TIMER_HOURS,
            "Preferences: auto-logout timer hours",
            None,
            control(Field, &["Hours", "hrs", "h"]),
            true,
        ),
        entry(
            PREFS_TIMER_MINUTES,
            "Preferences: auto-logout timer minutes",
            None,
            control(Field, &["Minutes", "mins", "min", "m"]),
            true,
        ),
        entry(
            PREFS_TIMER_AT,
            "Preferences: logout time",
            None,
            control(Field, &["Logout time", "Log out at"]),
            true,
        ),
        // Presence is shown by icons: their alt or label where they have one, else
        // the icon's name or colour class.
        entry(
            ONLINE_MARK,
            "Contacts: an operator's online mark",
            None,
            icon(&["online", "available", "chat", "presence-available", "green"]),
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
            any_of(vec![
                text(&["End", "End chat", "Close chat"]),
                icon(&["close", "times", "clear", "end"]),
            ]),
            true,
        ),
        entry(
            BACKCHAT_PANE,
            "Backchat pane",
            Some(CHAT_PANE),
            line(&["…backchat"]),
            true,
        ),
        entry(
            LINE_ANSWERED_BY,
            "Chat line: answered by NAME",
            Some(CHAT_PANE),
            line(&["answered by", "Chat answered by"]),
            true,
        ),
        entry(
            LINE_BEING_TRANSFERRED,
            "Chat line: being transferred",
            Some(CHAT_PANE),
            line(&[
                "This chat is being transferred",
                "System message: transferring",
                "Being transferred",
                "Transferring to",
            ]),
            true,
        ),
        entry(
            LINE_TRANSFERRED_TO_ME,
            "Chat line: transferred to you",
            Some(CHAT_PANE),
            line(&["Transferred to you by", "…this is a transfer"]),
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
            line(&[
                "Sent … while the service was offline",
                "…while the service was offline",
                "Sent … ago",
            ]),
            true,
        ),
        entry(
            LINE_ENDED,
            "Chat line: the guest left / chat ended",
            Some(CHAT_PANE),
            line(&[
                "Guest has left the chat",
                "The guest has left",
                "This chat has ended",
                "Chat ended",
            ]),
            true,
        ),
        entry(
            LINE_TRANSFER_CANCELLED,
            "Chat line: the transfer was cancelled",
            Some(CHAT_PANE),
            line(&["Transfer cancelled", "…transfer was cancelled"]),
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

/// A time stamp a line may start with ("10:42", "[10:42:05 am]"): skipped before the
/// phrase is looked for.
fn skip_time_stamp(text: &str) -> &str {
    let t = text.trim_start_matches('[');
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if !(1..=2).contains(&digits) || !t[digits..].starts_with(':') {
        return text;
    }
    let rest = t[digits..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ':');
    let rest = rest.trim_start();
    let meridiem = ["am", "pm"].iter().find_map(|m| {
        rest.strip_prefix(m)
            .filter(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
    });
    let rest = meridiem.unwrap_or(rest);
    rest.trim_start_matches([']', ' ', '-', '\u{2013}'])
}

/// Whether a line of text is one of the phrases (normalised), and what follows it
/// ("answered by amy_humber" → "amy_humber"). A phrase must start the line (after a
/// time stamp): a visitor writing "is this being transferred?" is not a system line.
/// "…" in a phrase stands for any text; a phrase that starts with "…" may stand
/// anywhere in the line ("…this is a transfer").
pub fn line_match(text: &str, phrases: &[String]) -> Option<String> {
    let norm = normalize_text(text);
    let line = skip_time_stamp(&norm);
    phrases.iter().find_map(|p| {
        let p = normalize_text(&p.replace("...", "\u{2026}"));
        let anywhere = p.starts_with('\u{2026}');
        let parts: Vec<&str> = p
            .split('\u{2026}')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            return None;
        }
        let mut at = 0;
        for (i, part) in parts.iter().enumerate() {
            let found = line[at..].find(part)?;
            if i == 0 && !anywhere && found != 0 {
                return None;
            }
            at += found + part.len();
        }
        Some(
            line[at..]
                .trim()
                .trim_end_matches(['.', '!'])
                .trim()
                .to_string(),
        )
    })
}

/// The word of a phrase to search the page's text for natively before the exact rule
/// is applied in Rust: its longest run of ASCII letters and digits, lower-cased (none
/// when the phrase has no such run of two or more).
pub fn search_word(phrase: &str) -> Option<String> {
    phrase
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
        .max_by_key(|w| w.len())
        .map(str::to_ascii_lowercase)
}

/// Whether an icon's name matches: `alt`/`aria-label`/`title` by `text_matches`, a class
/// token or file name when the word's dash-separated parts stand together in it
/// (`power` in `zmdi-power`, `power-off` in `fa-power-off`; `line` not in `online`).
pub fn icon_name_matches(token: &str, word: &str) -> bool {
    let token = token.to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let parts: Vec<&str> = token.split(['-', '_', '.', '/', ' ']).collect();
    let want: Vec<&str> = word
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    !want.is_empty() && parts.windows(want.len()).any(|w| w == want.as_slice())
}

/// The name of a control from the text on either side of it (up to the next control):
/// text after it names it (a checkbox's label, a unit such as "hours") unless it ends
/// with a colon — then it introduces the next control, and the text before this one
/// ("Minutes:") is its name.
pub fn name_beside(before: &str, after: &str) -> String {
    let before = before.trim();
    let after = after.trim();
    if !after.is_empty() && !after.ends_with(':') {
        return after.to_string();
    }
    before.trim_end_matches(':').trim().to_string()
}

/// How strongly an element looks like the status control (higher is surer; `None`: not
/// at all): a `<select>` offering the status words beats a button showing one, an icon
/// whose `alt` is the word and a button that opens a menu add to it, a plain link (a
/// navigation "Logout") counts against it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusFacts {
    /// A `<select>`: how many of its options are status words.
    pub select_words: Option<usize>,
    /// Its text is exactly a status word.
    pub text_is_word: bool,
    /// An image inside has a status word as its `alt`.
    pub icon_alt_is_word: bool,
    /// A button, or something that opens a menu (`aria-haspopup`, a caret).
    pub opens_menu: bool,
    /// A link with an address.
    pub is_link: bool,
}

pub fn status_score(f: StatusFacts) -> Option<u8> {
    if let Some(n) = f.select_words {
        return (n >= 2).then_some(8);
    }
    if !f.text_is_word && !f.icon_alt_is_word {
        return None;
    }
    let mut score: u8 = 2;
    score += u8::from(f.text_is_word) + 2 * u8::from(f.icon_alt_is_word);
    score += u8::from(f.opens_menu);
    Some(score.saturating_sub(2 * u8::from(f.is_link)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn phrases_are_found_in_lines_and_return_what_follows() {
        let answered = vec!["answered by".to_string()];
        assert_eq!(
            line_match("answered by Amy_Humber.", &answered).as_deref(),
            Some("amy_humber")
        );
        assert_eq!(
            line_match("10:42 answered by Amy", &answered).as_deref(),
            Some("amy")
        );
        assert_eq!(
            line_match("[9:05 am] answered by Amy", &answered).as_deref(),
            Some("amy")
        );
        assert_eq!(
            line_match("10:42 amy: answered by Amy", &answered).as_deref(),
            None
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
        assert!(default_table().iter().all(|l| !l.find.fragile()));
        // An icon name is only ever the fallback after visible words.
        for l in default_table() {
            if let Find::AnyOf { of } = &l.find {
                assert!(
                    !matches!(of.first(), Some(Find::Icon { .. })),
                    "{} looks for an icon before words",
                    l.id
                );
            }
        }
    }

    #[test]
    fn system_lines_must_start_with_their_phrase() {
        let transferring = vec![
            "This chat is being transferred".to_string(),
            "System message: transferring".to_string(),
        ];
        assert!(line_match("This chat is being transferred to amy.", &transferring).is_some());
        assert!(line_match(
            "System message: transferring to all_colleges",
            &transferring
        )
        .is_some());
        // A visitor's own words are not the page speaking.
        assert!(line_match("Guest 6CYJ: is this chat being transferred?", &transferring).is_none());
        assert!(line_match("why? This chat is being transferred", &transferring).is_none());
        let anywhere = vec!["…this is a transfer".to_string()];
        assert!(line_match("Hi Sam, this is a transfer from Humber", &anywhere).is_some());
        let glob = vec!["Sent … while the service was offline".to_string()];
        assert_eq!(
            line_match("Sent 9 hours ago while the service was offline", &glob).as_deref(),
            Some("")
        );
        assert!(line_match("Sent just now", &glob).is_none());
        let dots = vec!["Sent ... ago".to_string()];
        assert!(line_match("Sent 3 hours ago", &dots).is_some());
    }

    #[test]
    fn search_words_are_the_longest_plain_run() {
        assert_eq!(search_word("I'm Staffing").as_deref(), Some("staffing"));
        assert_eq!(search_word("Connect now").as_deref(), Some("connect"));
        assert_eq!(
            search_word("…this is a transfer").as_deref(),
            Some("transfer")
        );
        assert_eq!(search_word("é"), None);
    }

    #[test]
    fn icon_names_match_whole_dash_parts() {
        assert!(icon_name_matches("zmdi-power", "power"));
        assert!(icon_name_matches("fa-power-off", "power-off"));
        assert!(icon_name_matches("zmdi-format-list-bulleted", "list"));
        assert!(!icon_name_matches("presence-offline", "online"));
        assert!(!icon_name_matches("zmdi-playlist", "list"));
        assert!(!icon_name_matches("anything", ""));
    }

    #[test]
    fn a_control_is_named_by_the_text_beside_it() {
        // re-com: the checkbox, then its label in a sibling span.
        assert_eq!(name_beside("", "all_colleges"), "all_colleges");
        // "[1] hours [15] minutes": the unit after each field.
        assert_eq!(name_beside("", "hours"), "hours");
        assert_eq!(name_beside("hours", "minutes"), "minutes");
        // "Hours: [1] Minutes: [15]": a colon introduces the next field.
        assert_eq!(name_beside("Hours:", "Minutes:"), "Hours");
        assert_eq!(name_beside("Minutes:", ""), "Minutes");
    }

    #[test]
    fn the_status_control_is_the_surest_candidate() {
        let select = StatusFacts {
            select_words: Some(4),
            ..Default::default()
        };
        let dropdown = StatusFacts {
            text_is_word: true,
            icon_alt_is_word: true,
            opens_menu: true,
            ..Default::default()
        };
        let nav_link = StatusFacts {
            text_is_word: true,
            is_link: true,
            ..Default::default()
        };
        let other_select = StatusFacts {
            select_words: Some(1),
            ..Default::default()
        };
        assert!(status_score(select) > status_score(dropdown));
        assert!(status_score(dropdown) > status_score(nav_link));
        assert_eq!(status_score(other_select), None);
        assert_eq!(status_score(StatusFacts::default()), None);
    }

    #[test]
    fn kind_names_are_the_serde_tags() {
        for l in default_table() {
            let v = serde_json::to_value(&l.find).unwrap();
            assert_eq!(v["by"], l.find.kind_name(), "{}", l.id);
        }
    }

    #[test]
    fn old_overrides_still_read() {
        let old = r#"{"id":"history.table","purpose":"x","within":null,"optional":true,
            "find":{"by":"table_with_headers","headers":["Operator"]}}"#;
        let l: Locator = serde_json::from_str(old).unwrap();
        assert_eq!(
            l.find,
            Find::Grid {
                headers: vec!["Operator".into()]
            }
        );
        let label = r#"{"by":"label","any_of":["Status"]}"#;
        let f: Find = serde_json::from_str(label).unwrap();
        assert_eq!(
            f,
            Find::Control {
                kind: ControlKind::Any,
                any_of: vec!["Status".into()]
            }
        );
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
