//! The service-on watchdog's rules: "If you are visiting a college library website
//! during off hours and notice that the askON button is white, please contact [the
//! service coordinator] right away." When it asks (off hours, and a while after
//! close), what it asks (the public presence endpoint, one queue name in the URL), what
//! an answer means, what it keeps between checks, when it notifies, and the email.
//! The worker side (alarm, fetch, notification, permission) is `src/watchdog.rs`.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Said};
use super::guards::{ids, Severity, Warning};
use super::leaving::{compose_mail, MailDraft};
use super::settings::{looks_like_email, time_of_day, Server, Settings};
use super::shift::{Phase, ShiftContext};

// ---- when and what to ask, and what an answer means -------------------------------

/// Whether the presence watchdog should ask now: it is turned on, the service is
/// closed, and no shift is under way or about to start. Right after close
/// (`Phase::AfterClose`) it watches for `watchdog_after_close_minutes` after the
/// shift end; beyond that the shift model is expected to report `OffHours`.
pub fn watchdog_due(ctx: &ShiftContext, settings: &Settings) -> bool {
    let guards = &settings.guards;
    if !guards.watchdog || ctx.service_open {
        return false;
    }
    match ctx.phase {
        Phase::OffHours | Phase::PreShift => true,
        Phase::AfterClose => match ctx.minutes_to_shift_end {
            Some(m) => m.saturating_neg() <= i64::from(guards.watchdog_after_close_minutes),
            None => true,
        },
        Phase::LoginWindow | Phase::OnShift | Phase::Handover | Phase::LastShiftClosing => false,
    }
}

/// One answer of the public presence endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Chat,
    Available,
    Dnd,
    Away,
    Xa,
    Unavailable,
    /// Anything else (kept, trimmed and shortened, to be reported).
    Unknown(String),
}

impl Presence {
    pub fn parse(word: &str) -> Presence {
        let w = word.trim();
        match w.to_ascii_lowercase().as_str() {
            "chat" => Presence::Chat,
            "available" => Presence::Available,
            "dnd" => Presence::Dnd,
            "away" => Presence::Away,
            "xa" => Presence::Xa,
            "unavailable" => Presence::Unavailable,
            _ => Presence::Unknown(w.chars().take(40).collect()),
        }
    }

    /// "available" or "chat": someone is connected and the service is on.
    pub fn is_on(&self) -> bool {
        matches!(self, Presence::Chat | Presence::Available)
    }
}

/// Whether the endpoint's answer means the service is on. Unknown answers are not "on"
/// (see [`watchdog_finding`] to report them).
pub fn presence_says_on(word: &str) -> bool {
    Presence::parse(word).is_on()
}

/// A queue name safe to put in the presence URL: `[A-Za-z0-9_.-]`, not only dots.
pub fn valid_queue_name(queue: &str) -> bool {
    !queue.is_empty()
        && queue.len() <= 256
        && queue
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && !queue.bytes().all(|b| b == b'.')
        && !queue.contains("..")
}

/// `https://{host}/presence/jid/{queue}/chat.{host}/text`; `None` for a queue name
/// that is not plain `[A-Za-z0-9_.-]`.
pub fn presence_url(server: Server, queue: &str) -> Option<String> {
    if !valid_queue_name(queue) {
        return None;
    }
    let host = server.host();
    Some(format!(
        "https://{host}/presence/jid/{queue}/chat.{host}/text"
    ))
}

/// What the watchdog reports for one queue's answer, during off hours.
pub fn watchdog_finding(queue: &str, answer: &str) -> Option<Warning> {
    match Presence::parse(answer) {
        p if p.is_on() => Some(Warning::new(
            ids::WATCHDOG_SERVICE_ON,
            Severity::Warning,
            Said::new("watchdogTheServiceIsClosed", &[("queue", queue)]),
        )),
        Presence::Unknown(word) => Some(Warning::new(
            ids::WATCHDOG_UNKNOWN_ANSWER,
            Severity::Info,
            Said::new(
                "watchdogThePresenceCheckFor",
                &[("queue", queue), ("word", &word)],
            ),
        )),
        _ => None,
    }
}

// ---- what the worker keeps, says and sends ----------------------------------------

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
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
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
    #[serde(default, deserialize_with = "crate::core::rfc3339::optional_instant")]
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
pub fn watchdog_notification(on: &[String]) -> (Said, Said) {
    let q = on.join(", ");
    (
        Said::new("watchdogTheChatServiceIs", &[]),
        Said::new("watchdogTheQueueAnswersAvailable", &[("q", &q)]),
    )
}

/// The email to the service coordinator: which queues were on, and when (service time).
pub fn watchdog_mail(
    settings: &Settings,
    words: &Catalog,
    on: &[String],
    at: DateTime<Utc>,
) -> MailDraft {
    let local = at.with_timezone(&settings.service.zone());
    let when = format!(
        "{} {}",
        words.date(&local),
        time_of_day(words.language(), local.hour(), local.minute())
    );
    let q = on.join(", ");
    let subject = words.fill("mailWatchdogSubject", &[("q", &q)]);
    let body = words.fill("mailWatchdogBody", &[("q", &q), ("when", &when)]);
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
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::test_support::{no_shift, t, with_phase};

    fn answer(queue: &str, word: Option<&str>) -> QueueAnswer {
        QueueAnswer {
            queue: queue.into(),
            answer: word.map(str::to_string),
            error: word.is_none().then(|| "network error".to_string()),
        }
    }

    #[test]
    fn watchdog_timing() {
        let mut settings = crate::core::test_support::askon();
        settings.guards.watchdog = true;
        let ended = |mins_after: i64| {
            let mut c = no_shift("2025-06-05T02:00:00Z", Phase::AfterClose);
            c.minutes_to_shift_end = Some(mins_after.saturating_neg());
            c
        };
        // At `time` in `phase` with no shift, the service open or not.
        let at = |time, phase, open| with_phase(no_shift(time, phase), phase, open);
        let cases = [
            (at("2025-06-05T06:00:00Z", Phase::OffHours, false), true),
            (at("2025-06-05T06:00:00Z", Phase::PreShift, false), true),
            (ended(0), true),
            (ended(60), true),
            (ended(61), false),
            (ended(i64::MAX), false),
            // a shift end reported far away in either direction never panics
            (ended(i64::MIN), true),
            (at("2025-06-05T13:57:00Z", Phase::LoginWindow, false), false),
            (at("2025-06-05T15:00:00Z", Phase::OnShift, true), false),
            // open, even without a shift of ours: not watched
            (at("2025-06-05T15:00:00Z", Phase::OffHours, true), false),
        ];
        for (c, want) in cases {
            assert_eq!(
                watchdog_due(&c, &settings),
                want,
                "{:?} {:?}",
                c.phase,
                c.minutes_to_shift_end
            );
        }
        settings.guards.watchdog = false;
        assert!(!watchdog_due(&ended(0), &settings));
    }

    #[test]
    fn presence_words() {
        let cases = [
            ("available", Presence::Available, true),
            ("chat", Presence::Chat, true),
            (" Available\n", Presence::Available, true),
            ("dnd", Presence::Dnd, false),
            ("away", Presence::Away, false),
            ("xa", Presence::Xa, false),
            ("unavailable", Presence::Unavailable, false),
            ("", Presence::Unknown(String::new()), false),
            ("<html>", Presence::Unknown("<html>".into()), false),
        ];
        for (word, want, on) in cases {
            assert_eq!(Presence::parse(word), want, "{word:?}");
            assert_eq!(presence_says_on(word), on, "{word:?}");
        }
        assert_eq!(
            Presence::parse(&"x".repeat(10_000)),
            Presence::Unknown("x".repeat(40))
        );
    }

    #[test]
    fn watchdog_findings() {
        let cases = [
            ("available", Some(ids::WATCHDOG_SERVICE_ON)),
            ("chat", Some(ids::WATCHDOG_SERVICE_ON)),
            ("unavailable", None),
            ("away", None),
            ("dnd", None),
            ("xa", None),
            ("502 Bad Gateway", Some(ids::WATCHDOG_UNKNOWN_ANSWER)),
        ];
        for (answer, want) in cases {
            let got = watchdog_finding("all_colleges", answer);
            assert_eq!(got.as_ref().map(|w| w.id.as_str()), want, "{answer}");
            if let Some(w) = got {
                assert!(english(&w.text).contains("all_colleges"));
            }
        }
    }

    #[test]
    fn presence_urls() {
        assert_eq!(
            presence_url(Server::Ca, "all_colleges").as_deref(),
            Some(
                "https://ca.libraryh3lp.com/presence/jid/all_colleges/chat.ca.libraryh3lp.com/text"
            )
        );
        assert_eq!(
            presence_url(Server::Main, "ask.us-1").as_deref(),
            Some("https://libraryh3lp.com/presence/jid/ask.us-1/chat.libraryh3lp.com/text")
        );
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "../x",
            "a b",
            "a?b",
            "a#b",
            "a%2F",
            "é",
            "all_colleges\n",
            &"a".repeat(300),
        ] {
            assert_eq!(presence_url(Server::Ca, bad), None, "{bad:?}");
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
        let settings = crate::core::test_support::askon();
        let m = watchdog_mail(
            &settings,
            &shipped(settings.language()),
            &["all_colleges".into()],
            t("2025-06-05T03:00:00Z"),
        );
        assert_eq!(m.to, vec!["lrupert@ocls.ca".to_string()]);
        assert!(m.subject.contains("all_colleges"));
        // 03:00 UTC is 23:00 the day before in Toronto (EDT).
        assert!(m.body.contains("Wednesday 4 June 23:00"), "{}", m.body);
        assert!(
            m.mailto.starts_with("mailto:lrupert@ocls.ca?subject="),
            "{}",
            m.mailto
        );
        let (title, msg) = watchdog_notification(&["all_colleges".into()]);
        assert!(english(&title).contains("off hours"));
        assert!(english(&msg).contains("all_colleges") && french(&msg).contains("all_colleges"));
        let mut fr = Settings {
            language: crate::core::settings::LanguageChoice::Fr,
            ..crate::core::test_support::askon()
        };
        fr.coordinators.service[0].email = "not an address".into();
        let m = watchdog_mail(
            &fr,
            &shipped(fr.language()),
            &["all_colleges".into()],
            t("2025-06-05T03:00:00Z"),
        );
        assert!(m.to.is_empty());
        assert!(m.subject.starts_with("Service ouvert"));
    }

    #[test]
    fn watchdog_queues_are_url_safe_and_unique() {
        let mut s = crate::core::test_support::askon();
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

    proptest::proptest! {
        #[test]
        fn presence_url_never_escapes_its_path(q in ".{0,40}") {
            if let Some(url) = presence_url(Server::Eu, &q) {
                proptest::prop_assert!(url.starts_with("https://eu.libraryh3lp.com/presence/jid/"));
                proptest::prop_assert_eq!(url.matches('/').count(), 7);
            }
            let _ = Presence::parse(&q);
        }
    }
}
