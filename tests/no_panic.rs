//! No panic on any input: every parser and rule of the core that reads text from the
//! page, from storage, from a file or from a person, fed arbitrary input through the
//! crate's public API. (Modules with their own `proptest!` blocks test their richer
//! properties; this file is the one place that sweeps them all.)
#![cfg(not(target_arch = "wasm32"))]

use lh3_shift::core::canned::canned_key;
use lh3_shift::core::history::{classify, classify_all, ChatState, Unreadable};
use lh3_shift::core::ics::parse_ics;
use lh3_shift::core::leaving::{compose_mail, fill_template};
use lh3_shift::core::locators::{
    default_table, line_match, normalize_text, text_matches, with_overrides, Locator,
};
use lh3_shift::core::settings::{
    format_hhmm, parse_date, parse_hhmm, parse_time_zone, Server, Settings, DAY_MINUTES,
};
use lh3_shift::core::snapshot::{HistoryRow, Status};
use lh3_shift::core::storage::{export_settings, import_settings, load_settings, merge_managed};
use lh3_shift::core::timer::{duration_text, parse_clock_time};
use lh3_shift::core::watchdog::{presence_url, valid_queue_name, watchdog_finding, Presence};
use proptest::prelude::*;
use serde_json::Value;

/// One of `words`, each as likely as the others (weight the arm of a `prop_oneof!` by
/// their number to keep every word as likely as a pattern beside it).
fn one_of(words: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    proptest::sample::select(words).prop_map(str::to_string)
}

/// Text as pages and people write it: anything, weighted towards the awkward parts
/// (blanks, digits, separators, markup, non-breaking and zero-width spaces, emoji).
fn page_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[ \u{a0}\u{200b}\t\n0-9:.hH-]{0,12}",
        "[<>&\"'/=a-z0-9 ]{0,30}",
        proptest::collection::vec(
            prop_oneof![
                7 => one_of(&["—", "n/a", "\u{a0}", "24:00", "99:99", "😀", "\u{202e}"]),
                1 => "[0-9]{1,12}",
                1 => "[a-zA-Z_]{1,8}",
            ],
            0..6
        )
        .prop_map(|parts| parts.join("")),
    ]
}

/// Arbitrary JSON, nested a few levels, with keys the settings reader knows and others.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        14 => one_of(&[
            "version",
            "server",
            "service",
            "time_zone",
            "weekly",
            "shifts",
            "timing",
            "queues",
            "features",
            "locator_overrides",
            "operator_name",
            "language",
            "start",
            "end",
        ]),
        1 => "[a-z_]{1,10}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        page_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    // ---- Chat History durations and operators (history::classify)

    #[test]
    fn history_cells_of_any_text_classify_by_the_rule(
        operator in proptest::option::of(page_text()),
        duration in proptest::option::of(page_text()),
    ) {
        let row = HistoryRow { operator: operator.clone(), duration: duration.clone() };
        let got = classify(&row);
        match (&operator, &duration) {
            (None, _) | (_, None) => prop_assert_eq!(got, Err(Unreadable::MissingCell)),
            (Some(_), Some(d)) => {
                // A completed chat always has a duration with a digit in it.
                if got == Ok(ChatState::Completed) {
                    prop_assert!(d.chars().any(|c| c.is_ascii_digit()));
                }
            }
        }
        let (states, counts) = classify_all(std::slice::from_ref(&row));
        prop_assert_eq!(states.len(), 1);
        prop_assert_eq!(counts.new + counts.ongoing + counts.completed + counts.unreadable, 1);
        prop_assert_eq!(states[0], got.ok());
        let _ = counts.badge_text();
    }

    // ---- times ("HH:MM"), dates, zones, clock times

    #[test]
    fn hhmm_parses_or_explains(text in page_text()) {
        if let Ok(m) = parse_hhmm(&text) {
            prop_assert!(m <= DAY_MINUTES);
            if m < DAY_MINUTES {
                prop_assert_eq!(parse_hhmm(&format_hhmm(m)), Ok(m));
            }
        }
    }

    #[test]
    fn every_minute_count_formats(minutes in any::<u32>()) {
        let s = format_hhmm(minutes);
        prop_assert_eq!(s.len(), 5);
        let _ = duration_text(minutes);
    }

    #[test]
    fn dates_and_zones_parse_or_explain(text in page_text(), long in ".{0,300}") {
        let _ = parse_date(&text);
        let _ = parse_time_zone(&text);
        let _ = parse_time_zone(&long);
    }

    #[test]
    fn clock_times_parse_or_refuse(text in page_text(), suffix in prop_oneof![Just(""), Just("pm"), Just(" a.m."), Just("h")]) {
        let _ = parse_clock_time(&format!("{text}{suffix}"));
    }

    // ---- queue names and presence answers

    #[test]
    fn queue_names_never_escape_the_presence_url(queue in ".{0,80}", answer in ".{0,80}") {
        for server in [Server::Main, Server::Ca, Server::Us, Server::Eu, Server::Sg] {
            match presence_url(server, &queue) {
                Some(url) => {
                    prop_assert!(valid_queue_name(&queue));
                    prop_assert!(url.starts_with("https://"));
                    prop_assert_eq!(url.matches('/').count(), 7, "{}", url);
                    prop_assert!(!url.contains(".."));
                }
                None => prop_assert!(!valid_queue_name(&queue)),
            }
        }
        let _ = Presence::parse(&answer);
        let _ = watchdog_finding(&queue, &answer);
    }

    #[test]
    fn status_drop_down_values_parse(text in page_text()) {
        let s = Status::parse(&text);
        let _ = s.is_connected();
    }

    // ---- settings documents (storage::load_settings, import, managed policy)

    #[test]
    fn any_settings_document_loads(doc in json()) {
        let loaded = load_settings(&doc);
        let _ = loaded.settings.validate();
        // What was loaded saves and loads back to the same settings.
        let again = import_settings(&export_settings(&loaded.settings));
        prop_assert_eq!(&again.settings, &loaded.settings);
        prop_assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }

    #[test]
    fn any_settings_file_imports(text in prop_oneof![".{0,200}".boxed(), json().prop_map(|v| v.to_string()).boxed()]) {
        let _ = import_settings(&text);
    }

    #[test]
    fn any_managed_policy_merges(policy in json()) {
        let (merged, _) = merge_managed(&Settings::default(), &policy);
        let _ = merged.validate();
    }

    // ---- .ics files

    #[test]
    fn any_calendar_text_is_read_or_refused(
        lines in proptest::collection::vec(prop_oneof![
            4 => one_of(&["BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT"]),
            1 => "(DTSTART|DTEND|RRULE|EXDATE|RECURRENCE-ID|SUMMARY|DURATION)(;TZID=[A-Za-z/_]{0,20})?:[0-9TZ:;=,A-Z-]{0,30}",
            1 => " [A-Za-z0-9:;=,]{0,20}",
            1 => ".{0,40}",
        ], 0..40),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let _ = parse_ics(&text, &Settings::default().service);
    }

    #[test]
    fn any_bytes_as_a_calendar(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_ics(&text, &Settings::default().service);
    }

    // ---- locator text matching and overrides

    #[test]
    fn text_matching_never_panics_and_normalises_idempotently(
        text in page_text(),
        alts in proptest::collection::vec(page_text(), 0..4),
    ) {
        let n = normalize_text(&text);
        prop_assert_eq!(normalize_text(&n), n.clone());
        let _ = text_matches(&text, &alts);
        if let Some(rest) = line_match(&text, &alts) {
            prop_assert!(n.contains(rest.as_str()));
        }
        // A text always matches itself when it has anything to match.
        if !n.is_empty() {
            prop_assert!(text_matches(&text, std::slice::from_ref(&text)));
        }
    }

    #[test]
    fn locator_overrides_from_any_json_are_applied_or_reported(doc in json()) {
        if let Ok(overrides) = serde_json::from_value::<Vec<Locator>>(doc) {
            let (table, unknown) = with_overrides(&overrides);
            prop_assert_eq!(table.len(), default_table().len());
            prop_assert!(unknown.len() <= overrides.len());
        }
    }

    // ---- canned keys and e-mail templates

    #[test]
    fn canned_keys_and_mail_templates_never_panic(
        name in page_text(),
        template in ".{0,80}",
        value in ".{0,40}",
        subject in ".{0,60}",
    ) {
        let _ = canned_key(&name);
        let filled = fill_template(&template, &[("name", value.as_str()), ("", "x")]);
        let _ = filled.len();
        let mail = compose_mail(vec![value.clone()], vec![name.clone()], &subject, &template);
        prop_assert!(!mail.mailto.contains('\n') && !mail.mailto.contains('\r'));
    }
}
