//! Service hours: the time zone, each weekday's open spans, closed days and dated
//! exceptions.

use super::form::Form;
use super::Page;
use crate::core::options_form::kind;
use crate::core::settings::Span;
use crate::ext::t;
use crate::ui::{el, weekday, El};

/// One day's open spans (or a dated exception's), each with its remove button.
pub(super) fn span_rows(f: &Form, list: &str, spans: &[Span], day: &str) -> El {
    let mut rows = f.div("spans");
    if spans.is_empty() {
        rows = rows.child(el(f.doc, "span").class("closed").text(&t("optionsClosed")));
    }
    for (i, sp) in spans.iter().enumerate() {
        let path = format!("{list}[{i}]");
        let (start, end) = (format!("{path}.start"), format!("{path}.end"));
        rows = rows.child(
            f.div("row")
                .child(f.cell_in(&start, day, &t("optionsOpens"), f.time(&start, &sp.start)))
                .child(f.cell_in(&end, day, &t("optionsCloses"), f.time(&end, &sp.end)))
                .child(f.remove_button(&path, &format!("{day} {}–{}", sp.start, sp.end))),
        );
    }
    rows.child(f.add_button(list, &t("optionsAddHours")))
}

fn zones(current: &str) -> Vec<(String, String)> {
    let mut names: Vec<String> = crate::core::zone::Tz::names().map(str::to_string).collect();
    if !names.iter().any(|n| n == current) {
        // Shown as it is stored, so validation can say what is wrong with it.
        names.insert(0, current.to_string());
    }
    names.into_iter().map(|n| (n.clone(), n)).collect()
}

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let svc = &s.service;
    let mut week = f.div("week");
    for (d, spans) in svc.weekly.iter().enumerate() {
        let day = weekday(d);
        week = week.child(
            f.div("day-row")
                .attr("data-field-wrap", &format!("service.weekly[{d}]"))
                .child(el(f.doc, "span").class("day-name").text(&day))
                .child(span_rows(f, &format!("service.weekly[{d}]"), spans, &day)),
        );
    }
    let mut exceptions = f.div("list").attr("id", "exceptions");
    for (i, ex) in svc.exceptions.iter().enumerate() {
        let path = format!("service.exceptions[{i}]");
        let what = format!("{} {}", t("optionsException"), ex.date);
        exceptions = exceptions.child(
            f.div("item")
                .child(
                    f.div("row")
                        .child(f.cell_in(
                            &format!("{path}.date"),
                            &format!("{} {}", t("optionsException"), i + 1),
                            &t("optionsDate"),
                            f.date(&format!("{path}.date"), kind::TEXT, &ex.date),
                        ))
                        .child(
                            f.cell_in(
                                &format!("{path}.note"),
                                &format!("{} {}", t("optionsException"), i + 1),
                                &t("optionsNote"),
                                f.input(&format!("{path}.note"), kind::TEXT, &ex.note),
                            )
                            .class("grow"),
                        )
                        .child(f.remove_button(&path, &what)),
                )
                .child(span_rows(f, &format!("{path}.spans"), &ex.spans, &ex.date)),
        );
    }
    f.section("service", Some(&t("optionsServiceHoursIntro")))
        .child(f.field(
            "service.time_zone",
            &t("optionsTimeZone"),
            f.select(
                "service.time_zone",
                kind::TEXT,
                &zones(&svc.time_zone),
                &svc.time_zone,
            ),
            Some(&t("optionsTimeZoneHelp")),
        ))
        .child(el(f.doc, "h3").text(&t("optionsWeeklyHours")))
        .child(week)
        .child(f.date_lines(
            "service.closed_days",
            &t("optionsClosedDays"),
            &svc.closed_days,
            "2026-12-25",
        ))
        .child(el(f.doc, "h3").text(&t("optionsExceptions")))
        .child(
            el(f.doc, "p")
                .class("help")
                .text(&t("optionsExceptionsHelp")),
        )
        .child(exceptions)
        .child(f.add_button("service.exceptions", &t("optionsAddException")))
}
