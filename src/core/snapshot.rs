//! What the page adapter read from the web client, as plain data.
//!
//! `None` always means "could not be read on this page" (the locator failed or the part
//! is not shown), never "empty". Patron text (messages, names) is not carried here
//! beyond what a rule needs: guest ids stay in the tab and are never stored.

use serde::{Deserialize, Serialize};

/// The operator's status, from the top-right drop-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Available,
    Away,
    Busy,
    Logout,
    /// A value the drop-down showed that we do not know.
    Other(String),
}

impl Status {
    /// Reads the drop-down's visible value.
    pub fn parse(text: &str) -> Status {
        match crate::core::locators::normalize_text(text).as_str() {
            "available" | "online" | "chat" => Status::Available,
            "away" => Status::Away,
            "busy" | "dnd" | "do not disturb" => Status::Busy,
            "logout" | "log out" | "logged out" | "offline" | "unavailable" => Status::Logout,
            _ => Status::Other(text.trim().to_string()),
        }
    }

    /// Connected means the service may be on: anything but Logout.
    pub fn is_connected(&self) -> bool {
        !matches!(self, Status::Logout)
    }
}

/// The auto-logout choice in the login dialog or Preferences.
/// Read through `core::flat` (smaller code than the derive's buffering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "snake_case",
    tag = "kind",
    try_from = "super::flat::TimerChoiceFields"
)]
pub enum TimerChoice {
    /// "Use timer": a countdown of this many minutes from connecting.
    Countdown { minutes: u32 },
    /// A specific logout time of day, "HH:MM" in the browser's local time.
    At { time: String },
    /// "Never auto-logout" — forbidden by the askON procedure.
    Never,
    /// The dialog was shown but the choice could not be read.
    Unreadable,
}

impl TimerChoice {
    /// "Use timer" as its two fields read: hours and minutes, either may be blank
    /// (counted as 0); both blank is unreadable.
    pub fn countdown(hours: Option<u32>, minutes: Option<u32>) -> Self {
        match (hours, minutes) {
            (None, None) => TimerChoice::Unreadable,
            (h, m) => TimerChoice::Countdown {
                minutes: h
                    .unwrap_or(0)
                    .saturating_mul(60)
                    .saturating_add(m.unwrap_or(0)),
            },
        }
    }

    /// "Logout at a specific time" as its field reads: blank is unreadable.
    pub fn at(time: &str) -> Self {
        match time.trim() {
            "" => TimerChoice::Unreadable,
            t => TimerChoice::At {
                time: t.to_string(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueToggle {
    pub name: String,
    pub on: bool,
}

/// "Choose Staffing Assignments", while it is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginDialog {
    pub queues: Vec<QueueToggle>,
    pub all_queues: Option<bool>,
    pub timer: TimerChoice,
}

/// One chat pane as it stands now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatPane {
    /// A key stable while the pane lives (the page adapter's, not LibraryH3lp's).
    pub key: String,
    pub queue: Option<String>,
    /// "Guest 6CYJ" or a phone number; stays in the tab.
    pub guest: Option<String>,
    /// An SMS chat ("The guest is texting.").
    pub is_text: bool,
    /// A text that was held while the service was offline ("sent … ago").
    pub is_offline_text: bool,
    /// The operators' backchat room.
    pub is_backchat: bool,
    /// "answered by NAME", when another operator (or we) claimed it.
    pub answered_by: Option<String>,
    /// "being transferred" is shown.
    pub being_transferred: bool,
    /// This chat came to us as a transfer from a colleague.
    pub transferred_to_me: bool,
    /// We have sent at least one message in it.
    pub operator_replied: bool,
    /// The guest has left / the chat ended.
    pub ended: bool,
}

/// One Chat History row, cells by meaning. `None` = the cell could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub operator: Option<String>,
    pub duration: Option<String>,
}

/// A canned message the web client offers (name or keyword, and its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedMessage {
    pub name: String,
    pub text: String,
}

/// Everything the page adapter read in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub status: Option<Status>,
    pub login_dialog: Option<LoginDialog>,
    /// Queues listed under "I'm Staffing" (`None` also while its tab is not selected).
    pub staffing: Option<Vec<String>>,
    /// "I'm Staffing (2/5)": queues opted in, of those assigned — the tab's title says
    /// it even while the tab is not selected.
    #[serde(default)]
    pub staffing_tally: Option<(u32, u32)>,
    /// Other operators shown online in the contacts list.
    pub operators_online: Option<Vec<String>>,
    pub chats: Vec<ChatPane>,
    pub history: Option<Vec<HistoryRow>>,
    pub autologout_popup_open: bool,
    pub canned_offered: Option<Vec<CannedMessage>>,
}

/// The "(opted in/assigned)" count in a title such as "I'm Staffing (2/5)".
pub fn parse_tally(title: &str) -> Option<(u32, u32)> {
    let open = title.rfind('(')?;
    let inner = title[open + 1..].split(')').next()?;
    let (a, b) = inner.split_once('/')?;
    let a = a.trim().parse().ok()?;
    let b = b.trim().parse().ok()?;
    (a <= b).then_some((a, b))
}

/// Which queues are staffed when the list itself is not on screen (the real client
/// draws only the selected contacts tab): the last list seen — under "I'm Staffing",
/// or ticked in the login dialog at Connect now — stands while the tab's tally still
/// counts as many. Without a tally to confirm it, nothing is assumed.
pub fn staffing_remembered(
    tally: Option<(u32, u32)>,
    last: Option<&[String]>,
) -> Option<Vec<String>> {
    let (n, _) = tally?;
    let last = last?;
    (usize::try_from(n).ok()? == last.len()).then(|| last.to_vec())
}

impl LoginDialog {
    /// The queues this dialog would connect to: every one listed with "ALL queues"
    /// chosen, else those ticked.
    pub fn chosen_queues(&self) -> Vec<String> {
        let all = self.all_queues == Some(true);
        self.queues
            .iter()
            .filter(|q| all || q.on)
            .map(|q| q.name.clone())
            .collect()
    }
}

impl Snapshot {
    /// Connected and at work: a status other than Logout, with the login dialog closed
    /// (while it is open the operator is still choosing how to connect).
    pub fn connected(&self) -> bool {
        self.status.as_ref().is_some_and(Status::is_connected) && self.login_dialog.is_none()
    }

    /// Whether the service may be on because of this operator: connected, or a status
    /// that could not be read while the login dialog is not shown (a connected client
    /// whose status control was not found is the risky case — guards stay up).
    pub fn may_be_connected(&self) -> bool {
        self.login_dialog.is_none() && self.status.as_ref().is_none_or(Status::is_connected)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_staffing_list_seen_before_stands_while_the_tally_agrees() {
        use super::staffing_remembered;
        let last = vec!["all_colleges".to_string(), "practice".to_string()];
        assert_eq!(
            staffing_remembered(Some((2, 5)), Some(&last)),
            Some(last.clone())
        );
        // One more or one fewer since: the list is out of date.
        assert_eq!(staffing_remembered(Some((3, 5)), Some(&last)), None);
        assert_eq!(staffing_remembered(Some((1, 5)), Some(&last)), None);
        // No tally to confirm it, or nothing seen: nothing assumed.
        assert_eq!(staffing_remembered(None, Some(&last)), None);
        assert_eq!(staffing_remembered(Some((2, 5)), None), None);
    }

    #[test]
    fn an_unreadable_status_may_be_connected_unless_the_login_dialog_is_open() {
        use super::{LoginDialog, Snapshot, Status, TimerChoice};
        let mut s = Snapshot::default();
        assert!(s.may_be_connected());
        s.status = Some(Status::Logout);
        assert!(!s.may_be_connected());
        s.status = Some(Status::Busy);
        assert!(s.may_be_connected());
        s.status = None;
        s.login_dialog = Some(LoginDialog {
            queues: vec![],
            all_queues: None,
            timer: TimerChoice::Unreadable,
        });
        assert!(!s.may_be_connected());
    }

    #[test]
    fn the_staffing_tally_is_read_from_its_title() {
        assert_eq!(super::parse_tally("I'm Staffing (2/5)"), Some((2, 5)));
        assert_eq!(super::parse_tally("I’m Staffing ( 0 / 5 )"), Some((0, 5)));
        assert_eq!(super::parse_tally("I'm Staffing"), None);
        assert_eq!(super::parse_tally("I'm Staffing (3)"), None);
        assert_eq!(super::parse_tally("I'm Staffing (6/5)"), None);
    }

    use super::*;

    #[test]
    fn countdown_adds_hours_and_minutes_and_a_blank_field_counts_as_zero() {
        assert_eq!(
            TimerChoice::countdown(Some(2), Some(15)),
            TimerChoice::Countdown { minutes: 135 }
        );
        assert_eq!(
            TimerChoice::countdown(Some(1), None),
            TimerChoice::Countdown { minutes: 60 }
        );
        assert_eq!(
            TimerChoice::countdown(None, Some(45)),
            TimerChoice::Countdown { minutes: 45 }
        );
        assert_eq!(TimerChoice::countdown(None, None), TimerChoice::Unreadable);
    }

    #[test]
    fn countdown_never_overflows() {
        assert_eq!(
            TimerChoice::countdown(Some(u32::MAX), Some(u32::MAX)),
            TimerChoice::Countdown { minutes: u32::MAX }
        );
    }

    #[test]
    fn at_is_trimmed_and_blank_is_unreadable() {
        assert_eq!(
            TimerChoice::at(" 16:30 "),
            TimerChoice::At {
                time: "16:30".to_string()
            }
        );
        assert_eq!(TimerChoice::at("  "), TimerChoice::Unreadable);
    }
}
