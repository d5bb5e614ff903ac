//! What the guards tell the operator beyond a notice in the page: system notifications
//! for the auto-logout timer and the service-on watchdog, the flashing tab title, and
//! the bookkeeping that makes each alert fire once.
//!
//! The rules themselves (when a timer is wrong, what to answer the auto-logout popup,
//! when the watchdog asks) are in `timer` and `guards`; this module only decides when
//! to raise what, and in which words.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::checklist::TimerSetting;
use super::guards::{presence_says_on, valid_queue_name, watchdog_finding, Severity, Warning};
use super::leaving::{compose_mail, MailDraft};
use super::messages::NoticeLevel;
use super::settings::{looks_like_email, Language, LocalText, Settings, Timing};
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
    pub fn text(&self) -> (LocalText, LocalText) {
        match self {
            PageAlert::AutologoutSoon {
                minutes_left,
                advice,
            } => {
                let d = duration_text((*minutes_left).max(1));
                let a = advice.text();
                (
                    LocalText {
                        en: format!("LibraryH3lp auto-logout in {d}"),
                        fr: format!("Déconnexion automatique de LibraryH3lp dans {d}"),
                    },
                    LocalText {
                        en: format!(
                            "LibraryH3lp will soon ask whether to keep you logged in. {}",
                            a.en
                        ),
                        fr: format!(
                            "LibraryH3lp vous demandera bientôt s'il faut rester connecté. {}",
                            a.fr
                        ),
                    },
                )
            }
            PageAlert::AutologoutPopup { advice } => {
                let a = advice.text();
                (
                    LocalText::new(
                        "LibraryH3lp auto-logout: answer now",
                        "Déconnexion automatique de LibraryH3lp : répondez maintenant",
                    ),
                    LocalText {
                        en: format!(
                            "{} Without an answer you are logged out in about a minute.",
                            a.en
                        ),
                        fr: format!(
                            "{} Sans réponse, vous serez déconnecté dans environ une minute.",
                            a.fr
                        ),
                    },
                )
            }
        }
    }
}

/// The in-page notice a few minutes before the timer fires: when, and what to do.
pub fn autologout_soon_text(seconds_left: i64, deadline_local: &str, advice: &Advice) -> LocalText {
    let minutes = u32::try_from((seconds_left.max(0) + 59) / 60)
        .unwrap_or(u32::MAX)
        .max(1);
    let d = duration_text(minutes);
    let a = advice.text();
    LocalText {
        en: format!("Auto-logout in {d} (at {deadline_local}). {}", a.en),
        fr: format!(
            "Déconnexion automatique dans {d} (à {deadline_local}). {}",
            a.fr
        ),
    }
}

/// What the tab title alternates with while the auto-logout popup waits for an answer.
pub fn flash_title() -> LocalText {
    LocalText::new(
        "⚠ Auto-logout: answer now",
        "⚠ Déconnexion automatique : répondez",
    )
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

// ---- the service-on watchdog --------------------------------------------------------------

/// Storage key (`chrome.storage.local`) of the watchdog's last check and notification.
pub const WATCHDOG_STATE_KEY: &str = "watchdog";
/// Notification id of "the service is on during off hours".
pub const ALERT_WATCHDOG: &str = "watchdog.service_on";
/// After this long the same finding is notified again.
pub const WATCHDOG_RENOTIFY_MINUTES: i64 = 60;

/// The expected queues the watchdog may ask about (names safe in a URL, no duplicates).
pub fn watchdog_queues(settings: &Settings) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for q in &settings.queues.expected {
        let q = q.trim();
        if valid_queue_name(q) && !out.iter().any(|o| o.eq_ignore_ascii_case(q)) {
            out.push(q.to_string());
        }
    }
    out
}

/// One queue's answer: the word, or why there was none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueAnswer {
    pub queue: String,
    /// The endpoint's word (trimmed, at most 40 characters), or `None` on a failure.
    pub answer: Option<String>,
    /// What went wrong (network, HTTP status), when `answer` is `None`.
    pub error: Option<String>,
}

/// One run of the watchdog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchdogCheck {
    pub at: DateTime<Utc>,
    /// Whether the schedule says the service is closed (only then "on" is a problem).
    pub due: bool,
    pub answers: Vec<QueueAnswer>,
    /// Queues that answered available/chat.
    pub on: Vec<String>,
    /// What to tell the operator (service on, unexpected answers), only when `due`.
    pub findings: Vec<Warning>,
}

/// Reads the answers. Failures are kept in `answers` but are no finding: a network
/// error says nothing about the service.
pub fn watchdog_check(at: DateTime<Utc>, due: bool, answers: Vec<QueueAnswer>) -> WatchdogCheck {
    let on: Vec<String> = answers
        .iter()
        .filter(|a| a.answer.as_deref().is_some_and(presence_says_on))
        .map(|a| a.queue.clone())
        .collect();
    let findings = if due {
        answers
            .iter()
            .filter_map(|a| watchdog_finding(&a.queue, a.answer.as_deref()?))
            .collect()
    } else {
        Vec::new()
    };
    WatchdogCheck {
        at,
        due,
        answers,
        on,
        findings,
    }
}

/// What the watchdog keeps between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WatchdogState {
    pub last: Option<WatchdogCheck>,
    /// The queues of the last notification, and when it was raised.
    pub notified_on: Vec<String>,
    pub notified_at: Option<DateTime<Utc>>,
}

/// Notify when queues are on during off hours and either they differ from the last
/// notification or that one is older than [`WATCHDOG_RENOTIFY_MINUTES`]. Records it.
pub fn watchdog_should_notify(state: &mut WatchdogState, check: &WatchdogCheck) -> bool {
    if !check.due || check.on.is_empty() {
        if check.due {
            // Off again: a later "on" is news.
            state.notified_on.clear();
        }
        return false;
    }
    let same = state.notified_on == check.on;
    let recent = state.notified_at.is_some_and(|t| {
        check.at - t < TimeDelta::minutes(WATCHDOG_RENOTIFY_MINUTES) && check.at >= t
    });
    if same && recent {
        return false;
    }
    state.notified_on = check.on.clone();
    state.notified_at = Some(check.at);
    true
}

/// Title and message of the "service is on" notification.
pub fn watchdog_notification(on: &[String]) -> (LocalText, LocalText) {
    let q = on.join(", ");
    (
        LocalText::new(
            "The chat service is on during off hours",
            "Le service de clavardage est ouvert hors des heures",
        ),
        LocalText {
            en: format!("The queue {q} answers “available”: someone may have forgotten to log out. Click to email the service coordinator."),
            fr: format!("La file {q} répond « disponible » : quelqu'un a peut-être oublié de se déconnecter. Cliquez pour écrire à la coordination du service."),
        },
    )
}

/// The email to the service coordinator: which queues were on, and when (service time).
pub fn watchdog_mail(settings: &Settings, on: &[String], at: DateTime<Utc>) -> MailDraft {
    let local = at.with_timezone(&settings.service.zone());
    let when = format!(
        "{} {}",
        crate::core::settings::format_date(&local),
        crate::core::settings::format_clock(&local)
    );
    let q = on.join(", ");
    let (subject, body) = if settings.language == Language::Fr {
        (
            format!("Service ouvert hors des heures : {q}"),
            format!("Bonjour,\n\nLe {when}, hors des heures de service, la file {q} répondait « disponible » : quelqu'un est peut-être encore connecté.\n\nPourriez-vous vérifier?\n\nMerci."),
        )
    } else {
        (
            format!("Service on during off hours: {q}"),
            format!("Hello,\n\nOn {when}, outside service hours, the queue {q} answered “available”: someone may still be logged in.\n\nCould you check?\n\nThank you."),
        )
    };
    let to: Vec<String> = settings
        .coordinators
        .service
        .iter()
        .map(|c| c.email.trim().to_string())
        .filter(|e| looks_like_email(e))
        .collect();
    compose_mail(to, Vec::new(), &subject, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::guards::ids;
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
        assert_eq!(title.en, "LibraryH3lp auto-logout in 5 min");
        assert!(msg.en.contains("Remain logged in") && msg.en.contains("1 h 15 min"));
        assert!(msg.fr.contains("Remain logged in") && msg.fr.contains("1 h 15 min"));
        let (title, msg) = PageAlert::AutologoutPopup {
            advice: Advice::LogMeOut,
        }
        .text();
        assert!(title.en.contains("answer now"));
        assert!(msg.en.contains("Log me out"));
        assert!(msg.fr.contains("Log me out"));
        let notice = autologout_soon_text(241, "15:15", &advice());
        assert!(
            notice.en.starts_with("Auto-logout in 5 min (at 15:15)."),
            "{}",
            notice.en
        );
        assert!(autologout_soon_text(-5, "15:15", &advice())
            .en
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
        // First look at Preferences: the running timer, not a change.
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(75), false, None), now),
            None
        );
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(75), false, None), now),
            None
        );
        // The popup opens; the operator types 60; it closes while still connected.
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(75), true, Some(75)), now),
            None
        );
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(75), true, Some(60)), now),
            None
        );
        let got =
            timer_restarted(&mut w, &seen(true, Some(60), false, None), now).expect("restart");
        assert_eq!(got.choice, TimerChoice::Countdown { minutes: 60 });
        assert_eq!(got.at, now);
        // Preferences now showing the same 60 is not a second restart.
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(60), false, None), now),
            None
        );
        // The operator sets 90 in Preferences.
        let got =
            timer_restarted(&mut w, &seen(true, Some(90), false, None), now).expect("restart");
        assert_eq!(got.choice, TimerChoice::Countdown { minutes: 90 });
        // "Log me out": the popup closes and the operator is no longer connected.
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(90), true, Some(90)), now),
            None
        );
        assert_eq!(
            timer_restarted(&mut w, &seen(false, Some(90), false, None), now),
            None
        );
        // Not connected: Preferences changes are the next connection's, not a restart;
        // after connecting again the first reading is only a baseline.
        assert_eq!(
            timer_restarted(&mut w, &seen(false, Some(30), false, None), now),
            None
        );
        assert_eq!(
            timer_restarted(&mut w, &seen(true, Some(30), false, None), now),
            None
        );
        assert!(timer_restarted(&mut w, &seen(true, Some(45), false, None), now).is_some());
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

    fn answer(queue: &str, word: Option<&str>) -> QueueAnswer {
        QueueAnswer {
            queue: queue.into(),
            answer: word.map(str::to_string),
            error: word.is_none().then(|| "network error".to_string()),
        }
    }

    #[test]
    fn watchdog_checks_find_queues_left_on_only_when_closed() {
        let at = t("2025-06-05T03:00:00Z");
        let answers = vec![
            answer("all_colleges", Some("available")),
            answer("all_backup", Some("unavailable")),
            answer("practice", None),
        ];
        let c = watchdog_check(at, true, answers.clone());
        assert_eq!(c.on, vec!["all_colleges".to_string()]);
        let ids: Vec<&str> = c.findings.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, vec![ids::WATCHDOG_SERVICE_ON]);
        let open = watchdog_check(at, false, answers);
        assert_eq!(open.on, vec!["all_colleges".to_string()]);
        assert!(
            open.findings.is_empty(),
            "during service hours 'on' is normal"
        );
        let odd = watchdog_check(at, true, vec![answer("all_colleges", Some("<html>"))]);
        assert!(odd.on.is_empty());
        assert_eq!(odd.findings[0].id, ids::WATCHDOG_UNKNOWN_ANSWER);
    }

    #[test]
    fn the_watchdog_notifies_news_and_repeats_after_an_hour() {
        let mut s = WatchdogState::default();
        let at = |m: i64| t("2025-06-05T03:00:00Z") + TimeDelta::minutes(m);
        let check = |m, due, on: &[&str]| {
            watchdog_check(
                at(m),
                due,
                on.iter().map(|q| answer(q, Some("available"))).collect(),
            )
        };
        assert!(watchdog_should_notify(
            &mut s,
            &check(0, true, &["all_colleges"])
        ));
        assert!(!watchdog_should_notify(
            &mut s,
            &check(5, true, &["all_colleges"])
        ));
        assert!(watchdog_should_notify(
            &mut s,
            &check(10, true, &["all_colleges", "all_backup"])
        ));
        assert!(!watchdog_should_notify(
            &mut s,
            &check(15, true, &["all_colleges", "all_backup"])
        ));
        assert!(watchdog_should_notify(
            &mut s,
            &check(71, true, &["all_colleges", "all_backup"])
        ));
        // Off, then on again: news.
        assert!(!watchdog_should_notify(&mut s, &check(75, true, &[])));
        assert!(watchdog_should_notify(
            &mut s,
            &check(80, true, &["all_colleges", "all_backup"])
        ));
        // Not due (service open): never.
        let mut s = WatchdogState::default();
        assert!(!watchdog_should_notify(
            &mut s,
            &check(0, false, &["all_colleges"])
        ));
        // A clock that went backwards does not silence it forever.
        let mut s = WatchdogState {
            notified_on: vec!["all_colleges".into()],
            notified_at: Some(at(500)),
            ..Default::default()
        };
        assert!(watchdog_should_notify(
            &mut s,
            &check(0, true, &["all_colleges"])
        ));
    }

    #[test]
    fn watchdog_mail_goes_to_the_service_coordinator_with_the_queue_and_time() {
        let settings = Settings::default();
        let m = watchdog_mail(
            &settings,
            &["all_colleges".into()],
            t("2025-06-05T03:00:00Z"),
        );
        assert_eq!(m.to, vec!["lrupert@ocls.ca".to_string()]);
        assert!(m.subject.contains("all_colleges"));
        // 03:00 UTC is 23:00 the day before in Toronto (EDT).
        assert!(m.body.contains("2025-06-04 23:00"), "{}", m.body);
        assert!(
            m.mailto.starts_with("mailto:lrupert@ocls.ca?subject="),
            "{}",
            m.mailto
        );
        let (title, msg) = watchdog_notification(&["all_colleges".into()]);
        assert!(title.en.contains("off hours"));
        assert!(msg.en.contains("all_colleges") && msg.fr.contains("all_colleges"));
        let mut fr = Settings {
            language: Language::Fr,
            ..Settings::default()
        };
        fr.coordinators.service[0].email = "not an address".into();
        let m = watchdog_mail(&fr, &["all_colleges".into()], t("2025-06-05T03:00:00Z"));
        assert!(m.to.is_empty());
        assert!(m.subject.starts_with("Service ouvert"));
    }

    #[test]
    fn watchdog_queues_are_url_safe_and_unique() {
        let mut s = Settings::default();
        s.queues.expected = vec![
            " all_colleges ".into(),
            "ALL_COLLEGES".into(),
            "../x".into(),
            "".into(),
            "all_backup".into(),
        ];
        assert_eq!(
            watchdog_queues(&s),
            vec!["all_colleges".to_string(), "all_backup".to_string()]
        );
    }
}
