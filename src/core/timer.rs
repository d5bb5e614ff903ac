//! The auto-logout timer (login procedure step 1.1, and "Auto-Logout Procedures"):
//! set it "slightly longer than your shift" — the shift end plus a margin, rounded up
//! (1 h 15 min for a one-hour shift) — never "Never auto-logout"; when the popup
//! appears, remain logged in until the shift is over, then log out.
//!
//! All instants are UTC. A specific logout time ("HH:MM") is the browser's local clock,
//! so the caller passes the browser's current UTC offset (`local_offset`, i.e.
//! `-Date.getTimezoneOffset()` minutes): the core never reads a clock.

use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::{Arg, Said};
use super::guards::{ids, Fix, Severity, Warning};
use super::settings::Timing;
use super::shift::ShiftContext;
use super::snapshot::TimerChoice;

/// Whole minutes from `from` to `to`, rounded up (negative when `to` is earlier).
fn minutes_ceil(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let secs = (to - from).num_seconds();
    secs.div_euclid(60) + i64::from(secs.rem_euclid(60) > 0)
}

/// `value` rounded up to a multiple of `step` (a step of 0 counts as 1).
fn round_up(value: i64, step: u32) -> i64 {
    let step = i64::from(step.max(1));
    let rem = value.rem_euclid(step);
    if rem == 0 {
        value
    } else {
        value.saturating_add(step - rem)
    }
}

fn add_minutes(at: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
    at.checked_add_signed(TimeDelta::try_minutes(minutes)?)
}

/// "1 h 15 min", "45 min", "2 h" (the same in both languages).
pub fn duration_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// A local clock time, said the language's way ("15:05", "15 h 05": `time_of_day`).
pub fn clock_text(at: DateTime<Utc>, offset: FixedOffset) -> Arg {
    Arg::time(&at.with_timezone(&offset))
}

/// The timer the procedure asks for when connecting (or resetting the timer) at
/// `ctx.now`: minutes to the shift end plus the margin, rounded up to
/// `timer_rounding_minutes`. A one-hour shift starting now gives 75 with the askON
/// defaults. `None` when there is no shift or it has already ended.
pub fn recommended_timer_minutes(ctx: &ShiftContext, timing: &Timing) -> Option<u32> {
    let shift = ctx.shift.as_ref()?;
    if ctx.now >= shift.end {
        return None;
    }
    let total = minutes_ceil(ctx.now, shift.end)
        .saturating_add(i64::from(timing.autologout_margin_minutes));
    u32::try_from(round_up(total, timing.timer_rounding_minutes)).ok()
}

/// The same recommendation as a specific logout time, "HH:MM" on the browser's clock:
/// shift end plus the margin, rounded up on the clock to `timer_rounding_minutes`.
pub fn recommended_logout_time(
    ctx: &ShiftContext,
    timing: &Timing,
    local_offset: FixedOffset,
) -> Option<String> {
    let shift = ctx.shift.as_ref()?;
    if ctx.now >= shift.end {
        return None;
    }
    let target = add_minutes(shift.end, i64::from(timing.autologout_margin_minutes))?;
    let local = target.with_timezone(&local_offset);
    let minute_of_day = i64::from(local.hour() * 60 + local.minute())
        + i64::from(local.second() > 0 || local.nanosecond() > 0);
    let rounded = round_up(minute_of_day, timing.timer_rounding_minutes).rem_euclid(24 * 60);
    Some(format!("{:02}:{:02}", rounded / 60, rounded % 60))
}

/// Reads "HH:MM" (also "H:MM", "HH:MM:SS", "15h15", "3:15 pm"). `None` when it is not a
/// time of day; never guesses.
pub fn parse_clock_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase();
    let (body, pm) = if let Some(b) = lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        (b.trim_end(), Some(true))
    } else if let Some(b) = lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
    {
        (b.trim_end(), Some(false))
    } else {
        (lower.as_str(), None)
    };
    let mut parts = body.split([':', 'h']).map(str::trim);
    let number = |part: Option<&str>| -> Option<u32> {
        let p = part?;
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let hour = number(parts.next())?;
    let minute_part = parts.next()?;
    if minute_part.len() != 2 {
        return None;
    }
    let minute = number(Some(minute_part))?;
    let second = match parts.next() {
        None => 0,
        Some(s) if s.len() == 2 => number(Some(s))?,
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    let hour = match pm {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) => hour % 12 + 12,
        Some(false) => hour % 12,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// The first moment at or after `after` when the browser's clock shows `time`
/// (so "00:30" set at 23:00 is the next day: correct across midnight).
pub fn resolve_logout_time(
    time: &str,
    after: DateTime<Utc>,
    local_offset: FixedOffset,
) -> Option<DateTime<Utc>> {
    let wanted = parse_clock_time(time)?;
    let local_after: NaiveDateTime = after.with_timezone(&local_offset).naive_local();
    let mut candidate = local_after.date().and_time(wanted);
    if candidate < local_after {
        candidate = candidate.date().succ_opt()?.and_time(wanted);
    }
    let utc = candidate.checked_sub_offset(local_offset)?;
    Some(utc.and_utc())
}

/// When the client will log the operator out: `started_at` is when the timer was set —
/// connecting, changing it in Preferences mid-shift, or "Remain logged in".
/// `None` for "Never auto-logout" and for a choice that could not be read.
pub fn autologout_deadline(
    started_at: DateTime<Utc>,
    choice: &TimerChoice,
    local_offset: FixedOffset,
) -> Option<DateTime<Utc>> {
    match choice {
        TimerChoice::Countdown { minutes } => add_minutes(started_at, i64::from(*minutes)),
        TimerChoice::At { time } => resolve_logout_time(time, started_at, local_offset),
        TimerChoice::Never | TimerChoice::Unreadable => None,
    }
}

fn never_warning(recommended: Option<u32>) -> Warning {
    let text = match recommended.map(duration_text) {
        None => Said::from("timerNeverNotAllowed"),
        Some(set) => Said::new("timerNeverNotAllowedSet", &[("set", &set)]),
    };
    Warning::new(ids::LOGIN_TIMER_NEVER, Severity::Forbidden, text)
        .with_fix(recommended.map(|minutes| Fix::SetTimer { minutes }))
}

fn unreadable_warning(recommended: Option<u32>) -> Warning {
    let text = match recommended.map(duration_text) {
        Some(s) => Said::new("timerUnreadableSet", &[("s", &s)]),
        None => Said::from("timerUnreadable"),
    };
    Warning::new(ids::LOGIN_TIMER_UNREADABLE, Severity::Info, text)
        .with_fix(recommended.map(|minutes| Fix::SetTimer { minutes }))
}

/// Checks the auto-logout choice about to be used at `ctx.now` (login dialog, or a
/// change in Preferences): "Never auto-logout" is forbidden; a timer that ends before
/// the shift does is too short; one that ends more than twice the margin after the
/// shift end is too long. A specific time is judged the same way.
pub fn check_timer(
    choice: &TimerChoice,
    ctx: &ShiftContext,
    timing: &Timing,
    local_offset: FixedOffset,
) -> Vec<Warning> {
    let recommended = recommended_timer_minutes(ctx, timing);
    let (deadline, fix) = match choice {
        TimerChoice::Never => return vec![never_warning(recommended)],
        TimerChoice::Unreadable => return vec![unreadable_warning(recommended)],
        TimerChoice::Countdown { minutes } => (
            add_minutes(ctx.now, i64::from(*minutes)),
            recommended.map(|minutes| Fix::SetTimer { minutes }),
        ),
        TimerChoice::At { time } => match resolve_logout_time(time, ctx.now, local_offset) {
            None => return vec![unreadable_warning(recommended)],
            Some(d) => (
                Some(d),
                recommended_logout_time(ctx, timing, local_offset)
                    .map(|time| Fix::SetLogoutTime { time }),
            ),
        },
    };
    // Short and long are only judged against a shift that has not ended yet.
    let (Some(deadline), Some(shift), Some(rec)) = (deadline, ctx.shift.as_ref(), recommended)
    else {
        return Vec::new();
    };
    let long_after = add_minutes(shift.end, 2 * i64::from(timing.autologout_margin_minutes));
    let ends = clock_text(deadline, local_offset);
    let shift_end = clock_text(shift.end, local_offset);
    let set = match &fix {
        Some(Fix::SetLogoutTime { time }) => Said::new("timerSetTheLogoutTime", &[("time", time)]),
        _ => Said::new("timerSetTheTimer", &[("d", &duration_text(rec))]),
    };
    // One sentence for both: when the timer ends, how that falls against the shift's end.
    let (id, against) = if deadline < shift.end {
        let against = Said::from("timerBeforeShiftEnds").arg("end", shift_end);
        (ids::LOGIN_TIMER_SHORT, against)
    } else if long_after.is_some_and(|limit| deadline > limit) {
        let against = Said::from("timerLongAfterShiftEnds").arg("end", shift_end);
        (ids::LOGIN_TIMER_LONG, against)
    } else {
        return Vec::new();
    };
    let text = Said::from("timerEndsAt")
        .arg("ends", ends)
        .with("against", against)
        .with("set", set);
    vec![Warning::new(id, Severity::Warning, text).with_fix(fix)]
}

/// Where the auto-logout countdown stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countdown {
    /// Whole seconds until the timer fires (0 once it has).
    pub seconds_left: i64,
    /// In the last `autologout_warning_minutes`, not yet expired: warn the operator.
    pub warn: bool,
    /// The timer has fired: the popup is (or was) shown.
    pub expired: bool,
}

/// The countdown to `deadline` at `now`.
pub fn countdown(deadline: DateTime<Utc>, now: DateTime<Utc>, timing: &Timing) -> Countdown {
    let seconds_left = (deadline - now).num_seconds().max(0);
    let expired = now >= deadline;
    let warn_secs = i64::from(timing.autologout_warning_minutes) * 60;
    Countdown {
        seconds_left,
        warn: !expired && seconds_left <= warn_secs,
        expired,
    }
}

/// The answer the procedure gives when the auto-logout popup appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Advice {
    /// The shift is not over: "Remain logged in" with this new timer.
    RemainLoggedIn { new_timer_minutes: u32 },
    /// The shift is over (or there is none): "Log me out".
    LogMeOut,
}

impl Advice {
    /// What to tell the operator, short.
    pub fn text(&self) -> Said {
        match self {
            Advice::RemainLoggedIn { new_timer_minutes } => {
                let d = duration_text(*new_timer_minutes);
                Said::new("timerAdviceRemain", &[("d", &d)])
            }
            Advice::LogMeOut => Said::new("timerAdviceLogMeOut", &[]),
        }
    }
}

/// Before the shift end: remain logged in with the recommended timer; after it (or
/// with no shift): log me out.
pub fn autologout_advice(ctx: &ShiftContext, timing: &Timing) -> Advice {
    match recommended_timer_minutes(ctx, timing) {
        Some(new_timer_minutes) => Advice::RemainLoggedIn { new_timer_minutes },
        None => Advice::LogMeOut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::shift::Phase;
    use crate::core::test_support::{ctx, edt, no_shift, t, two_pm};

    fn at(time: &str) -> TimerChoice {
        TimerChoice::At { time: time.into() }
    }

    #[test]
    fn recommended_timer() {
        let timing = Timing::default();
        let cases = [
            // 1 h shift starting now → 75 (the procedure's example)
            (
                "2025-06-04T18:00:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                Some(75),
            ),
            // logging in five minutes early → 80
            (
                "2025-06-04T17:55:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                Some(80),
            ),
            // a few seconds late still rounds up to the next multiple of 5
            (
                "2025-06-04T18:00:30Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                Some(75),
            ),
            (
                "2025-06-04T18:02:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                Some(75),
            ),
            // popup 10 minutes before the end → 25
            (
                "2025-06-04T18:50:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                Some(25),
            ),
            // a 2.5 h shift
            (
                "2025-06-04T14:00:00Z",
                "2025-06-04T14:00:00Z",
                "2025-06-04T16:30:00Z",
                Some(165),
            ),
            // across midnight (UTC and local)
            (
                "2025-06-04T23:30:00Z",
                "2025-06-04T23:30:00Z",
                "2025-06-05T00:30:00Z",
                Some(75),
            ),
            // shift over → nothing to recommend
            (
                "2025-06-04T19:00:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                None,
            ),
            (
                "2025-06-04T20:00:00Z",
                "2025-06-04T18:00:00Z",
                "2025-06-04T19:00:00Z",
                None,
            ),
        ];
        for (now, start, end, want) in cases {
            assert_eq!(
                recommended_timer_minutes(&ctx(now, start, end), &timing),
                want,
                "{now}"
            );
        }
        let c = no_shift("2025-06-04T18:00:00Z", Phase::OffHours);
        assert_eq!(recommended_timer_minutes(&c, &timing), None);
    }

    #[test]
    fn rounding_settings() {
        let c = two_pm("2025-06-04T18:00:00Z");
        let cases = [
            (15, 5, 75),
            (15, 0, 75),
            (15, 1, 75),
            (10, 15, 75),
            (20, 30, 90),
            (0, 5, 60),
            (7, 10, 70),
        ];
        for (margin, rounding, want) in cases {
            let timing = Timing {
                autologout_margin_minutes: margin,
                timer_rounding_minutes: rounding,
                ..Timing::default()
            };
            assert_eq!(
                recommended_timer_minutes(&c, &timing),
                Some(want),
                "{margin} {rounding}"
            );
        }
    }

    #[test]
    fn recommended_time_on_the_browser_clock() {
        let timing = Timing::default();
        let cases = [
            // shift 14:00–15:00 EDT → 15:15
            (two_pm("2025-06-04T18:00:00Z"), Some("15:15")),
            // shift ending 23:50 EDT → 00:05 the next day
            (
                ctx(
                    "2025-06-05T02:00:00Z",
                    "2025-06-05T02:00:00Z",
                    "2025-06-05T03:50:00Z",
                ),
                Some("00:05"),
            ),
            // an odd end rounds up on the clock
            (
                ctx(
                    "2025-06-04T18:00:00Z",
                    "2025-06-04T18:00:00Z",
                    "2025-06-04T18:58:00Z",
                ),
                Some("15:15"),
            ),
            // the shift is over
            (two_pm("2025-06-04T20:00:00Z"), None),
        ];
        for (c, want) in cases {
            assert_eq!(
                recommended_logout_time(&c, &timing, edt()).as_deref(),
                want,
                "{}",
                c.now
            );
        }
    }

    #[test]
    fn clock_times() {
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        let cases = [
            ("15:15", hm(15, 15)),
            (" 9:05 ", hm(9, 5)),
            ("09:05:00", NaiveTime::from_hms_opt(9, 5, 0)),
            ("00:00", hm(0, 0)),
            ("23:59", hm(23, 59)),
            ("15h15", hm(15, 15)),
            ("3:15 pm", hm(15, 15)),
            ("3:15PM", hm(15, 15)),
            ("12:00 am", hm(0, 0)),
            ("12:30 pm", hm(12, 30)),
            ("24:00", None),
            ("13:15 pm", None),
            ("12:60", None),
            ("9:5", None),
            ("", None),
            (":", None),
            ("15", None),
            ("1:2:3:4", None),
            ("-1:00", None),
            ("+1:00", None),
            ("１5:15", None),
            ("15:15:5", None),
            ("soon", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_clock_time(text), want, "{text:?}");
        }
    }

    #[test]
    fn deadlines() {
        let connected = t("2025-06-04T17:55:00Z"); // 13:55 EDT
        let cases = [
            (
                TimerChoice::Countdown { minutes: 80 },
                Some("2025-06-04T19:15:00Z"),
            ),
            (
                TimerChoice::Countdown { minutes: 0 },
                Some("2025-06-04T17:55:00Z"),
            ),
            (at("15:15"), Some("2025-06-04T19:15:00Z")),
            // a time already past today is tomorrow's
            (at("13:00"), Some("2025-06-05T17:00:00Z")),
            // the current minute counts as now
            (at("13:55"), Some("2025-06-04T17:55:00Z")),
            (at("later"), None),
            (TimerChoice::Never, None),
            (TimerChoice::Unreadable, None),
        ];
        for (choice, want) in cases {
            assert_eq!(
                autologout_deadline(connected, &choice, edt()),
                want.map(t),
                "{choice:?}"
            );
        }
        // across midnight: set at 23:00 EDT for 00:30
        let late = t("2025-06-05T03:00:00Z");
        assert_eq!(
            autologout_deadline(late, &at("00:30"), edt()),
            Some(t("2025-06-05T04:30:00Z"))
        );
        // changed mid-shift in Preferences: counts from the change
        let changed = t("2025-06-04T18:40:00Z");
        let cd = TimerChoice::Countdown { minutes: 35 };
        assert_eq!(
            autologout_deadline(changed, &cd, edt()),
            Some(t("2025-06-04T19:15:00Z"))
        );
        // huge values never panic
        let huge = TimerChoice::Countdown { minutes: u32::MAX };
        assert!(autologout_deadline(connected, &huge, edt()).is_some());
        assert_eq!(
            autologout_deadline(DateTime::<Utc>::MAX_UTC, &huge, edt()),
            None
        );
        assert_eq!(
            autologout_deadline(DateTime::<Utc>::MAX_UTC, &at("23:59"), edt()),
            None
        );
    }

    #[test]
    fn timer_check() {
        let timing = Timing::default();
        // 14:00–15:00 EDT, connecting at 13:55
        let c = two_pm("2025-06-04T17:55:00Z");
        let set80 = Some(Fix::SetTimer { minutes: 80 });
        let at1515 = Some(Fix::SetLogoutTime {
            time: "15:15".into(),
        });
        let cases: Vec<(TimerChoice, Option<&str>, Option<Fix>)> = vec![
            (
                TimerChoice::Never,
                Some(ids::LOGIN_TIMER_NEVER),
                set80.clone(),
            ),
            (
                TimerChoice::Unreadable,
                Some(ids::LOGIN_TIMER_UNREADABLE),
                set80.clone(),
            ),
            (TimerChoice::Countdown { minutes: 80 }, None, None),
            (TimerChoice::Countdown { minutes: 75 }, None, None),
            // ends exactly at the shift end: fine
            (TimerChoice::Countdown { minutes: 65 }, None, None),
            (
                TimerChoice::Countdown { minutes: 64 },
                Some(ids::LOGIN_TIMER_SHORT),
                set80.clone(),
            ),
            (
                TimerChoice::Countdown { minutes: 60 },
                Some(ids::LOGIN_TIMER_SHORT),
                set80.clone(),
            ),
            // end + 2 × margin is the limit
            (TimerChoice::Countdown { minutes: 95 }, None, None),
            (
                TimerChoice::Countdown { minutes: 96 },
                Some(ids::LOGIN_TIMER_LONG),
                set80.clone(),
            ),
            (
                TimerChoice::Countdown { minutes: 8 * 60 },
                Some(ids::LOGIN_TIMER_LONG),
                set80.clone(),
            ),
            (at("15:15"), None, None),
            (at("14:45"), Some(ids::LOGIN_TIMER_SHORT), at1515.clone()),
            (at("16:00"), Some(ids::LOGIN_TIMER_LONG), at1515.clone()),
            // already past: tomorrow, far too long
            (at("13:00"), Some(ids::LOGIN_TIMER_LONG), at1515.clone()),
            (
                at("quarter past"),
                Some(ids::LOGIN_TIMER_UNREADABLE),
                set80.clone(),
            ),
        ];
        for (choice, want_id, want_fix) in cases {
            let got = check_timer(&choice, &c, &timing, edt());
            assert_eq!(got.first().map(|w| w.id.as_str()), want_id, "{choice:?}");
            assert!(got.len() <= 1);
            assert_eq!(
                got.first().and_then(|w| w.fix.clone()),
                want_fix,
                "{choice:?}"
            );
        }
    }

    #[test]
    fn timer_check_texts_and_severities() {
        let timing = Timing::default();
        let c = two_pm("2025-06-04T18:00:00Z");
        let never = check_timer(&TimerChoice::Never, &c, &timing, edt());
        assert_eq!(never[0].severity, Severity::Forbidden);
        assert!(
            english(&never[0].text).contains("1 h 15 min"),
            "{}",
            english(&never[0].text)
        );
        assert!(french(&never[0].text).contains("1 h 15 min"));
        let short = check_timer(&TimerChoice::Countdown { minutes: 30 }, &c, &timing, edt());
        assert_eq!(short[0].severity, Severity::Warning);
        assert_eq!(
            english(&short[0].text),
            "Your auto-logout timer ends at 14:30, before your shift ends (15:00). Set the timer to 1 h 15 min."
        );
        assert!(french(&short[0].text).contains("14 h 30"));
        assert!(french(&short[0].text).contains("(15 h)"));
        let long = check_timer(&at("17:00"), &c, &timing, edt());
        assert!(
            english(&long[0].text).contains("Set the logout time to 15:15."),
            "{}",
            english(&long[0].text)
        );
    }

    #[test]
    fn timer_check_without_a_shift_only_forbids_never() {
        let timing = Timing::default();
        let off = no_shift("2025-06-04T03:00:00Z", Phase::OffHours);
        let w = check_timer(&TimerChoice::Never, &off, &timing, edt());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].fix, None);
        assert!(english(&w[0].text).contains("slightly longer than your shift"));
        assert!(
            check_timer(&TimerChoice::Countdown { minutes: 1 }, &off, &timing, edt()).is_empty()
        );
        let ended = two_pm("2025-06-04T19:30:00Z");
        assert!(check_timer(
            &TimerChoice::Countdown { minutes: 1 },
            &ended,
            &timing,
            edt()
        )
        .is_empty());
    }

    #[test]
    fn timer_check_across_midnight() {
        let timing = Timing::default();
        // shift 23:00–00:30 EDT, connecting 22:55 EDT
        let c = ctx(
            "2025-06-05T02:55:00Z",
            "2025-06-05T03:00:00Z",
            "2025-06-05T04:30:00Z",
        );
        assert_eq!(recommended_timer_minutes(&c, &timing), Some(110));
        for (time, want) in [
            ("00:45", None),
            ("00:15", Some(ids::LOGIN_TIMER_SHORT)),
            ("23:30", Some(ids::LOGIN_TIMER_SHORT)),
            ("01:30", Some(ids::LOGIN_TIMER_LONG)),
        ] {
            let got = check_timer(&TimerChoice::At { time: time.into() }, &c, &timing, edt());
            assert_eq!(got.first().map(|w| w.id.as_str()), want, "{time}");
        }
    }

    #[test]
    fn countdowns() {
        let timing = Timing::default();
        let deadline = t("2025-06-04T19:15:00Z");
        let cases = [
            ("2025-06-04T18:00:00Z", 4500, false, false),
            ("2025-06-04T19:09:59Z", 301, false, false),
            ("2025-06-04T19:10:00Z", 300, true, false),
            ("2025-06-04T19:14:59Z", 1, true, false),
            ("2025-06-04T19:15:00Z", 0, false, true),
            ("2025-06-04T20:00:00Z", 0, false, true),
        ];
        for (now, secs, warn, expired) in cases {
            assert_eq!(
                countdown(deadline, t(now), &timing),
                Countdown {
                    seconds_left: secs,
                    warn,
                    expired
                },
                "{now}"
            );
        }
        let extreme = countdown(DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC, &timing);
        assert!(!extreme.expired && extreme.seconds_left > 0);
    }

    #[test]
    fn popup_advice() {
        let timing = Timing::default();
        let cases = [
            // before the end: remain with the recommended timer
            (
                "2025-06-04T18:50:00Z",
                Advice::RemainLoggedIn {
                    new_timer_minutes: 25,
                },
            ),
            (
                "2025-06-04T18:59:59Z",
                Advice::RemainLoggedIn {
                    new_timer_minutes: 20,
                },
            ),
            // at and after the end: log me out
            ("2025-06-04T19:00:00Z", Advice::LogMeOut),
            ("2025-06-04T19:10:00Z", Advice::LogMeOut),
        ];
        for (now, want) in cases {
            let c = ctx(now, "2025-06-04T18:00:00Z", "2025-06-04T19:00:00Z");
            assert_eq!(autologout_advice(&c, &timing), want, "{now}");
        }
        // across midnight: shift ends 00:30 EDT, popup at 00:20
        let c = ctx(
            "2025-06-05T04:20:00Z",
            "2025-06-05T03:00:00Z",
            "2025-06-05T04:30:00Z",
        );
        assert_eq!(
            autologout_advice(&c, &timing),
            Advice::RemainLoggedIn {
                new_timer_minutes: 25
            }
        );
        let off = no_shift("2025-06-05T04:20:00Z", Phase::OffHours);
        assert_eq!(autologout_advice(&off, &timing), Advice::LogMeOut);
        let text = Advice::RemainLoggedIn {
            new_timer_minutes: 25,
        }
        .text();
        assert!(english(&text).contains("Remain logged in") && english(&text).contains("25 min"));
        assert!(french(&Advice::LogMeOut.text()).contains("Log me out"));
    }

    #[test]
    fn durations() {
        for (m, want) in [
            (0, "0 min"),
            (45, "45 min"),
            (60, "1 h"),
            (75, "1 h 15 min"),
            (125, "2 h 05 min"),
        ] {
            assert_eq!(duration_text(m), want);
        }
    }
}
