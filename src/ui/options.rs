//! The options page: every settings section as a labelled form.
//!
//! Each input carries the settings path it edits (`data-field`) and how to read it
//! (`data-kind`); `core::options_form` reads the form back, places each validation
//! problem next to its input, and keeps the consortium's locked values out of what is
//! saved. List rows are added and removed on the settings themselves, then the form is
//! drawn again. Nothing is saved while anything is invalid.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::{document, el, elements, El};
use crate::core::features::FEATURES;
use crate::core::ics::{parse_ics, IcsImport};
use crate::core::options_form::{
    add_row, add_suggestion, anchor_for, apply_ics, field_id, is_locked, keep_locked, kind,
    moment_from_id, moment_id, overrides_text, read_form, remove_row, FormInput, MOMENTS,
};
use crate::core::settings::{Language, LocalText, Moment, Settings, SettingsProblem, Span};
use crate::core::storage::{export_settings, import_settings};
use crate::ext::settings::{SettingsState, RAW_KEPT_KEY};
use crate::ext::{self, t};

/// What the import of an .ics file found, waiting for the operator's go-ahead.
enum IcsPreview {
    Ready(IcsImport),
    Failed(String),
}

struct Page {
    /// As loaded: warnings, locked paths, the user's own settings.
    state: SettingsState,
    /// Being edited (not saved yet).
    settings: Settings,
    ics: Option<IcsPreview>,
    /// (kind, words): "saved", "invalid", "imported", "error".
    status: Option<(&'static str, String)>,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    static ROOT: RefCell<Option<Element>> = const { RefCell::new(None) };
}

fn js(e: ext::ExtError) -> JsValue {
    JsValue::from_str(&e.0)
}

fn with_page<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    PAGE.with(|p| p.borrow_mut().as_mut().map(f))
}

fn root() -> Option<Element> {
    ROOT.with(|r| r.borrow().clone())
}

pub async fn start(root: Element) -> Result<(), JsValue> {
    let state = ext::settings::load().await;
    PAGE.with(|p| {
        *p.borrow_mut() = Some(Page {
            settings: state.settings.clone(),
            state,
            ics: None,
            status: None,
        })
    });
    ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    let click = Closure::<dyn Fn(web_sys::Event)>::new(on_click);
    root.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
    click.forget();
    let change = Closure::<dyn Fn(web_sys::Event)>::new(on_change);
    root.add_event_listener_with_callback("change", change.as_ref().unchecked_ref())?;
    change.forget();
    draw(None)
}

// ---- drawing ------------------------------------------------------------------------------

/// Draws the whole form from the page state; then focuses `focus` (an element id), if any.
fn draw(focus: Option<String>) -> Result<(), JsValue> {
    let (Some(root), doc) = (root(), document()?) else {
        return Ok(());
    };
    let form = with_page(|p| build(&doc, p)).ok_or("options page not started")?;
    root.set_text_content(None);
    root.append_child(&form)?;
    if let Some(e) = focus
        .and_then(|id| doc.get_element_by_id(&id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = e.focus();
    }
    Ok(())
}

/// Builds inputs for one settings path: knows the locked paths.
struct Form<'a> {
    doc: &'a Document,
    locked: &'a [String],
}

impl Form<'_> {
    fn locked(&self, field: &str) -> bool {
        is_locked(field, self.locked)
    }

    fn control(&self, tag: &str, field: &str, kind: &str) -> El {
        let mut c = el(self.doc, tag)
            .attr("id", &field_id(field))
            .attr("data-field", field)
            .attr("data-kind", kind);
        if self.locked(field) {
            c = c.attr("disabled", "");
        }
        c
    }

    fn input(&self, field: &str, kind: &str, value: &str) -> El {
        self.control("input", field, kind)
            .attr("type", "text")
            .attr("value", value)
    }

    fn number(&self, field: &str, value: u32) -> El {
        self.control("input", field, kind::NUMBER)
            .attr("type", "number")
            .attr("min", "0")
            .attr("inputmode", "numeric")
            .attr("value", &value.to_string())
    }

    fn time(&self, field: &str, value: &str) -> El {
        self.input(field, kind::TEXT, value)
            .class("time")
            .attr("inputmode", "numeric")
            .attr("placeholder", "HH:MM")
            .attr("autocomplete", "off")
    }

    fn date(&self, field: &str, kind: &str, value: &str) -> El {
        self.input(field, kind, value)
            .class("date")
            .attr("placeholder", "YYYY-MM-DD")
            .attr("autocomplete", "off")
    }

    fn textarea(&self, field: &str, kind: &str, value: &str, rows: u32) -> El {
        self.control("textarea", field, kind)
            .attr("rows", &rows.to_string())
            .text(value)
    }

    /// A list edited one entry per line.
    fn lines(&self, field: &str, lines: &[String]) -> El {
        self.textarea(field, kind::LINES, &lines.join("\n"), 3)
    }

    fn select(&self, field: &str, kind: &str, options: &[(String, String)], chosen: &str) -> El {
        let mut s = self.control("select", field, kind);
        for (value, label) in options {
            let mut o = el(self.doc, "option").attr("value", value).text(label);
            if value == chosen {
                o = o.attr("selected", "");
            }
            s = s.child(o);
        }
        s
    }

    /// A labelled field: label, control, help, the locked note; errors are added later.
    fn field(&self, field: &str, label: &str, control: El, help: Option<&str>) -> El {
        let id = field_id(field);
        let mut wrap = el(self.doc, "div")
            .class("field")
            .attr("data-field-wrap", field)
            .child(el(self.doc, "label").attr("for", &id).text(label))
            .child(control);
        if let Some(h) = help {
            wrap = wrap.child(el(self.doc, "p").class("help").text(h));
        }
        self.locked_note(wrap, field)
    }

    fn locked_note(&self, wrap: El, field: &str) -> El {
        if self.locked(field) {
            wrap.class("locked").child(
                el(self.doc, "p")
                    .class("locked-note")
                    .text(&t("optionsLocked")),
            )
        } else {
            wrap
        }
    }

    /// A checkbox with its label after it.
    fn checkbox(&self, field: &str, kind: &str, label: &str, on: bool, help: Option<&str>) -> El {
        let id = field_id(field);
        let mut c = self.control("input", field, kind).attr("type", "checkbox");
        if on {
            c = c.attr("checked", "");
        }
        let mut wrap = el(self.doc, "div")
            .class("field")
            .class("check")
            .attr("data-field-wrap", field)
            .child(c)
            .child(el(self.doc, "label").attr("for", &id).text(label));
        if let Some(h) = help {
            wrap = wrap.child(el(self.doc, "p").class("help").text(h));
        }
        self.locked_note(wrap, field)
    }

    /// A compact field in a row whose label also names the row (“Monday”, “Shift 2”)
    /// for screen readers; sighted users see the row around it.
    fn cell_in(&self, field: &str, row: &str, label: &str, control: El) -> El {
        let mut l = el(self.doc, "label").attr("for", &field_id(field));
        if !row.is_empty() {
            l = l.child(
                el(self.doc, "span")
                    .class("visually-hidden")
                    .text(&format!("{row}: ")),
            );
        }
        let text: web_sys::Node = self.doc.create_text_node(label).into();
        let _ = l.0.append_child(&text);
        el(self.doc, "div")
            .class("cell")
            .attr("data-field-wrap", field)
            .child(l)
            .child(control)
    }

    fn button(&self, action: &str, text: &str, guard_path: &str) -> El {
        let mut b = el(self.doc, "button")
            .attr("type", "button")
            .attr("data-action", action)
            .text(text);
        if self.locked(guard_path) {
            b = b.attr("disabled", "");
        }
        b
    }

    fn add_button(&self, list: &str, text: &str) -> El {
        self.button("add", text, list)
            .class("add")
            .attr("id", &format!("add-{}", field_id(list)))
            .attr("data-list", list)
    }

    fn remove_button(&self, row: &str, what: &str) -> El {
        self.button("remove", "✕", row)
            .class("remove")
            .attr("data-row", row)
            .attr("aria-label", &format!("{} {what}", t("optionsRemove")))
            .attr("title", &t("optionsRemove"))
    }
}

fn section(doc: &Document, id: &str, title: &str, intro: Option<&str>) -> El {
    let mut s = el(doc, "section")
        .attr("id", id)
        .class("card")
        .attr("aria-labelledby", &format!("{id}-title"))
        .child(el(doc, "h2").attr("id", &format!("{id}-title")).text(title));
    if let Some(i) = intro {
        s = s.child(el(doc, "p").class("intro").text(i));
    }
    s
}

fn weekday(i: usize) -> String {
    const KEYS: [&str; 7] = [
        "optionsMonday",
        "optionsTuesday",
        "optionsWednesday",
        "optionsThursday",
        "optionsFriday",
        "optionsSaturday",
        "optionsSunday",
    ];
    t(KEYS[i.min(6)])
}

fn build(doc: &Document, p: &Page) -> Element {
    let f = Form {
        doc,
        locked: &p.state.locked,
    };
    let s = &p.settings;
    let mut main = el(doc, "div").class("options").child(
        el(doc, "header")
            .class("page-header")
            .child(el(doc, "h1").text(&t("optionsTitle")))
            .child(el(doc, "p").class("intro").text(&t("optionsIntro"))),
    );
    if let Some(w) = warnings_banner(doc, &p.state) {
        main = main.child(w);
    }
    if !p.state.locked.is_empty() {
        main = main.child(
            el(doc, "p")
                .class("banner")
                .class("info")
                .attr("id", "locked-banner")
                .text(&t("optionsLockedBanner")),
        );
    }
    main = main
        .child(el(doc, "div").attr("id", "problems").attr("tabindex", "-1"))
        .child(general(&f, s))
        .child(service_hours(&f, s))
        .child(shifts(&f, s, p.ics.as_ref()))
        .child(timing(&f, s))
        .child(queues(&f, s))
        .child(messages(&f, s))
        .child(coordinators(&f, s))
        .child(guards(&f, s))
        .child(features(&f, s))
        .child(advanced(&f, s))
        .child(file_section(doc));
    let status = el(doc, "p")
        .attr("id", "status")
        .attr("role", "status")
        .attr("aria-live", "polite");
    let status = match &p.status {
        Some((k, words)) => status.attr("data-status", k).text(words),
        None => status,
    };
    main.child(
        el(doc, "footer").class("save-bar").child(status).child(
            el(doc, "button")
                .attr("type", "button")
                .attr("id", "save")
                .attr("data-action", "save")
                .class("primary")
                .text(&t("optionsSave")),
        ),
    )
    .into()
}

fn warnings_banner(doc: &Document, state: &SettingsState) -> Option<El> {
    if state.warnings.is_empty() {
        return None;
    }
    let items = state.warnings.iter().map(|w| el(doc, "li").text(w).into());
    let mut banner = el(doc, "div")
        .class("banner")
        .class("warning")
        .attr("id", "load-warnings")
        .attr("role", "alert")
        .attr("data-warnings", &state.warnings.len().to_string())
        .child(el(doc, "h2").text(&t("optionsLoadWarnings")))
        .child(el(doc, "ul").children(items));
    if state.raw_kept {
        banner = banner
            .child(el(doc, "p").text(&t("optionsRawKeptHelp")))
            .child(
                el(doc, "button")
                    .attr("type", "button")
                    .attr("id", "export-raw")
                    .attr("data-action", "export-raw")
                    .text(&t("optionsExportRaw")),
            );
    }
    Some(banner)
}

fn general(f: &Form, s: &Settings) -> El {
    let languages = [
        ("en".to_string(), "English".to_string()),
        ("fr".to_string(), "Français".to_string()),
    ];
    let servers: Vec<(String, String)> = ["main", "ca", "us", "eu", "sg"]
        .iter()
        .filter_map(|id| {
            let server: crate::core::settings::Server =
                serde_json::from_value(serde_json::Value::from(*id)).ok()?;
            Some((id.to_string(), server.host().to_string()))
        })
        .collect();
    let server = serde_json::to_value(s.server)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    section(f.doc, "general", &t("optionsGeneral"), None)
        .child(
            f.field(
                "operator_name",
                &t("optionsOperatorName"),
                f.input("operator_name", kind::TEXT, &s.operator_name)
                    .attr("autocomplete", "off"),
                Some(&t("optionsOperatorNameHelp")),
            ),
        )
        .child(f.field(
            "language",
            &t("optionsLanguage"),
            f.select("language", kind::TEXT, &languages, s.language.code()),
            Some(&t("optionsLanguageHelp")),
        ))
        .child(f.field(
            "server",
            &t("optionsServer"),
            f.select("server", kind::TEXT, &servers, &server),
            None,
        ))
}

/// One day's open spans (or a dated exception's), each with its remove button.
fn span_rows(f: &Form, list: &str, spans: &[Span], day: &str) -> El {
    let mut rows = el(f.doc, "div").class("spans");
    if spans.is_empty() {
        rows = rows.child(el(f.doc, "span").class("closed").text(&t("optionsClosed")));
    }
    for (i, sp) in spans.iter().enumerate() {
        let path = format!("{list}[{i}]");
        let (start, end) = (format!("{path}.start"), format!("{path}.end"));
        rows = rows.child(
            el(f.doc, "div")
                .class("row")
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

fn service_hours(f: &Form, s: &Settings) -> El {
    let svc = &s.service;
    let mut week = el(f.doc, "div").class("week");
    for (d, spans) in svc.weekly.iter().enumerate() {
        let day = weekday(d);
        week = week.child(
            el(f.doc, "div")
                .class("day-row")
                .attr("data-field-wrap", &format!("service.weekly[{d}]"))
                .child(el(f.doc, "span").class("day-name").text(&day))
                .child(span_rows(f, &format!("service.weekly[{d}]"), spans, &day)),
        );
    }
    let mut exceptions = el(f.doc, "div").class("list").attr("id", "exceptions");
    for (i, ex) in svc.exceptions.iter().enumerate() {
        let path = format!("service.exceptions[{i}]");
        let what = format!("{} {}", t("optionsException"), ex.date);
        exceptions = exceptions.child(
            el(f.doc, "div")
                .class("item")
                .child(
                    el(f.doc, "div")
                        .class("row")
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
    section(
        f.doc,
        "service",
        &t("optionsServiceHours"),
        Some(&t("optionsServiceHoursIntro")),
    )
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
    .child(
        f.field(
            "service.closed_days",
            &t("optionsClosedDays"),
            f.lines("service.closed_days", &svc.closed_days)
                .attr("placeholder", "2026-12-25"),
            Some(&t("optionsOnePerLine")),
        ),
    )
    .child(el(f.doc, "h3").text(&t("optionsExceptions")))
    .child(
        el(f.doc, "p")
            .class("help")
            .text(&t("optionsExceptionsHelp")),
    )
    .child(exceptions)
    .child(f.add_button("service.exceptions", &t("optionsAddException")))
}

fn weekday_options() -> Vec<(String, String)> {
    (0..7).map(|d| (d.to_string(), weekday(d))).collect()
}

fn shifts(f: &Form, s: &Settings, ics: Option<&IcsPreview>) -> El {
    let sh = &s.shifts;
    let mut weekly = el(f.doc, "div").class("list").attr("id", "weekly-shifts");
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
                el(f.doc, "div")
                    .class("row")
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
    let mut one_off = el(f.doc, "div").class("list").attr("id", "one-off-shifts");
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
    section(
        f.doc,
        "shifts",
        &t("optionsShifts"),
        Some(&t("optionsShiftsIntro")),
    )
    .child(ics_import(f, ics))
    .child(el(f.doc, "h3").text(&t("optionsWeeklyShifts")))
    .child(weekly)
    .child(f.add_button("shifts.weekly", &t("optionsAddWeeklyShift")))
    .child(el(f.doc, "h3").text(&t("optionsOneOffShifts")))
    .child(one_off)
    .child(f.add_button("shifts.one_off", &t("optionsAddOneOffShift")))
    .child(
        f.field(
            "shifts.skipped",
            &t("optionsSkipped"),
            f.lines("shifts.skipped", &sh.skipped)
                .attr("placeholder", "2026-02-16"),
            Some(&t("optionsOnePerLine")),
        ),
    )
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
    let row = el(f.doc, "div")
        .class("row")
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
    el(f.doc, "div")
        .class("item")
        .attr("data-row", path)
        .child(row)
}

fn ics_import(f: &Form, preview: Option<&IcsPreview>) -> El {
    let mut input = el(f.doc, "input")
        .attr("type", "file")
        .attr("id", "ics-file")
        .attr("accept", ".ics,text/calendar");
    if f.locked("shifts") {
        input = input.attr("disabled", "");
    }
    let mut block = el(f.doc, "div")
        .class("import")
        .attr("id", "ics-import")
        .child(
            el(f.doc, "div")
                .class("field")
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
                    .text(why),
            );
        }
        Some(IcsPreview::Ready(import)) => {
            let mut list = el(f.doc, "ul").class("ics-shifts");
            for w in &import.weekly {
                let bounds = match (&w.valid_from, &w.valid_until) {
                    (Some(a), Some(b)) => format!(" ({a} → {b})"),
                    (Some(a), None) => format!(" ({a} →)"),
                    (None, Some(b)) => format!(" (→ {b})"),
                    (None, None) => String::new(),
                };
                list = list.child(el(f.doc, "li").text(&format!(
                    "{} {}–{}{bounds}",
                    weekday(usize::from(w.weekday)),
                    w.start,
                    w.end
                )));
            }
            for o in &import.one_off {
                list =
                    list.child(el(f.doc, "li").text(&format!("{} {}–{}", o.date, o.start, o.end)));
            }
            for d in &import.skipped {
                list = list
                    .child(el(f.doc, "li").text(&format!("{} {d}", t("optionsIcsSkippedDate"))));
            }
            let mut preview = el(f.doc, "div")
                .class("ics-preview")
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
                                .map(|w| el(f.doc, "li").text(w).into()),
                        ),
                    );
            }
            preview = preview.child(
                el(f.doc, "div")
                    .class("buttons")
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

fn timing(f: &Form, s: &Settings) -> El {
    let tm = &s.timing;
    let mut sec = section(f.doc, "timing", &t("optionsTiming"), None);
    for (field, value, key) in [
        ("pre_shift_minutes", tm.pre_shift_minutes, "optionsPreShift"),
        (
            "autologout_margin_minutes",
            tm.autologout_margin_minutes,
            "optionsTimerMargin",
        ),
        (
            "autologout_warning_minutes",
            tm.autologout_warning_minutes,
            "optionsTimerWarning",
        ),
        (
            "timer_rounding_minutes",
            tm.timer_rounding_minutes,
            "optionsTimerRounding",
        ),
        ("handover_minutes", tm.handover_minutes, "optionsHandover"),
        (
            "handover_grace_minutes",
            tm.handover_grace_minutes,
            "optionsHandoverGrace",
        ),
        (
            "closing_heads_up_minutes",
            tm.closing_heads_up_minutes,
            "optionsClosingHeadsUp",
        ),
        (
            "after_close_minutes",
            tm.after_close_minutes,
            "optionsAfterClose",
        ),
    ] {
        let path = format!("timing.{field}");
        sec = sec.child(f.field(&path, &t(key), f.number(&path, value), None));
    }
    sec.class("grid")
}

fn queues(f: &Form, s: &Settings) -> El {
    section(f.doc, "queues", &t("optionsQueues"), None)
        .child(f.field(
            "queues.expected",
            &t("optionsQueuesExpected"),
            f.lines("queues.expected", &s.queues.expected),
            Some(&t("optionsOnePerLine")),
        ))
        .child(f.field(
            "queues.home_team",
            &t("optionsQueuesHomeTeam"),
            f.lines("queues.home_team", &s.queues.home_team),
            Some(&t("optionsQueuesHomeTeamHelp")),
        ))
}

fn moment_key(m: Moment) -> &'static str {
    match m {
        Moment::BackchatHello => "optionsMomentBackchatHello",
        Moment::BackchatSignOff => "optionsMomentBackchatSignOff",
        Moment::TransferAccepted => "optionsMomentTransferAccepted",
        Moment::ChatPickedUp => "optionsMomentChatPickedUp",
        Moment::OfflineTextFirstShift => "optionsMomentOfflineText",
        Moment::LeavingWithActiveChats => "optionsMomentLeaving",
        Moment::ClosingHeadsUp => "optionsMomentClosingHeadsUp",
        Moment::AtClose => "optionsMomentAtClose",
        Moment::WindingDown => "optionsMomentWindingDown",
    }
}

fn messages(f: &Form, s: &Settings) -> El {
    let mut sec = section(
        f.doc,
        "messages",
        &t("optionsMessages"),
        Some(&t("optionsMessagesIntro")),
    );
    for moment in MOMENTS {
        let title = t(moment_key(moment));
        let mid = moment_id(moment);
        let mut group = el(f.doc, "fieldset")
            .class("moment")
            .attr("data-moment", &mid)
            .child(el(f.doc, "legend").text(&title));
        for (r, rule) in s.canned.rules.iter().enumerate() {
            if rule.moment != moment {
                continue;
            }
            for (i, sug) in rule.suggestions.iter().enumerate() {
                let path = format!("canned.rules[{r}].suggestions[{i}]");
                let p = |field: &str| format!("{path}.{field}");
                let n = i + 1;
                let row = format!("{title} {n}");
                let text = |lang: Language, label: &str, value: &LocalText| {
                    let v = if lang == Language::Fr {
                        &value.fr
                    } else {
                        &value.en
                    };
                    let field = p(&format!("text.{}", lang.code()));
                    f.cell_in(
                        &field,
                        &row,
                        label,
                        f.textarea(&field, kind::TEXT, v, 3)
                            .attr("lang", lang.code()),
                    )
                    .class("grow")
                };
                group = group.child(
                    el(f.doc, "div")
                        .class("item")
                        .child(
                            el(f.doc, "div")
                                .class("row")
                                .child(
                                    f.cell_in(
                                        &p("name"),
                                        &row,
                                        &t("optionsMessageName"),
                                        f.input(&p("name"), kind::TEXT, &sug.name),
                                    )
                                    .class("grow"),
                                )
                                .child(f.remove_button(&path, &format!("{title} {n}"))),
                        )
                        .child(
                            el(f.doc, "div")
                                .class("row")
                                .child(text(Language::En, &t("optionsEnglish"), &sug.text))
                                .child(text(Language::Fr, &t("optionsFrench"), &sug.text)),
                        ),
                );
            }
        }
        group = group.child(
            f.button("add-suggestion", &t("optionsAddMessage"), "canned")
                .class("add")
                .attr("id", &format!("add-message-{mid}"))
                .attr("data-moment", &mid),
        );
        sec = sec.child(group);
    }
    sec
}

fn contacts(f: &Form, list: &str, contacts: &[crate::core::settings::Contact], title: &str) -> El {
    let mut rows = el(f.doc, "div").class("list");
    for (i, c) in contacts.iter().enumerate() {
        let path = format!("{list}[{i}]");
        let n = i + 1;
        rows = rows.child(
            el(f.doc, "div").class("item").child(
                el(f.doc, "div")
                    .class("row")
                    .child(
                        f.cell_in(
                            &format!("{path}.name"),
                            &format!("{title} {n}"),
                            &t("optionsName"),
                            f.input(&format!("{path}.name"), kind::TEXT, &c.name),
                        )
                        .class("grow"),
                    )
                    .child(
                        f.cell_in(
                            &format!("{path}.email"),
                            &format!("{title} {n}"),
                            &t("optionsEmail"),
                            f.input(&format!("{path}.email"), kind::TEXT, &c.email)
                                .attr("type", "email"),
                        )
                        .class("grow"),
                    )
                    .child(f.remove_button(&path, &format!("{title} {}", c.name))),
            ),
        );
    }
    el(f.doc, "div")
        .class("contacts")
        .child(el(f.doc, "h3").text(title))
        .child(rows)
        .child(f.add_button(list, &t("optionsAddContact")))
}

fn coordinators(f: &Form, s: &Settings) -> El {
    let c = &s.coordinators;
    section(f.doc, "coordinators", &t("optionsCoordinators"), None)
        .child(contacts(
            f,
            "coordinators.site",
            &c.site,
            &t("optionsSiteCoordinators"),
        ))
        .child(contacts(
            f,
            "coordinators.service",
            &c.service,
            &t("optionsServiceCoordinators"),
        ))
        .child(f.field(
            "coordinators.resources_hint",
            &t("optionsResourcesHint"),
            f.input("coordinators.resources_hint", kind::TEXT, &c.resources_hint),
            Some(&t("optionsResourcesHintHelp")),
        ))
        .child(f.field(
            "coordinators.missed_shift_subject",
            &t("optionsMissedSubject"),
            f.input(
                "coordinators.missed_shift_subject",
                kind::TEXT,
                &c.missed_shift_subject,
            ),
            None,
        ))
        .child(f.field(
            "coordinators.missed_shift_body",
            &t("optionsMissedBody"),
            f.textarea(
                "coordinators.missed_shift_body",
                kind::TEXT,
                &c.missed_shift_body,
                7,
            ),
            Some(&t("optionsMissedHelp")),
        ))
}

fn guards(f: &Form, s: &Settings) -> El {
    let g = &s.guards;
    section(f.doc, "guards", &t("optionsGuards"), None)
        .child(f.checkbox(
            "guards.status_guard",
            kind::BOOL,
            &t("optionsStatusGuard"),
            g.status_guard,
            None,
        ))
        .child(f.checkbox(
            "guards.off_hours_guard",
            kind::BOOL,
            &t("optionsOffHoursGuard"),
            g.off_hours_guard,
            None,
        ))
        .child(f.checkbox(
            "guards.watchdog",
            kind::BOOL,
            &t("optionsWatchdog"),
            g.watchdog,
            Some(&t("optionsWatchdogHelp")),
        ))
        .child(
            el(f.doc, "div")
                .class("grid")
                .child(f.field(
                    "guards.watchdog_interval_minutes",
                    &t("optionsWatchdogInterval"),
                    f.number(
                        "guards.watchdog_interval_minutes",
                        g.watchdog_interval_minutes,
                    ),
                    None,
                ))
                .child(f.field(
                    "guards.watchdog_after_close_minutes",
                    &t("optionsWatchdogAfterClose"),
                    f.number(
                        "guards.watchdog_after_close_minutes",
                        g.watchdog_after_close_minutes,
                    ),
                    None,
                ))
                .child(f.field(
                    "guards.default_replacements_needed",
                    &t("optionsReplacementsNeeded"),
                    f.number(
                        "guards.default_replacements_needed",
                        g.default_replacements_needed,
                    ),
                    None,
                )),
        )
}

fn features(f: &Form, s: &Settings) -> El {
    let mut sec = section(f.doc, "features", &t("optionsFeatures"), None).child(f.checkbox(
        "features.disable_all",
        kind::BOOL,
        &t("optionsDisableAll"),
        s.features.disable_all,
        Some(&t("optionsDisableAllHelp")),
    ));
    for feature in FEATURES {
        // One switch per feature; all of them edit `features.off`.
        let field = "features.off";
        let id = format!("feature-{}", feature.id);
        let on = !s.features.off.iter().any(|o| o == feature.id);
        let mut c = el(f.doc, "input")
            .attr("type", "checkbox")
            .attr("id", &id)
            .attr("data-field", field)
            .attr(
                "data-kind",
                &format!("{}{}", kind::FEATURE_PREFIX, feature.id),
            )
            .attr("aria-describedby", &format!("{id}-about"));
        if on {
            c = c.attr("checked", "");
        }
        if f.locked(field) {
            c = c.attr("disabled", "");
        }
        let wrap = el(f.doc, "div")
            .class("field")
            .class("check")
            .attr("data-feature", feature.id)
            .child(c)
            .child(el(f.doc, "label").attr("for", &id).text(feature.name))
            .child(
                el(f.doc, "p")
                    .class("help")
                    .attr("id", &format!("{id}-about"))
                    .text(feature.description),
            );
        sec = sec.child(f.locked_note(wrap, field));
    }
    sec
}

fn advanced(f: &Form, s: &Settings) -> El {
    el(f.doc, "details")
        .class("card")
        .attr("id", "advanced")
        .child(el(f.doc, "summary").text(&t("optionsAdvanced")))
        .child(
            f.field(
                "locator_overrides",
                &t("optionsLocatorOverrides"),
                f.textarea("locator_overrides", kind::JSON, &overrides_text(s), 6)
                    .class("code")
                    .attr("spellcheck", "false")
                    .attr("placeholder", "[]"),
                Some(&t("optionsLocatorOverridesHelp")),
            ),
        )
}

fn file_section(doc: &Document) -> El {
    section(
        doc,
        "backup",
        &t("optionsBackup"),
        Some(&t("optionsBackupIntro")),
    )
    .child(
        el(doc, "div")
            .class("buttons")
            .child(
                el(doc, "button")
                    .attr("type", "button")
                    .attr("id", "export-settings")
                    .attr("data-action", "export-settings")
                    .text(&t("optionsExport")),
            )
            .child(
                el(doc, "div")
                    .class("field")
                    .child(
                        el(doc, "label")
                            .attr("for", "import-settings")
                            .text(&t("optionsImport")),
                    )
                    .child(
                        el(doc, "input")
                            .attr("type", "file")
                            .attr("id", "import-settings")
                            .attr("accept", ".json,application/json"),
                    ),
            ),
    )
}

// ---- reading the form, errors ---------------------------------------------------------

/// Every input's (field, kind, value).
fn form_inputs(root: &Element) -> Vec<FormInput> {
    elements(root, "[data-field]")
        .into_iter()
        .filter_map(|e| {
            let field = e.get_attribute("data-field")?;
            let kind = e.get_attribute("data-kind")?;
            let value = if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                if i.type_() == "checkbox" {
                    i.checked().to_string()
                } else {
                    i.value()
                }
            } else if let Some(s) = e.dyn_ref::<web_sys::HtmlSelectElement>() {
                s.value()
            } else if let Some(t) = e.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                t.value()
            } else {
                return None;
            };
            Some(FormInput { field, kind, value })
        })
        .collect()
}

/// Takes what the form holds into the page state (unreadable inputs keep their value).
fn sync() -> Option<Vec<SettingsProblem>> {
    let root = root()?;
    let inputs = form_inputs(&root);
    with_page(|p| {
        let read = read_form(&p.settings, &inputs);
        p.settings = read.settings;
        read.problems
    })
}

/// Shows each problem next to its input and lists them at the top, each a link to its
/// input; returns the id of the first input with a problem.
fn show_problems(problems: &[SettingsProblem]) -> Option<String> {
    let (root, doc) = (root()?, document().ok()?);
    for e in elements(&root, ".error[data-error-for]") {
        e.remove();
    }
    for e in elements(&root, "[aria-invalid]") {
        let _ = e.remove_attribute("aria-invalid");
        let _ = e.remove_attribute("aria-errormessage");
        let kept: Vec<String> = e
            .get_attribute("aria-describedby")
            .unwrap_or_default()
            .split_whitespace()
            .filter(|id| !id.starts_with("error-"))
            .map(str::to_string)
            .collect();
        let _ = match kept.is_empty() {
            true => e.remove_attribute("aria-describedby"),
            false => e.set_attribute("aria-describedby", &kept.join(" ")),
        };
    }
    let rendered: Vec<String> = elements(&root, "[data-field]")
        .iter()
        .filter_map(|e| e.get_attribute("data-field"))
        .collect();
    let summary = doc.get_element_by_id("problems")?;
    summary.set_text_content(None);
    let _ = summary.remove_attribute("class");
    let mut first = None;
    let mut listed: Vec<Element> = Vec::new();
    for (n, p) in problems.iter().enumerate() {
        // A feature switch's id is not derived from its path: look it up by field.
        let input = anchor_for(&p.field, &rendered).and_then(|anchor| {
            doc.get_element_by_id(&field_id(anchor)).or_else(|| {
                elements(&root, &format!("[data-field=\"{anchor}\"]"))
                    .into_iter()
                    .next()
            })
        });
        let Some(input) = input else {
            listed.push(
                el(&doc, "li")
                    .attr("data-error-for", &p.field)
                    .class("error")
                    .text(&p.to_string())
                    .into(),
            );
            continue;
        };
        let error_id = format!("error-{n}");
        let _ = input.set_attribute("aria-invalid", "true");
        let _ = input.set_attribute("aria-errormessage", &error_id);
        let described = [
            input.get_attribute("aria-describedby"),
            Some(error_id.clone()),
        ];
        let _ = input.set_attribute(
            "aria-describedby",
            &described
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        );
        first.get_or_insert_with(|| input.id());
        let label = doc
            .query_selector(&format!("label[for=\"{}\"]", input.id()))
            .ok()
            .flatten()
            .and_then(|l| l.text_content())
            .unwrap_or_default();
        let wrap = input.closest("[data-field-wrap]").ok().flatten();
        // In a row of small inputs the message goes under the row (naming its input),
        // so the row keeps its shape; elsewhere under the input.
        let row = wrap
            .as_ref()
            .filter(|w| w.class_list().contains("cell"))
            .and_then(|w| w.closest(".row").ok().flatten());
        let text = match row {
            Some(_) => format!("{label}: {}", p.message),
            None => p.message.clone(),
        };
        let message: Element = el(&doc, "p")
            .class("error")
            .attr("id", &error_id)
            .attr("data-error-for", &p.field)
            .text(&text)
            .into();
        let _ = match (row, wrap) {
            (Some(row), _) => row
                .insert_adjacent_element("afterend", &message)
                .map(|_| ()),
            (None, Some(wrap)) => wrap.append_child(&message).map(|_| ()),
            (None, None) => input.append_child(&message).map(|_| ()),
        };
        listed.push(
            el(&doc, "li")
                .child(
                    el(&doc, "a")
                        .attr("href", &format!("#{}", input.id()))
                        .attr("data-focus", &input.id())
                        .text(&format!("{label}: {}", p.message)),
                )
                .into(),
        );
    }
    if !problems.is_empty() {
        let _ = summary.set_attribute("class", "banner problems");
        let title = t("optionsProblems").replace("{count}", &problems.len().to_string());
        let _ = summary.append_child(&Element::from(el(&doc, "h2").text(&title)));
        let _ = summary.append_child(&Element::from(el(&doc, "ul").children(listed)));
    }
    first
}

fn set_status(kind: &'static str, words: String) {
    if let Ok(doc) = document() {
        if let Some(s) = doc.get_element_by_id("status") {
            let _ = s.set_attribute("data-status", kind);
            s.set_text_content(Some(&words));
        }
    }
    with_page(|p| p.status = Some((kind, words)));
}

// ---- actions ---------------------------------------------------------------------------

fn on_click(e: web_sys::Event) {
    let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
    // A problem in the list at the top: go to its input.
    if let Some(link) = target
        .as_ref()
        .and_then(|t| t.closest("a[data-focus]").ok().flatten())
    {
        e.prevent_default();
        let input = link
            .get_attribute("data-focus")
            .and_then(|id| document().ok()?.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if let Some(input) = input {
            let _ = input.focus();
        }
        return;
    }
    let Some(button) = target.and_then(|t| t.closest("button[data-action]").ok().flatten()) else {
        return;
    };
    let action = button.get_attribute("data-action").unwrap_or_default();
    let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
    let result = match action.as_str() {
        "add" => {
            let list = attr("data-list");
            sync();
            let row = with_page(|p| {
                p.settings = add_row(&p.settings, &list);
                p.status = None;
                let n = list_len(&p.settings, &list).saturating_sub(1);
                format!("{list}[{n}]")
            });
            // Keyboard users land in the new row.
            draw(None).map(|_| focus_first(row.as_deref(), &list))
        }
        "remove" => {
            let row = attr("data-row");
            sync();
            with_page(|p| {
                p.settings = remove_row(&p.settings, &row);
                p.status = None;
            });
            let list = row
                .rsplit_once('[')
                .map(|(l, _)| l.to_string())
                .unwrap_or_default();
            draw(Some(format!("add-{}", field_id(&list))))
        }
        "add-suggestion" => {
            let mid = attr("data-moment");
            sync();
            with_page(|p| {
                if let Some(m) = moment_from_id(&mid) {
                    p.settings = add_suggestion(&p.settings, m);
                }
            });
            draw(Some(format!("add-message-{mid}")))
        }
        "ics-add" | "ics-replace" => {
            sync();
            with_page(|p| {
                if let Some(IcsPreview::Ready(import)) = p.ics.take() {
                    p.settings.shifts =
                        apply_ics(&p.settings.shifts, &import, action == "ics-replace");
                    p.status = Some(("imported", t("optionsIcsApplied")));
                }
            });
            draw(Some("weekly-shifts".into())).map(|_| ())
        }
        "ics-cancel" => {
            sync();
            with_page(|p| p.ics = None);
            draw(Some("ics-file".into()))
        }
        "save" => {
            wasm_bindgen_futures::spawn_local(async {
                if let Err(e) = save().await {
                    set_status("error", format!("{} {e:?}", t("optionsSaveFailed")));
                }
            });
            Ok(())
        }
        "export-settings" => {
            let text = with_page(|p| export_settings(&p.state.settings)).unwrap_or_default();
            download("lh3-shift-settings.json", &text)
        }
        "export-raw" => {
            wasm_bindgen_futures::spawn_local(async {
                if let Err(e) = export_raw().await {
                    web_sys::console::error_1(&e);
                }
            });
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        web_sys::console::error_1(&e);
    }
}

fn list_len(s: &Settings, list: &str) -> usize {
    let doc = crate::core::storage::save_settings(s);
    let mut here = &doc;
    for part in list.split('.') {
        let (key, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        here = match here.get(key) {
            Some(v) => v,
            None => return 0,
        };
        for idx in rest.split('[').filter(|x| !x.is_empty()) {
            let i: usize = idx.trim_end_matches(']').parse().unwrap_or(usize::MAX);
            here = match here.get(i) {
                Some(v) => v,
                None => return 0,
            };
        }
    }
    here.as_array().map_or(0, Vec::len)
}

fn focus_first(row: Option<&str>, list: &str) {
    let (Some(root), Some(row)) = (root(), row) else {
        return;
    };
    let target = elements(&root, "[data-field]")
        .into_iter()
        .find(|e| {
            e.get_attribute("data-field")
                .is_some_and(|f| crate::core::options_form::is_under(&f, row))
        })
        .or_else(|| {
            document()
                .ok()?
                .get_element_by_id(&format!("add-{}", field_id(list)))
        });
    if let Some(e) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

async fn save() -> Result<(), JsValue> {
    let Some(problems) = sync() else {
        return Ok(());
    };
    if let Some(first) = show_problems(&problems) {
        set_status(
            "invalid",
            t("optionsNotSaved").replace("{count}", &problems.len().to_string()),
        );
        if let Some(e) = document()?
            .get_element_by_id(&first)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = e.focus();
        }
        return Ok(());
    }
    if !problems.is_empty() {
        // Problems with no input of their own: listed at the top, still not saved.
        set_status(
            "invalid",
            t("optionsNotSaved").replace("{count}", &problems.len().to_string()),
        );
        return Ok(());
    }
    let stored = with_page(|p| keep_locked(&p.settings, &p.state.user, &p.state.locked))
        .ok_or("options page not started")?;
    ext::settings::save(&stored).await.map_err(js)?;
    let state = ext::settings::load().await;
    with_page(|p| {
        p.settings = state.settings.clone();
        p.state = state;
        p.status = Some(("saved", t("optionsSaved")));
    });
    draw(Some("save".into()))
}

/// Offers a text as a file download.
fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let doc = document()?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: HtmlElement = el(&doc, "a")
        .attr("href", &url)
        .attr("download", name)
        .0
        .dyn_into()?;
    doc.body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    // The download has its own copy; the URL can go once it started.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

async fn export_raw() -> Result<(), JsValue> {
    let raw = ext::local::get(RAW_KEPT_KEY).await.map_err(js)?;
    let value: serde_json::Value = ext::from_js(raw).unwrap_or(serde_json::Value::Null);
    let text = match value {
        // A string was kept as it was (not JSON at all).
        serde_json::Value::String(s) => s,
        other => serde_json::to_string_pretty(&other).unwrap_or_default(),
    };
    download("lh3-shift-settings-stored-copy.json", &text)
}

async fn file_text(input: &HtmlInputElement) -> Result<Option<String>, JsValue> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await?;
    Ok(text.as_string())
}

fn on_change(e: web_sys::Event) {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let id = input.id();
    // Turning the watchdog on asks for the presence endpoint's host permission now,
    // inside the operator's click (browsers only ask during a user gesture).
    if input.get_attribute("data-field").as_deref() == Some("guards.watchdog") {
        if input.checked() {
            let _ = crate::watchdog::request_permission();
        }
        return;
    }
    if id != "ics-file" && id != "import-settings" {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(Some(text)) = file_text(&input).await else {
            return;
        };
        sync();
        if id == "ics-file" {
            with_page(|p| {
                p.ics = Some(match parse_ics(&text, &p.settings.service) {
                    Ok(import) => IcsPreview::Ready(import),
                    Err(e) => IcsPreview::Failed(e.to_string()),
                });
            });
            let ready = with_page(|p| matches!(p.ics, Some(IcsPreview::Ready(_))));
            let focus = if ready == Some(true) {
                "ics-add"
            } else {
                "ics-file"
            };
            let _ = draw(Some(focus.to_string()));
        } else {
            let loaded = import_settings(&text);
            let words = if loaded.warnings.is_empty() {
                t("optionsImported")
            } else {
                format!(
                    "{} {}",
                    t("optionsImportedWithWarnings"),
                    loaded.warnings.join("; ")
                )
            };
            with_page(|p| {
                p.settings = loaded.settings;
                p.status = Some(("imported", words));
            });
            let _ = draw(Some("save".into()));
        }
    });
}
