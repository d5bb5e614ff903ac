//! What the guards tell the operator beyond a notice in the page: system notifications
//! for the auto-logout timer, the flashing tab title, and the bookkeeping that makes
//! each alert fire once. (The service-on watchdog's are in `watchdog`.)
//!
//! The rules themselves (when a timer is wrong, what to answer the auto-logout popup)
//! are in `timer` and `guards`; this module only decides when to raise what, and in
//! which words.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::{Arg, Said};
use super::checklist::TimerSetting;
use super::guards::Severity;
use super::messages::NoticeLevel;
use super::settings::Timing;
use super::snapshot::TimerChoice;
use super::timer::{countdown, duration_text, Advice};

/// How loud a guard's warning is in the page and the popup.
pub fn notice_level(severity: Severity) -> NoticeLevel {
    match severity {
        Severity::Info => NoticeLevel::Info,
        Severity::Warning => NoticeLevel::Warning,
        Severity::Forbidden => NoticeLevel::Alert,
    }
}

// ---- auto-logout ----------------------------------------------------------------------

/// A system notification the web client's tab asks the background to raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PageAlert {
    /// The auto-logout timer fires in about `minutes_left` minutes.
    AutologoutSoon { minutes_left: u32, advice: Advice },
    /// The "Remain logged in / Log me out" popup is open now.
    AutologoutPopup { advice: Advice },
}

/// Notification ids (a tab id is appended by the background).
pub const ALERT_AUTOLOGOUT_SOON: &str = "autologout.soon";
pub const ALERT_AUTOLOGOUT_POPUP: &str = "autologout.popup";

impl PageAlert {
    pub fn id(&self) -> &'static str {
        match self {
            PageAlert::AutologoutSoon { .. } => ALERT_AUTOLOGOUT_SOON,
            PageAlert::AutologoutPopup { .. } => ALERT_AUTOLOGOUT_POPUP,
        }
    }

    /// Title and message of the notification.
    pub fn text(&self) -> (Said, Said) {
        match self {
            PageAlert::AutologoutSoon {
                minutes_left,
                advice,
            } => {
                let d = duration_text((*minutes_left).max(1));
                let a = advice.text();
                (
                    Said::new("alertAutologoutSoonTitle", &[("d", &d)]),
                    Said::from("alertAutologoutSoon").with("advice", a),
                )
            }
            PageAlert::AutologoutPopup { advice } => {
                let a = advice.text();
                (
                    Said::new("alertAutologoutAnswerNowTitle", &[]),
                    Said::from("alertAutologoutPopup").with("advice", a),
                )
            }
        }
    }
}

/// The in-page notice a few minutes before the timer fires: when, and what to do.
pub fn autologout_soon_text(seconds_left: i64, deadline: Arg, advice: &Advice) -> Said {
    let minutes = u32::try_from((seconds_left.max(0) + 59) / 60)
        .unwrap_or(u32::MAX)
        .max(1);
    let d = duration_text(minutes);
    let a = advice.text();
    Said::new("alertAutologoutIn", &[("d", &d)])
        .arg("at", deadline)
        .with("advice", a)
}

/// What the tab title alternates with while the auto-logout popup waits for an answer.
pub fn flash_title() -> Said {
    Said::new("alertFlashTitle", &[])
}

/// Which alerts were raised already, so each fires once: the warning once per
/// deadline, the popup alert once per opening.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutologoutAlerts {
    warned_for: Option<DateTime<Utc>>,
    popup_seen: bool,
}

/// The notifications to raise now: "soon" once when the countdown enters its warning
/// window (not while the popup is already open), "popup" once each time it opens.
pub fn autologout_alerts(
    state: &mut AutologoutAlerts,
    deadline: Option<DateTime<Utc>>,
    popup_open: bool,
    now: DateTime<Utc>,
    advice: Advice,
    timing: &Timing,
) -> Vec<PageAlert> {
    let mut out = Vec::new();
    if popup_open && !state.popup_seen {
        out.push(PageAlert::AutologoutPopup { advice });
    }
    state.popup_seen = popup_open;
    if let Some(deadline) = deadline {
        let c = countdown(deadline, now, timing);
        if c.warn && !popup_open && state.warned_for != Some(deadline) {
            state.warned_for = Some(deadline);
            let minutes_left = u32::try_from((c.seconds_left + 59) / 60).unwrap_or(u32::MAX);
            out.push(PageAlert::AutologoutSoon {
                minutes_left,
                advice,
            });
        }
    }
    out
}

/// Follows the auto-logout timer after connecting: a change in Preferences, or
/// "Remain logged in" in the popup, starts it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimerWatch {
    /// The Preferences choice last seen (None until first read).
    prefs: Option<TimerChoice>,
    /// The popup's "new timer" minutes last read while it was open.
    popup_minutes: Option<u32>,
    popup_was_open: bool,
}

/// What the page shows about the timer right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimerSighting {
    pub connected: bool,
    /// The Preferences auto-logout controls, when they can be read.
    pub prefs: Option<TimerChoice>,
    pub popup_open: bool,
    /// The popup's "new timer (minutes)" input, when readable.
    pub popup_minutes: Option<u32>,
}

/// Returns the new timer when it was just started again: the popup closed while still
/// connected ("Remain logged in" with the minutes it showed), or the Preferences choice
/// changed from what was last seen. The first Preferences reading is only a baseline:
/// it shows the timer already running.
pub fn timer_restarted(
    watch: &mut TimerWatch,
    seen: &TimerSighting,
    now: DateTime<Utc>,
) -> Option<TimerSetting> {
    let mut restarted = None;
    if seen.popup_open {
        if seen.popup_minutes.is_some() {
            watch.popup_minutes = seen.popup_minutes;
        }
    } else if watch.popup_was_open && seen.connected {
        if let Some(minutes) = watch.popup_minutes.filter(|m| *m > 0) {
            let choice = TimerChoice::Countdown { minutes };
            // The page will show the new timer in Preferences too: not a second change.
            watch.prefs = Some(choice.clone());
            restarted = Some(TimerSetting { choice, at: now });
        }
        watch.popup_minutes = None;
    }
    watch.popup_was_open = seen.popup_open;
    match (&seen.prefs, seen.connected) {
        // Logged out: the next connection starts its own timer; its first reading is
        // a new baseline.
        (_, false) => watch.prefs = None,
        (Some(TimerChoice::Unreadable), true) | (None, true) => {}
        (Some(choice), true) => {
            if watch.prefs.as_ref().is_some_and(|p| p != choice) && restarted.is_none() {
                restarted = Some(TimerSetting {
                    choice: choice.clone(),
                    at: now,
                });
            }
            watch.prefs = Some(choice.clone());
        }
    }
    restarted
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::test_support::t;

    fn advice() -> Advice {
        Advice::RemainLoggedIn {
            new_timer_minutes: 75,
        }
    }

    #[test]
    fn the_warning_fires_once_per_deadline_and_the_popup_once_per_opening() {
        let timing = Timing::default(); // warn 5 min ahead
        let deadline = t("2025-06-04T19:15:00Z");
        let mut s = AutologoutAlerts::default();
        let at = |hms: &str| t(&format!("2025-06-04T{hms}Z"));
        let run = |s: &mut AutologoutAlerts, now, popup| {
            autologout_alerts(s, Some(deadline), popup, now, advice(), &timing)
                .iter()
                .map(|a| a.id())
                .collect::<Vec<_>>()
        };
        assert!(run(&mut s, at("19:09:00"), false).is_empty(), "too early");
        assert_eq!(
            run(&mut s, at("19:10:30"), false),
            vec![ALERT_AUTOLOGOUT_SOON]
        );
        assert!(run(&mut s, at("19:11:00"), false).is_empty(), "once");
        assert_eq!(
            run(&mut s, at("19:15:00"), true),
            vec![ALERT_AUTOLOGOUT_POPUP]
        );
        assert!(
            run(&mut s, at("19:15:30"), true).is_empty(),
            "once per opening"
        );
        assert!(run(&mut s, at("19:16:00"), false).is_empty());
        assert_eq!(
            run(&mut s, at("19:17:00"), true),
            vec![ALERT_AUTOLOGOUT_POPUP],
            "opened again"
        );
        // A new deadline warns again.
        let later = t("2025-06-04T20:30:00Z");
        let got = autologout_alerts(
            &mut s,
            Some(later),
            false,
            at("20:26:10"),
            advice(),
            &timing,
        );
        assert_eq!(
            got,
            vec![PageAlert::AutologoutSoon {
                minutes_left: 4,
                advice: advice()
            }]
        );
        // No deadline known: only the popup can alert.
        let mut fresh = AutologoutAlerts::default();
        assert!(
            autologout_alerts(&mut fresh, None, false, at("19:00:00"), advice(), &timing)
                .is_empty()
        );
        assert_eq!(
            autologout_alerts(&mut fresh, None, true, at("19:00:00"), advice(), &timing).len(),
            1
        );
    }

    #[test]
    fn alert_texts_carry_the_advice_in_both_languages() {
        let (title, msg) = PageAlert::AutologoutSoon {
            minutes_left: 5,
            advice: advice(),
        }
        .text();
        assert_eq!(english(&title), "LibraryH3lp auto-logout in 5 min");
        assert!(english(&msg).contains("Remain logged in") && english(&msg).contains("1 h 15 min"));
        assert!(french(&msg).contains("Remain logged in") && french(&msg).contains("1 h 15 min"));
        let (title, msg) = PageAlert::AutologoutPopup {
            advice: Advice::LogMeOut,
        }
        .text();
        assert!(english(&title).contains("answer now"));
        assert!(english(&msg).contains("Log me out"));
        assert!(french(&msg).contains("Log me out"));
        let notice = autologout_soon_text(
            241,
            Arg::Time {
                hour: 15,
                minute: 15,
            },
            &advice(),
        );
        assert!(
            english(&notice).starts_with("Auto-logout in 5 min (at 15:15)."),
            "{}",
            english(&notice)
        );
        assert!(english(&autologout_soon_text(
            -5,
            Arg::Time {
                hour: 15,
                minute: 15
            },
            &advice()
        ))
        .contains("in 1 min"));
    }

    #[test]
    fn serialised_alerts_are_tagged_and_reject_unknown_kinds() {
        let a = PageAlert::AutologoutPopup {
            advice: Advice::LogMeOut,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"kind\":\"autologout_popup\""), "{json}");
        assert_eq!(serde_json::from_str::<PageAlert>(&json).unwrap(), a);
        assert!(serde_json::from_str::<PageAlert>(r#"{"kind":"anything"}"#).is_err());
    }

    fn seen(
        connected: bool,
        prefs: Option<u32>,
        popup: bool,
        popup_minutes: Option<u32>,
    ) -> TimerSighting {
        TimerSighting {
            connected,
            prefs: prefs.map(|minutes| TimerChoice::Countdown { minutes }),
            popup_open: popup,
            popup_minutes,
        }
    }

    #[test]
    fn the_timer_restarts_on_remain_logged_in_and_on_a_preferences_change() {
        let now = t("2025-06-04T19:15:00Z");
        let mut w = TimerWatch::default();
        // One sighting after the other, and the restart each one reveals (its minutes).
        let steps = [
            // First look at Preferences: the running timer, not a change.
            (seen(true, Some(75), false, None), None),
            (seen(true, Some(75), false, None), None),
            // The popup opens; the operator types 60; it closes while still connected.
            (seen(true, Some(75), true, Some(75)), None),
            (seen(true, Some(75), true, Some(60)), None),
            (seen(true, Some(60), false, None), Some(60)),
            // Preferences now showing the same 60 is not a second restart.
            (seen(true, Some(60), false, None), None),
            // The operator sets 90 in Preferences.
            (seen(true, Some(90), false, None), Some(90)),
            // "Log me out": the popup closes and the operator is no longer connected.
            (seen(true, Some(90), true, Some(90)), None),
            (seen(false, Some(90), false, None), None),
            // Not connected: Preferences changes are the next connection's, not a restart;
            // after connecting again the first reading is only a baseline.
            (seen(false, Some(30), false, None), None),
            (seen(true, Some(30), false, None), None),
            (seen(true, Some(45), false, None), Some(45)),
        ];
        for (step, (sighting, want)) in steps.iter().enumerate() {
            let got = timer_restarted(&mut w, sighting, now);
            assert_eq!(
                got.as_ref().map(|r| &r.choice),
                want.map(|minutes| TimerChoice::Countdown { minutes })
                    .as_ref(),
                "step {step}: {sighting:?}"
            );
            if let Some(got) = got {
                assert_eq!(got.at, now, "step {step}");
            }
        }
        // Unreadable Preferences change nothing.
        let mut w = TimerWatch::default();
        let unreadable = TimerSighting {
            connected: true,
            prefs: Some(TimerChoice::Unreadable),
            ..Default::default()
        };
        assert_eq!(timer_restarted(&mut w, &unreadable, now), None);
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(75), false, None), now),
            None
        );
    }
}
