//! The first-run setup page (`setup.html`, opened on install): the consortium's preset,
//! the operator's name as LibraryH3lp shows it, their language and their shifts (typed,
//! or from a calendar file). Inputs carry their settings path like the options page's,
//! so `core::options_form` reads and validates them; the preset is applied with
//! `core::storage::apply_preset`, which keeps what is the operator's own.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::{document, el, elements, listen, weekday, El};
use crate::core::catalog::Said;
use crate::core::ics::{parse_ics, IcsImport};
use crate::core::options_form::{
    add_row, anchor_for, apply_ics, field_id, keep_locked, kind, read_form, remove_row, FormInput,
};
use crate::core::procedure::Preset;
use crate::core::settings::{Settings, SettingsProblem};
use crate::core::storage::apply_preset;
use crate::ext::settings::SettingsState;
use crate::ext::{self, say, t};

struct Setup {
    state: SettingsState,
    /// Being edited: the operator's own fields (the preset is applied on finishing).
    settings: Settings,
    presets: Vec<Preset>,
    preset_errors: Vec<String>,
    chosen: String,
    /// What the .ics file held, or why it could not be read (said when drawn).
    ics: Option<Result<IcsImport, Said>>,
    problems: Vec<SettingsProblem>,
    done: bool,
}

thread_local! {
    static SETUP: RefCell<Option<Setup>> = const { RefCell::new(None) };
    static ROOT: RefCell<Option<Element>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Setup) -> R) -> Option<R> {
    SETUP.with(|s| s.borrow_mut().as_mut().map(f))
}

pub async fn start(root: Element) -> Result<(), JsValue> {
    let state = ext::settings::load().await;
    super::speak(state.settings.language()).await;
    document()?.set_title(&t("setupTitle"));
    let (presets, preset_errors) = ext::presets::load_all().await;
    SETUP.with(|s| {
        *s.borrow_mut() = Some(Setup {
            settings: state.settings.clone(),
            chosen: state.settings.procedure.preset.clone(),
            state,
            presets,
            preset_errors,
            ics: None,
            problems: Vec::new(),
            done: false,
        })
    });
    ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    listen(&root, "click", on_click)?;
    listen(&root, "change", on_change)?;
    draw(None)
}

fn root() -> Option<Element> {
    ROOT.with(|r| r.borrow().clone())
}

fn draw(focus: Option<&str>) -> Result<(), JsValue> {
    let (Some(root), doc) = (root(), document()?) else {
        return Ok(());
    };
    let page = with(|s| build(&doc, s)).ok_or("setup not started")?;
    root.set_text_content(None);
    root.append_child(&page)?;
    if let Some(e) = focus
        .and_then(|id| doc.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = e.focus();
    }
    Ok(())
}

fn card(doc: &Document, id: &str, title: &str) -> El {
    el(doc, "section")
        .class("card")
        .attr("id", id)
        .attr("aria-labelledby", &format!("{id}-title"))
        .child(el(doc, "h2").attr("id", &format!("{id}-title")).text(title))
}

fn control(doc: &Document, tag: &str, field: &str, kind: &str) -> El {
    el(doc, tag)
        .attr("id", &field_id(field))
        .attr("data-field", field)
        .attr("data-kind", kind)
}

fn labelled(doc: &Document, field: &str, label: &str, control: El, help: Option<&str>) -> El {
    let mut wrap = el(doc, "div")
        .class("field")
        .attr("data-field-wrap", field)
        .child(el(doc, "label").attr("for", &field_id(field)).text(label))
        .child(control);
    if let Some(h) = help {
        wrap = wrap.child(el(doc, "p").class("help").text(h));
    }
    wrap
}

fn select(
    doc: &Document,
    field: &str,
    kind: &str,
    options: &[(String, String)],
    chosen: &str,
) -> El {
    let mut s = control(doc, "select", field, kind);
    for (value, label) in options {
        let mut o = el(doc, "option").attr("value", value).text(label);
        if value == chosen {
            o = o.attr("selected", "");
        }
        s = s.child(o);
    }
    s
}

fn button(doc: &Document, id: &str, action: &str, text: &str) -> El {
    el(doc, "button")
        .attr("type", "button")
        .attr("id", id)
        .attr("data-action", action)
        .text(text)
}

fn build(doc: &Document, s: &Setup) -> Element {
    // The language the page speaks (the catalog in force).
    let lang = ext::catalog::current().language();
    let mut page = el(doc, "div").class("options").class("setup").child(
        el(doc, "header")
            .class("page-header")
            .child(
                el(doc, "h1")
                    .attr("id", "setup-title")
                    .text(&t("setupTitle")),
            )
            .child(el(doc, "p").class("intro").text(&t("setupIntro"))),
    );
    if s.done {
        let url = crate::core::reminder::webclient_url(&s.state.settings);
        return page
            .child(
                card(doc, "setup-done", &t("setupDoneTitle"))
                    .attr("data-setup", "done")
                    .attr("tabindex", "-1")
                    .child(el(doc, "p").text(&t("setupDoneText")))
                    .child(
                        el(doc, "div")
                            .class("buttons")
                            .child(
                                el(doc, "a")
                                    .attr("id", "open-webclient")
                                    .class("button")
                                    .class("primary")
                                    .attr("href", &url)
                                    .text(&t("setupOpenWebClient")),
                            )
                            .child(button(
                                doc,
                                "open-options",
                                "open-options",
                                &t("setupAllSettings"),
                            )),
                    ),
            )
            .into();
    }
    if !s.problems.is_empty() {
        let items = s
            .problems
            .iter()
            .map(|p| el(doc, "li").text(&say(&p.message)).into());
        page =
            page.child(
                el(doc, "div")
                    .class("banner")
                    .class("problems")
                    .attr("id", "problems")
                    .attr("role", "alert")
                    .attr("tabindex", "-1")
                    .child(el(doc, "h2").text(
                        &t("optionsProblems").replace("{count}", &s.problems.len().to_string()),
                    ))
                    .child(el(doc, "ul").children(items)),
            );
    }
    // 1. The consortium.
    let mut presets = el(doc, "fieldset").class("presets").child(
        el(doc, "legend")
            .class("visually-hidden")
            .text(&t("setupConsortium")),
    );
    for p in &s.presets {
        let id = format!("preset-{}", p.id);
        let mut radio = el(doc, "input")
            .attr("type", "radio")
            .attr("name", "preset")
            .attr("id", &id)
            .attr("value", &p.id)
            .attr("aria-describedby", &format!("{id}-about"));
        if p.id == s.chosen {
            radio = radio.attr("checked", "");
        }
        presets = presets.child(
            el(doc, "div")
                .class("field")
                .class("check")
                .child(radio)
                .child(el(doc, "label").attr("for", &id).text(p.name.get(lang)))
                .child(
                    el(doc, "p")
                        .class("help")
                        .attr("id", &format!("{id}-about"))
                        .text(p.about.get(lang)),
                ),
        );
    }
    let mut consortium = card(doc, "setup-consortium", &t("setupConsortium"))
        .child(el(doc, "p").class("intro").text(&t("setupConsortiumHelp")))
        .child(presets);
    for e in &s.preset_errors {
        consortium = consortium.child(el(doc, "p").class("error").text(e));
    }
    // 2. The operator.
    let languages = super::language_choices(s.state.settings.browser_language.0);
    let you = card(doc, "setup-you", &t("setupYou"))
        .child(labelled(
            doc,
            "operator_name",
            &t("optionsOperatorName"),
            control(doc, "input", "operator_name", kind::TEXT)
                .attr("type", "text")
                .attr("autocomplete", "off")
                .attr("value", &s.settings.operator_name),
            Some(&t("optionsOperatorNameHelp")),
        ))
        .child(labelled(
            doc,
            "language",
            &t("optionsLanguage"),
            select(
                doc,
                "language",
                kind::TEXT,
                &languages,
                s.settings.language.code(),
            ),
            None,
        ));
    // 3. The shifts.
    let days: Vec<(String, String)> = (0..7).map(|i| (i.to_string(), weekday(i))).collect();
    let mut rows = el(doc, "div").class("list").attr("id", "setup-shift-rows");
    for (i, w) in s.settings.shifts.weekly.iter().enumerate() {
        let path = format!("shifts.weekly[{i}]");
        let row_name = format!("{} {}", t("setupShift"), i + 1);
        let cell = |field: String, label: String, c: El| {
            el(doc, "div")
                .class("cell")
                .attr("data-field-wrap", &field)
                .child(
                    el(doc, "label")
                        .attr("for", &field_id(&field))
                        .child(
                            el(doc, "span")
                                .class("visually-hidden")
                                .text(&format!("{row_name}: ")),
                        )
                        .child(el(doc, "span").text(&label)),
                )
                .child(c)
        };
        let time = |field: &str, value: &str| {
            control(doc, "input", field, kind::TEXT)
                .attr("type", "text")
                .class("time")
                .attr("inputmode", "numeric")
                .attr("placeholder", "HH:MM")
                .attr("autocomplete", "off")
                .attr("value", value)
        };
        let day_field = format!("{path}.weekday");
        let start = format!("{path}.start");
        let end = format!("{path}.end");
        rows = rows.child(
            el(doc, "div")
                .class("row")
                .class("item")
                .attr("data-row", &path)
                .child(cell(
                    day_field.clone(),
                    t("setupWeekday"),
                    select(doc, &day_field, kind::NUMBER, &days, &w.weekday.to_string()),
                ))
                .child(cell(start.clone(), t("setupStart"), time(&start, &w.start)))
                .child(cell(end.clone(), t("setupEnd"), time(&end, &w.end)))
                .child(
                    button(doc, &format!("remove-{}", field_id(&path)), "remove", "✕")
                        .class("remove")
                        .attr("data-row", &path)
                        .attr("aria-label", &format!("{} {row_name}", t("optionsRemove"))),
                ),
        );
    }
    let ics_note = match &s.ics {
        None => None,
        Some(Ok(found)) => Some(
            el(doc, "p")
                .attr("id", "ics-found")
                .attr("role", "status")
                .text(
                    &t("setupIcsFound")
                        .replace("{weekly}", &found.weekly.len().to_string())
                        .replace("{one_off}", &found.one_off.len().to_string()),
                ),
        ),
        Some(Err(e)) => Some(
            el(doc, "p")
                .class("error")
                .attr("id", "ics-found")
                .text(&say(e)),
        ),
    };
    let mut ics = el(doc, "div")
        .class("field")
        .class("import")
        .child(
            el(doc, "label")
                .attr("for", "ics-file")
                .text(&t("setupIcs")),
        )
        .child(
            el(doc, "input")
                .attr("type", "file")
                .attr("id", "ics-file")
                .attr("accept", ".ics,text/calendar"),
        );
    if let Some(n) = ics_note {
        ics = ics.child(n);
    }
    // What was left out or read differently: the operator checks it before finishing.
    if let Some(Ok(found)) = s
        .ics
        .as_ref()
        .filter(|f| f.as_ref().is_ok_and(|f| !f.warnings.is_empty()))
    {
        ics = ics
            .child(el(doc, "p").text(&t("optionsIcsWarnings")))
            .child(
                el(doc, "ul").class("ics-warnings").children(
                    found
                        .warnings
                        .iter()
                        .map(|w| el(doc, "li").text(&say(w)).into()),
                ),
            );
    }
    let shifts = card(doc, "setup-shifts", &t("setupShifts"))
        .child(el(doc, "p").class("intro").text(&t("setupShiftsHelp")))
        .child(rows)
        .child(button(doc, "add-shift", "add", &t("setupAddShift")).class("add"))
        .child(ics);
    page.child(consortium)
        .child(you)
        .child(shifts)
        .child(
            el(doc, "footer")
                .class("buttons")
                .class("setup-finish")
                .child(button(doc, "finish", "finish", &t("setupFinish")).class("primary")),
        )
        .into()
}

/// Takes the typed values into the page state; returns what could not be read.
fn sync() -> Vec<SettingsProblem> {
    let Some(root) = root() else {
        return Vec::new();
    };
    let inputs: Vec<FormInput> = elements(&root, "[data-field]")
        .into_iter()
        .filter_map(|e| {
            let field = e.get_attribute("data-field")?;
            let kind = e.get_attribute("data-kind")?;
            let value = if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                i.value()
            } else {
                e.dyn_ref::<web_sys::HtmlSelectElement>()?.value()
            };
            Some(FormInput { field, kind, value })
        })
        .collect();
    let chosen = elements(&root, "input[name=preset]")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlInputElement>().ok())
        .find(|r| r.checked())
        .map(|r| r.value());
    with(|s| {
        let read = read_form(&s.settings, &inputs);
        s.settings = read.settings;
        if let Some(c) = chosen {
            s.chosen = c;
        }
        read.problems
    })
    .unwrap_or_default()
}

/// Marks each problem's input and focuses the first (or the list at the top).
fn show_problems(problems: &[SettingsProblem]) {
    let (Some(root), Ok(doc)) = (root(), document()) else {
        return;
    };
    let rendered: Vec<String> = elements(&root, "[data-field]")
        .iter()
        .filter_map(|e| e.get_attribute("data-field"))
        .collect();
    let mut first: Option<Element> = None;
    for (n, p) in problems.iter().enumerate() {
        let Some(input) =
            anchor_for(&p.field, &rendered).and_then(|f| doc.get_element_by_id(&field_id(f)))
        else {
            continue;
        };
        let id = format!("error-{n}");
        let _ = input.set_attribute("aria-invalid", "true");
        let _ = input.set_attribute("aria-describedby", &id);
        let message: Element = el(&doc, "p")
            .class("error")
            .attr("id", &id)
            .attr("data-error-for", &p.field)
            .text(&say(&p.message))
            .into();
        let wrap = input.closest("[data-field-wrap]").ok().flatten();
        let _ = wrap.unwrap_or_else(|| input.clone()).append_child(&message);
        first.get_or_insert(input);
    }
    let target = first.or_else(|| doc.get_element_by_id("problems"));
    if let Some(e) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

/// Applies the chosen preset under the operator's own fields and saves, or shows what
/// is wrong (nothing is saved then).
async fn finish() -> Result<(), JsValue> {
    let unread = sync();
    let outcome = with(|s| {
        let mut mine = s.settings.clone();
        if let Some(Ok(found)) = &s.ics {
            mine.shifts = apply_ics(&mine.shifts, found, false);
        }
        let preset = s.presets.iter().find(|p| p.id == s.chosen);
        let chosen = match preset {
            Some(p) => apply_preset(&mine, p).0,
            None => mine,
        };
        let mut problems = unread;
        problems.extend(chosen.validate());
        s.problems = problems.clone();
        (
            problems.is_empty(),
            keep_locked(&chosen, &s.state.user, &s.state.locked),
        )
    });
    let Some((valid, to_save)) = outcome else {
        return Ok(());
    };
    if !valid {
        draw(None)?;
        let problems = with(|s| s.problems.clone()).unwrap_or_default();
        show_problems(&problems);
        return Ok(());
    }
    ext::settings::save(&to_save)
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    let state = ext::settings::load().await;
    with(|s| {
        s.settings = state.settings.clone();
        s.state = state;
        s.done = true;
    });
    draw(Some("setup-done"))
}

fn on_click(e: web_sys::Event) {
    let Some(button) = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("button[data-action]").ok().flatten())
    else {
        return;
    };
    let action = button.get_attribute("data-action").unwrap_or_default();
    let result = match action.as_str() {
        "add" => {
            sync();
            let n = with(|s| {
                s.settings = add_row(&s.settings, "shifts.weekly");
                s.settings.shifts.weekly.len()
            })
            .unwrap_or_default();
            let focus = field_id(&format!("shifts.weekly[{}].weekday", n.saturating_sub(1)));
            draw(Some(&focus))
        }
        "remove" => {
            sync();
            let row = button.get_attribute("data-row").unwrap_or_default();
            with(|s| s.settings = remove_row(&s.settings, &row));
            draw(Some("add-shift"))
        }
        "finish" => {
            wasm_bindgen_futures::spawn_local(async {
                if let Err(e) = finish().await {
                    web_sys::console::error_1(&e);
                }
            });
            Ok(())
        }
        "open-options" => {
            wasm_bindgen_futures::spawn_local(async {
                let _ = ext::alarms::open_options_page().await;
            });
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        web_sys::console::error_1(&e);
    }
}

fn on_change(e: web_sys::Event) {
    let language = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|t| t.id() == field_id("language"));
    if language.is_some() {
        // A new language: the page is drawn again in it, with what was typed.
        sync();
        wasm_bindgen_futures::spawn_local(async {
            let Some(lang) = with(|s| {
                let mut settings = s.settings.clone();
                settings.browser_language = s.state.settings.browser_language;
                settings.language()
            }) else {
                return;
            };
            super::speak(lang).await;
            let _ = draw(Some(&field_id("language")));
        });
        return;
    }
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .filter(|i| i.id() == "ics-file")
    else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await else {
            return;
        };
        let text = text.as_string().unwrap_or_default();
        sync();
        with(|s| {
            s.ics = Some(parse_ics(&text, &s.settings.service).map_err(|e| e.said()));
        });
        let _ = draw(Some("ics-file"));
    });
}
