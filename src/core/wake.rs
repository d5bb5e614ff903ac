//! When the page looks at the clock again. The content script keeps at most one timer,
//! set to the next instant at which a rule can change its answer: a boundary of the
//! shift or the service day (`shift::next_change`), or an instant a feature asked for
//! (the auto-logout warning, a chat winding down, each minute of a countdown it shows).
//! With nothing to watch there is no timer at all: an idle page is never woken.

use chrono::{DateTime, TimeDelta, Utc};

use super::settings::Settings;
use super::shift;

/// An instant a feature needs the page looked at again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Something shown or decided changes at this instant.
    At(DateTime<Utc>),
    /// Whole minutes to (or from) this instant are shown, e.g. "Auto-logout in 4 min":
    /// the text changes every minute counted from it.
    MinutesFrom(DateTime<Utc>),
}

/// The longest the page sleeps while time matters. A timer stops while the computer
/// sleeps, and the computer's clock can be set or jump: a fresh look every quarter of an
/// hour bounds how late such a change is noticed.
pub const LONGEST_SLEEP_MINUTES: i64 = 15;

/// How long after an instant the page looks: the rules compare whole seconds and
/// minutes rounded down, and a timer may fire a little before the clock shows the instant.
pub const LOOK_AFTER_MS: i64 = 1_000;

/// The longest delay a browser timer takes as asked (a longer one fires at once).
pub const MAX_TIMER_MS: u32 = i32::MAX as u32;

/// The first instant of a minute count after `now`: `from` plus a whole number of minutes.
fn next_minute_from(from: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let elapsed = now.signed_duration_since(from).num_milliseconds();
    let minutes = elapsed.div_euclid(60_000).checked_add(1)?;
    from.checked_add_signed(TimeDelta::try_minutes(minutes)?)
}

/// When the page should look again after `now`: the first instant after `now` at which
/// the schedule (when `schedule` is set: connected, the login dialog open, or a shift in
/// view) or one of `wakes` can change an answer, a second late, and no later than
/// [`LONGEST_SLEEP_MINUTES`] from `now`. `None` when nothing is watched.
pub fn next_wake(
    settings: &Settings,
    now: DateTime<Utc>,
    schedule: bool,
    wakes: &[Wake],
) -> Option<DateTime<Utc>> {
    if !schedule && wakes.is_empty() {
        return None;
    }
    let changes = wakes
        .iter()
        .filter_map(|w| match *w {
            Wake::At(t) => Some(t),
            Wake::MinutesFrom(t) => next_minute_from(t, now),
        })
        .chain(
            schedule
                .then(|| shift::next_change(settings, now))
                .flatten(),
        )
        .filter(|t| *t > now)
        .filter_map(|t| t.checked_add_signed(TimeDelta::milliseconds(LOOK_AFTER_MS)));
    let latest = now.checked_add_signed(TimeDelta::minutes(LONGEST_SLEEP_MINUTES));
    changes.chain(latest).min()
}

/// The timer delay from `now` to `at`, in milliseconds a browser timer accepts.
pub fn delay_ms(now: DateTime<Utc>, at: DateTime<Utc>) -> u32 {
    let ms = at.signed_duration_since(now).num_milliseconds();
    u32::try_from(ms.clamp(0, i64::from(MAX_TIMER_MS))).unwrap_or(MAX_TIMER_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::shift::tests::askon;
    use crate::core::test_support::t;

    #[test]
    fn the_next_wake_is_the_first_change_a_second_late_and_at_most_a_quarter_hour_away() {
        // Toronto, Monday 2026-03-09 (UTC-4): shifts 10–11, 14–15 and 21–22 local.
        let s = askon();
        let none: &[Wake] = &[];
        struct Case {
            label: &'static str,
            now: &'static str,
            schedule: bool,
            wakes: Vec<Wake>,
            want: Option<&'static str>,
        }
        let case = |label, now, schedule, wakes, want| Case {
            label,
            now,
            schedule,
            wakes,
            want,
        };
        let cases = vec![
            case(
                "nothing watched: no timer",
                "2026-03-09T18:20:00Z",
                false,
                vec![],
                None,
            ),
            case(
                "on shift: the minute before handover (14:49 local)",
                "2026-03-09T18:40:00Z",
                true,
                vec![],
                Some("2026-03-09T18:49:01Z"),
            ),
            case(
                "far from any boundary: a quarter-hour at most",
                "2026-03-09T12:00:00Z",
                true,
                vec![],
                Some("2026-03-09T12:15:00Z"),
            ),
            case(
                "an instant asked for comes first",
                "2026-03-09T18:20:00Z",
                true,
                vec![Wake::At(t("2026-03-09T18:25:30Z"))],
                Some("2026-03-09T18:25:31Z"),
            ),
            case(
                "an instant already past is ignored",
                "2026-03-09T18:20:00Z",
                false,
                vec![Wake::At(t("2026-03-09T18:19:00Z"))],
                Some("2026-03-09T18:35:00Z"),
            ),
            case(
                "logged out with a countdown only: its next minute",
                "2026-03-09T18:20:10Z",
                false,
                vec![Wake::MinutesFrom(t("2026-03-09T18:24:37Z"))],
                Some("2026-03-09T18:20:38Z"),
            ),
            case(
                "a countdown past its instant keeps counting",
                "2026-03-09T18:30:00Z",
                false,
                vec![Wake::MinutesFrom(t("2026-03-09T18:24:37Z"))],
                Some("2026-03-09T18:30:38Z"),
            ),
            case(
                "exactly on a minute of the count: the next one",
                "2026-03-09T18:21:37Z",
                false,
                vec![Wake::MinutesFrom(t("2026-03-09T18:24:37Z"))],
                Some("2026-03-09T18:22:38Z"),
            ),
            case(
                "the earliest of several",
                "2026-03-09T18:20:00Z",
                true,
                vec![
                    Wake::At(t("2026-03-09T18:40:00Z")),
                    Wake::MinutesFrom(t("2026-03-09T19:00:00Z")),
                ],
                Some("2026-03-09T18:21:01Z"),
            ),
        ];
        for c in cases {
            let got = next_wake(&s, t(c.now), c.schedule, &c.wakes);
            assert_eq!(got, c.want.map(t), "{}", c.label);
        }
        assert_eq!(next_wake(&s, t("2026-03-09T18:20:00Z"), false, none), None);
    }

    #[test]
    fn delays_fit_a_browser_timer() {
        let now = t("2026-03-09T18:00:00Z");
        assert_eq!(delay_ms(now, t("2026-03-09T18:00:01.500Z")), 1_500);
        assert_eq!(delay_ms(now, t("2026-03-09T17:59:00Z")), 0, "past: at once");
        assert_eq!(
            delay_ms(now, t("2027-03-09T18:00:00Z")),
            MAX_TIMER_MS,
            "a year: clamped to 2^31-1 ms"
        );
        assert_eq!(
            delay_ms(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
            MAX_TIMER_MS
        );
    }

    #[test]
    fn extreme_instants_never_panic() {
        let s = askon();
        for now in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            for w in [
                Wake::At(now),
                Wake::MinutesFrom(DateTime::<Utc>::MIN_UTC),
                Wake::MinutesFrom(DateTime::<Utc>::MAX_UTC),
            ] {
                let _ = next_wake(&s, now, true, &[w]);
            }
        }
    }
}
