//! The feature catalog: every feature's stable id, name and what it does. The options
//! page builds its toggles from this list, the popup names a broken feature by it, and
//! `tests/conventions.rs` checks that each entry has its file in `src/features/`, a
//! registry line, a README section and a fixture.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeatureInfo {
    /// Stable id; also the file name `src/features/<id with _>.rs`.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

pub const FEATURES: &[FeatureInfo] = &[
    FeatureInfo {
        id: "new-chats",
        name: "New chats highlighted",
        description: "Marks every Chat History row as new, ongoing or completed (the procedure's rule) and counts new chats on the toolbar badge.",
    },
    FeatureInfo {
        id: "login-guard",
        name: "Login guard",
        description: "In “Choose Staffing Assignments”, warns just above “Connect now” when an expected queue is off, when “Never auto-logout” is chosen, or when the timer ends before the shift or long after it; one click fills in the recommended timer (it never connects for you).",
    },
    FeatureInfo {
        id: "staffing-check",
        name: "Staffing check",
        description: "While connected, compares “I'm Staffing” with the expected queues and flags a queue missing or one you did not expect.",
    },
    FeatureInfo {
        id: "autologout-watch",
        name: "Auto-logout watch",
        description: "Follows the auto-logout timer: warns a few minutes before it fires and again when its popup appears (system notification, flashing tab title), and says which answer your shift calls for.",
    },
    FeatureInfo {
        id: "status-guard",
        name: "Status guard",
        description: "Warns under the status menu when Away or Busy is chosen during a shift, with a button to set Available again.",
    },
    FeatureInfo {
        id: "off-hours-guard",
        name: "Off-hours guard",
        description: "Outside service hours, covers the login dialog with a notice (connecting turns the service on; use a training account) until you confirm, and warns while connected.",
    },
    FeatureInfo {
        id: "canned-suggestions",
        name: "Canned message suggestions",
        description: "Above each chat's typing area, the canned message the procedure names for the moment (transfer accepted, new chat, offline text, leaving, closing, wrapping up, backchat hello and sign-off); one click or Alt+Shift+S puts it in the typing area, never sends.",
    },
    FeatureInfo {
        id: "transfer-guard",
        name: "Transfer guard",
        description: "While a chat is being transferred, stops typing into it (typing would take the chat back and your colleague could not answer) and says why.",
    },
    FeatureInfo {
        id: "tab-close-guard",
        name: "Tab-close guard",
        description: "While you are connected, closing or reloading the web client tab asks “Leave page?” (closing the browser does not log you out; the client logs back in next time). A tab that comes back connected outside service hours is an alert at once, in the page and as a system notification.",
    },
    FeatureInfo {
        id: "logout-gate",
        name: "Logout gate",
        description: "Choosing Logout before your shift ends, or with work outstanding, first lists what the log out procedure still asks (replacements in, chats transferred, New chats, offline texts, backchat sign-off); go back or log out anyway, recorded in the shift history. When a replacement does not show up, the missed-shift steps with the email ready.",
    },
    FeatureInfo {
        id: "offline-text-guard",
        name: "Offline-text guard",
        description: "Ending a text chat you have not answered asks first, in the chat: end anyway, or go back and respond.",
    },
    FeatureInfo {
        id: "closing-duties",
        name: "Closing duties",
        description: "On the day's last shift: a heads-up reminder before close, the chats still open at close (send “Closing” to each), and after close anyone still logged in, with a one-click email to the service coordinator.",
    },
];

/// Known ids, for settings validation.
pub fn ids() -> Vec<&'static str> {
    FEATURES.iter().map(|f| f.id).collect()
}
