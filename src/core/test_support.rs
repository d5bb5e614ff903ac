//! What the core's unit tests build again and again: instants, shift contexts made by
//! hand (the rules' input without going through the shift model), shifts, and askON's
//! settings with a Monday of shifts. Test builds only.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use super::settings::{OneOffShift, Settings, WeeklyShift};
use super::shift::{Phase, ShiftContext, ShiftInstance};
use super::snapshot::HistoryRow;

/// An instant written as RFC 3339, e.g. `2025-06-04T18:00:00Z`.
pub(crate) fn t(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instant")
}

/// Toronto in summer (EDT, UTC−4).
pub(crate) fn edt() -> FixedOffset {
    FixedOffset::west_opt(4 * 3600).expect("offset")
}

/// A context at `now` for a shift `start`–`end` (UTC instants), phase from the times.
pub(crate) fn ctx(now: &str, start: &str, end: &str) -> ShiftContext {
    let (now, start, end) = (t(now), t(start), t(end));
    let phase = if now < start {
        Phase::LoginWindow
    } else if now < end {
        Phase::OnShift
    } else {
        Phase::AfterClose
    };
    ShiftContext {
        now,
        phase,
        service_open: now < end,
        shift: Some(ShiftInstance {
            start,
            end,
            replacements: Vec::new(),
        }),
        next_shift: None,
        first_of_day: false,
        last_of_day: false,
        minutes_to_shift_end: Some((end - now).num_minutes()),
        minutes_to_close: None,
        hours_today: "10:00–22:00".to_string(),
        replacements_needed: 2,
    }
}

/// A context at `now` with no shift, in `phase`, the service closed.
pub(crate) fn no_shift(now: &str, phase: Phase) -> ShiftContext {
    ShiftContext {
        now: t(now),
        phase,
        service_open: false,
        shift: None,
        next_shift: None,
        first_of_day: false,
        last_of_day: false,
        minutes_to_shift_end: None,
        minutes_to_close: None,
        hours_today: String::new(),
        replacements_needed: 0,
    }
}

/// The shift 14:00–15:00 EDT on Wednesday 2025-06-04 (18:00–19:00 UTC), seen at `now`.
pub(crate) fn two_pm(now: &str) -> ShiftContext {
    ctx(now, "2025-06-04T18:00:00Z", "2025-06-04T19:00:00Z")
}

/// The shift 14:00–15:00 EDT on Wednesday 2025-06-04, `minutes` after 14:00, in `phase`,
/// the service open (neither the first nor the last shift of the day).
pub(crate) fn at_minute(minutes: i64, phase: Phase) -> ShiftContext {
    let mut c = two_pm("2025-06-04T18:00:00Z");
    c.now += TimeDelta::minutes(minutes);
    c.minutes_to_shift_end = Some(60 - minutes);
    c.phase = phase;
    c.service_open = true;
    c
}

/// A weekly shift, `weekday` 0 = Monday, without replacements or bounds.
pub(crate) fn weekly(weekday: u8, start: &str, end: &str) -> WeeklyShift {
    WeeklyShift {
        weekday,
        start: start.into(),
        end: end.into(),
        ..WeeklyShift::default()
    }
}

/// A one-off shift on `date` (YYYY-MM-DD), without replacements.
pub(crate) fn one_off(date: &str, start: &str, end: &str) -> OneOffShift {
    OneOffShift {
        date: date.into(),
        start: start.into(),
        end: end.into(),
        ..OneOffShift::default()
    }
}

/// askON's defaults (Toronto, its service hours) with these weekly shifts on Mondays.
pub(crate) fn monday_shifts(shifts: &[(&str, &str)]) -> Settings {
    let mut s = askon();
    s.shifts.weekly = shifts
        .iter()
        .map(|(start, end)| weekly(0, start, end))
        .collect();
    s
}

/// A Chat History row as read from the page: the Operator and Duration cells (`None`:
/// the cell could not be read).
pub(crate) fn history_row(operator: Option<&str>, duration: Option<&str>) -> HistoryRow {
    HistoryRow {
        operator: operator.map(str::to_string),
        duration: duration.map(str::to_string),
    }
}

/// A context with another phase and service state (the rest as given).
pub(crate) fn with_phase(mut c: ShiftContext, phase: Phase, open: bool) -> ShiftContext {
    c.phase = phase;
    c.service_open = open;
    c
}

/// The askON preset's steps, read from the shipped file as the extension reads it.
pub(crate) fn askon_steps() -> &'static [crate::core::checklist::Step] {
    static PRESET: std::sync::OnceLock<crate::core::procedure::Preset> = std::sync::OnceLock::new();
    &PRESET
        .get_or_init(|| {
            crate::core::procedure::parse_preset(include_str!("../../extension/presets/askon.json"))
                .expect("the askON preset reads")
        })
        .procedure
        .steps
}

/// The settings after choosing the askON preset (its service coordinator included).
pub(crate) fn askon() -> Settings {
    let preset =
        crate::core::procedure::parse_preset(include_str!("../../extension/presets/askon.json"))
            .expect("the askON preset reads");
    crate::core::storage::apply_preset(&Settings::default(), &preset).0
}

/// One of `warnings` says `words`.
#[track_caller]
pub(crate) fn assert_warns(warnings: &[String], words: &str) {
    assert!(
        warnings.iter().any(|w| w.contains(words)),
        "no warning says {words:?}: {warnings:?}"
    );
}
