//! Saying what cannot be read. A guard whose input is missing must not go quiet as if
//! all were well, and must not raise an alarm from missing data either: the popup says
//! which part of the page could not be read, what that means for the guards that
//! need it, and where to repair it (the page check's **Fix…**).

use super::catalog::Said;
use super::features::FeatureId;
use super::locators::ids;
use super::messages::{LocatorHealth, LocatorState, Notice, NoticeLevel};
use super::snapshot::Snapshot;

/// One part of the page that may be unreadable: the table of its notices (the notice
/// id is the one the popup shows, `data-notice`).
struct Rule {
    id: &'static str,
    /// The features that need this part; the notice is given when one of them is on.
    features: &'static [FeatureId],
    level: NoticeLevel,
    /// What the popup says (a catalog key).
    say: &'static str,
}

const STATUS: Rule = Rule {
    id: "page.status_unreadable",
    features: &[
        FeatureId::StatusGuard,
        FeatureId::TabCloseGuard,
        FeatureId::LogoutGate,
        FeatureId::OffHoursGuard,
    ],
    level: NoticeLevel::Warning,
    say: "unreadableStatus",
};

const STAFFING: Rule = Rule {
    id: "page.staffing_unreadable",
    features: &[FeatureId::StaffingCheck],
    level: NoticeLevel::Warning,
    say: "unreadableStaffing",
};

/// Only the tab's count is on the page (its list is drawn only while the tab is
/// selected) and no list was seen yet with that count: the check waits for a look.
const STAFFING_NOT_SHOWN: Rule = Rule {
    id: "page.staffing_not_shown",
    features: &[FeatureId::StaffingCheck],
    level: NoticeLevel::Info,
    say: "unreadableStaffingNotShown",
};

const CONTACTS: Rule = Rule {
    id: "page.contacts_unreadable",
    features: &[FeatureId::LogoutGate, FeatureId::ClosingDuties],
    level: NoticeLevel::Warning,
    say: "unreadableContacts",
};

const PANES: Rule = Rule {
    id: "page.panes_not_found",
    features: &[
        FeatureId::CannedSuggestions,
        FeatureId::TransferGuard,
        FeatureId::OfflineTextGuard,
        FeatureId::ClosingDuties,
    ],
    level: NoticeLevel::Info,
    say: "unreadablePanes",
};

const HISTORY: Rule = Rule {
    id: "page.history_unreadable",
    features: &[FeatureId::NewChats, FeatureId::LogoutGate],
    level: NoticeLevel::Warning,
    say: "unreadableHistory",
};

fn state_of(health: &[LocatorHealth], id: &str) -> Option<LocatorState> {
    health.iter().find(|h| h.id == id).map(|h| h.state)
}

/// The parts the guards need that this page did not let us read. `is_on` says which
/// features are turned on; `health` is the page check of the same pass.
pub fn unreadable_notices(
    snapshot: &Snapshot,
    health: &[LocatorHealth],
    is_on: impl Fn(&str) -> bool,
) -> Vec<Notice> {
    let connected = snapshot.connected();
    let mut rules = Vec::new();
    if snapshot.status.is_none() && snapshot.login_dialog.is_none() {
        rules.push(&STATUS);
    }
    if connected && snapshot.staffing.is_none() {
        rules.push(if snapshot.staffing_tally.is_none() {
            &STAFFING
        } else {
            &STAFFING_NOT_SHOWN
        });
    }
    if connected && snapshot.operators_online.is_none() {
        rules.push(&CONTACTS);
    }
    if connected && snapshot.chats.is_empty() {
        rules.push(&PANES);
    }
    if state_of(health, ids::HISTORY_TABLE) == Some(LocatorState::NotFound) {
        rules.push(&HISTORY);
    }
    rules
        .into_iter()
        .filter(|r| r.features.iter().any(|f| is_on(f.as_str())))
        .map(|r| Notice {
            feature: "page-check".to_string(),
            id: r.id.to_string(),
            level: r.level,
            text: Said::from(r.say),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::snapshot::Status;

    fn ids_of(n: &[Notice]) -> Vec<&str> {
        n.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn an_unreadable_status_is_said_not_guessed() {
        let snap = Snapshot::default();
        let n = unreadable_notices(&snap, &[], |_| true);
        assert_eq!(ids_of(&n), vec![STATUS.id]);
        // Nobody needs it when the features that read it are off.
        let off = |f: &str| {
            ![
                "status-guard",
                "tab-close-guard",
                "logout-gate",
                "off-hours-guard",
            ]
            .contains(&f)
        };
        assert!(unreadable_notices(&snap, &[], off).is_empty());
    }

    #[test]
    fn a_staffing_count_without_its_list_asks_for_one_look() {
        let snap = Snapshot {
            status: Some(Status::Available),
            staffing_tally: Some((2, 5)),
            operators_online: Some(vec![]),
            chats: vec![Default::default()],
            ..Default::default()
        };
        let n = unreadable_notices(&snap, &[], |_| true);
        assert_eq!(ids_of(&n), vec![STAFFING_NOT_SHOWN.id]);
        assert_eq!(n[0].level, NoticeLevel::Info);
        // Once the list is known (seen, or remembered while the count agrees): nothing.
        let seen = Snapshot {
            staffing: Some(vec!["all_colleges".into(), "all_backup".into()]),
            ..snap
        };
        assert!(unreadable_notices(&seen, &[], |_| true).is_empty());
    }

    #[test]
    fn connected_parts_that_are_missing_are_each_named() {
        let snap = Snapshot {
            status: Some(Status::Available),
            ..Default::default()
        };
        let n = unreadable_notices(&snap, &[], |_| true);
        assert_eq!(ids_of(&n), vec![STAFFING.id, CONTACTS.id, PANES.id]);
        // The queues and the contacts read: only the panes are missing.
        let snap = Snapshot {
            staffing: Some(vec![]),
            operators_online: Some(vec![]),
            ..snap
        };
        let n = unreadable_notices(&snap, &[], |_| true);
        assert_eq!(ids_of(&n), vec![PANES.id]);
    }

    #[test]
    fn logged_out_nothing_connected_is_asked_for() {
        let snap = Snapshot {
            status: Some(Status::Logout),
            ..Default::default()
        };
        assert!(unreadable_notices(&snap, &[], |_| true).is_empty());
    }

    #[test]
    fn a_history_shown_but_not_read_is_said() {
        let health = vec![LocatorHealth {
            id: ids::HISTORY_TABLE.into(),
            purpose: String::new(),
            state: LocatorState::NotFound,
            matches: 0,
            fragile: false,
            overridden: false,
        }];
        let snap = Snapshot {
            status: Some(Status::Logout),
            ..Default::default()
        };
        let n = unreadable_notices(&snap, &health, |_| true);
        assert_eq!(ids_of(&n), vec![HISTORY.id]);
    }
}
