//! Guards on the login procedure and the service hours:
//! connect to the right queues with a proper auto-logout timer (login step 1), keep
//! the status Available during a shift, never connect a staff account outside service
//! hours. (Watching the public presence endpoint while the service is closed is the
//! `watchdog` module's.)
//!
//! Every finding is a [`Warning`] with a stable id, a severity, a short text in English
//! and French that says what to do, and where possible the fix.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::catalog::Said;
use super::settings::{Guards, Queues, Settings};
use super::shift::{Phase, ShiftContext};
use super::snapshot::{LoginDialog, Status};

/// Stable warning ids (also used by the popup, the page marks and the tests).
pub mod ids {
    pub const LOGIN_QUEUE_OFF: &str = "login.queue_off";
    pub const LOGIN_QUEUE_NOT_LISTED: &str = "login.queue_not_listed";
    pub const LOGIN_TIMER_NEVER: &str = "login.timer_never";
    pub const LOGIN_TIMER_SHORT: &str = "login.timer_short";
    pub const LOGIN_TIMER_LONG: &str = "login.timer_long";
    pub const LOGIN_TIMER_UNREADABLE: &str = "login.timer_unreadable";
    pub const SHIFT_STATUS_AWAY: &str = "shift.status_away";
    pub const SHIFT_STATUS_BUSY: &str = "shift.status_busy";
    pub const STAFFING_MISSING: &str = "staffing.missing";
    pub const STAFFING_UNEXPECTED: &str = "staffing.unexpected";
    pub const STAFFING_TOO_FEW: &str = "staffing.too_few";
    pub const OFF_HOURS_CONNECTING: &str = "off_hours.connecting";
    pub const OFF_HOURS_CONNECTED: &str = "off_hours.connected";
    pub const WATCHDOG_SERVICE_ON: &str = "watchdog.service_on";
    pub const WATCHDOG_UNKNOWN_ANSWER: &str = "watchdog.unknown_answer";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong for sure.
    Info,
    /// Against the procedure; fix it.
    Warning,
    /// The procedure forbids it outright.
    Forbidden,
}

/// What would put it right (the page layer may offer a button for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Fix {
    /// "Use timer" with this many minutes.
    SetTimer { minutes: u32 },
    /// A specific logout time, "HH:MM" on the browser's clock.
    SetLogoutTime { time: String },
    /// Turn these queue toggles on.
    TurnOnQueues { queues: Vec<String> },
    /// Set the status back to Available.
    SetStatusAvailable,
    /// Log out (status menu → Logout).
    LogOut,
}

/// One finding, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable id, one of [`ids`].
    pub id: String,
    pub severity: Severity,
    pub text: Said,
    pub fix: Option<Fix>,
}

impl Warning {
    /// A finding without a fix.
    pub fn new(id: &str, severity: Severity, text: Said) -> Self {
        Warning {
            id: id.to_string(),
            severity,
            text,
            fix: None,
        }
    }

    /// The finding with `fix` offered for it.
    pub fn with_fix(self, fix: Option<Fix>) -> Self {
        Warning { fix, ..self }
    }
}

/// Queue names compare trimmed and case-insensitively.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.to_lowercase() == b.to_lowercase()
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

/// Checks "Choose Staffing Assignments" before "Connect now": every expected queue on
/// (unless "Receive chats on ALL queues" is on) and the auto-logout choice
/// ([`super::timer::check_timer`]). `local_offset` is the browser's UTC offset.
pub fn check_login_dialog(
    dialog: &LoginDialog,
    settings: &Settings,
    ctx: &ShiftContext,
    local_offset: FixedOffset,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if dialog.all_queues != Some(true) {
        let mut off = Vec::new();
        let mut not_listed = Vec::new();
        for expected in &settings.queues.expected {
            if expected.trim().is_empty() {
                continue;
            }
            match dialog.queues.iter().find(|q| same_name(&q.name, expected)) {
                Some(toggle) if !toggle.on => off.push(toggle.name.trim().to_string()),
                Some(_) => {}
                None => not_listed.push(expected.trim().to_string()),
            }
        }
        if !off.is_empty() {
            let q = list(&off);
            warnings.push(
                Warning::new(
                    ids::LOGIN_QUEUE_OFF,
                    Severity::Warning,
                    Said::new("guardTurnOnTheQueue", &[("q", &q)]),
                )
                .with_fix(Some(Fix::TurnOnQueues { queues: off })),
            );
        }
        // An empty list means the toggles could not be read: say nothing rather than guess.
        if !not_listed.is_empty() && !dialog.queues.is_empty() {
            let q = list(&not_listed);
            warnings.push(Warning::new(
                ids::LOGIN_QUEUE_NOT_LISTED,
                Severity::Warning,
                Said::new("guardTheQueueIsNot", &[("q", &q)]),
            ));
        }
    }
    warnings.extend(super::timer::check_timer(
        &dialog.timer,
        ctx,
        &settings.timing,
        local_offset,
    ));
    warnings
}

/// "I'm Staffing" compared with the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingCheck {
    /// Expected queues not staffed (spelled as in the settings).
    pub missing: Vec<String>,
    /// Staffed queues neither expected nor home-team (spelled as on the page).
    pub unexpected: Vec<String>,
}

impl StaffingCheck {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }

    /// `staffing.missing` and `staffing.unexpected`, when they apply.
    pub fn warnings(&self) -> Vec<Warning> {
        [
            (
                &self.missing,
                ids::STAFFING_MISSING,
                Severity::Warning,
                "guardYouAreNotStaffing",
            ),
            (
                &self.unexpected,
                ids::STAFFING_UNEXPECTED,
                Severity::Info,
                "guardYouAreAlsoStaffing",
            ),
        ]
        .into_iter()
        .filter(|(queues, ..)| !queues.is_empty())
        .map(|(queues, id, severity, say)| {
            Warning::new(id, severity, Said::new(say, &[("q", &list(queues))]))
        })
        .collect()
    }
}

/// Compares the queues under "I'm Staffing" with the expected and home-team queues
/// (trimmed, case-insensitive; duplicates and blank entries ignored).
pub fn check_staffing(staffing: &[String], queues: &Queues) -> StaffingCheck {
    let mut check = StaffingCheck::default();
    for expected in &queues.expected {
        let name = expected.trim();
        if name.is_empty()
            || check.missing.iter().any(|m| same_name(m, name))
            || staffing.iter().any(|s| same_name(s, name))
        {
            continue;
        }
        check.missing.push(name.to_string());
    }
    for staffed in staffing {
        let name = staffed.trim();
        if name.is_empty()
            || check.unexpected.iter().any(|u| same_name(u, name))
            || queues.expected.iter().any(|q| same_name(q, name))
            || queues.home_team.iter().any(|q| same_name(q, name))
        {
            continue;
        }
        check.unexpected.push(name.to_string());
    }
    check
}

/// What the title "I'm Staffing (N/M)" alone tells while its tab is not selected (the
/// queues themselves are not on the page): fewer queues opted in than the shift staffs
/// means one is missing — which one, the tab shows.
pub fn check_staffing_tally(tally: (u32, u32), queues: &Queues) -> Option<Warning> {
    let expected = queues
        .expected
        .iter()
        .filter(|q| !q.trim().is_empty())
        .count();
    let (on, _assigned) = tally;
    if on as usize >= expected {
        return None;
    }
    let q = list(&queues.expected);
    let (severity, text) = if on == 0 {
        (
            Severity::Forbidden,
            Said::new("guardIMStaffingShows", &[("q", &q)]),
        )
    } else {
        (
            Severity::Warning,
            Said::new(
                "guardIMStaffingShows2",
                &[("on", &on.to_string()), ("q", &q)],
            ),
        )
    };
    Some(Warning::new(ids::STAFFING_TOO_FEW, severity, text))
}

/// The operator is within a shift (the login window does not count yet).
pub(crate) fn on_shift(ctx: &ShiftContext) -> bool {
    matches!(
        ctx.phase,
        Phase::OnShift | Phase::Handover | Phase::LastShiftClosing
    )
}

/// Away or Busy while on shift: "never change status from Available during a shift".
pub fn status_guard(status: &Status, ctx: &ShiftContext, guards: &Guards) -> Option<Warning> {
    if !guards.status_guard || !on_shift(ctx) {
        return None;
    }
    let (id, key) = match status {
        Status::Away => (ids::SHIFT_STATUS_AWAY, "guardAwayOnShift"),
        Status::Busy => (ids::SHIFT_STATUS_BUSY, "guardBusyOnShift"),
        Status::Available | Status::Logout | Status::Other(_) => return None,
    };
    Some(
        Warning::new(id, Severity::Warning, Said::from(key))
            .with_fix(Some(Fix::SetStatusAvailable)),
    )
}

/// Outside service hours, with no shift about to start: a staff account connected now
/// turns the service on. (The login window before opening is not off hours: the
/// procedure asks to log in five minutes early.)
pub fn is_off_hours(ctx: &ShiftContext) -> bool {
    !ctx.service_open
        && !matches!(
            ctx.phase,
            Phase::LoginWindow | Phase::OnShift | Phase::Handover | Phase::LastShiftClosing
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffHoursKind {
    /// The login dialog is open: stop before "Connect now".
    AboutToConnect,
    /// Already connected (or reconnected by a restored tab): the service is on.
    Connected,
}

/// The off-hours notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffHoursNotice {
    /// `off_hours.connecting` or `off_hours.connected`.
    pub id: String,
    pub kind: OffHoursKind,
    /// The operator must acknowledge it before going on.
    pub blocking: bool,
    pub text: Said,
    pub fix: Option<Fix>,
}

/// Connecting outside service hours turns the service on: stop the operator before
/// "Connect now" (`about_to_connect` = the login dialog is open), or tell them to log
/// out when already connected. `None` during service hours or with the guard off.
pub fn off_hours_guard(
    ctx: &ShiftContext,
    guards: &Guards,
    status: Option<&Status>,
    about_to_connect: bool,
) -> Option<OffHoursNotice> {
    if !guards.off_hours_guard || !is_off_hours(ctx) {
        return None;
    }
    if about_to_connect {
        return Some(OffHoursNotice {
            id: ids::OFF_HOURS_CONNECTING.to_string(),
            kind: OffHoursKind::AboutToConnect,
            blocking: true,
            text: Said::new("guardTheServiceIsClosed", &[]),
            fix: None,
        });
    }
    if status.is_some_and(Status::is_connected) {
        return Some(OffHoursNotice {
            id: ids::OFF_HOURS_CONNECTED.to_string(),
            kind: OffHoursKind::Connected,
            blocking: false,
            text: Said::new("guardTheServiceIsClosed2", &[]),
            fix: Some(Fix::LogOut),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::snapshot::{QueueToggle, TimerChoice};
    use crate::core::test_support::{edt, no_shift, two_pm, with_phase};

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn dialog(queues: &[(&str, bool)], all: Option<bool>, timer: TimerChoice) -> LoginDialog {
        LoginDialog {
            queues: queues
                .iter()
                .map(|(n, on)| QueueToggle {
                    name: n.to_string(),
                    on: *on,
                })
                .collect(),
            all_queues: all,
            timer,
        }
    }

    /// askON's expected queues, with Humber's home-team queue.
    fn askon_queues() -> Queues {
        Queues {
            expected: strings(&["all_colleges", "all_backup"]),
            home_team: strings(&["humber_htf"]),
        }
    }

    fn ids_of(w: &[Warning]) -> Vec<&str> {
        w.iter().map(|w| w.id.as_str()).collect()
    }

    #[test]
    fn login_dialog() {
        let settings = Settings::default();
        // 14:00–15:00 EDT, connecting at 13:55
        let c = two_pm("2025-06-04T17:55:00Z");
        let good = TimerChoice::Countdown { minutes: 80 };
        let cases: Vec<(LoginDialog, Vec<&str>)> = vec![
            (
                dialog(
                    &[("all_colleges", true), ("all_backup", true)],
                    Some(false),
                    good.clone(),
                ),
                vec![],
            ),
            (
                dialog(
                    &[
                        ("All_Colleges ", true),
                        ("all_backup", true),
                        ("seneca_htf", false),
                    ],
                    None,
                    good.clone(),
                ),
                vec![],
            ),
            (
                dialog(
                    &[("all_colleges", true), ("all_backup", false)],
                    Some(false),
                    good.clone(),
                ),
                vec![ids::LOGIN_QUEUE_OFF],
            ),
            (
                dialog(
                    &[("all_colleges", false), ("all_backup", false)],
                    None,
                    good.clone(),
                ),
                vec![ids::LOGIN_QUEUE_OFF],
            ),
            // ALL queues on: the toggles do not matter
            (
                dialog(
                    &[("all_colleges", false), ("all_backup", false)],
                    Some(true),
                    good.clone(),
                ),
                vec![],
            ),
            (
                dialog(&[("all_colleges", true)], None, good.clone()),
                vec![ids::LOGIN_QUEUE_NOT_LISTED],
            ),
            // toggles unreadable: no guess
            (dialog(&[], None, good.clone()), vec![]),
            (
                dialog(
                    &[("all_colleges", true), ("all_backup", false)],
                    None,
                    TimerChoice::Never,
                ),
                vec![ids::LOGIN_QUEUE_OFF, ids::LOGIN_TIMER_NEVER],
            ),
            (
                dialog(
                    &[("all_colleges", true), ("all_backup", true)],
                    None,
                    TimerChoice::Countdown { minutes: 30 },
                ),
                vec![ids::LOGIN_TIMER_SHORT],
            ),
            (
                dialog(
                    &[("all_colleges", true), ("all_backup", true)],
                    None,
                    TimerChoice::Countdown { minutes: 600 },
                ),
                vec![ids::LOGIN_TIMER_LONG],
            ),
        ];
        for (d, want) in cases {
            let got = check_login_dialog(&d, &settings, &c, edt());
            assert_eq!(ids_of(&got), want, "{d:?}");
        }
    }

    #[test]
    fn queue_off_names_the_queues_and_the_fix() {
        let settings = Settings::default();
        let c = two_pm("2025-06-04T17:55:00Z");
        let d = dialog(
            &[("all_colleges", false), ("all_backup", false)],
            None,
            TimerChoice::Countdown { minutes: 80 },
        );
        let w = &check_login_dialog(&d, &settings, &c, edt())[0];
        assert_eq!(
            w.fix,
            Some(Fix::TurnOnQueues {
                queues: strings(&["all_colleges", "all_backup"])
            })
        );
        assert!(english(&w.text).contains("all_colleges, all_backup"));
        assert!(french(&w.text).contains("all_colleges, all_backup"));
        assert_eq!(w.severity, Severity::Warning);
    }

    #[test]
    fn staffing_tally() {
        let queues = askon_queues();
        assert_eq!(check_staffing_tally((2, 5), &queues), None);
        assert_eq!(check_staffing_tally((3, 5), &queues), None);
        let one = check_staffing_tally((1, 5), &queues).unwrap();
        assert_eq!(one.id, ids::STAFFING_TOO_FEW);
        assert_eq!(one.severity, Severity::Warning);
        assert!(
            english(&one.text).contains("all_colleges, all_backup"),
            "{}",
            english(&one.text)
        );
        let none = check_staffing_tally((0, 5), &queues).unwrap();
        assert_eq!(none.severity, Severity::Forbidden);
    }

    #[test]
    fn staffing() {
        let queues = askon_queues();
        let cases: Vec<(Vec<&str>, Vec<&str>, Vec<&str>)> = vec![
            (vec!["all_colleges", "all_backup"], vec![], vec![]),
            (
                vec![" ALL_COLLEGES ", "All_Backup", "humber_htf"],
                vec![],
                vec![],
            ),
            (vec!["all_colleges"], vec!["all_backup"], vec![]),
            (vec![], vec!["all_colleges", "all_backup"], vec![]),
            (
                vec!["all_colleges", "all_backup", "practice", "Practice", ""],
                vec![],
                vec!["practice"],
            ),
            (
                vec!["sandbox "],
                vec!["all_colleges", "all_backup"],
                vec!["sandbox"],
            ),
        ];
        for (staffed, missing, unexpected) in cases {
            let got = check_staffing(&strings(&staffed), &queues);
            assert_eq!(got.missing, strings(&missing), "{staffed:?}");
            assert_eq!(got.unexpected, strings(&unexpected), "{staffed:?}");
            assert_eq!(got.is_ok(), missing.is_empty() && unexpected.is_empty());
            let want_ids: Vec<&str> = [
                (!missing.is_empty()).then_some(ids::STAFFING_MISSING),
                (!unexpected.is_empty()).then_some(ids::STAFFING_UNEXPECTED),
            ]
            .into_iter()
            .flatten()
            .collect();
            assert_eq!(ids_of(&got.warnings()), want_ids);
        }
    }

    #[test]
    fn status_while_on_shift() {
        let guards = Guards::default();
        let on = two_pm("2025-06-04T18:30:00Z");
        let cases = [
            (Status::Away, Phase::OnShift, Some(ids::SHIFT_STATUS_AWAY)),
            (Status::Busy, Phase::OnShift, Some(ids::SHIFT_STATUS_BUSY)),
            (Status::Busy, Phase::Handover, Some(ids::SHIFT_STATUS_BUSY)),
            (
                Status::Away,
                Phase::LastShiftClosing,
                Some(ids::SHIFT_STATUS_AWAY),
            ),
            (Status::Available, Phase::OnShift, None),
            (Status::Logout, Phase::OnShift, None),
            (Status::Other("Lunch".into()), Phase::OnShift, None),
            (Status::Away, Phase::OffHours, None),
            (Status::Away, Phase::PreShift, None),
            (Status::Away, Phase::LoginWindow, None),
            (Status::Away, Phase::AfterClose, None),
        ];
        for (status, phase, want) in cases {
            let c = with_phase(on.clone(), phase, true);
            let got = status_guard(&status, &c, &guards);
            assert_eq!(
                got.as_ref().map(|w| w.id.as_str()),
                want,
                "{status:?} {phase:?}"
            );
            if let Some(w) = got {
                assert_eq!(w.fix, Some(Fix::SetStatusAvailable));
                assert!(english(&w.text).contains("Available"));
            }
        }
        let off = Guards {
            status_guard: false,
            ..Guards::default()
        };
        assert_eq!(status_guard(&Status::Away, &on, &off), None);
    }

    #[test]
    fn off_hours() {
        let guards = Guards::default();
        let base = no_shift("2025-06-04T03:00:00Z", Phase::OffHours);
        let avail = Status::Available;
        let (about, connected) = (
            Some(OffHoursKind::AboutToConnect),
            Some(OffHoursKind::Connected),
        );
        let cases = [
            // (phase, service open, status, dialog open) → notice
            (Phase::OffHours, false, None, true, about),
            (Phase::OffHours, false, Some(&avail), false, connected),
            (
                Phase::OffHours,
                false,
                Some(&Status::Away),
                false,
                connected,
            ),
            (Phase::OffHours, false, Some(&Status::Logout), false, None),
            (Phase::OffHours, false, None, false, None),
            (Phase::PreShift, false, None, true, about),
            (Phase::AfterClose, false, Some(&avail), false, connected),
            // five minutes before opening: the procedure says log in
            (Phase::LoginWindow, false, None, true, None),
            (Phase::OnShift, true, Some(&avail), false, None),
            // service open, the operator has no shift: not this guard's business
            (Phase::OffHours, true, None, true, None),
        ];
        for (phase, open, status, dialog_open, want) in cases {
            let c = with_phase(base.clone(), phase, open);
            let got = off_hours_guard(&c, &guards, status, dialog_open);
            assert_eq!(
                got.as_ref().map(|n| n.kind),
                want,
                "{phase:?} {open} {status:?} {dialog_open}"
            );
            if let Some(n) = got {
                assert_eq!(n.blocking, n.kind == OffHoursKind::AboutToConnect);
                assert!(english(&n.text).len() < 200);
            }
        }
        let c = with_phase(base, Phase::OffHours, false);
        let notice = off_hours_guard(&c, &guards, None, true).expect("notice");
        assert!(english(&notice.text).contains("training account"));
        assert!(french(&notice.text).contains("compte de formation"));
        let off = Guards {
            off_hours_guard: false,
            ..Guards::default()
        };
        assert_eq!(off_hours_guard(&c, &off, None, true), None);
    }
}
