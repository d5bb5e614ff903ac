//! The shift model: from the settings and `now`, where the operator stands in the day.
//!
//! All instants are UTC; the schedule is read in the service's time zone, never the
//! browser's. (Contract used by the guards, suggestions and checklist.)
//!
//! How the calendar is read:
//! - A service day's hours are its `closed_days` entry (closed), else its `exceptions`
//!   entry (first one wins), else the weekly pattern for its weekday.
//! - Weekly shifts happen on their weekday, within `valid_from..=valid_until`, except on
//!   `skipped` dates and on holidays (a `closed_days` date or an exception with no spans).
//!   One-off shifts always happen: someone wrote them down for that date.
//! - A span or shift whose end is before its start runs past midnight into the next day.
//! - Back-to-back or overlapping shifts are one stretch of work: nobody logs out and in
//!   again between them, so there is no handover in the middle.
//! - Daylight-saving: a wall-clock time that does not exist (spring forward, 02:30 on
//!   2026-03-08 in Toronto) is read with the offset in force before the change, so it
//!   lands where a clock that kept running would be (03:30); a time that exists twice
//!   (fall back) is its first occurrence.
//!
//! Phase boundaries, for the operator's own shifts (first match wins):
//! 1. During a shift (start ≤ now < end):
//!    - the day's last shift: `LastShiftClosing` from close − `closing_heads_up_minutes`
//!      until close, `AfterClose` from close while the shift still runs, else `OnShift`;
//!    - any other shift: `Handover` for the last `handover_minutes`, else `OnShift`.
//! 2. `LoginWindow`: from start − `pre_shift_minutes` until the next shift starts.
//! 3. Just after a shift ended: `AfterClose` until close + `after_close_minutes` for the
//!    day's last shift; `Handover` until end + `handover_grace_minutes` for any other one
//!    (the operator waits for the replacements).
//! 4. `PreShift`: a shift starts later on the same local date.
//! 5. `OffHours` otherwise.

use std::collections::{BTreeMap, BTreeSet};

use super::zone::Tz;
use chrono::{
    DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone,
    Timelike, Utc,
};
use serde::{Deserialize, Serialize};

use super::settings::{
    format_date, parse_date, parse_hhmm, span_of_day, weekday_index, Language, Settings, Span,
    DAY_MINUTES,
};

/// Where the operator stands, in the procedure's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The service is closed and the operator has no shift now or soon.
    OffHours,
    /// A shift starts later; too early to log in.
    PreShift,
    /// From shift start minus the lead time to shift start: log in now.
    LoginWindow,
    OnShift,
    /// The last minutes of a shift that is not the day's last: hand over.
    Handover,
    /// The last shift of the day, in the heads-up window before close.
    LastShiftClosing,
    /// The service has closed and the operator's last shift has just ended.
    AfterClose,
}

/// One concrete shift on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftInstance {
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub start: DateTime<Utc>,
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub end: DateTime<Utc>,
    /// Replacements the schedule names for the end of this shift (may be empty).
    pub replacements: Vec<String>,
}

/// Everything the rules need to know about the day at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftContext {
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub now: DateTime<Utc>,
    pub phase: Phase,
    /// Whether the service is within its hours at `now`.
    pub service_open: bool,
    /// The shift in progress, or the one about to start (login window / pre-shift).
    pub shift: Option<ShiftInstance>,
    /// The next shift after `shift` (or after now when there is none).
    pub next_shift: Option<ShiftInstance>,
    /// `shift` starts at the day's opening (offline texts are its duty).
    pub first_of_day: bool,
    /// `shift` ends at the day's close (closing the service is its duty).
    pub last_of_day: bool,
    /// Minutes until `shift` ends (negative once it has ended).
    pub minutes_to_shift_end: Option<i64>,
    /// Minutes until the service closes today (None when closed).
    pub minutes_to_close: Option<i64>,
    /// Today's opening hours as text in the service's zone, e.g. "10:00–22:00"
    /// (spans joined by ", "; empty when the service is closed all day).
    pub hours_today: String,
    /// Replacements to wait for at the end of `shift`: the names the schedule gives,
    /// else `guards.default_replacements_needed`; 0 for the day's last shift.
    pub replacements_needed: u32,
}

/// Computes the shift context. Never panics, whatever the settings hold.
pub fn context(settings: &Settings, now: DateTime<Utc>) -> ShiftContext {
    let cal = Calendar::new(settings);
    let timing = &settings.timing;
    let today = cal.local_date(now);
    let around = cal.instances(days_before(today, 2), days_after(today, 8));

    let current = around.iter().find(|i| i.start <= now && now < i.end);
    let previous = around.iter().filter(|i| i.end <= now).max_by_key(|i| i.end);
    let upcoming = around
        .iter()
        .find(|i| i.start > now)
        .cloned()
        .or_else(|| cal.first_starting_after(now, days_after(today, 8)));
    let within = |t: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
        from.is_some_and(|f| f <= t) && to.is_some_and(|u| t < u)
    };

    let (phase, shift) = if let Some(c) = current {
        let phase = match (c.last, c.day_close) {
            (true, Some(close)) if now >= close => Phase::AfterClose,
            (true, Some(close)) if now >= minus(close, timing.closing_heads_up_minutes) => {
                Phase::LastShiftClosing
            }
            (false, _) if now >= minus(c.end, timing.handover_minutes) => Phase::Handover,
            _ => Phase::OnShift,
        };
        (phase, Some(c.clone()))
    } else if let Some(n) = upcoming
        .as_ref()
        .filter(|n| now >= minus(n.start, timing.pre_shift_minutes))
    {
        (Phase::LoginWindow, Some(n.clone()))
    } else if let Some(p) = previous.filter(|p| {
        p.last
            && within(
                now,
                p.day_close,
                p.day_close
                    .and_then(|c| plus(c, timing.after_close_minutes)),
            )
    }) {
        (Phase::AfterClose, Some(p.clone()))
    } else if let Some(p) = previous
        .filter(|p| !p.last && within(now, Some(p.end), plus(p.end, timing.handover_grace_minutes)))
    {
        (Phase::Handover, Some(p.clone()))
    } else if let Some(n) = upcoming
        .as_ref()
        .filter(|n| cal.local_date(n.start) == today)
    {
        (Phase::PreShift, Some(n.clone()))
    } else {
        (Phase::OffHours, None)
    };

    let next_shift = match &shift {
        Some(s) => around
            .iter()
            .find(|i| i.start >= s.end)
            .cloned()
            .or_else(|| cal.first_starting_after(s.end, days_after(today, 8))),
        None => upcoming.clone(),
    };
    let open_span = cal.open_span_at(now);
    let service_day = cal.service_day(now);
    ShiftContext {
        now,
        phase,
        service_open: open_span.is_some(),
        first_of_day: shift.as_ref().is_some_and(|s| s.first),
        last_of_day: shift.as_ref().is_some_and(|s| s.last),
        minutes_to_shift_end: shift.as_ref().map(|s| minutes_between(now, s.end)),
        minutes_to_close: open_span.map(|(_, close)| minutes_between(now, close)),
        hours_today: hours_text(&cal.spans_on(service_day), settings.language()),
        replacements_needed: match &shift {
            Some(s) if s.last => 0,
            Some(s) if !s.replacements.is_empty() => s.replacements.len() as u32,
            _ => settings.guards.default_replacements_needed,
        },
        shift: shift.map(Inst::public),
        next_shift: next_shift.map(Inst::public),
    }
}

/// When the pre-shift reminder should fire: the next shift's start minus the login lead
/// time, strictly after `now` (a reminder already due is not repeated).
pub fn next_shift_start(settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let cal = Calendar::new(settings);
    let lead = settings.timing.pre_shift_minutes;
    let reminder_after = now.checked_add_signed(TimeDelta::minutes(i64::from(lead)))?;
    let start = cal.local_date(now);
    cal.first_starting_after(reminder_after, days_before(start, 1))
        .and_then(|i| {
            i.start
                .checked_sub_signed(TimeDelta::minutes(i64::from(lead)))
        })
}

/// The next instant after `now` at which the shift context can change (a phase, the
/// shift, whether the service is open, the day) or a rule comparing its whole-minute
/// counts can: every boundary and the minute before it, since `minutes_to_close` and
/// `minutes_to_shift_end` are rounded down (`m <= 0` turns true just after the minute
/// before close). More instants than real changes may come out, never fewer (tested
/// minute by minute). `None` when nothing at all is on the calendar for days.
pub fn next_change(settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let cal = Calendar::new(settings);
    let timing = &settings.timing;
    let today = cal.local_date(now);
    let mut moments: Vec<DateTime<Utc>> = Vec::new();
    // The same shifts `context` looks at (its window moves at local midnight, below).
    for i in cal.instances(days_before(today, 2), days_after(today, 8)) {
        moments.extend([
            minus(i.start, timing.pre_shift_minutes),
            i.start,
            minus(i.end, timing.handover_minutes),
            i.end,
        ]);
        moments.extend(plus(i.end, timing.handover_grace_minutes));
        if let Some(close) = i.day_close {
            moments.extend([minus(close, timing.closing_heads_up_minutes), close]);
            moments.extend(plus(close, timing.after_close_minutes));
        }
    }
    // Opening and closing of every span, and the local midnights (the day's hours, a
    // shift "later today").
    if let (Some(from), Some(to)) = (days_before(today, 1), days_after(today, 8)) {
        for date in from.iter_days().take_while(|d| *d <= to) {
            moments.extend(local_instant(cal.tz, date, 0));
            for span in cal.spans_on(date) {
                moments.extend(local_instant(cal.tz, date, span.start));
                moments.extend(local_instant(cal.tz, date, span.end));
            }
        }
    }
    // Outside any shift the shift key is the UTC date (`checklist::shift_key_for`).
    moments.extend(
        now.date_naive()
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc()),
    );
    moments
        .into_iter()
        .flat_map(|m| [m.checked_sub_signed(TimeDelta::minutes(1)), Some(m)])
        .flatten()
        .filter(|m| *m > now)
        .min()
}

/// One span of the picture, in minutes from the local midnight of the pictured date
/// (wall-clock minutes; past midnight goes above 1440, the day before below 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteSpan {
    pub start: i32,
    pub end: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureShift {
    pub span: MinuteSpan,
    pub first_of_day: bool,
    pub last_of_day: bool,
    pub replacements: Vec<String>,
}

/// The popup's "picture of the day": the service day's hours and the operator's shifts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPicture {
    /// "YYYY-MM-DD": the service day (yesterday while a past-midnight span still runs).
    pub date: String,
    /// The service's zone name, e.g. "America/Toronto".
    pub zone: String,
    pub service_spans: Vec<MinuteSpan>,
    /// Shifts that touch the pictured date, in order.
    pub shifts: Vec<PictureShift>,
    pub now_minute: i32,
    /// The hours as text, as `ShiftContext::hours_today`.
    pub hours: String,
}

pub fn day_picture(settings: &Settings, now: DateTime<Utc>) -> DayPicture {
    let cal = Calendar::new(settings);
    let day = cal.service_day(now);
    let spans = cal.spans_on(day);
    let picture_end = spans
        .iter()
        .map(|s| s.end)
        .max()
        .unwrap_or(0)
        .max(DAY_MINUTES);
    let window = (
        local_instant(cal.tz, day, 0),
        local_instant(cal.tz, day, picture_end),
    );
    let shifts = match (days_before(day, 1), days_after(day, 1), window) {
        (Some(from), Some(to), (Some(day_start), Some(day_end))) => cal
            .instances(Some(from), Some(to))
            .into_iter()
            .filter(|i| i.start < day_end && day_start < i.end)
            .map(|i| PictureShift {
                span: MinuteSpan {
                    start: cal.minute_of(day, i.start),
                    end: cal.minute_of(day, i.end),
                },
                first_of_day: i.first,
                last_of_day: i.last,
                replacements: i.replacements,
            })
            .collect(),
        _ => Vec::new(),
    };
    DayPicture {
        date: format_date(&day),
        zone: cal.tz.name().to_string(),
        service_spans: spans
            .iter()
            .map(|s| MinuteSpan {
                start: s.start as i32,
                end: s.end as i32,
            })
            .collect(),
        shifts,
        now_minute: cal.minute_of(day, now),
        hours: hours_text(&spans, settings.language()),
    }
}

/// The instant a wall-clock time names in `tz`: `minute` from the local midnight of
/// `date` (1440 and more is the next day). See the module notes for the DST rule.
pub fn local_instant(tz: Tz, date: NaiveDate, minute: u32) -> Option<DateTime<Utc>> {
    let date = date.checked_add_days(Days::new(u64::from(minute / DAY_MINUTES)))?;
    let m = minute % DAY_MINUTES;
    let wall = date.and_time(NaiveTime::from_hms_opt(m / 60, m % 60, 0)?);
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => {
            // In a gap: the offset a day earlier is the one before the change.
            let before = wall.checked_sub_days(Days::new(1))?;
            let offset = tz.offset_from_utc_datetime(&before).fix().local_minus_utc();
            let utc = wall.checked_sub_signed(TimeDelta::seconds(i64::from(offset)))?;
            Some(utc.and_utc())
        }
    }
}

/// Opening hours as text in `language`: "10:00–22:00" ("10 h–22 h"), spans joined by ", ".
fn hours_text(spans: &[LocalSpan], language: Language) -> String {
    spans
        .iter()
        .map(|s| span_of_day(language, s.start as i32, s.end as i32))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whole minutes from `from` to `to`, rounded down (so "0" is the last minute).
fn minutes_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_seconds().div_euclid(60)
}

/// `t` minus some minutes; the earliest instant when that underflows (never panics).
fn minus(t: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
    t.checked_sub_signed(TimeDelta::minutes(i64::from(minutes)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn plus(t: DateTime<Utc>, minutes: u32) -> Option<DateTime<Utc>> {
    t.checked_add_signed(TimeDelta::minutes(i64::from(minutes)))
}

fn days_before(d: NaiveDate, n: u64) -> Option<NaiveDate> {
    d.checked_sub_days(Days::new(n))
}

fn days_after(d: NaiveDate, n: u64) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(n))
}

/// A span of a local day: minutes from its midnight, `end` > `start` (above 1440 when it
/// runs past midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalSpan {
    start: u32,
    end: u32,
}

impl LocalSpan {
    /// `None` for what validation reports (unreadable, empty, starting at 24:00).
    fn parse(start: &str, end: &str) -> Option<LocalSpan> {
        let (s, e) = (parse_hhmm(start).ok()?, parse_hhmm(end).ok()?);
        if s >= DAY_MINUTES || s == e {
            return None;
        }
        let end = if e < s { e + DAY_MINUTES } else { e };
        Some(LocalSpan { start: s, end })
    }

    fn of(span: &Span) -> Option<LocalSpan> {
        LocalSpan::parse(&span.start, &span.end)
    }
}

/// A shift as the model works with it (merged, with its day's facts).
#[derive(Debug, Clone)]
struct Inst {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    replacements: Vec<String>,
    first: bool,
    last: bool,
    /// The close of the service day the shift belongs to.
    day_close: Option<DateTime<Utc>>,
}

impl Inst {
    fn public(self) -> ShiftInstance {
        ShiftInstance {
            start: self.start,
            end: self.end,
            replacements: self.replacements,
        }
    }
}

struct WeeklyEntry<'a> {
    weekday: u8,
    span: LocalSpan,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    replacements: &'a [String],
}

/// The settings' schedule, parsed once per call. Unreadable entries are left out
/// (validation names them); nothing here can panic.
struct Calendar<'a> {
    tz: Tz,
    weekly_hours: Vec<Vec<LocalSpan>>,
    closed: BTreeSet<NaiveDate>,
    exceptions: BTreeMap<NaiveDate, Vec<LocalSpan>>,
    weekly: Vec<WeeklyEntry<'a>>,
    skipped: BTreeSet<NaiveDate>,
    one_off: BTreeMap<NaiveDate, Vec<(LocalSpan, &'a [String])>>,
}

fn dates(list: &[String]) -> BTreeSet<NaiveDate> {
    // Inserted one by one: `collect` into a set sorts first, with the big sort (short_sort).
    let mut set = BTreeSet::new();
    for d in list.iter().filter_map(|d| parse_date(d).ok()) {
        set.insert(d);
    }
    set
}

fn spans(list: &[Span]) -> Vec<LocalSpan> {
    let mut v: Vec<LocalSpan> = list.iter().filter_map(LocalSpan::of).collect();
    super::short_sort::sort_by(&mut v, |a, b| a.start < b.start);
    v
}

impl<'a> Calendar<'a> {
    fn new(settings: &'a Settings) -> Calendar<'a> {
        let service = &settings.service;
        let mut exceptions = BTreeMap::new();
        for ex in &service.exceptions {
            if let Ok(date) = parse_date(&ex.date) {
                exceptions.entry(date).or_insert_with(|| spans(&ex.spans));
            }
        }
        let mut one_off: BTreeMap<NaiveDate, Vec<_>> = BTreeMap::new();
        for s in &settings.shifts.one_off {
            if let (Ok(date), Some(span)) =
                (parse_date(&s.date), LocalSpan::parse(&s.start, &s.end))
            {
                one_off
                    .entry(date)
                    .or_default()
                    .push((span, s.replacements.as_slice()));
            }
        }
        let optional_date = |d: &Option<String>| d.as_deref().map(parse_date);
        Calendar {
            tz: service.zone(),
            weekly_hours: service.weekly.iter().map(|day| spans(day)).collect(),
            closed: dates(&service.closed_days),
            exceptions,
            weekly: settings
                .shifts
                .weekly
                .iter()
                .filter_map(|w| {
                    // An unreadable bound is left out of the calendar, not widened.
                    let from = optional_date(&w.valid_from).transpose().ok()?;
                    let until = optional_date(&w.valid_until).transpose().ok()?;
                    Some(WeeklyEntry {
                        weekday: w.weekday,
                        span: LocalSpan::parse(&w.start, &w.end)?,
                        from,
                        until,
                        replacements: &w.replacements,
                    })
                })
                .collect(),
            skipped: dates(&settings.shifts.skipped),
            one_off,
        }
    }

    /// The wall clock at `t` (`with_timezone` would panic at the ends of time).
    fn wall_clock(&self, t: DateTime<Utc>) -> NaiveDateTime {
        let offset = self.tz.offset_from_utc_datetime(&t.naive_utc()).fix();
        t.naive_utc()
            .checked_add_offset(offset)
            .unwrap_or(t.naive_utc())
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        self.wall_clock(t).date()
    }

    /// Wall-clock minutes of `t` from the local midnight of `day`.
    fn minute_of(&self, day: NaiveDate, t: DateTime<Utc>) -> i32 {
        let local = self.wall_clock(t);
        let days = (local.date() - day).num_days().clamp(-100, 100) as i32;
        days * DAY_MINUTES as i32 + (local.hour() * 60 + local.minute()) as i32
    }

    /// A holiday: a listed closed day, or an exception with no hours.
    fn holiday(&self, date: NaiveDate) -> bool {
        self.closed.contains(&date) || self.exceptions.get(&date).is_some_and(Vec::is_empty)
    }

    fn spans_on(&self, date: NaiveDate) -> Vec<LocalSpan> {
        if self.closed.contains(&date) {
            return Vec::new();
        }
        if let Some(spans) = self.exceptions.get(&date) {
            return spans.clone();
        }
        let idx = usize::from(weekday_index(date));
        self.weekly_hours.get(idx).cloned().unwrap_or_default()
    }

    /// The day's opening and close, as instants.
    fn day_bounds(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let spans = self.spans_on(date);
        let open = local_instant(self.tz, date, spans.first()?.start)?;
        let close = local_instant(self.tz, date, spans.iter().map(|s| s.end).max()?)?;
        Some((open, close))
    }

    /// The open stretch (spans of adjacent days merged) containing `t`, if any.
    fn open_span_at(&self, t: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let today = self.local_date(t);
        let mut all: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for date in [days_before(today, 1), Some(today), days_after(today, 1)]
            .into_iter()
            .flatten()
        {
            for s in self.spans_on(date) {
                if let (Some(a), Some(b)) = (
                    local_instant(self.tz, date, s.start),
                    local_instant(self.tz, date, s.end),
                ) {
                    all.push((a, b));
                }
            }
        }
        merge_spans(all)
            .into_iter()
            .find(|(a, b)| *a <= t && t < *b)
    }

    /// The service day `t` belongs to: yesterday while yesterday's hours still run past
    /// midnight, else the local date.
    fn service_day(&self, t: DateTime<Utc>) -> NaiveDate {
        let today = self.local_date(t);
        match days_before(today, 1) {
            Some(y) if self.day_bounds(y).is_some_and(|(_, close)| t < close) => y,
            _ => today,
        }
    }

    fn shift_spans_on(&self, date: NaiveDate) -> Vec<(LocalSpan, &'a [String])> {
        let mut out: Vec<(LocalSpan, &'a [String])> = Vec::new();
        if !self.skipped.contains(&date) && !self.holiday(date) {
            let wd = weekday_index(date);
            out.extend(
                self.weekly
                    .iter()
                    .filter(|w| w.weekday == wd)
                    .filter(|w| {
                        w.from.is_none_or(|f| f <= date) && w.until.is_none_or(|u| date <= u)
                    })
                    .map(|w| (w.span, w.replacements)),
            );
        }
        if let Some(list) = self.one_off.get(&date) {
            out.extend(list.iter().copied());
        }
        out
    }

    /// The shifts starting on local dates `from..=to`, merged and flagged.
    fn instances(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<Inst> {
        let (Some(from), Some(to)) = (from, to) else {
            return Vec::new();
        };
        let mut raw = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to).take(400) {
            for (span, replacements) in self.shift_spans_on(date) {
                if let (Some(start), Some(end)) = (
                    local_instant(self.tz, date, span.start),
                    local_instant(self.tz, date, span.end),
                ) {
                    if start < end {
                        raw.push((start, end, replacements.to_vec()));
                    }
                }
            }
        }
        super::short_sort::sort_by(&mut raw, |a, b| (a.0, a.1) < (b.0, b.1));
        let mut merged: Vec<Inst> = Vec::new();
        for (start, end, replacements) in raw {
            match merged.last_mut() {
                Some(prev) if start <= prev.end => {
                    // The stretch's replacements are those of whoever ends it.
                    if end >= prev.end && !replacements.is_empty() {
                        prev.replacements = replacements;
                    }
                    prev.end = prev.end.max(end);
                }
                _ => merged.push(Inst {
                    start,
                    end,
                    replacements,
                    first: false,
                    last: false,
                    day_close: None,
                }),
            }
        }
        for inst in &mut merged {
            self.flag(inst);
        }
        merged
    }

    /// First/last of the service day whose hours the shift overlaps.
    fn flag(&self, inst: &mut Inst) {
        let d = self.local_date(inst.start);
        for date in [days_before(d, 1), Some(d), days_after(d, 1)]
            .into_iter()
            .flatten()
        {
            if let Some((open, close)) = self.day_bounds(date) {
                if open < inst.end && inst.start < close {
                    // A service still open as the day ends (the next day opening at
                    // midnight) closes where that stretch ends, not at midnight.
                    let close = self
                        .open_span_at(close - chrono::Duration::seconds(1))
                        .map_or(close, |(_, end)| end.max(close));
                    inst.first = inst.start <= open;
                    inst.last = inst.end >= close;
                    inst.day_close = Some(close);
                    return;
                }
            }
        }
    }

    /// The first shift starting strictly after `t`, looking from local date `from` up to
    /// about a year ahead (one-off shifts may be far off; holidays may pause a term).
    fn first_starting_after(&self, t: DateTime<Utc>, from: Option<NaiveDate>) -> Option<Inst> {
        let mut window_start = from?;
        for _ in 0..13 {
            let window_end = days_after(window_start, 30)?;
            // One day of overlap so a stretch crossing the window's edge stays merged.
            let found = self
                .instances(days_before(window_start, 1), Some(window_end))
                .into_iter()
                .find(|i| i.start > t);
            if found.is_some() {
                return found;
            }
            window_start = window_end;
        }
        None
    }
}

fn merge_spans(
    mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    super::short_sort::sort_by(&mut spans, |a, b| a < b);
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::settings::{DateException, LanguageChoice, OneOffShift, WeeklyShift};
    use crate::core::test_support::{one_off, t as utc, weekly};

    fn holiday(date: &str) -> DateException {
        DateException {
            date: date.into(),
            spans: Vec::new(),
            note: "Holiday".into(),
        }
    }

    /// Open `start`–`end` on `date` only.
    fn short_day(date: &str, start: &str, end: &str) -> DateException {
        DateException {
            spans: vec![span(start, end)],
            note: String::new(),
            ..holiday(date)
        }
    }

    /// The service's minutes on a day's picture, start and end.
    fn service_minutes(pic: &DayPicture) -> Vec<(i32, i32)> {
        pic.service_spans.iter().map(|s| (s.start, s.end)).collect()
    }

    /// The shifts on a day's picture: start and end minutes, first and last of the day.
    fn shift_minutes(pic: &DayPicture) -> Vec<(i32, i32, bool, bool)> {
        pic.shifts
            .iter()
            .map(|p| (p.span.start, p.span.end, p.first_of_day, p.last_of_day))
            .collect()
    }

    fn span(start: &str, end: &str) -> Span {
        Span {
            start: start.into(),
            end: end.into(),
        }
    }

    /// askON's hours; Monday shifts first (10–11), middle (14–15) and last (21–22) of
    /// the day, and Sunday's last shift (16–17).
    pub(crate) fn askon() -> Settings {
        let mut s = Settings::default();
        s.shifts.weekly = vec![
            weekly(0, "10:00", "11:00"),
            weekly(0, "14:00", "15:00"),
            weekly(0, "21:00", "22:00"),
            weekly(6, "16:00", "17:00"),
        ];
        s
    }

    /// "YYYY-MM-DD HH:MM" in the settings' zone (unambiguous times only).
    fn local(settings: &Settings, text: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        settings
            .service
            .zone()
            .from_local_datetime(&naive)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn local_text(settings: &Settings, t: DateTime<Utc>) -> String {
        t.with_timezone(&settings.service.zone())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    struct Want {
        phase: Phase,
        /// The shift's start and end in the service's zone ("YYYY-MM-DD HH:MM", the end
        /// "HH:MM" when on the same date).
        shift: Option<(&'static str, &'static str)>,
        first: bool,
        last: bool,
        to_end: Option<i64>,
        to_close: Option<i64>,
        open: bool,
    }

    /// In `phase`, no shift, the service closed.
    fn want(phase: Phase) -> Want {
        Want {
            phase,
            shift: None,
            first: false,
            last: false,
            to_end: None,
            to_close: None,
            open: false,
        }
    }

    /// In `phase`, in `shift` `to_end` minutes before its end; the service open with
    /// `to_close` minutes left, or closed (`None`).
    fn on(
        phase: Phase,
        shift: (&'static str, &'static str),
        to_end: i64,
        to_close: Option<i64>,
    ) -> Want {
        Want {
            shift: Some(shift),
            to_end: Some(to_end),
            to_close,
            open: to_close.is_some(),
            ..want(phase)
        }
    }

    impl Want {
        /// The service open, `to_close` minutes left.
        fn open(self, to_close: i64) -> Want {
            Want {
                to_close: Some(to_close),
                open: true,
                ..self
            }
        }

        /// The shift is the day's first.
        fn first(self) -> Want {
            Want {
                first: true,
                ..self
            }
        }

        /// The shift is the day's last.
        fn last(self) -> Want {
            Want { last: true, ..self }
        }
    }

    fn check(label: &str, settings: &Settings, now: DateTime<Utc>, w: &Want) {
        let ctx = context(settings, now);
        let shift = ctx
            .shift
            .as_ref()
            .map(|s| (local_text(settings, s.start), local_text(settings, s.end)));
        // An end written "HH:MM" is on the start's date.
        let want_shift = w.shift.map(|(a, b)| match b.len() {
            5 => (a.to_string(), format!("{} {b}", &a[..10])),
            _ => (a.to_string(), b.to_string()),
        });
        assert_eq!(ctx.phase, w.phase, "{label}: phase");
        assert_eq!(shift, want_shift, "{label}: shift");
        assert_eq!(
            (ctx.first_of_day, ctx.last_of_day),
            (w.first, w.last),
            "{label}: first/last"
        );
        assert_eq!(
            ctx.minutes_to_shift_end, w.to_end,
            "{label}: minutes to shift end"
        );
        assert_eq!(
            ctx.minutes_to_close, w.to_close,
            "{label}: minutes to close"
        );
        assert_eq!(ctx.service_open, w.open, "{label}: service open");
    }

    #[test]
    fn a_monday_in_toronto_phase_by_phase() {
        let s = askon();
        let first = ("2026-03-09 10:00", "11:00");
        let middle = ("2026-03-09 14:00", "15:00");
        let last = ("2026-03-09 21:00", "22:00");
        let cases = [
            ("09:00", on(Phase::PreShift, first, 120, None).first()),
            ("09:54", on(Phase::PreShift, first, 66, None).first()),
            ("09:55", on(Phase::LoginWindow, first, 65, None).first()),
            ("10:00", on(Phase::OnShift, first, 60, Some(720)).first()),
            ("10:49", on(Phase::OnShift, first, 11, Some(671)).first()),
            ("10:50", on(Phase::Handover, first, 10, Some(670)).first()),
            ("11:00", on(Phase::Handover, first, 0, Some(660)).first()),
            ("11:29", on(Phase::Handover, first, -29, Some(631)).first()),
            ("11:30", on(Phase::PreShift, middle, 210, Some(630))),
            ("13:55", on(Phase::LoginWindow, middle, 65, Some(485))),
            ("14:30", on(Phase::OnShift, middle, 30, Some(450))),
            ("14:55", on(Phase::Handover, middle, 5, Some(425))),
            ("21:49", on(Phase::OnShift, last, 11, Some(11)).last()),
            (
                "21:50",
                on(Phase::LastShiftClosing, last, 10, Some(10)).last(),
            ),
            (
                "21:59",
                on(Phase::LastShiftClosing, last, 1, Some(1)).last(),
            ),
            ("22:00", on(Phase::AfterClose, last, 0, None).last()),
            ("22:59", on(Phase::AfterClose, last, -59, None).last()),
            ("23:00", want(Phase::OffHours)),
        ];
        for (time, w) in &cases {
            let now = local(&s, &format!("2026-03-09 {time}"));
            check(&format!("Monday {time}"), &s, now, w);
        }
        let ctx = context(&s, local(&s, "2026-03-09 10:00"));
        assert_eq!(ctx.hours_today, "10:00–22:00");
        assert_eq!(
            ctx.replacements_needed, 2,
            "the schedule names nobody: the default"
        );
        let next = ctx.next_shift.expect("the middle shift follows");
        assert_eq!(local_text(&s, next.start), "2026-03-09 14:00");
        let ctx = context(&s, local(&s, "2026-03-09 21:50"));
        assert_eq!(ctx.replacements_needed, 0, "nobody replaces the last shift");
        let ctx = context(&s, local(&s, "2026-03-09 23:00"));
        let next = ctx.next_shift.expect("Sunday's shift is next");
        assert_eq!(local_text(&s, next.start), "2026-03-15 16:00");
    }

    #[test]
    fn opening_hours_are_said_the_language_s_way() {
        // As the popup's day bar says times: "10 h–22 h" in French, English unchanged.
        let mut s = askon();
        let cases = [
            (LanguageChoice::En, "2026-03-09 10:00", "10:00–22:00"),
            (LanguageChoice::Fr, "2026-03-09 10:00", "10 h–22 h"),
            (LanguageChoice::En, "2026-03-15 11:00", "12:00–17:00"),
            (LanguageChoice::Fr, "2026-03-15 11:00", "12 h–17 h"),
        ];
        for (language, time, hours) in cases {
            s.language = language;
            let now = local(&s, time);
            assert_eq!(context(&s, now).hours_today, hours, "{language:?} {time}");
            assert_eq!(day_picture(&s, now).hours, hours, "{language:?} {time}");
        }
        s.service.weekly = vec![vec![span("08:00", "20:30"), span("21:00", "24:00")]; 7];
        let now = local(&s, "2026-03-09 10:00");
        s.language = LanguageChoice::Fr;
        assert_eq!(context(&s, now).hours_today, "8 h–20 h 30, 21 h–24 h");
        s.language = LanguageChoice::En;
        assert_eq!(context(&s, now).hours_today, "08:00–20:30, 21:00–24:00");
    }

    #[test]
    fn days_without_shifts_and_closed_days() {
        let s = askon();
        let cases = [
            (
                "Tuesday, open, no shift",
                "2026-03-10 12:00",
                want(Phase::OffHours).open(600),
                "10:00–22:00",
            ),
            (
                "Saturday, closed",
                "2026-03-14 12:00",
                want(Phase::OffHours),
                "",
            ),
            (
                "Sunday, before opening",
                "2026-03-15 11:00",
                on(Phase::PreShift, ("2026-03-15 16:00", "17:00"), 360, None).last(),
                "12:00–17:00",
            ),
        ];
        for (label, time, w, hours) in &cases {
            let now = local(&s, time);
            check(label, &s, now, w);
            assert_eq!(context(&s, now).hours_today, *hours, "{label}");
        }
    }

    #[test]
    fn holidays_skipped_dates_exceptions_and_one_offs() {
        type Change = fn(&mut Settings);
        let cases: Vec<(&str, Change, &str, Want, &str)> = vec![
            (
                "closed day: no weekly shift, service closed",
                |s| s.service.closed_days = vec!["2026-03-09".into()],
                "2026-03-09 10:30",
                want(Phase::OffHours),
                "",
            ),
            (
                "skipped date: service open, no shift",
                |s| s.shifts.skipped = vec!["2026-03-09".into()],
                "2026-03-09 10:30",
                want(Phase::OffHours).open(690),
                "10:00–22:00",
            ),
            (
                "exception with no spans is a holiday",
                |s| s.service.exceptions = vec![holiday("2026-03-09")],
                "2026-03-09 10:30",
                want(Phase::OffHours),
                "",
            ),
            (
                "short day: the 10:00 shift is first, close at 14:00",
                |s| s.service.exceptions = vec![short_day("2026-03-09", "10:00", "14:00")],
                "2026-03-09 10:30",
                on(Phase::OnShift, ("2026-03-09 10:00", "11:00"), 30, Some(210)).first(),
                "10:00–14:00",
            ),
            (
                "short day: a shift ending at the early close is the last",
                |s| s.service.exceptions = vec![short_day("2026-03-09", "10:00", "15:00")],
                "2026-03-09 14:52",
                on(
                    Phase::LastShiftClosing,
                    ("2026-03-09 14:00", "15:00"),
                    8,
                    Some(8),
                )
                .last(),
                "10:00–15:00",
            ),
            (
                "one-off on a closed Saturday still happens",
                |s| s.shifts.one_off = vec![one_off("2026-03-14", "12:00", "13:00")],
                "2026-03-14 12:30",
                on(Phase::OnShift, ("2026-03-14 12:00", "13:00"), 30, None),
                "",
            ),
            (
                "back-to-back shifts are one stretch: no handover between them",
                |s| s.shifts.weekly.push(weekly(0, "11:00", "12:00")),
                "2026-03-09 10:55",
                on(Phase::OnShift, ("2026-03-09 10:00", "12:00"), 65, Some(665)).first(),
                "10:00–22:00",
            ),
            (
                "a shift starting before opening is the first",
                |s| s.shifts.weekly = vec![weekly(0, "09:00", "10:30")],
                "2026-03-09 09:30",
                on(Phase::OnShift, ("2026-03-09 09:00", "10:30"), 60, None).first(),
                "10:00–22:00",
            ),
            (
                "a shift starting after opening is not the first",
                |s| s.shifts.weekly = vec![weekly(0, "10:30", "11:30")],
                "2026-03-09 10:45",
                on(Phase::OnShift, ("2026-03-09 10:30", "11:30"), 45, Some(675)),
                "10:00–22:00",
            ),
            (
                "a last shift running past close is after close once closed",
                |s| s.shifts.weekly = vec![weekly(0, "21:30", "22:30")],
                "2026-03-09 22:10",
                on(Phase::AfterClose, ("2026-03-09 21:30", "22:30"), 20, None).last(),
                "10:00–22:00",
            ),
            (
                "a shift outside all hours is neither first nor last",
                |s| s.shifts.weekly = vec![weekly(0, "07:00", "08:00")],
                "2026-03-09 07:30",
                on(Phase::OnShift, ("2026-03-09 07:00", "08:00"), 30, None),
                "10:00–22:00",
            ),
            (
                "the login window of the next shift beats the handover grace",
                |s| {
                    s.shifts.weekly = vec![weekly(0, "10:00", "11:00"), weekly(0, "11:05", "12:00")]
                },
                "2026-03-09 11:01",
                on(
                    Phase::LoginWindow,
                    ("2026-03-09 11:05", "12:00"),
                    59,
                    Some(659),
                ),
                "10:00–22:00",
            ),
        ];
        for (label, change, time, w, hours) in cases {
            let mut s = askon();
            change(&mut s);
            let now = local(&s, time);
            check(label, &s, now, &w);
            assert_eq!(context(&s, now).hours_today, hours, "{label}");
        }
    }

    #[test]
    fn a_weekly_shift_outside_its_dates_is_skipped() {
        type Change = fn(&mut WeeklyShift);
        let outside: [(&str, Change); 2] = [
            ("weekly shift past its valid_until", |w| {
                w.valid_until = Some("2026-03-02".into())
            }),
            ("weekly shift before its valid_from", |w| {
                w.valid_from = Some("2026-03-16".into())
            }),
        ];
        // Either way the Monday 10:00 shift is not worked: the 14:00 one is next.
        let next = on(
            Phase::PreShift,
            ("2026-03-09 14:00", "15:00"),
            270,
            Some(690),
        );
        for (label, change) in outside {
            let mut s = askon();
            change(&mut s.shifts.weekly[0]);
            let now = local(&s, "2026-03-09 10:30");
            check(label, &s, now, &next);
            assert_eq!(context(&s, now).hours_today, "10:00–22:00", "{label}");
        }
    }

    #[test]
    fn a_service_open_past_midnight_with_a_shift_spanning_midnight() {
        let mut s = Settings::default();
        s.service.weekly[4] = vec![span("18:00", "02:00")];
        s.shifts.weekly = vec![weekly(4, "18:00", "20:00"), weekly(4, "23:30", "02:00")];
        let early = ("2026-03-13 18:00", "20:00");
        let late = ("2026-03-13 23:30", "2026-03-14 02:00");
        let cases = [
            (
                "2026-03-13 19:55",
                on(Phase::Handover, early, 5, Some(365)).first(),
            ),
            (
                "2026-03-13 23:25",
                on(Phase::LoginWindow, late, 155, Some(155)).last(),
            ),
            (
                "2026-03-14 00:30",
                on(Phase::OnShift, late, 90, Some(90)).last(),
            ),
            (
                "2026-03-14 01:50",
                on(Phase::LastShiftClosing, late, 10, Some(10)).last(),
            ),
            (
                "2026-03-14 02:10",
                on(Phase::AfterClose, late, -10, None).last(),
            ),
            ("2026-03-14 03:00", want(Phase::OffHours)),
        ];
        for (time, w) in &cases {
            check(time, &s, local(&s, time), w);
        }
        let ctx = context(&s, local(&s, "2026-03-14 00:30"));
        assert_eq!(ctx.hours_today, "18:00–02:00", "still Friday's service day");
        let pic = day_picture(&s, local(&s, "2026-03-14 00:30"));
        assert_eq!(pic.date, "2026-03-13");
        assert_eq!(pic.now_minute, 24 * 60 + 30);
        assert_eq!(service_minutes(&pic), vec![(1080, 1560)]);
        assert_eq!(
            shift_minutes(&pic),
            vec![(1080, 1200, true, false), (1410, 1560, false, true)]
        );
    }

    #[test]
    fn the_browser_zone_does_not_matter_only_the_service_zone() {
        let s = askon();
        // 14:55 UTC on Monday 2026-03-09 is 10:55 in Toronto (EDT since Sunday):
        // handover of the 10:00 shift, although it is 14:55 in a UTC browser.
        let ctx = context(&s, utc("2026-03-09T14:55:00Z"));
        assert_eq!(ctx.phase, Phase::Handover);
        assert_eq!(ctx.minutes_to_shift_end, Some(5));
        assert_eq!(ctx.shift.unwrap().start, utc("2026-03-09T14:00:00Z"));
        // A week earlier Toronto was on EST: the same wall clock is an hour later in UTC.
        let ctx = context(&s, utc("2026-03-02T15:55:00Z"));
        assert_eq!(ctx.phase, Phase::Handover);
        assert_eq!(ctx.shift.unwrap().start, utc("2026-03-02T15:00:00Z"));
        let ctx = context(&s, utc("2026-03-02T14:55:00Z"));
        assert_eq!(ctx.phase, Phase::LoginWindow, "09:55 EST");
        // The same service in Sydney: 23:30 UTC Sunday is 10:30 Monday there (AEDT).
        let mut syd = askon();
        syd.service.time_zone = "Australia/Sydney".into();
        let ctx = context(&syd, utc("2026-03-08T23:30:00Z"));
        assert_eq!(ctx.phase, Phase::OnShift);
        assert_eq!(ctx.shift.unwrap().start, utc("2026-03-08T23:00:00Z"));
    }

    #[test]
    fn daylight_saving_changes_in_both_hemispheres() {
        struct Case {
            label: &'static str,
            zone: &'static str,
            shift: OneOffShift,
            start: &'static str,
            end: &'static str,
        }
        let cases = [
            // Toronto springs forward at 02:00 on 2026-03-08: 02:30 does not exist.
            Case {
                label: "Toronto gap start",
                zone: "America/Toronto",
                shift: one_off("2026-03-08", "02:30", "04:00"),
                start: "2026-03-08T07:30:00Z",
                end: "2026-03-08T08:00:00Z",
            },
            Case {
                label: "Toronto gap end",
                zone: "America/Toronto",
                shift: one_off("2026-03-08", "01:30", "02:30"),
                start: "2026-03-08T06:30:00Z",
                end: "2026-03-08T07:30:00Z",
            },
            Case {
                label: "Toronto across the gap",
                zone: "America/Toronto",
                shift: one_off("2026-03-08", "01:00", "04:00"),
                start: "2026-03-08T06:00:00Z",
                end: "2026-03-08T08:00:00Z",
            },
            Case {
                label: "Toronto after spring forward",
                zone: "America/Toronto",
                shift: one_off("2026-03-08", "12:00", "13:00"),
                start: "2026-03-08T16:00:00Z",
                end: "2026-03-08T17:00:00Z",
            },
            // Toronto falls back at 02:00 on 2026-11-01: 01:30 happens twice.
            Case {
                label: "Toronto overlap",
                zone: "America/Toronto",
                shift: one_off("2026-11-01", "01:30", "02:30"),
                start: "2026-11-01T05:30:00Z",
                end: "2026-11-01T07:30:00Z",
            },
            Case {
                label: "Toronto after fall back",
                zone: "America/Toronto",
                shift: one_off("2026-11-01", "12:00", "13:00"),
                start: "2026-11-01T17:00:00Z",
                end: "2026-11-01T18:00:00Z",
            },
            Case {
                label: "Toronto midnight shift over fall back",
                zone: "America/Toronto",
                shift: one_off("2026-10-31", "23:00", "03:00"),
                start: "2026-11-01T03:00:00Z",
                end: "2026-11-01T08:00:00Z",
            },
            // Sydney falls back at 03:00 on 2026-04-05: 02:30 happens twice.
            Case {
                label: "Sydney overlap",
                zone: "Australia/Sydney",
                shift: one_off("2026-04-05", "02:30", "03:30"),
                start: "2026-04-04T15:30:00Z",
                end: "2026-04-04T17:30:00Z",
            },
            Case {
                label: "Sydney after fall back",
                zone: "Australia/Sydney",
                shift: one_off("2026-04-05", "09:00", "10:00"),
                start: "2026-04-04T23:00:00Z",
                end: "2026-04-05T00:00:00Z",
            },
            // Sydney springs forward at 02:00 on 2026-10-04: 02:30 does not exist.
            Case {
                label: "Sydney gap",
                zone: "Australia/Sydney",
                shift: one_off("2026-10-04", "02:30", "04:00"),
                start: "2026-10-03T16:30:00Z",
                end: "2026-10-03T17:00:00Z",
            },
            Case {
                label: "Sydney after spring forward",
                zone: "Australia/Sydney",
                shift: one_off("2026-10-04", "09:00", "10:00"),
                start: "2026-10-03T22:00:00Z",
                end: "2026-10-03T23:00:00Z",
            },
        ];
        for c in cases {
            let mut s = Settings::default();
            s.service.time_zone = c.zone.into();
            s.service.weekly = vec![vec![span("00:00", "24:00")]; 7];
            s.shifts.one_off = vec![c.shift];
            let (start, end) = (utc(c.start), utc(c.end));
            let ctx = context(&s, start);
            assert_eq!(ctx.phase, Phase::OnShift, "{}", c.label);
            let shift = ctx.shift.expect(c.label);
            assert_eq!((shift.start, shift.end), (start, end), "{}", c.label);
            assert_eq!(
                ctx.minutes_to_shift_end,
                Some((end - start).num_minutes()),
                "{}",
                c.label
            );
            assert_eq!(
                next_shift_start(&s, minus(start, 60)),
                Some(minus(start, 5)),
                "{}: reminder",
                c.label
            );
        }
    }

    #[test]
    fn a_shift_across_midnight_in_a_service_open_around_the_clock_is_not_after_close() {
        // Open 00:00–24:00 every day: midnight is no close. A shift from 23:44 to 01:44
        // stays on shift after midnight (it was AfterClose at 00:14, and the status guard
        // stopped warning).
        let mut s = Settings::default();
        s.service.time_zone = "UTC".into();
        s.service.weekly = (0..7)
            .map(|_| {
                vec![crate::core::settings::Span {
                    start: "00:00".into(),
                    end: "24:00".into(),
                }]
            })
            .collect();
        s.service.closed_days.clear();
        s.service.exceptions.clear();
        s.shifts.weekly.clear();
        s.shifts.one_off = vec![one_off("2026-03-09", "23:44", "01:44")];
        for (now, phase) in [
            ("2026-03-09T23:50:00Z", Phase::OnShift),
            ("2026-03-10T00:14:00Z", Phase::OnShift),
            ("2026-03-10T01:40:00Z", Phase::Handover),
        ] {
            assert_eq!(context(&s, utc(now)).phase, phase, "{now}");
        }
    }

    #[test]
    fn the_last_sunday_shift_closes_on_local_time_across_dst() {
        let s = askon();
        for (now, phase, to_close) in [
            ("2026-03-01T21:55:00Z", Phase::LastShiftClosing, Some(5)), // 16:55 EST
            ("2026-03-08T20:55:00Z", Phase::LastShiftClosing, Some(5)), // 16:55 EDT, DST day
            ("2026-03-08T21:55:00Z", Phase::AfterClose, None),          // 17:55 EDT
            ("2026-11-01T21:55:00Z", Phase::LastShiftClosing, Some(5)), // 16:55 EST, DST day
            ("2026-11-01T20:55:00Z", Phase::LoginWindow, Some(65)),     // 15:55 EST
        ] {
            let ctx = context(&s, utc(now));
            assert_eq!(ctx.phase, phase, "{now}");
            assert_eq!(ctx.minutes_to_close, to_close, "{now}");
            assert!(ctx.last_of_day, "{now}");
        }
    }

    #[test]
    fn the_reminder_is_the_next_start_minus_the_lead_time() {
        let s = askon();
        let cases = [
            ("2026-03-09T12:00:00Z", Some("2026-03-09T13:55:00Z")), // 08:00 → 09:55 EDT
            ("2026-03-09T13:55:00Z", Some("2026-03-09T17:55:00Z")), // already due: the next one
            ("2026-03-09T14:30:00Z", Some("2026-03-09T17:55:00Z")),
            ("2026-03-10T03:00:00Z", Some("2026-03-15T19:55:00Z")), // Sunday 15:55 EDT
        ];
        for (now, want) in cases {
            assert_eq!(next_shift_start(&s, utc(now)), want.map(utc), "{now}");
        }
        assert_eq!(
            next_shift_start(&Settings::default(), utc("2026-03-09T12:00:00Z")),
            None
        );
        let mut far = Settings::default();
        far.shifts.one_off = vec![one_off("2026-12-01", "10:00", "11:00")];
        assert_eq!(
            next_shift_start(&far, utc("2026-03-09T12:00:00Z")),
            Some(utc("2026-12-01T14:55:00Z"))
        );
    }

    #[test]
    fn an_all_day_service_reads_to_24_00() {
        let mut s = askon();
        s.service.weekly = vec![vec![span("00:00", "24:00")]; 7];
        let pic = day_picture(&s, utc("2026-03-09T16:30:00Z"));
        assert_eq!(pic.hours, "00:00–24:00");
    }

    #[test]
    fn the_picture_of_a_monday() {
        let s = askon();
        let pic = day_picture(&s, utc("2026-03-09T16:30:00Z"));
        assert_eq!(pic.date, "2026-03-09");
        assert_eq!(pic.zone, "America/Toronto");
        assert_eq!(pic.now_minute, 12 * 60 + 30);
        assert_eq!(pic.hours, "10:00–22:00");
        assert_eq!(service_minutes(&pic), vec![(600, 1320)]);
        assert_eq!(
            shift_minutes(&pic),
            vec![
                (600, 660, true, false),
                (840, 900, false, false),
                (1260, 1320, false, true)
            ]
        );
        let saturday = day_picture(&s, utc("2026-03-14T16:30:00Z"));
        assert!(saturday.service_spans.is_empty() && saturday.shifts.is_empty());
    }

    #[test]
    fn nothing_panics_on_broken_settings_or_extreme_instants() {
        let mut s = askon();
        s.service.time_zone = "Nowhere/Atall".into();
        s.service.weekly = vec![vec![
            span("ten", "25:00"),
            span("24:00", "01:00"),
            span("10:00", "10:00"),
        ]];
        s.service.closed_days = vec!["yesterday".into()];
        s.shifts.weekly.push(weekly(200, "10:00", "11:00"));
        s.shifts.weekly.push(weekly(1, "", ":"));
        s.shifts.weekly.push(WeeklyShift {
            valid_from: Some("bad".into()),
            ..weekly(1, "10:00", "11:00")
        });
        s.shifts.one_off = vec![
            one_off("+99999-01-01", "10:00", "11:00"),
            one_off("2026-03-09", "23:59", "00:00"),
        ];
        for now in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc("2026-03-09T14:00:00Z"),
        ] {
            for settings in [&s, &askon()] {
                let _ = context(settings, now);
                let _ = day_picture(settings, now);
                let _ = next_shift_start(settings, now);
                let _ = next_change(settings, now);
            }
        }
        // The broken zone falls back to the default zone; the good shifts still count.
        let ctx = context(&s, utc("2026-03-09T14:30:00Z"));
        assert_eq!(
            ctx.phase,
            Phase::OnShift,
            "Monday 10:00 shift still read in Toronto time"
        );
    }

    #[test]
    fn the_next_change_on_a_monday_and_a_closed_saturday() {
        let s = askon();
        // Each boundary comes with the minute before it (counts rounded down).
        let cases = [
            ("2026-03-09 09:00", "2026-03-09 09:54"),
            ("2026-03-09 09:54", "2026-03-09 09:55"), // login window
            ("2026-03-09 09:55", "2026-03-09 09:59"),
            ("2026-03-09 09:59", "2026-03-09 10:00"), // shift start, opening
            ("2026-03-09 10:00", "2026-03-09 10:49"),
            ("2026-03-09 10:50", "2026-03-09 10:59"), // handover since 10:50
            ("2026-03-09 11:00", "2026-03-09 11:29"), // shift end
            ("2026-03-09 11:30", "2026-03-09 13:54"), // grace over; next login window
            ("2026-03-09 15:30", "2026-03-09 19:59"), // the UTC date (off-hours key)
            ("2026-03-09 20:00", "2026-03-09 20:54"),
            ("2026-03-09 21:00", "2026-03-09 21:49"),
            ("2026-03-09 21:50", "2026-03-09 21:59"), // closing heads-up
            ("2026-03-09 22:00", "2026-03-09 22:29"), // close
            ("2026-03-09 22:30", "2026-03-09 22:59"),
            ("2026-03-09 23:00", "2026-03-09 23:59"), // after-close duties end
            ("2026-03-14 12:00", "2026-03-14 19:59"), // closed Saturday
        ];
        for (now, want) in cases {
            let got = next_change(&s, local(&s, now)).map(|t| local_text(&s, t));
            assert_eq!(got.as_deref(), Some(want), "after {now}");
        }
        // Mid-minute: still the same next instant, never `now` itself.
        let t = local(&s, "2026-03-09 09:54") + TimeDelta::seconds(30);
        assert_eq!(next_change(&s, t), Some(local(&s, "2026-03-09 09:55")));
    }

    /// What a rule can read from the context, apart from its minute counts themselves.
    fn rule_view(s: &Settings, t: DateTime<Utc>) -> String {
        let c = context(s, t);
        let heads_up = i64::from(s.timing.closing_heads_up_minutes);
        format!(
            "{:?} {:?} {:?} {} {} {} {} {} {} {:?} {:?} {:?}",
            c.phase,
            c.shift,
            c.next_shift,
            c.service_open,
            c.first_of_day,
            c.last_of_day,
            c.hours_today,
            c.replacements_needed,
            crate::core::checklist::shift_key_for(&c),
            c.minutes_to_close.map(|m| (m <= 0, m <= heads_up)),
            c.minutes_to_shift_end.map(|m| m <= 0),
            c.minutes_to_shift_end.map(|m| m <= -30),
        )
    }

    #[test]
    fn no_change_of_the_context_happens_before_the_next_change_minute_by_minute() {
        let mut past_midnight = Settings::default();
        past_midnight.service.weekly[4] = vec![span("18:00", "02:00")];
        past_midnight.shifts.weekly =
            vec![weekly(4, "18:00", "20:00"), weekly(4, "23:30", "02:00")];
        let mut back_to_back = askon();
        back_to_back.shifts.weekly.push(weekly(0, "11:00", "12:30"));
        back_to_back.shifts.one_off = vec![one_off("2026-03-09", "17:00", "18:00")];
        let mut dst = Settings::default();
        dst.service.weekly[6] = vec![span("00:30", "04:00")];
        dst.shifts.one_off = vec![one_off("2026-03-08", "01:00", "04:00")];
        let mut sydney = askon();
        sydney.service.time_zone = "Australia/Sydney".into();
        let days = [
            (&askon(), "2026-03-09T00:00:00Z"),
            (&askon(), "2026-03-15T00:00:00Z"),
            (&past_midnight, "2026-03-13T12:00:00Z"),
            (&back_to_back, "2026-03-09T00:00:00Z"),
            (&dst, "2026-03-08T00:00:00Z"),
            (&sydney, "2026-03-08T12:00:00Z"),
        ];
        for (settings, start) in days {
            for offset in [0, 1, 59] {
                let mut t = utc(start) + TimeDelta::seconds(offset);
                let mut view = rule_view(settings, t);
                let end = t + TimeDelta::hours(30);
                while t < end {
                    let later = t + TimeDelta::minutes(1);
                    let later_view = rule_view(settings, later);
                    if view != later_view {
                        let next = next_change(settings, t);
                        assert!(
                            next.is_some_and(|n| n <= later),
                            "{start}: a change between {t} and {later}, next_change said {next:?}"
                        );
                    }
                    (t, view) = (later, later_view);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn context_never_panics(
            zone in "[A-Za-z/_]{0,20}",
            start in "[0-9:]{0,6}",
            end in "[0-9:]{0,6}",
            weekday in 0u8..=255,
            date in "[0-9-]{0,12}",
            secs in proptest::num::i64::ANY,
            pre in 0u32..=u32::MAX,
        ) {
            let mut s = askon();
            s.service.time_zone = zone;
            s.service.weekly[0].push(span(&start, &end));
            s.shifts.weekly.push(weekly(weekday, &start, &end));
            s.shifts.one_off.push(one_off(&date, &start, &end));
            s.service.exceptions.push(DateException { date: date.clone(), spans: vec![span(&end, &start)], note: String::new() });
            s.timing.pre_shift_minutes = pre;
            s.timing.handover_grace_minutes = pre;
            let now = DateTime::from_timestamp(secs % 20_000_000_000, 0).unwrap_or_default();
            let ctx = context(&s, now);
            proptest::prop_assert_eq!(ctx.shift.is_none(), ctx.phase == Phase::OffHours);
            let _ = day_picture(&s, now);
            let _ = next_shift_start(&s, now);
            proptest::prop_assert!(next_change(&s, now).is_none_or(|t| t > now));
        }
    }
}
