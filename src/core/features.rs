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

/// The catalog is written once, below: each line gives a `FeatureId` variant, its stable
/// id, name and description, and the macro makes both the enum and `FEATURES` from it.
macro_rules! catalog {
    ($($variant:ident = $id:literal, $name:literal, $description:literal;)*) => {
        /// A feature, by its stable id (in the order of the catalog).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FeatureId {
            $($variant,)*
        }

        pub const FEATURES: &[FeatureInfo] = &[
            $(FeatureInfo { id: $id, name: $name, description: $description },)*
        ];

        impl FeatureId {
            /// Every feature, in catalog order.
            pub const ALL: &[FeatureId] = &[$(FeatureId::$variant,)*];
        }
    };
}

catalog! {
    NewChats = "new-chats", "New chats highlighted",
        "Marks every Chat History row as new, ongoing or completed (the procedure's rule) and counts new chats on the toolbar badge.";
    LoginGuard = "login-guard", "Login guard",
        "In “Choose Staffing Assignments”, warns just above “Connect now” when an expected queue is off, when “Never auto-logout” is chosen, or when the timer ends before the shift or long after it; one click fills in the recommended timer (it never connects for you).";
    StaffingCheck = "staffing-check", "Staffing check",
        "While connected, compares “I'm Staffing” with the expected queues and flags a queue missing or one you did not expect.";
    AutologoutWatch = "autologout-watch", "Auto-logout watch",
        "Follows the auto-logout timer: warns a few minutes before it fires and again when its popup appears (system notification, flashing tab title), and says which answer your shift calls for.";
    StatusGuard = "status-guard", "Status guard",
        "Warns under the status menu when Away or Busy is chosen during a shift, with a button to set Available again.";
    OffHoursGuard = "off-hours-guard", "Off-hours guard",
        "Outside service hours, covers the login dialog with a notice (connecting turns the service on; use a training account) until you confirm, and warns while connected.";
    CannedSuggestions = "canned-suggestions", "Canned message suggestions",
        "Above each chat's typing area, the canned message the procedure names for the moment (transfer accepted, new chat, offline text, leaving, closing, wrapping up, backchat hello and sign-off); one click or Alt+Shift+S puts it in the typing area, never sends.";
    TransferGuard = "transfer-guard", "Transfer guard",
        "While a chat is being transferred, stops typing into it (typing would take the chat back and your colleague could not answer) and says why.";
    TabCloseGuard = "tab-close-guard", "Tab-close guard",
        "While you are connected, closing or reloading the web client tab asks “Leave page?” (closing the browser does not log you out; the client logs back in next time). A tab that comes back connected outside service hours is an alert at once, in the page and as a system notification.";
    LogoutGate = "logout-gate", "Logout gate",
        "Choosing Logout before your shift ends, or with work outstanding, first lists what the log out procedure still asks (replacements in, chats transferred, New chats, offline texts, backchat sign-off); go back or log out anyway, recorded in the shift history. When a replacement does not show up, the missed-shift steps with the email ready.";
    OfflineTextGuard = "offline-text-guard", "Offline-text guard",
        "Ending a text chat you have not answered asks first, in the chat: end anyway, or go back and respond.";
    ClosingDuties = "closing-duties", "Closing duties",
        "On the day's last shift: a heads-up reminder before close, the chats still open at close (send “Closing” to each), and after close anyone still logged in, with a one-click email to the service coordinator.";
}

impl FeatureId {
    /// Its catalog entry.
    pub fn info(self) -> &'static FeatureInfo {
        &FEATURES[self as usize]
    }

    /// The stable id (`new-chats`): settings, reports and the page's attributes use it.
    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    /// The feature with this stable id.
    pub fn parse(id: &str) -> Option<FeatureId> {
        FeatureId::ALL.iter().copied().find(|f| f.as_str() == id)
    }
}

impl std::fmt::Display for FeatureId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Known ids, for settings validation.
pub fn ids() -> Vec<&'static str> {
    FEATURES.iter().map(|f| f.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_names_its_own_catalog_entry_and_parses_back() {
        assert_eq!(FeatureId::ALL.len(), FEATURES.len());
        for (i, f) in FeatureId::ALL.iter().enumerate() {
            assert_eq!(f.info(), &FEATURES[i]);
            assert_eq!(FeatureId::parse(f.as_str()), Some(*f));
        }
        assert_eq!(FeatureId::NewChats.as_str(), "new-chats");
        assert_eq!(FeatureId::parse("no-such-feature"), None);
    }
}
