//! Instants as the extension stores them ("2026-12-04T15:07:00Z", RFC 3339: what
//! chrono writes for a `DateTime<Utc>`, and what `Date.toISOString()` writes), read by
//! hand instead of through chrono's general parser: that parser (every format item,
//! RFC 2822 included) is ~15 KB of code in each wasm module that reads a stored instant.
//!
//! Accepted: `YYYY-MM-DD`, then `T` (or `t`, or a space), `HH:MM:SS`, an optional
//! fraction of a second (`.` and 1 to 9 digits or more, cut to nanoseconds), and the
//! offset: `Z` (or `z`), or `+HH:MM` / `-HH:MM`. A second of 60 is a leap second, as in
//! chrono. Anything else is an error that says what was expected and what was found.
//!
//! Fields use it with `#[serde(deserialize_with = "…rfc3339::instant")]` (or
//! `optional_instant` for an `Option`); they are written as before, by chrono.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Deserializer};

/// Reads an RFC 3339 date-time (see the module's comment) as an instant in UTC.
pub fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    let wrong =
        |what: &str| format!("not a date-time like 2026-12-04T15:07:00Z ({what}): \"{text}\"");
    let b = text.as_bytes();
    // The digits of `b[range]` as a number.
    let num = |range: std::ops::Range<usize>, what: &str| -> Result<u32, String> {
        let part = b.get(range).ok_or_else(|| wrong(what))?;
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(wrong(what));
        }
        Ok(part.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
    };
    // `b[i]` is one of `allowed`.
    let sep = |i: usize, allowed: &[u8], what: &str| match b.get(i) {
        Some(c) if allowed.contains(c) => Ok(()),
        _ => Err(wrong(what)),
    };
    let year = num(0..4, "the year")?;
    sep(4, b"-", "a '-' after the year")?;
    let month = num(5..7, "the month")?;
    sep(7, b"-", "a '-' after the month")?;
    let day = num(8..10, "the day")?;
    sep(10, b"Tt ", "'T' between the date and the time")?;
    let hour = num(11..13, "the hour")?;
    sep(13, b":", "a ':' after the hour")?;
    let minute = num(14..16, "the minutes")?;
    sep(16, b":", "a ':' after the minutes")?;
    let second = num(17..19, "the seconds")?;
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some((b'.', after)) = rest.split_first() {
        let n = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err(wrong("digits after the '.'"));
        }
        // Nanoseconds: the first nine digits, the rest cut.
        for i in 0..9 {
            nanos = nanos * 10
                + after
                    .get(i)
                    .filter(|_| i < n)
                    .map_or(0, |d| u32::from(d - b'0'));
        }
        rest = &after[n..];
    }
    let offset_minutes: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |x: u8, y: u8| -> Option<i64> {
                (x.is_ascii_digit() && y.is_ascii_digit())
                    .then(|| i64::from(x - b'0') * 10 + i64::from(y - b'0'))
            };
            let (Some(h), Some(m)) = (two(*h1, *h2), two(*m1, *m2)) else {
                return Err(wrong("the offset"));
            };
            if h > 23 || m > 59 {
                return Err(wrong("the offset"));
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return Err(wrong("'Z' or an offset like +01:00 at the end")),
    };
    let date =
        NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| wrong("no such day"))?;
    // A leap second (60) is carried in the nanoseconds, as chrono does.
    let (second, nanos) = if second == 60 {
        (59, nanos + 1_000_000_000)
    } else {
        (second, nanos)
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
        .ok_or_else(|| wrong("no such time of day"))?;
    let local = date.and_time(time);
    let utc = local
        .checked_sub_signed(Duration::minutes(offset_minutes))
        .ok_or_else(|| wrong("out of range"))?;
    Ok(utc.and_utc())
}

/// serde: a stored instant (`#[serde(deserialize_with = "…::instant")]`).
pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// serde: a stored instant or none (null or missing; with `#[serde(default)]`).
pub fn optional_instant<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(text) => parse(&text).map(Some).map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// chrono's own reading of the same text.
    fn chrono_reads(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn reads_what_chrono_writes_and_what_browsers_write() {
        let cases = [
            (
                "2026-12-04T15:07:00Z",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap(),
            ),
            // Date.toISOString()
            (
                "2026-12-04T15:07:00.250Z",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap() + Duration::milliseconds(250),
            ),
            (
                "2026-12-04t15:07:00z",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap(),
            ),
            (
                "2026-12-04 15:07:00Z",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap(),
            ),
            (
                "2026-12-04T10:07:00-05:00",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap(),
            ),
            (
                "2026-12-05T00:37:00+09:30",
                Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap(),
            ),
            // Offsets that move the day, month and year.
            (
                "2027-01-01T01:00:00+02:00",
                Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap(),
            ),
            (
                "2024-02-29T23:30:00-01:00",
                Utc.with_ymd_and_hms(2024, 3, 1, 0, 30, 0).unwrap(),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text}");
            assert_eq!(chrono_reads(text), Some(want), "chrono on {text}");
        }
    }

    #[test]
    fn fractions_are_cut_to_nanoseconds_as_chrono_does() {
        for text in [
            "2026-12-04T15:07:00.1Z",
            "2026-12-04T15:07:00.123456Z",
            "2026-12-04T15:07:00.123456789Z",
            "2026-12-04T15:07:00.1234567891234Z",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
        ] {
            assert_eq!(parse(text).ok(), chrono_reads(text), "{text}");
        }
    }

    #[test]
    fn bad_input_is_an_error_that_says_what_was_expected() {
        for (text, said) in [
            ("", "the year"),
            ("yesterday", "the year"),
            ("2026-12-04", "'T' between the date and the time"),
            ("2026/12/04T15:07:00Z", "a '-' after the year"),
            ("2026-12-04T15:07Z", "a ':' after the minutes"),
            ("2026-12-04T15:07:00", "'Z' or an offset"),
            ("2026-12-04T15:07:00+0100", "'Z' or an offset"),
            ("2026-12-04T15:07:00+24:00", "the offset"),
            ("2026-12-04T15:07:00.Z", "digits after the '.'"),
            ("2026-12-04T15:07:00Z trailing", "'Z' or an offset"),
            ("2026-02-30T15:07:00Z", "no such day"),
            ("2026-13-01T15:07:00Z", "no such day"),
            ("2026-12-04T24:00:00Z", "no such time of day"),
            ("2026-12-04T15:61:00Z", "no such time of day"),
            ("2026-12-04T15:07:00\u{e9}Z", "'Z' or an offset"),
            ("\u{e9}026-12-04T15:07:00Z", "the year"),
        ] {
            let e = parse(text).expect_err(text);
            assert!(e.contains(said), "{text}: {e}");
            assert!(e.contains("2026-12-04T15:07:00Z"), "{text}: {e}");
            assert!(chrono_reads(text).is_none(), "chrono reads {text}");
        }
    }

    #[test]
    fn serde_reads_an_instant_and_an_optional_one() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Stored {
            #[serde(deserialize_with = "instant")]
            at: DateTime<Utc>,
            #[serde(default, deserialize_with = "optional_instant")]
            until: Option<DateTime<Utc>>,
        }
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 15, 7, 0).unwrap();
        let read = |json: &str| serde_json::from_str::<Stored>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"at": "2026-12-04T15:07:00Z", "until": "2026-12-04T16:07:00Z"}"#),
            Ok(Stored {
                at,
                until: Some(at + Duration::hours(1))
            })
        );
        assert_eq!(
            read(r#"{"at": "2026-12-04T15:07:00Z", "until": null}"#),
            Ok(Stored { at, until: None })
        );
        assert_eq!(
            read(r#"{"at": "2026-12-04T15:07:00Z"}"#),
            Ok(Stored { at, until: None })
        );
        let e = read(r#"{"at": "4 Dec 2026"}"#).unwrap_err();
        assert!(e.contains("not a date-time like"), "{e}");
    }

    proptest! {
        /// Whatever chrono writes for an instant is read back as that instant.
        #[test]
        fn reads_back_what_chrono_writes(secs in -62_000_000_000i64..250_000_000_000, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            let json = serde_json::to_string(&t).unwrap();
            let text: String = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(parse(&text), Ok(t));
        }

        /// Any text: an answer, never a panic, and the same answer as chrono's
        /// RFC 3339 reader whenever that one reads it.
        #[test]
        fn never_panics_and_agrees_with_chrono(text in "[0-9Tt:.Zz+ -]{0,40}|\\PC{0,40}") {
            let ours = parse(&text);
            if let Some(want) = chrono_reads(&text) {
                prop_assert_eq!(ours, Ok(want));
            }
        }
    }
}
