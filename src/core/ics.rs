//! Importing the operator's shifts from an .ics calendar file (RFC 5545, the subset
//! schedules use): each VEVENT is a shift. A weekly (or daily) repeat becomes one
//! `WeeklyShift` per weekday, bounded by its first and last dates; a single event
//! becomes a `OneOffShift`; EXDATE and moved occurrences (RECURRENCE-ID) become
//! `skipped` dates. Times are converted into the service's time zone.
//!
//! Anything the schedule model cannot hold is said in `warnings`, naming the event.
//! Nothing here panics, whatever the file holds.

use super::zone::Tz;
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone,
    Timelike, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use super::catalog::{Arg, Said};
use super::settings::{
    format_date, format_hhmm, parse_time_zone, weekday_index, OneOffShift, ServiceHours,
    WeeklyShift,
};
use super::shift::local_instant;

/// Files larger than this are refused (a schedule is a few kilobytes).
pub const MAX_ICS_BYTES: usize = 4 * 1024 * 1024;
/// Events read at most.
pub const MAX_EVENTS: usize = 5000;
/// A repeat is followed this many weeks at most (about twenty years).
const MAX_WEEKS: u32 = 1050;
/// An "every N weeks" repeat without an end is expanded this many weeks ahead.
const EXPAND_WEEKS: u32 = 53;

/// What an import read: to be added to `settings.shifts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcsImport {
    pub weekly: Vec<WeeklyShift>,
    pub one_off: Vec<OneOffShift>,
    pub skipped: Vec<String>,
    /// Catalog messages (`ics…`): said in the language of the page that shows them.
    pub warnings: Vec<Said>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IcsError {
    TooLarge {
        bytes: usize,
    },
    NotACalendar,
    NoEvents,
    /// Events were found but none could be read as a shift; the reasons.
    NoShifts {
        warnings: Vec<Said>,
    },
}

impl IcsError {
    /// What is wrong, as a catalog message.
    pub fn said(&self) -> Said {
        match self {
            IcsError::TooLarge { bytes } => Said::new(
                "icsTooLarge",
                &[
                    ("size", &(bytes / 1024).to_string()),
                    ("limit", &(MAX_ICS_BYTES / 1024).to_string()),
                ],
            ),
            IcsError::NotACalendar => Said::from("icsNotACalendar"),
            IcsError::NoEvents => Said::from("icsNoEvents"),
            IcsError::NoShifts { warnings } => match warnings.first() {
                Some(w) => Said::from("icsNoShiftsBecause").with("why", w.clone()),
                None => Said::from("icsNoShifts"),
            },
        }
    }
}

/// Without a catalog (a log line): the message's key and values.
impl std::fmt::Display for IcsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.said().fmt(f)
    }
}

impl std::error::Error for IcsError {}

/// Reads an .ics file into shifts in the service's zone.
pub fn parse_ics(text: &str, service: &ServiceHours) -> Result<IcsImport, IcsError> {
    if text.len() > MAX_ICS_BYTES {
        return Err(IcsError::TooLarge { bytes: text.len() });
    }
    let lines = unfold(text);
    if !lines
        .iter()
        .any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(IcsError::NotACalendar);
    }
    let mut out = IcsImport::default();
    let events = collect_events(&lines, &mut out.warnings);
    if events.is_empty() {
        return Err(IcsError::NoEvents);
    }
    let service_tz = service.zone();
    let mut skips: Vec<(NaiveDate, Said)> = Vec::new();
    for event in &events {
        read_event(event, service_tz, &mut out, &mut skips);
    }
    if out.weekly.is_empty() && out.one_off.is_empty() {
        return Err(IcsError::NoShifts {
            warnings: out.warnings,
        });
    }
    // `skipped` holds dates for every weekly shift: say so when another one is hit.
    for (date, name) in &skips {
        let others = out
            .weekly
            .iter()
            .filter(|w| w.weekday == weekday_index(*date) && in_bounds(w, *date))
            .count();
        if others > 1 {
            out.warnings.push(about(
                name,
                Said::from("icsSkipAlsoSkips").arg("date", Arg::date(date)),
            ));
        }
        let d = format_date(date);
        if !out.skipped.contains(&d) {
            out.skipped.push(d);
        }
    }
    out.skipped.sort();
    // A zone named in several lines of one event is reported once.
    let mut seen = std::collections::BTreeSet::new();
    out.warnings.retain(|w| seen.insert(w.encode()));
    Ok(out)
}

fn in_bounds(w: &WeeklyShift, date: NaiveDate) -> bool {
    let d = format_date(&date);
    w.valid_from
        .as_ref()
        .is_none_or(|f| f.as_str() <= d.as_str())
        && w.valid_until
            .as_ref()
            .is_none_or(|u| d.as_str() <= u.as_str())
}

// ---- lines and components -------------------------------------------------------------

/// Joins folded lines (a line starting with a space or tab continues the previous one).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        match (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(prev)) => prev.push_str(rest),
            _ => lines.push(line.to_string()),
        }
    }
    lines
}

/// One content line: NAME;PARAM=VALUE;…:VALUE.
#[derive(Debug, Clone)]
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn parse_line(line: &str) -> Option<Prop> {
    // The value starts at the first ':' outside double quotes.
    let mut in_quotes = false;
    let mut split = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let split = split?;
    let (head, value) = (&line[..split], &line[split + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_uppercase(),
                v.trim().trim_matches('"').to_string(),
            )
        })
        .collect();
    Some(Prop {
        name,
        params,
        value: value.to_string(),
    })
}

/// The VEVENTs' own properties (nested components such as VALARM are passed over).
fn collect_events(lines: &[String], warnings: &mut Vec<Said>) -> Vec<Vec<Prop>> {
    let mut events = Vec::new();
    let mut current: Option<Vec<Prop>> = None;
    let mut nested = 0u32;
    for line in lines {
        let Some(prop) = parse_line(line) else {
            continue;
        };
        let value = prop.value.trim().to_ascii_uppercase();
        match (prop.name.as_str(), current.as_mut()) {
            ("BEGIN", None) if value == "VEVENT" => current = Some(Vec::new()),
            ("BEGIN", Some(_)) => nested += 1,
            ("END", Some(props)) if nested == 0 => {
                if value != "VEVENT" {
                    warnings.push(Said::new("icsEndsWith", &[("end", &value)]));
                }
                events.push(std::mem::take(props));
                current = None;
            }
            ("END", Some(_)) => nested -= 1,
            (_, Some(props)) if nested == 0 => props.push(prop),
            _ => {}
        }
        if events.len() >= MAX_EVENTS {
            warnings.push(Said::new("icsOnlyFirst", &[("n", &MAX_EVENTS.to_string())]));
            return events;
        }
    }
    if let Some(props) = current {
        warnings.push(Said::from("icsUnclosed"));
        events.push(props);
    }
    events
}

// ---- times ----------------------------------------------------------------------------

/// How an event's times are written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Utc,
    Named(Tz),
    /// No zone: read in the service's zone.
    Floating,
}

/// TZID values as calendars write them: IANA names, names with a vendor prefix
/// ("/mozilla.org/20050126_1/America/Toronto"), and common Windows names.
fn zone_of(prop: &Prop, warnings: &mut Vec<Said>, name: &Said) -> Zone {
    if prop.value.trim().ends_with(['Z', 'z']) {
        return Zone::Utc;
    }
    let Some(tzid) = prop.param("TZID") else {
        return Zone::Floating;
    };
    if let Ok(tz) = parse_time_zone(tzid) {
        return Zone::Named(tz);
    }
    let parts: Vec<&str> = tzid.split('/').collect();
    for i in 1..parts.len() {
        if let Ok(tz) = parse_time_zone(&parts[i..].join("/")) {
            return Zone::Named(tz);
        }
    }
    const WINDOWS: [(&str, &str); 14] = [
        ("Eastern Standard Time", "America/Toronto"),
        ("Central Standard Time", "America/Chicago"),
        ("Mountain Standard Time", "America/Edmonton"),
        ("Pacific Standard Time", "America/Vancouver"),
        ("Atlantic Standard Time", "America/Halifax"),
        ("Newfoundland Standard Time", "America/St_Johns"),
        ("Canada Central Standard Time", "America/Regina"),
        ("US Mountain Standard Time", "America/Phoenix"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("GMT Standard Time", "Europe/London"),
        ("Romance Standard Time", "Europe/Paris"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("Coordinated Universal Time", "UTC"),
    ];
    if let Some(tz) = WINDOWS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(tzid.trim()))
        .and_then(|(_, iana)| parse_time_zone(iana).ok())
    {
        return Zone::Named(tz);
    }
    warnings.push(about(name, Said::new("icsUnknownZone", &[("tzid", tzid)])));
    Zone::Floating
}

/// "20260309" or "20260309T100000" (a trailing Z is the zone's business).
fn parse_stamp(value: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let v = value.trim().trim_end_matches(['Z', 'z']);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (date, time) = match v.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    if date.len() != 8 || !digits(date) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let day =
        NaiveDate::from_ymd_opt(num(&date[..4])? as i32, num(&date[4..6])?, num(&date[6..])?)?;
    let time = match time {
        None => None,
        Some(t) if (t.len() == 4 || t.len() == 6) && digits(t) => {
            let sec = if t.len() == 6 { num(&t[4..6])? } else { 0 };
            Some(NaiveTime::from_hms_opt(
                num(&t[..2])?,
                num(&t[2..4])?,
                sec.min(59),
            )?)
        }
        Some(_) => return None,
    };
    Some((day, time))
}

/// The instant a written date-time names.
fn instant(zone: Zone, service: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let minute = time.hour() * 60 + time.minute();
    match zone {
        Zone::Utc => Some(NaiveDateTime::new(date, time).and_utc()),
        Zone::Named(tz) => local_instant(tz, date, minute),
        Zone::Floating => local_instant(service, date, minute),
    }
}

/// The service's wall clock at `t`.
fn wall(service: Tz, t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = service.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc().checked_add_offset(offset)
}

/// "PT1H30M", "P1D", "PT90M"; negative durations are refused.
fn parse_duration(text: &str) -> Option<TimeDelta> {
    let t = text.trim().strip_prefix('+').unwrap_or(text.trim());
    let rest = t.strip_prefix(['P', 'p'])?;
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' if number.len() < 9 => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += n * match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
            }
        }
    }
    (number.is_empty() && total > 0).then(|| TimeDelta::seconds(total))
}

// ---- events ---------------------------------------------------------------------------

struct Event<'a> {
    props: &'a [Prop],
}

impl<'a> Event<'a> {
    fn get(&self, name: &str) -> Option<&'a Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    fn all(&self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }

    /// How warnings name the event: its summary and first date (with its year: a
    /// calendar may hold several).
    fn label(&self) -> Said {
        let summary: String = self
            .get("SUMMARY")
            .map(|p| unescape(&p.value))
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        let event = match summary.trim() {
            "" => Said::from("icsEvent"),
            summary => Said::new("icsEventNamed", &[("summary", summary)]),
        };
        match self.get("DTSTART").and_then(|p| parse_stamp(&p.value)) {
            Some((d, _)) => Said::new("icsEventOn", &[("year", &d.year().to_string())])
                .with("event", event)
                .arg("date", Arg::date(&d)),
            None => event,
        }
    }
}

fn unescape(text: &str) -> String {
    text.replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// A warning about one event: the event, then what about it.
fn about(event: &Said, what: Said) -> Said {
    Said::from("icsAbout")
        .with("event", event.clone())
        .with("what", what)
}

/// A shift as read from one occurrence, in the service's zone.
struct Local {
    date: NaiveDate,
    start: u32,
    end: u32,
}

fn to_local(service: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Local> {
    let (a, b) = (wall(service, start)?, wall(service, end)?);
    Some(Local {
        date: a.date(),
        start: a.hour() * 60 + a.minute(),
        end: b.hour() * 60 + b.minute(),
    })
}

fn read_event(
    props: &[Prop],
    service: Tz,
    out: &mut IcsImport,
    skips: &mut Vec<(NaiveDate, Said)>,
) {
    let event = Event { props };
    let name = event.label();
    let warn = |out: &mut IcsImport, what: Said| out.warnings.push(about(&name, what));

    let Some(dtstart) = event.get("DTSTART") else {
        return warn(out, Said::from("icsNoStart"));
    };
    let zone = zone_of(dtstart, &mut out.warnings, &name);
    let Some((start_date, start_time)) = parse_stamp(&dtstart.value) else {
        return warn(
            out,
            Said::new("icsStartNotDateTime", &[("value", dtstart.value.trim())]),
        );
    };
    let Some(start_time) = start_time.filter(|_| dtstart.param("VALUE") != Some("DATE")) else {
        return warn(out, Said::from("icsAllDay"));
    };
    let Some(first_start) = instant(zone, service, start_date, start_time) else {
        return warn(out, Said::from("icsStartOutOfRange"));
    };
    let cancelled = event
        .get("STATUS")
        .is_some_and(|p| p.value.trim().eq_ignore_ascii_case("CANCELLED"));
    // A moved or cancelled occurrence of a repeat: the original date does not happen.
    if let Some(rid) = event.get("RECURRENCE-ID") {
        let rid_zone = zone_of(rid, &mut out.warnings, &name);
        if let Some(t) = parse_stamp(&rid.value)
            .and_then(|(d, t)| instant(rid_zone, service, d, t.unwrap_or(start_time)))
            .and_then(|t| wall(service, t))
        {
            skips.push((t.date(), name.clone()));
        }
    }
    if cancelled {
        if event.get("RECURRENCE-ID").is_none() {
            warn(out, Said::from("icsCancelled"));
        }
        return;
    }
    let length = match (event.get("DTEND"), event.get("DURATION")) {
        (Some(dtend), _) => {
            let end_zone = zone_of(dtend, &mut out.warnings, &name);
            match parse_stamp(&dtend.value) {
                Some((d, Some(t))) => instant(end_zone, service, d, t).map(|end| end - first_start),
                _ => None,
            }
        }
        (None, Some(duration)) => parse_duration(&duration.value),
        (None, None) => None,
    };
    let Some(length) = length else {
        return warn(out, Said::from("icsNoEnd"));
    };
    if length <= TimeDelta::zero() || length >= TimeDelta::hours(24) {
        return warn(out, Said::from("icsBadLength"));
    }

    if event.get("RDATE").is_some() {
        warn(out, Said::from("icsRdate"));
    }

    let Some(rrule) = event.get("RRULE") else {
        let Some(local) =
            plus(first_start, length).and_then(|end| to_local(service, first_start, end))
        else {
            return warn(out, Said::from("icsTimeOutOfRange"));
        };
        push_one_off(out, &local);
        return;
    };
    let rule = match Rule::parse(&rrule.value, zone, service, start_date) {
        Ok(rule) => rule,
        Err(why) => {
            warn(out, Said::from("icsFirstDateOnly").with("why", why));
            if let Some(local) =
                plus(first_start, length).and_then(|end| to_local(service, first_start, end))
            {
                push_one_off(out, &local);
            }
            return;
        }
    };
    let occurrences = rule.occurrences(start_date, start_time, zone, service, first_start);
    if occurrences.truncated {
        warn(out, Said::from("icsTooLong"));
    }
    // EXDATE: dates of the repeat that do not happen.
    for ex in event.all("EXDATE") {
        let ex_zone = zone_of(ex, &mut out.warnings, &name);
        for value in ex.value.split(',') {
            match parse_stamp(value)
                .and_then(|(d, t)| instant(ex_zone, service, d, t.unwrap_or(start_time)))
                .and_then(|t| wall(service, t))
            {
                Some(t) => skips.push((t.date(), name.clone())),
                None => warn(out, Said::new("icsBadExdate", &[("value", value.trim())])),
            }
        }
    }
    let locals: Vec<Local> = occurrences
        .starts
        .iter()
        .filter_map(|s| plus(*s, length).and_then(|e| to_local(service, *s, e)))
        .collect();
    if locals.is_empty() {
        return warn(out, Said::from("icsNoDates"));
    }
    if rule.interval != 1 {
        // "Every other week" has no weekly shape: list the dates.
        if occurrences.unbounded {
            warn(
                out,
                Said::new(
                    "icsEveryNWeeks",
                    &[
                        ("n", &rule.interval.to_string()),
                        ("weeks", &EXPAND_WEEKS.to_string()),
                    ],
                ),
            );
        }
        for local in &locals {
            push_one_off(out, local);
        }
        return;
    }
    // One weekly shift per weekday and time as the service's clock reads them. When
    // the event's zone changes clocks on other dates than the service's, the time moves
    // twice a year: each stretch of the first year becomes its own bounded weekly shift.
    let mut runs = runs_of(&locals);
    let moved = runs.len() > rule.days.len();
    if moved {
        let year_end = locals[0]
            .date
            .checked_add_days(Days::new(7 * u64::from(EXPAND_WEEKS)));
        let first_year: Vec<&Local> = locals
            .iter()
            .filter(|l| year_end.is_some_and(|e| l.date < e))
            .collect();
        let followed_all =
            first_year.len() == locals.len() && !occurrences.unbounded && !occurrences.truncated;
        runs = runs_of(first_year.iter().copied());
        warn(
            out,
            Said::from(if followed_all {
                "icsClocksEachStretch"
            } else {
                "icsClocksFirstYear"
            }),
        );
    }
    let open_ended = !moved && (occurrences.unbounded || occurrences.truncated);
    for run in runs {
        let shift = WeeklyShift {
            weekday: run.weekday,
            start: format_hhmm(run.start),
            end: format_hhmm(run.end),
            replacements: Vec::new(),
            valid_from: Some(format_date(&run.first)),
            valid_until: (!open_ended).then(|| format_date(&run.last)),
        };
        if !out.weekly.contains(&shift) {
            out.weekly.push(shift);
        }
    }
}

/// Consecutive occurrences on one weekday at the same service-clock time.
struct Run {
    weekday: u8,
    start: u32,
    end: u32,
    first: NaiveDate,
    last: NaiveDate,
}

fn runs_of<'a>(locals: impl IntoIterator<Item = &'a Local>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for local in locals {
        let weekday = weekday_index(local.date);
        match runs.iter_mut().rev().find(|r| r.weekday == weekday) {
            Some(run) if (run.start, run.end) == (local.start, local.end) => run.last = local.date,
            _ => runs.push(Run {
                weekday,
                start: local.start,
                end: local.end,
                first: local.date,
                last: local.date,
            }),
        }
    }
    runs
}

fn plus(t: DateTime<Utc>, d: TimeDelta) -> Option<DateTime<Utc>> {
    t.checked_add_signed(d)
}

fn push_one_off(out: &mut IcsImport, local: &Local) {
    let shift = OneOffShift {
        date: format_date(&local.date),
        start: format_hhmm(local.start),
        end: format_hhmm(local.end),
        replacements: Vec::new(),
    };
    if !out.one_off.contains(&shift) {
        out.one_off.push(shift);
    }
}

// ---- repeats --------------------------------------------------------------------------

/// "repeats monthly, not weekly": RFC 5545's frequencies in words, any other as written.
fn not_weekly(freq: &str) -> Said {
    let said = Said::from("icsNotWeekly");
    let words = match freq {
        "SECONDLY" => Said::from("icsFreqSecondly"),
        "MINUTELY" => Said::from("icsFreqMinutely"),
        "HOURLY" => Said::from("icsFreqHourly"),
        "MONTHLY" => Said::from("icsFreqMonthly"),
        "YEARLY" => Said::from("icsFreqYearly"),
        other => return said.arg("freq", Arg::Text(other.to_ascii_lowercase())),
    };
    said.with("freq", words)
}

struct Rule {
    interval: u32,
    /// Weekdays, Monday first.
    days: Vec<Weekday>,
    until: Option<DateTime<Utc>>,
    count: Option<u32>,
}

struct Occurrences {
    starts: Vec<DateTime<Utc>>,
    /// No UNTIL/COUNT: the repeat goes on (only the first year is listed).
    unbounded: bool,
    /// UNTIL/COUNT lies beyond what is followed.
    truncated: bool,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

impl Rule {
    fn parse(text: &str, zone: Zone, service: Tz, start: NaiveDate) -> Result<Rule, Said> {
        let mut freq = None;
        let mut byday: Option<String> = None;
        let mut rule = Rule {
            interval: 1,
            days: Vec::new(),
            until: None,
            count: None,
        };
        for part in text.trim().split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let value = value.trim().to_ascii_uppercase();
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(value),
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=52).contains(n))
                        .ok_or_else(|| Said::new("icsBadInterval", &[("value", &value)]))?
                }
                "BYDAY" => byday = Some(value),
                "UNTIL" => {
                    let (d, t) = parse_stamp(&value)
                        .ok_or_else(|| Said::new("icsBadUntil", &[("value", &value)]))?;
                    let until_zone = if value.ends_with('Z') {
                        Zone::Utc
                    } else {
                        zone
                    };
                    // A date alone ends the repeat at the end of that day.
                    let t = t.unwrap_or(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
                    rule.until = instant(until_zone, service, d, t);
                }
                "COUNT" => {
                    rule.count = Some(
                        value
                            .parse()
                            .map_err(|_| Said::new("icsBadCount", &[("value", &value)]))?,
                    )
                }
                "WKST" => {}
                other => return Err(Said::new("icsBadRulePart", &[("part", other)])),
            }
        }
        if let Some(other) = freq.as_deref().filter(|f| *f != "WEEKLY" && *f != "DAILY") {
            return Err(not_weekly(other));
        }
        for day in byday.iter().flat_map(|d| d.split(',')) {
            match WEEKDAYS.iter().find(|(code, _)| *code == day.trim()) {
                Some((_, wd)) => rule.days.push(*wd),
                None => return Err(Said::new("icsBadDay", &[("day", day)])),
            }
        }
        match freq.as_deref() {
            Some("WEEKLY") => {}
            Some("DAILY") => {
                if rule.days.is_empty() {
                    rule.days = WEEKDAYS.iter().map(|(_, wd)| *wd).collect();
                }
                if rule.interval != 1 {
                    return Err(Said::new(
                        "icsEveryNDays",
                        &[("n", &rule.interval.to_string())],
                    ));
                }
            }
            Some(other) => return Err(not_weekly(other)),
            None => return Err(Said::from("icsNoFreq")),
        }
        if rule.days.is_empty() {
            rule.days.push(start.weekday());
        }
        rule.days.sort_by_key(|d| d.num_days_from_monday());
        rule.days.dedup();
        Ok(rule)
    }

    /// The repeat's start instants, week by week from the week of DTSTART.
    fn occurrences(
        &self,
        start: NaiveDate,
        time: NaiveTime,
        zone: Zone,
        service: Tz,
        first: DateTime<Utc>,
    ) -> Occurrences {
        let unbounded = self.until.is_none() && self.count.is_none();
        let weeks = if unbounded { EXPAND_WEEKS } else { MAX_WEEKS };
        let monday = start
            .checked_sub_days(Days::new(u64::from(start.weekday().num_days_from_monday())))
            .unwrap_or(start);
        let mut starts = Vec::new();
        let mut ended = false;
        'weeks: for week in (0..weeks).step_by(self.interval as usize) {
            for day in &self.days {
                let offset = u64::from(week) * 7 + u64::from(day.num_days_from_monday());
                let Some(date) = monday.checked_add_days(Days::new(offset)) else {
                    ended = true;
                    break 'weeks;
                };
                let Some(t) = instant(zone, service, date, time) else {
                    ended = true;
                    break 'weeks;
                };
                if date < start || t < first {
                    continue;
                }
                if self.until.is_some_and(|u| t > u)
                    || self
                        .count
                        .is_some_and(|c| starts.len() as u64 >= u64::from(c))
                {
                    ended = true;
                    break 'weeks;
                }
                starts.push(t);
            }
        }
        let truncated = !unbounded && !ended;
        Occurrences {
            starts,
            unbounded,
            truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::{english, french};
    use crate::core::test_support::{self, assert_warns, one_off};

    /// The warnings as an English page shows them.
    fn in_english(warnings: &[Said]) -> Vec<String> {
        warnings.iter().map(english).collect()
    }

    fn toronto() -> ServiceHours {
        ServiceHours::default()
    }

    fn cal(body: &str) -> String {
        let body = body.trim().replace('\n', "\r\n");
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}\r\nEND:VCALENDAR\r\n"
        )
    }

    fn event(lines: &str) -> String {
        format!("BEGIN:VEVENT\nUID:x@test\n{}\nEND:VEVENT", lines.trim())
    }

    /// A weekly shift as an .ics repeat gives it: bounded by `from` and `until`.
    fn weekly(
        wd: u8,
        start: &str,
        end: &str,
        from: Option<&str>,
        until: Option<&str>,
    ) -> WeeklyShift {
        WeeklyShift {
            valid_from: from.map(str::to_string),
            valid_until: until.map(str::to_string),
            ..test_support::weekly(wd, start, end)
        }
    }

    fn read(body: &str) -> IcsImport {
        parse_ics(&cal(body), &toronto()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn weekly_repeats_become_bounded_weekly_shifts() {
        let cases: Vec<(&str, Vec<WeeklyShift>, Vec<&str>)> = vec![
            (
                "DTSTART;TZID=America/Toronto:20260105T100000\nDTEND;TZID=America/Toronto:20260105T110000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260430T235959Z\nEXDATE;TZID=America/Toronto:20260316T100000,20260318T100000",
                vec![
                    weekly(0, "10:00", "11:00", Some("2026-01-05"), Some("2026-04-27")),
                    weekly(2, "10:00", "11:00", Some("2026-01-07"), Some("2026-04-29")),
                ],
                vec!["2026-03-16", "2026-03-18"],
            ),
            (
                "DTSTART;TZID=America/Toronto:20260106T140000\nDURATION:PT1H30M\nRRULE:FREQ=WEEKLY;COUNT=4",
                vec![weekly(1, "14:00", "15:30", Some("2026-01-06"), Some("2026-01-27"))],
                vec![],
            ),
            (
                "DTSTART;TZID=America/Toronto:20260109T210000\nDTEND;TZID=America/Toronto:20260109T220000\nRRULE:FREQ=WEEKLY",
                vec![weekly(4, "21:00", "22:00", Some("2026-01-09"), None)],
                vec![],
            ),
            (
                "DTSTART;TZID=America/Toronto:20260105T230000\nDTEND;TZID=America/Toronto:20260106T010000\nRRULE:FREQ=DAILY;BYDAY=MO,TU;UNTIL=20260113",
                vec![
                    weekly(0, "23:00", "01:00", Some("2026-01-05"), Some("2026-01-12")),
                    weekly(1, "23:00", "01:00", Some("2026-01-06"), Some("2026-01-13")),
                ],
                vec![],
            ),
        ];
        for (body, want, skipped) in cases {
            let got = read(&event(body));
            assert_eq!(got.weekly, want, "{body}");
            assert_eq!(got.skipped, skipped, "{body}");
            assert_eq!(got.one_off, Vec::new(), "{body}");
            assert_eq!(got.warnings, Vec::<Said>::new(), "{body}");
        }
    }

    #[test]
    fn single_events_become_one_offs_in_the_service_zone() {
        let cases = [
            ("UTC", "DTSTART:20260309T140000Z\nDTEND:20260309T150000Z", one_off("2026-03-09", "10:00", "11:00")),
            ("UTC in winter", "DTSTART:20260302T150000Z\nDTEND:20260302T160000Z", one_off("2026-03-02", "10:00", "11:00")),
            ("floating", "DTSTART:20260310T180000\nDURATION:PT2H", one_off("2026-03-10", "18:00", "20:00")),
            ("another zone", "DTSTART;TZID=Australia/Sydney:20260310T090000\nDTEND;TZID=Australia/Sydney:20260310T100000", one_off("2026-03-09", "18:00", "19:00")),
            ("midnight", "DTSTART;TZID=America/Toronto:20260313T230000\nDTEND;TZID=America/Toronto:20260314T010000", one_off("2026-03-13", "23:00", "01:00")),
            ("quoted vendor zone", "DTSTART;TZID=\"/mozilla.org/20050126_1/America/Toronto\":20260309T100000\nDTEND;TZID=\"/mozilla.org/20050126_1/America/Toronto\":20260309T110000", one_off("2026-03-09", "10:00", "11:00")),
            ("Windows zone", "DTSTART;TZID=Eastern Standard Time:20260309T100000\nDTEND;TZID=Eastern Standard Time:20260309T110000", one_off("2026-03-09", "10:00", "11:00")),
            ("folded lines", "SUMMARY:askON\n  shift\nDTSTART;TZID=America/To\n ronto:20260309T100000\nDTEND;TZID=America/Toronto:2026030\n\t9T110000", one_off("2026-03-09", "10:00", "11:00")),
            ("alarm inside", "DTSTART;TZID=America/Toronto:20260309T100000\nDTEND;TZID=America/Toronto:20260309T110000\nBEGIN:VALARM\nTRIGGER:-PT15M\nDURATION:PT5M\nEND:VALARM", one_off("2026-03-09", "10:00", "11:00")),
            ("DST gap", "DTSTART;TZID=America/Toronto:20260308T023000\nDTEND;TZID=America/Toronto:20260308T040000", one_off("2026-03-08", "03:30", "04:00")),
        ];
        for (label, body, want) in cases {
            let got = read(&event(body));
            assert_eq!(got.one_off, vec![want], "{label}");
            assert!(
                got.weekly.is_empty() && got.warnings.is_empty(),
                "{label}: {:?}",
                got.warnings
            );
        }
    }

    #[test]
    fn a_utc_repeat_moves_on_the_service_clock_at_its_dst_change() {
        let got = read(&event("SUMMARY:Monday shift\nDTSTART:20260223T150000Z\nDTEND:20260223T160000Z\nRRULE:FREQ=WEEKLY;COUNT=4"));
        assert_eq!(
            got.weekly,
            vec![
                weekly(0, "10:00", "11:00", Some("2026-02-23"), Some("2026-03-02")),
                weekly(0, "11:00", "12:00", Some("2026-03-09"), Some("2026-03-16")),
            ]
        );
        let warnings = in_english(&got.warnings);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with(
                "'Monday shift' on Monday 23 February 2026: its time zone and the service's change clocks"
            ),
            "{warnings:?}"
        );
    }

    #[test]
    fn moved_and_cancelled_occurrences_are_skipped() {
        let body = [
            event("SUMMARY:Shift\nDTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRRULE:FREQ=WEEKLY"),
            event("SUMMARY:Shift\nRECURRENCE-ID;TZID=America/Toronto:20260316T100000\nDTSTART;TZID=America/Toronto:20260317T100000\nDTEND;TZID=America/Toronto:20260317T110000"),
            event("SUMMARY:Shift\nRECURRENCE-ID;TZID=America/Toronto:20260323T100000\nDTSTART;TZID=America/Toronto:20260323T100000\nDTEND;TZID=America/Toronto:20260323T110000\nSTATUS:CANCELLED"),
        ]
        .join("\n");
        let got = read(&body);
        assert_eq!(
            got.weekly,
            vec![weekly(0, "10:00", "11:00", Some("2026-03-02"), None)]
        );
        assert_eq!(got.one_off, vec![one_off("2026-03-17", "10:00", "11:00")]);
        assert_eq!(got.skipped, vec!["2026-03-16", "2026-03-23"]);
        assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    }

    #[test]
    fn what_the_model_cannot_hold_is_said() {
        let cases = [
            ("DTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3", vec![one_off("2026-03-02", "10:00", "11:00"), one_off("2026-03-16", "10:00", "11:00"), one_off("2026-03-30", "10:00", "11:00")], ""),
            ("SUMMARY:Monthly\nDTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRRULE:FREQ=MONTHLY;BYDAY=1MO", vec![one_off("2026-03-02", "10:00", "11:00")], "'Monthly' on Monday 2 March 2026: repeats monthly, not weekly; only its first date was read"),
            ("DTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRRULE:FREQ=WEEKLY;BYDAY=1MO", vec![one_off("2026-03-02", "10:00", "11:00")], "is not a weekly repeat"),
            ("DTSTART;TZID=Mars/Olympus:20260302T100000\nDTEND;TZID=Mars/Olympus:20260302T110000", vec![one_off("2026-03-02", "10:00", "11:00")], "unknown time zone 'Mars/Olympus', read in the service's time zone"),
            ("DTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRDATE:20260305T100000", vec![one_off("2026-03-02", "10:00", "11:00")], "RDATE"),
        ];
        for (body, want, warning) in cases {
            let got = read(&event(body));
            assert_eq!(got.one_off, want, "{body}");
            if warning.is_empty() {
                assert!(got.warnings.is_empty(), "{body}: {:?}", got.warnings);
            } else {
                assert_warns(&in_english(&got.warnings), warning);
            }
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "this is not an .ics calendar file"),
            ("Subject,Start Date\nShift,2026-03-09".into(), "this is not an .ics calendar file"),
            (cal(""), "the calendar has no events"),
            (cal(&event("SUMMARY:Holiday\nDTSTART;VALUE=DATE:20260309\nDTEND;VALUE=DATE:20260310")), "no shift could be read from the calendar: 'Holiday' on Monday 9 March 2026: an all-day event is not a shift: left out"),
            (cal(&event("DTSTART:20260309T100000")), "no readable end time"),
            (cal(&event("DTSTART:20260309T100000\nDTEND:20260309T090000")), "must end after it starts"),
            (cal(&event("DTSTART:2026-03-09 10:00\nDTEND:20260309T090000")), "start '2026-03-09 10:00' is not a date-time"),
            (cal(&event("SUMMARY:Off\nDTSTART:20260309T100000\nDTEND:20260309T110000\nSTATUS:CANCELLED")), "cancelled: left out"),
            ("BEGIN:VCALENDAR\n".to_string() + &"X".repeat(MAX_ICS_BYTES), "the file is too large"),
        ];
        for (text, words) in cases {
            let err = english(&parse_ics(&text, &toronto()).expect_err(words).said());
            assert!(err.contains(words), "wanted …{words}…, got {err}");
        }
    }

    #[test]
    fn warnings_and_errors_are_said_in_french_with_french_dates() {
        let n = '\u{202f}';
        let got = read(&[
            event("SUMMARY:Mensuel\nDTSTART;TZID=America/Toronto:20260302T100000\nDTEND;TZID=America/Toronto:20260302T110000\nRRULE:FREQ=MONTHLY"),
            event("DTSTART;TZID=Mars/Olympus:20260303T100000\nDTEND;TZID=Mars/Olympus:20260303T110000"),
        ].join("\n"));
        let said: Vec<String> = got.warnings.iter().map(french).collect();
        assert_eq!(
            said,
            vec![
                format!("«{n}Mensuel{n}» du lundi 2 mars 2026{n}: se répète chaque mois, pas chaque semaine{n}; seule sa première date a été lue"),
                format!("événement du mardi 3 mars 2026{n}: fuseau horaire inconnu «{n}Mars/Olympus{n}», lu dans le fuseau du service"),
            ]
        );
        let err = parse_ics(&cal(""), &toronto()).unwrap_err();
        assert_eq!(french(&err.said()), "l’agenda ne contient aucun événement");
        let err = parse_ics(&cal(&event("DTSTART;VALUE=DATE:20260309")), &toronto()).unwrap_err();
        assert_eq!(
            french(&err.said()),
            format!("aucun quart n’a pu être lu dans l’agenda{n}: événement du lundi 9 mars 2026{n}: un événement d’une journée entière n’est pas un quart{n}: laissé de côté")
        );
    }

    #[test]
    fn truncated_files_and_huge_lines_do_not_break_it() {
        let full = cal(&event("SUMMARY:Shift\nDTSTART;TZID=America/Toronto:20260309T100000\nDTEND;TZID=America/Toronto:20260309T110000\nRRULE:FREQ=WEEKLY;UNTIL=20260601T000000Z"));
        for cut in 0..full.len() {
            if full.is_char_boundary(cut) {
                let _ = parse_ics(&full[..cut], &toronto());
            }
        }
        let cut = full.find("END:VEVENT").unwrap();
        let got = parse_ics(&full[..cut], &toronto()).expect("read as far as it goes");
        assert_eq!(got.weekly.len(), 1);
        assert_warns(&in_english(&got.warnings), "END:VEVENT is missing");

        let huge = cal(&event(&format!(
            "SUMMARY:{}\nDESCRIPTION:{}\nDTSTART:20260309T140000Z\nDTEND:20260309T150000Z",
            "é".repeat(500_000),
            ":;\"".repeat(200_000)
        )));
        let got = parse_ics(&huge, &toronto()).expect("a huge summary is only text");
        assert_eq!(got.one_off, vec![one_off("2026-03-09", "10:00", "11:00")]);

        let long_count = cal(&event(
            "DTSTART;TZID=America/Toronto:20260309T100000\nDTEND;TZID=America/Toronto:20260309T110000\nRRULE:FREQ=DAILY;COUNT=4000000000",
        ));
        let got = parse_ics(&long_count, &toronto()).expect("a very long repeat");
        assert_eq!(got.weekly.len(), 7);
        assert!(got
            .weekly
            .iter()
            .all(|w| w.start == "10:00" && w.valid_until.is_none()));
        assert_warns(&in_english(&got.warnings), "goes on too long");

        // Written in UTC, it moves on the Toronto clock: only the first year is added.
        let moving = cal(&event(
            "DTSTART:20260309T140000Z\nDTEND:20260309T150000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO",
        ));
        let got = parse_ics(&moving, &toronto()).expect("a moving repeat");
        assert_eq!(
            got.weekly,
            vec![
                weekly(0, "10:00", "11:00", Some("2026-03-09"), Some("2026-10-26")),
                weekly(0, "09:00", "10:00", Some("2026-11-02"), Some("2027-03-08"))
            ]
        );
        assert_warns(&in_english(&got.warnings), "its first year was added");
    }

    #[test]
    fn durations() {
        for (text, secs) in [
            ("PT1H", Some(3600)),
            ("PT1H30M", Some(5400)),
            ("PT90M", Some(5400)),
            ("P1D", Some(86_400)),
            ("P1W", Some(604_800)),
            ("-PT1H", None),
            ("PT", None),
            ("P1H", None),
            ("PT1H5", None),
            ("", None),
            ("PT99999999999H", None),
        ] {
            assert_eq!(
                parse_duration(text).map(|d| d.num_seconds()),
                secs,
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn garbage_never_panics(lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("BEGIN:VEVENT".to_string()),
                proptest::strategy::Just("END:VEVENT".to_string()),
                proptest::strategy::Just("BEGIN:VALARM".to_string()),
                proptest::strategy::Just("END:VALARM".to_string()),
                "DTSTART(;TZID=[A-Za-z/_\"]{0,20})?:[0-9TZ]{0,17}",
                "DTEND(;TZID=[A-Za-z/]{0,20})?:[0-9TZ]{0,17}",
                "RRULE:(FREQ=(WEEKLY|DAILY|YEARLY);)?(BYDAY=[A-Z0-9,]{0,12};)?(COUNT=[0-9]{0,11};)?(UNTIL=[0-9TZ]{0,16};)?(INTERVAL=[0-9]{0,3})?",
                "EXDATE(;VALUE=DATE)?:[0-9TZ,]{0,30}",
                "RECURRENCE-ID:[0-9TZ]{0,16}",
                "DURATION:[-+PTWDHMS0-9]{0,10}",
                " [^\r\n]{0,20}",
                "[^\r\n]{0,30}",
            ],
            0..30,
        )) {
            let text = format!("BEGIN:VCALENDAR\r\n{}", lines.join("\r\n"));
            if let Ok(import) = parse_ics(&text, &toronto()) {
                let mut s = crate::core::settings::Settings::default();
                s.shifts.weekly = import.weekly;
                s.shifts.one_off = import.one_off;
                s.shifts.skipped = import.skipped;
                let problems: Vec<_> = s.validate().into_iter().filter(|p| p.field.starts_with("shifts")).collect();
                proptest::prop_assert!(problems.is_empty(), "an import must be valid settings: {:?}", problems);
            }
        }
    }
}
