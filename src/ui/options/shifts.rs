//! Your shifts: weekly and one-off, with replacements, dates skipped, and the import of
//! an `.ics` calendar (shown before it is applied).

use super::form::Form;
use super::{IcsPreview, Page};
use crate::core::options_form::kind;
use crate::ext::{say, t};
use crate::ui::{el, weekday, El};

fn weekday_options() -> Vec<(String, String)> {
    (0..7).map(|d| (d.to_string(), weekday(d))).collect()
}

pub(super) fn build(f: &Form, p: &Page) -> El {
    let (s, ics) = (&p.settings, p.ics.as_ref());
    let sh = &s.shifts;
    let mut weekly = f.div("list").attr("id", "weekly-shifts");
    for (i, w) in sh.weekly.iter().enumerate() {
        let path = format!("shifts.weekly[{i}]");
        let p = |field: &str| format!("{path}.{field}");
        let n = i + 1;
        let what = format!("{} {}–{}", weekday(usize::from(w.weekday)), w.start, w.end);
        let row = format!("{} {n}", t("optionsShift"));
        weekly = weekly.child(
            shift_item(
                f,
                &path,
                &row,
                (
                    "weekday",
                    &t("optionsWeekday"),
                    f.select(
                        &p("weekday"),
                        kind::NUMBER,
                        &weekday_options(),
                        &w.weekday.to_string(),
                    ),
                ),
                (&w.start, &w.end, &w.replacements),
                &what,
            )
            .child(
                f.div("row")
                    .class("secondary")
                    .child(f.cell_in(
                        &p("valid_from"),
                        &row,
                        &t("optionsValidFrom"),
                        f.date(
                            &p("valid_from"),
                            kind::OPTIONAL,
                            w.valid_from.as_deref().unwrap_or(""),
                        ),
                    ))
                    .child(f.cell_in(
                        &p("valid_until"),
                        &row,
                        &t("optionsValidUntil"),
                        f.date(
                            &p("valid_until"),
                            kind::OPTIONAL,
                            w.valid_until.as_deref().unwrap_or(""),
                        ),
                    )),
            ),
        );
    }
    let mut one_off = f.div("list").attr("id", "one-off-shifts");
    for (i, o) in sh.one_off.iter().enumerate() {
        let path = format!("shifts.one_off[{i}]");
        let p = |field: &str| format!("{path}.{field}");
        let n = i + 1;
        let what = format!("{} {}–{}", o.date, o.start, o.end);
        let row = format!("{} {n}", t("optionsOneOff"));
        one_off = one_off.child(shift_item(
            f,
            &path,
            &row,
            (
                "date",
                &t("optionsDate"),
                f.date(&p("date"), kind::TEXT, &o.date),
            ),
            (&o.start, &o.end, &o.replacements),
            &what,
        ));
    }
    f.section("shifts", Some(&t("optionsShiftsIntro")))
        .child(ics_import(f, ics))
        .child(el(f.doc, "h3").text(&t("optionsWeeklyShifts")))
        .child(weekly)
        .child(f.add_button("shifts.weekly", &t("optionsAddWeeklyShift")))
        .child(el(f.doc, "h3").text(&t("optionsOneOffShifts")))
        .child(one_off)
        .child(f.add_button("shifts.one_off", &t("optionsAddOneOffShift")))
        .child(f.date_lines(
            "shifts.skipped",
            &t("optionsSkipped"),
            &sh.skipped,
            "2026-02-16",
        ))
}

/// A shift's item in the options form, holding its row: its first cell (the weekday or
/// the date: field, label, control), then the cells weekly and one-off shifts share —
/// start, end, replacements — and Remove.
fn shift_item(
    f: &Form,
    path: &str,
    row: &str,
    (first, first_label, first_control): (&str, &str, El),
    (start, end, replacements): (&str, &str, &[String]),
    what: &str,
) -> El {
    let p = |field: &str| format!("{path}.{field}");
    let row = f
        .div("row")
        .child(f.cell_in(&p(first), row, first_label, first_control))
        .child(f.cell_in(
            &p("start"),
            row,
            &t("optionsStart"),
            f.time(&p("start"), start),
        ))
        .child(f.cell_in(&p("end"), row, &t("optionsEnd"), f.time(&p("end"), end)))
        .child(
            f.cell_in(
                &p("replacements"),
                row,
                &t("optionsReplacements"),
                f.input(&p("replacements"), kind::CSV, &replacements.join(", ")),
            )
            .class("grow"),
        )
        .child(f.remove_button(path, what));
    f.div("item").attr("data-row", path).child(row)
}

fn ics_import(f: &Form, preview: Option<&IcsPreview>) -> El {
    let mut input = el(f.doc, "input")
        .attr("type", "file")
        .attr("id", "ics-file")
        .attr("accept", ".ics,text/calendar");
    if f.locked("shifts") {
        input = input.attr("disabled", "");
    }
    let mut block = f.div("import").attr("id", "ics-import").child(
        f.div("field")
            .child(
                el(f.doc, "label")
                    .attr("for", "ics-file")
                    .text(&t("optionsIcsImport")),
            )
            .child(input)
            .child(el(f.doc, "p").class("help").text(&t("optionsIcsHelp"))),
    );
    match preview {
        None => {}
        Some(IcsPreview::Failed(why)) => {
            block = block.child(
                el(f.doc, "p")
                    .class("error")
                    .attr("data-ics", "failed")
                    .text(&say(why)),
            );
        }
        Some(IcsPreview::Ready(import)) => {
            // Dates and times the language's way (the shifts themselves store them as typed).
            let words = crate::ext::catalog::current();
            let date = |d: &String| words.stored_date(d);
            let mut list = el(f.doc, "ul").class("ics-shifts");
            for w in &import.weekly {
                let bounds = match (
                    w.valid_from.as_ref().map(date),
                    w.valid_until.as_ref().map(date),
                ) {
                    (Some(a), Some(b)) => format!(" ({a} → {b})"),
                    (Some(a), None) => format!(" ({a} →)"),
                    (None, Some(b)) => format!(" (→ {b})"),
                    (None, None) => String::new(),
                };
                list = list.child(el(f.doc, "li").text(&format!(
                    "{} {}{bounds}",
                    weekday(usize::from(w.weekday)),
                    words.stored_span(&w.start, &w.end)
                )));
            }
            for o in &import.one_off {
                list = list.child(el(f.doc, "li").text(&format!(
                    "{} {}",
                    date(&o.date),
                    words.stored_span(&o.start, &o.end)
                )));
            }
            for d in &import.skipped {
                list = list.child(el(f.doc, "li").text(&format!(
                    "{} {}",
                    t("optionsIcsSkippedDate"),
                    date(d)
                )));
            }
            let mut preview = f
                .div("ics-preview")
                .attr("data-ics", "ready")
                .attr("role", "region")
                .attr("aria-labelledby", "ics-preview-title")
                .child(
                    el(f.doc, "h3")
                        .attr("id", "ics-preview-title")
                        .text(&t("optionsIcsPreview")),
                )
                .child(list);
            if !import.warnings.is_empty() {
                preview = preview
                    .child(el(f.doc, "p").text(&t("optionsIcsWarnings")))
                    .child(
                        el(f.doc, "ul").class("ics-warnings").children(
                            import
                                .warnings
                                .iter()
                                .map(|w| el(f.doc, "li").text(&say(w)).into()),
                        ),
                    );
            }
            preview = preview.child(
                f.div("buttons")
                    .child(
                        f.button("ics-add", &t("optionsIcsAdd"), "shifts")
                            .attr("id", "ics-add")
                            .class("primary"),
                    )
                    .child(
                        f.button("ics-replace", &t("optionsIcsReplace"), "shifts")
                            .attr("id", "ics-replace"),
                    )
                    .child(
                        f.button("ics-cancel", &t("optionsCancel"), "")
                            .attr("id", "ics-cancel"),
                    ),
            );
            block = block.child(preview);
        }
    }
    block
}
