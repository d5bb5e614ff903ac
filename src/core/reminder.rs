//! The pre-shift reminder: when to fire (`shift::next_shift_start`), what it says when
//! it fires, and where clicking it leads. The background arms one browser alarm.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::{Arg, Said};
use super::settings::Settings;
use super::shift::{context, Phase};

/// The name of the one alarm (and notification) the reminder uses.
pub const REMINDER_ALARM: &str = "pre-shift-reminder";

/// An alarm that fires this much early still counts (browsers round alarm times).
const EARLY_TOLERANCE_MINUTES: i64 = 2;

/// The notification, said in the language in force when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub title: Said,
    pub message: Said,
}

/// The web client of the consortium's server, e.g. `https://ca.libraryh3lp.com/webclient/`.
pub fn webclient_url(settings: &Settings) -> String {
    format!("https://{}/webclient/", settings.server.host())
}

/// What to say when the alarm fires at `now`: only while it is time to log in (a
/// reminder that arrives after the shift began, e.g. the browser was closed, or whose
/// shift was removed since, says nothing).
pub fn reminder_at(settings: &Settings, now: DateTime<Utc>) -> Option<Reminder> {
    let mut ctx = context(settings, now);
    if ctx.phase != Phase::LoginWindow {
        let soon = context(settings, now + TimeDelta::minutes(EARLY_TOLERANCE_MINUTES));
        if soon.phase != Phase::LoginWindow {
            return None;
        }
        ctx = soon;
    }
    let shift = ctx.shift.as_ref()?;
    let tz = settings.service.zone();
    let start = Arg::time(&shift.start.with_timezone(&tz));
    let end = Arg::time(&shift.end.with_timezone(&tz));
    let queues = settings.queues.expected.join(", ");
    let key = if ctx.first_of_day {
        "reminderLogInFirstShift"
    } else {
        "reminderLogIn"
    };
    Some(Reminder {
        title: Said::from("reminderTitle").arg("start", start.clone()),
        message: Said::new(key, &[("queues", &queues)])
            .arg("start", start)
            .arg("end", end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::{english, french};
    use crate::core::settings::LanguageChoice;
    use crate::core::settings::Server;
    use crate::core::shift::next_shift_start;
    use crate::core::test_support::{monday_shifts, t as utc};

    /// askON hours; one Monday shift, 10–11.
    fn settings() -> Settings {
        monday_shifts(&[("10:00", "11:00")])
    }

    #[test]
    fn the_reminder_fires_at_the_login_time_and_says_what_to_do() {
        let s = settings();
        // Monday 2026-03-09 08:00 in Toronto (EDT): the reminder is for 09:55.
        let at = next_shift_start(&s, utc("2026-03-09T12:00:00Z")).unwrap();
        assert_eq!(at, utc("2026-03-09T13:55:00Z"));
        let r = reminder_at(&s, at).expect("due");
        assert_eq!(english(&r.title), "Your shift starts at 10:00");
        assert_eq!(
            english(&r.message),
            "Log in now (10:00–11:00), on the queues all_colleges, all_backup. First shift of the day: offline texts are waiting for you."
        );
        assert!(
            reminder_at(&s, at - TimeDelta::seconds(30)).is_some(),
            "a little early still counts"
        );
        let mut fr = s.clone();
        fr.language = LanguageChoice::Fr;
        // The time the French way.
        assert_eq!(
            french(&reminder_at(&fr, at).unwrap().title),
            "Votre quart commence à 10 h"
        );
    }

    #[test]
    fn a_late_or_orphaned_alarm_says_nothing() {
        let s = settings();
        assert_eq!(
            reminder_at(&s, utc("2026-03-09T14:30:00Z")),
            None,
            "the shift began"
        );
        assert_eq!(
            reminder_at(&Settings::default(), utc("2026-03-09T13:55:00Z")),
            None,
            "no shift"
        );
        assert_eq!(
            reminder_at(&s, utc("2026-03-09T12:00:00Z")),
            None,
            "too early"
        );
    }

    #[test]
    fn clicking_leads_to_the_consortiums_web_client() {
        let mut s = Settings::default();
        assert_eq!(webclient_url(&s), "https://ca.libraryh3lp.com/webclient/");
        s.server = Server::Main;
        assert_eq!(webclient_url(&s), "https://libraryh3lp.com/webclient/");
    }
}
