//! Time zones by their current rule. Every IANA zone is here (`zones.rs`, generated from
//! tzdata) as the POSIX TZ string its TZif file ends with: a standard offset and, where
//! the zone keeps daylight-saving time, the rule for when it starts and ends. That is
//! about 12 KB for all ~420 zones, where the transition tables of a full database cost
//! ~1 MB of wasm and even 25 zones cost 145 KB.
//!
//! The price: dates before a zone's latest rule change get today's rule (e.g. United
//! States DST before 2007). Shifts, opening hours and reminders are about now and the
//! coming months, so nothing here looks back; `tests::agrees_with_the_full_database`
//! checks every zone against chrono-tz's tables for the years around now.

use std::fmt;
use std::str::FromStr;

use chrono::{
    Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone,
};

use super::zones::ZONES;

/// A named time zone and its rule.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tz {
    name: &'static str,
    /// Seconds east of UTC outside daylight-saving time.
    std: i32,
    dst: Option<Dst>,
}

/// Daylight-saving time: its offset and the two changes each year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dst {
    offset: i32,
    /// The change to `offset`, in standard local time.
    start: Change,
    /// The change back to standard time, in daylight-saving local time.
    end: Change,
}

/// "Month m, week w (5 = last), weekday d (0 = Sunday), at `secs` local time" (POSIX `Mm.w.d/t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Change {
    month: u32,
    week: u32,
    weekday: u32,
    secs: i32,
}

impl Tz {
    pub const UTC: Tz = Tz {
        name: "UTC",
        std: 0,
        dst: None,
    };

    /// The zone with this IANA name (exact spelling), if it is known.
    pub fn named(name: &str) -> Option<Tz> {
        let i = ZONES.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
        let (name, rule) = ZONES[i];
        let (std, dst) = parse_rule(rule)?;
        Some(Tz { name, std, dst })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every known zone name, sorted.
    pub fn names() -> impl Iterator<Item = &'static str> {
        ZONES.iter().map(|(n, _)| *n)
    }

    /// The offset in force at a UTC instant.
    fn seconds_east_at(&self, utc: &NaiveDateTime) -> i32 {
        let Some(dst) = self.dst else {
            return self.std;
        };
        // The last change at or before `utc`, looking at the years around it (a rule
        // may put a change near New Year, and the southern hemisphere's DST spans it).
        let year = utc.year();
        let mut last: Option<(NaiveDateTime, i32)> = None;
        for y in [year - 1, year, year + 1] {
            let changes = [
                (dst.start.instant(y, self.std), dst.offset),
                (dst.end.instant(y, dst.offset), self.std),
            ];
            for (at, offset) in changes.into_iter().filter_map(|(a, o)| Some((a?, o))) {
                if at <= *utc && last.is_none_or(|(l, _)| at > l) {
                    last = Some((at, offset));
                }
            }
        }
        last.map_or(self.std, |(_, o)| o)
    }

    fn offset(&self, seconds_east: i32) -> ZoneOffset {
        ZoneOffset {
            zone: *self,
            fixed: FixedOffset::east_opt(seconds_east)
                .unwrap_or(FixedOffset::east_opt(0).expect("zero is a valid offset")),
        }
    }
}

impl Change {
    /// The UTC instant of this change in `year`, for a wall clock `offset` seconds east.
    fn instant(&self, year: i32, offset: i32) -> Option<NaiveDateTime> {
        let first = NaiveDate::from_ymd_opt(year, self.month, 1)?;
        let lead = (self.weekday + 7 - first.weekday().num_days_from_sunday()) % 7;
        let mut day = 1 + lead + (self.week - 1) * 7;
        let days_in_month = first
            .checked_add_months(chrono::Months::new(1))?
            .pred_opt()?
            .day();
        while day > days_in_month {
            day -= 7;
        }
        // Checked: a date at the ends of chrono's range must not overflow.
        first
            .with_day(day)?
            .and_hms_opt(0, 0, 0)?
            .checked_add_signed(TimeDelta::seconds(i64::from(self.secs - offset)))
    }
}

/// Reads a POSIX TZ rule as tzdata writes it ("EST5EDT,M3.2.0,M11.1.0",
/// "<+0330>-3:30", "IST-1GMT0,M10.5.0,M3.5.0/1"). POSIX offsets count hours west.
fn parse_rule(rule: &str) -> Option<(i32, Option<Dst>)> {
    let mut rest = rule;
    skip_name(&mut rest)?;
    let std = -parse_clock(&mut rest)?;
    if rest.is_empty() {
        return Some((std, None));
    }
    skip_name(&mut rest)?;
    let offset = if rest.starts_with(',') {
        std + 3600
    } else {
        -parse_clock(&mut rest)?
    };
    let rest = rest.strip_prefix(',')?;
    let (start, end) = rest.split_once(',')?;
    Some((
        std,
        Some(Dst {
            offset,
            start: parse_change(start)?,
            end: parse_change(end)?,
        }),
    ))
}

fn skip_name(rest: &mut &str) -> Option<()> {
    let len = if let Some(quoted) = rest.strip_prefix('<') {
        quoted.find('>')? + 2
    } else {
        rest.find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len())
    };
    (len >= 3).then(|| *rest = &rest[len..])
}

/// "[+-]hh[:mm[:ss]]" as seconds, advancing `rest` past it.
fn parse_clock(rest: &mut &str) -> Option<i32> {
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '+' | '-')))
        .unwrap_or(rest.len());
    let (text, after) = rest.split_at(end);
    *rest = after;
    let (sign, digits) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let mut secs = 0;
    for (i, part) in digits.split(':').enumerate() {
        if i > 2 || part.is_empty() || part.len() > 3 {
            return None;
        }
        secs += part.parse::<i32>().ok()? * [3600, 60, 1][i];
    }
    Some(sign * secs)
}

/// "Mm.w.d[/time]".
fn parse_change(text: &str) -> Option<Change> {
    let (date, time) = match text.split_once('/') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.strip_prefix('M')?.split('.');
    let mut next = |range: std::ops::RangeInclusive<u32>| {
        parts
            .next()?
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
    };
    let (month, week, weekday) = (next(1..=12)?, next(1..=5)?, next(0..=6)?);
    let secs = match time {
        Some(mut t) => parse_clock(&mut t).filter(|_| t.is_empty())?,
        None => 7200,
    };
    Some(Change {
        month,
        week,
        weekday,
        secs,
    })
}

impl FromStr for Tz {
    type Err = String;

    fn from_str(s: &str) -> Result<Tz, String> {
        Tz::named(s).ok_or_else(|| format!("unknown time zone '{s}'"))
    }
}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// An offset that remembers its zone (so `DateTime<Tz>` arithmetic stays in the zone).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Tz,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.fixed)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fixed)
    }
}

impl TimeZone for Tz {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Tz {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        match local.and_hms_opt(0, 0, 0) {
            Some(midnight) => self.offset_from_local_datetime(&midnight),
            None => MappedLocalTime::None,
        }
    }

    /// A wall-clock time maps to one instant, two (the hour repeated when clocks go
    /// back: earliest first) or none (the hour skipped when they go forward).
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let fits = |offset: i32| {
            local
                .checked_sub_signed(TimeDelta::seconds(i64::from(offset)))
                .is_some_and(|utc| self.seconds_east_at(&utc) == offset)
        };
        let std = fits(self.std).then_some(self.std);
        let dst = self
            .dst
            .map(|d| d.offset)
            .filter(|&o| o != self.std && fits(o));
        match (std, dst) {
            // The larger offset names the earlier instant.
            (Some(a), Some(b)) => {
                MappedLocalTime::Ambiguous(self.offset(a.max(b)), self.offset(a.min(b)))
            }
            (Some(one), None) | (None, Some(one)) => MappedLocalTime::Single(self.offset(one)),
            (None, None) => MappedLocalTime::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        let midnight = utc.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.offset_from_utc_datetime(&midnight)
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.seconds_east_at(utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> NaiveDateTime {
        crate::core::test_support::t(s).naive_utc()
    }

    #[test]
    fn every_zone_in_the_table_reads_and_the_table_is_sorted() {
        assert!(
            ZONES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        for (name, rule) in ZONES {
            assert!(Tz::named(name).is_some(), "{name}: cannot read '{rule}'");
        }
        assert!(ZONES.len() > 400);
        assert_eq!(Tz::named("UTC"), Some(Tz::UTC));
        assert_eq!(Tz::named("america/toronto"), None, "exact spelling only");
        assert_eq!(
            "Mars/Olympus".parse::<Tz>().map(|t| t.name()),
            Err("unknown time zone 'Mars/Olympus'".into())
        );
    }

    #[test]
    fn rules_read_as_tzdata_writes_them() {
        let toronto = parse_rule("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(toronto.0, -5 * 3600);
        assert_eq!(toronto.1.unwrap().offset, -4 * 3600);
        assert_eq!(parse_rule("<+0330>-3:30"), Some((3 * 3600 + 1800, None)));
        let dublin = parse_rule("IST-1GMT0,M10.5.0,M3.5.0/1").unwrap();
        assert_eq!(
            (dublin.0, dublin.1.unwrap().offset),
            (3600, 0),
            "negative DST"
        );
        let godthab = parse_rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
            .unwrap()
            .1
            .unwrap();
        assert_eq!(godthab.start.secs, -3600);
        for bad in [
            "",
            "E5",
            "EST",
            "EST5EDT,M3.2.0",
            "EST5EDT,M13.2.0,M11.1.0",
            "EST5EDT,J60,M11.1.0",
        ] {
            assert_eq!(parse_rule(bad), None, "{bad}");
        }
    }

    #[test]
    fn toronto_changes_at_two_in_the_morning() {
        let tz = Tz::named("America/Toronto").unwrap();
        let off = |s: &str| tz.offset_from_utc_datetime(&at(s)).fix().local_minus_utc() / 3600;
        assert_eq!(off("2026-03-08T06:59:59Z"), -5);
        assert_eq!(off("2026-03-08T07:00:00Z"), -4);
        assert_eq!(off("2026-11-01T05:59:59Z"), -4);
        assert_eq!(off("2026-11-01T06:00:00Z"), -5);
        let wall = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(matches!(
            tz.offset_from_local_datetime(&wall("2026-03-08 02:30")),
            MappedLocalTime::None
        ));
        match tz.offset_from_local_datetime(&wall("2026-11-01 01:30")) {
            MappedLocalTime::Ambiguous(a, b) => {
                assert_eq!(
                    (a.fix().local_minus_utc(), b.fix().local_minus_utc()),
                    (-4 * 3600, -5 * 3600)
                )
            }
            other => panic!("{other:?}"),
        }
        let t = tz.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(
            t.with_timezone(&Utc).to_rfc3339(),
            "2026-07-01T16:00:00+00:00"
        );
        assert_eq!(t.timezone(), tz, "the zone survives arithmetic");
    }

    proptest::proptest! {
        /// Any rule text reads or is refused; any instant in any zone has an offset and
        /// any wall clock maps to none, one or two instants, without a panic.
        #[test]
        fn no_panic_on_any_rule_or_instant(
            rule in "[A-Z<>+0-9:,./M-]{0,40}",
            zone in 0..ZONES.len(),
            secs in proptest::num::i64::ANY,
        ) {
            let _ = parse_rule(&rule);
            let tz = Tz::named(ZONES[zone].0).unwrap();
            let t = DateTime::from_timestamp(secs % 400_000_000_000, 0).unwrap().naive_utc();
            let off = tz.offset_from_utc_datetime(&t).fix();
            proptest::prop_assert!(off.local_minus_utc().abs() <= 14 * 3600);
            let _ = tz.offset_from_local_datetime(&t);
        }
    }

    /// Every zone, every six hours for five years from 2025, and every wall-clock
    /// half hour around each change, against chrono-tz's full transition tables (the
    /// same tzdata release). Zones whose future is not a yearly rule are named.
    #[test]
    fn agrees_with_the_full_database() {
        // Morocco and Palestine change clocks around Ramadan: dated transitions that no
        // yearly rule can say (a consortium there would need the full tables).
        const NOT_A_YEARLY_RULE: [&str; 4] = [
            "Africa/Casablanca",
            "Africa/El_Aaiun",
            "Asia/Gaza",
            "Asia/Hebron",
        ];
        assert_eq!(
            super::super::zones::TZDATA_VERSION,
            "2025b",
            "compare with the same tzdata as chrono-tz"
        );
        let start = at("2025-01-01T00:00:00Z");
        let mut checked = 0;
        for name in Tz::names() {
            if NOT_A_YEARLY_RULE.contains(&name) {
                continue;
            }
            let ours = Tz::named(name).unwrap();
            let theirs: chrono_tz::Tz = name
                .parse()
                .unwrap_or_else(|_| panic!("{name} unknown to chrono-tz"));
            let mut t = start;
            let mut last = None;
            while t < start + TimeDelta::days(5 * 365) {
                let a = ours.offset_from_utc_datetime(&t).fix();
                let b = theirs.offset_from_utc_datetime(&t).fix();
                assert_eq!(a, b, "{name} at {t}");
                if last.is_some_and(|l| l != a) {
                    // A change in the last six hours: compare wall clocks around it.
                    for m in (-6 * 60..=6 * 60).step_by(30) {
                        let wall = t
                            + TimeDelta::minutes(m)
                            + TimeDelta::seconds(i64::from(a.local_minus_utc()));
                        let mine = ours.from_local_datetime(&wall).map(|d| d.naive_utc());
                        let real = theirs.from_local_datetime(&wall).map(|d| d.naive_utc());
                        assert_eq!(mine, real, "{name} wall clock {wall}");
                    }
                }
                last = Some(a);
                checked += 1;
                t += TimeDelta::hours(6);
            }
        }
        assert!(checked > 400 * 7_000);
    }
}
