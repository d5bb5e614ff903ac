//! The options page: the settings in sections, one on show at a time, with a section
//! list to move between them (`options.html#timing` opens one directly).
//!
//! Each input carries the settings path it edits (`data-field`) and how to read it
//! (`data-kind`); `core::options_form` reads the form back, places each validation
//! problem next to its input, and keeps the consortium's locked values out of what is
//! saved. List rows are added and removed on the settings themselves, then the form is
//! drawn again. Nothing is saved while anything is invalid. Edits not saved yet are
//! shown (in the save bar and against their sections) and closing the page asks first.
//! Each section lives in its own file under `options/`.

mod advanced;
mod backup;
mod coordinators;
mod features;
mod form;
mod general;
mod guards;
mod messages;
mod procedure;
mod queues;
mod service;
mod shifts;
mod timing;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::{document, el, elements, listen, El};
use crate::core::catalog::Said;
use crate::core::ics::{parse_ics, IcsImport};
use crate::core::messages::{ContentToBackground, COMMAND_INSERT_TOP_SUGGESTION};
use crate::core::options_form::{
    add_row, add_suggestion, anchor_for, apply_ics, changed_sections, field_id, keep_locked,
    moment_from_id, move_row, read_form, remove_row, reset_section, section_by_id, section_of,
    too_big_for_sync, FormInput, SECTIONS,
};
use crate::core::procedure::{export_procedure, Preset};
use crate::core::settings::{Settings, SettingsProblem};
use crate::core::storage::{
    apply_preset_in, export_for_consortium, export_settings, import_over_in, Words,
};
use crate::core::watchdog::{WatchdogCheck, WatchdogState, WATCHDOG_STATE_KEY};
use crate::ext::settings::{SettingsState, RAW_KEPT_KEY};
use crate::ext::{self, fill, say, t};
use form::Form;

/// What the import of an .ics file found, waiting for the operator's go-ahead.
enum IcsPreview {
    Ready(IcsImport),
    /// Said when drawn: in the language in force then.
    Failed(Said),
}

struct Page {
    /// As loaded: warnings, locked paths, the user's own settings.
    state: SettingsState,
    /// Being edited (not saved yet).
    settings: Settings,
    ics: Option<IcsPreview>,
    /// (kind, words): "saved", "invalid", "imported", "reset", "error".
    status: Option<(&'static str, String)>,
    /// The section on show.
    current: &'static str,
    /// The section whose "Reset to defaults" waits for a yes.
    confirm_reset: Option<&'static str>,
    /// Sections whose settings differ from the saved ones.
    changed: Vec<&'static str>,
    /// Inputs whose text could not be read (they differ from the settings too).
    unread: usize,
    /// The service-on watchdog's last check, and what its "Check now" is doing.
    watchdog: Option<WatchdogCheck>,
    watchdog_note: Option<String>,
    /// The keyboard shortcut as the browser has it ("Alt+Shift+S"; empty when unset).
    shortcut: Option<String>,
    /// The presets shipped with the extension, and why any could not be read.
    presets: Vec<Preset>,
    preset_errors: Vec<String>,
    /// The procedure's steps shown as their JSON document (the advanced view), not the form.
    steps_as_json: bool,
}

impl Page {
    fn dirty(&self) -> bool {
        !self.changed.is_empty() || self.unread > 0
    }
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    static ROOT: RefCell<Option<Element>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "commands"], js_name = getAll, catch)]
    fn commands_get_all() -> Result<js_sys::Promise, JsValue>;
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

/// The section the URL names (`#timing`), if it names one.
fn section_in_url() -> Option<&'static str> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let id = hash.trim_start_matches('#');
    SECTIONS.iter().find(|s| s.id == id).map(|s| s.id)
}

async fn last_watchdog_check() -> Option<WatchdogCheck> {
    let v = ext::LOCAL.get(WATCHDOG_STATE_KEY).await.ok()?;
    if v.is_undefined() {
        return None;
    }
    ext::from_js::<WatchdogState>(v).ok()?.last
}

/// The insert-top-suggestion shortcut as the browser has it now.
async fn shortcut() -> Option<String> {
    let all = wasm_bindgen_futures::JsFuture::from(commands_get_all().ok()?)
        .await
        .ok()?;
    let all: Vec<serde_json::Value> = ext::from_js(all).ok()?;
    all.iter()
        .find(|c| c["name"] == COMMAND_INSERT_TOP_SUGGESTION)
        .map(|c| c["shortcut"].as_str().unwrap_or_default().to_string())
}

pub async fn start(root: Element) -> Result<(), JsValue> {
    let state = ext::settings::load().await;
    super::speak(state.settings.language()).await;
    document()?.set_title(&t("optionsTitle"));
    let watchdog = last_watchdog_check().await;
    let shortcut = shortcut().await;
    let (presets, preset_errors) = ext::presets::load_all().await;
    PAGE.with(|p| {
        *p.borrow_mut() = Some(Page {
            settings: state.settings.clone(),
            state,
            ics: None,
            status: None,
            current: section_in_url().unwrap_or(SECTIONS[0].id),
            confirm_reset: None,
            changed: Vec::new(),
            unread: 0,
            watchdog,
            watchdog_note: None,
            shortcut,
            presets,
            preset_errors,
            steps_as_json: false,
        })
    });
    ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    listen(&root, "click", on_click)?;
    listen(&root, "change", on_change)?;
    listen(&root, "input", on_input)?;
    listen(&root, "keydown", on_keydown)?;
    let window = web_sys::window().ok_or("no window")?;
    // Back and forward through the sections chosen (the first one has no `#`).
    listen(&window, "hashchange", |_| {
        let id = section_in_url().unwrap_or(SECTIONS[0].id);
        if with_page(|p| p.current) != Some(id) {
            show_section(id, true);
        }
    })?;
    // Unsaved edits: the browser asks before the page goes (close, reload, navigate).
    listen(&window, "beforeunload", |e| {
        if with_page(|p| p.dirty()) == Some(true) {
            e.prevent_default();
            if let Some(e) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                e.set_return_value("unsaved");
            }
        }
    })?;
    draw(None)
}

// ---- drawing ------------------------------------------------------------------------------

/// Draws the whole form from the page state; then focuses `focus` (an element id), if any.
fn draw(focus: Option<String>) -> Result<(), JsValue> {
    let (Some(root), doc) = (root(), document()?) else {
        return Ok(());
    };
    let form = with_page(|p| {
        p.changed = changed_sections(&p.settings, &p.state.settings);
        build(&doc, p)
    })
    .ok_or("options page not started")?;
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

type Builder = fn(&Form, &Page) -> El;

fn builder(id: &str) -> Builder {
    match id {
        "service" => service::build,
        "shifts" => shifts::build,
        "timing" => timing::build,
        "queues" => queues::build,
        "messages" => messages::build,
        "coordinators" => coordinators::build,
        "procedure" => procedure::build,
        "guards" => guards::build,
        "features" => features::build,
        "advanced" => advanced::build,
        "backup" => backup::build,
        _ => general::build,
    }
}

/// The section list: one link per section, the current one marked, with marks for
/// sections holding unsaved edits or problems (filled in by `refresh_marks`,
/// `show_problems`).
fn nav(doc: &Document, p: &Page) -> El {
    let items = SECTIONS.iter().map(|s| {
        let mut a = el(doc, "a")
            .attr("href", &format!("#{}", s.id))
            .attr("data-nav", s.id)
            .attr("id", &format!("nav-{}", s.id))
            .child(el(doc, "span").class("nav-title").text(&t(s.title)))
            .child(el(doc, "span").class("nav-problems").attr("hidden", ""))
            .child(
                el(doc, "span")
                    .class("nav-unsaved")
                    .attr("hidden", "")
                    .attr("title", &t("optionsUnsaved"))
                    .child(el(doc, "span").attr("aria-hidden", "true").text("●"))
                    .child(
                        el(doc, "span")
                            .class("visually-hidden")
                            .text(&format!(" ({})", t("optionsUnsaved"))),
                    ),
            );
        if s.id == p.current {
            a = a.attr("aria-current", "page");
        }
        el(doc, "li").child(a).into()
    });
    el(doc, "nav")
        .class("sections-nav")
        .attr("aria-label", &t("optionsSectionsNav"))
        .child(el(doc, "ul").children(items))
}

fn build(doc: &Document, p: &Page) -> Element {
    let f = Form {
        doc,
        locked: &p.state.locked,
        current: p.current,
        confirm_reset: p.confirm_reset,
    };
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
    if p.state.local_only {
        main = main.child(local_only_banner(doc, &p.state.user));
    }
    main = main.child(el(doc, "div").attr("id", "problems").attr("tabindex", "-1"));
    let sections = SECTIONS.iter().map(|s| builder(s.id)(&f, p).into());
    main = main.child(
        el(doc, "div")
            .class("layout")
            .child(nav(doc, p))
            .child(el(doc, "div").class("sections").children(sections)),
    );
    let status = el(doc, "p")
        .attr("id", "status")
        .attr("role", "status")
        .attr("aria-live", "polite");
    let status = match &p.status {
        Some((k, words)) => status.attr("data-status", k).text(words),
        None => status,
    };
    let page: Element = main
        .child(
            el(doc, "footer")
                .class("save-bar")
                .child(
                    el(doc, "p")
                        .attr("id", "unsaved")
                        .attr("hidden", "")
                        .text(&t("optionsUnsaved")),
                )
                .child(status)
                .child(
                    el(doc, "button")
                        .attr("type", "button")
                        .attr("id", "save")
                        .attr("data-action", "save")
                        .class("primary")
                        .text(&t("optionsSave")),
                ),
        )
        .into();
    mark_unsaved(&page, p);
    page
}

/// Shows which sections hold unsaved edits, and the save bar's "Unsaved changes".
fn mark_unsaved(within: &Element, p: &Page) {
    for link in elements(within, "a[data-nav]") {
        let id = link.get_attribute("data-nav").unwrap_or_default();
        let changed = p.changed.iter().any(|c| *c == id) || (p.unread > 0 && id == p.current);
        if let Some(mark) = link.query_selector(".nav-unsaved").ok().flatten() {
            let _ = match changed {
                true => mark.remove_attribute("hidden"),
                false => mark.set_attribute("hidden", ""),
            };
        }
    }
    if let Some(u) = within.query_selector("#unsaved").ok().flatten() {
        let _ = match p.dirty() {
            true => u.remove_attribute("hidden"),
            false => u.set_attribute("hidden", ""),
        };
        let _ = u.set_attribute("data-unsaved", if p.dirty() { "true" } else { "false" });
    }
}

/// After an edit: reads the form and updates the unsaved marks (no redraw).
fn refresh_marks() {
    sync();
    if let Some(root) = root() {
        with_page(|p| mark_unsaved(&root, p));
    }
}

/// Puts one section on show; with `focus_heading`, moves the focus to its heading (a
/// choice in the section list), else leaves it for the caller (a problem's input).
fn show_section(id: &'static str, focus_heading: bool) {
    let Some(root) = root() else {
        return;
    };
    with_page(|p| {
        p.current = id;
        p.confirm_reset = None;
    });
    for s in elements(&root, "section[data-section]") {
        let _ = match s.get_attribute("data-section").as_deref() == Some(id) {
            true => s.remove_attribute("hidden"),
            false => s.set_attribute("hidden", ""),
        };
    }
    for a in elements(&root, "a[data-nav]") {
        let _ = match a.get_attribute("data-nav").as_deref() == Some(id) {
            true => a.set_attribute("aria-current", "page"),
            false => a.remove_attribute("aria-current"),
        };
    }
    if focus_heading {
        if let Some(h) = document()
            .ok()
            .and_then(|d| d.get_element_by_id(&format!("{id}-title")))
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = h.focus();
        }
    }
}

/// The settings are in local storage, not synced: said, with why (a section too large
/// for one sync item — a custom procedure, usually — or sync refusing them).
fn local_only_banner(doc: &Document, stored: &Settings) -> El {
    let big: Vec<String> = too_big_for_sync(stored)
        .iter()
        .map(|s| t(s.title))
        .collect();
    let why = match big.is_empty() {
        true => t("optionsLocalOnlySync"),
        false => fill("optionsLocalOnlyTooBig", &[("sections", &big.join(", "))]),
    };
    el(doc, "p")
        .class("banner")
        .class("warning")
        .attr("id", "local-only")
        .attr("data-too-big", &big.len().to_string())
        .text(&fill("optionsLocalOnly", &[("why", &why)]))
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
        p.unread = read.unread;
        p.changed = changed_sections(&p.settings, &p.state.settings);
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
                    .text(&format!("{}: {}", p.field, say(&p.message)))
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
        let said = say(&p.message);
        let text = match row {
            Some(_) => format!("{label}: {said}"),
            None => said.clone(),
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
                        .text(&format!("{label}: {said}")),
                )
                .into(),
        );
    }
    mark_problems(&root, problems);
    if !problems.is_empty() {
        let _ = summary.set_attribute("class", "banner problems");
        let title = t("optionsProblems").replace("{count}", &problems.len().to_string());
        let _ = summary.append_child(&Element::from(el(&doc, "h2").text(&title)));
        let _ = summary.append_child(&Element::from(el(&doc, "ul").children(listed)));
    }
    first
}

/// How many problems each section holds, against its entry in the section list.
fn mark_problems(root: &Element, problems: &[SettingsProblem]) {
    for link in elements(root, "a[data-nav]") {
        let id = link.get_attribute("data-nav").unwrap_or_default();
        let n = problems
            .iter()
            .filter(|p| section_of(&p.field).is_some_and(|s| s.id == id))
            .count();
        let Some(mark) = link.query_selector(".nav-problems").ok().flatten() else {
            continue;
        };
        if n == 0 {
            let _ = mark.set_attribute("hidden", "");
            mark.set_text_content(None);
        } else {
            let _ = mark.remove_attribute("hidden");
            mark.set_text_content(Some(
                &t("optionsNavProblems").replace("{count}", &n.to_string()),
            ));
        }
    }
}

/// Shows the section holding an element and focuses it (a problem's input).
fn reveal_and_focus(e: &Element) {
    let section = e
        .closest("section[data-section]")
        .ok()
        .flatten()
        .and_then(|s| s.get_attribute("data-section"))
        .map(|id| section_by_id(&id).id);
    if let Some(id) = section {
        show_section(id, false);
    }
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
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
            .and_then(|id| document().ok()?.get_element_by_id(&id));
        if let Some(input) = input {
            reveal_and_focus(&input);
        }
        return;
    }
    // A section in the list: on show, its heading focused, the URL naming it.
    if let Some(link) = target
        .as_ref()
        .and_then(|t| t.closest("a[data-nav]").ok().flatten())
    {
        e.prevent_default();
        let id = section_by_id(&link.get_attribute("data-nav").unwrap_or_default()).id;
        // The URL first: a fragment navigation moves the focus, the heading takes it after.
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(id);
        }
        show_section(id, true);
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
        "move-up" | "move-down" => {
            let row = attr("data-row");
            sync();
            let up = action == "move-up";
            let focus = with_page(|p| {
                p.settings = move_row(&p.settings, &row, up);
                p.status = None;
                let (list, i) = row.rsplit_once('[')?;
                let i: usize = i.trim_end_matches(']').parse().ok()?;
                let to = if up { i.checked_sub(1)? } else { i + 1 };
                // The focus follows the row to its new place: the same button, or at an
                // end (where it is disabled) the other one.
                let end = if up {
                    0
                } else {
                    list_len(&p.settings, list).saturating_sub(1)
                };
                let other = if up { "move-down" } else { "move-up" };
                let id = field_id(&format!("{list}[{to}]"));
                Some(format!("{id}-{}", if to == end { other } else { &action }))
            })
            .flatten();
            draw(focus)
        }
        "procedure-view" => {
            sync();
            // JSON that cannot be read stays on show, its problem named: switching would lose it.
            if with_page(|p| p.unread).unwrap_or(0) > 0 {
                if let Some(problems) = sync() {
                    show_problems(&problems);
                }
                return;
            }
            let as_json = with_page(|p| {
                p.steps_as_json = !p.steps_as_json;
                p.steps_as_json
            })
            .unwrap_or(false);
            draw(Some(if as_json {
                procedure::steps_focus(true)
            } else {
                "procedure-view".into()
            }))
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
        "reset" => {
            sync();
            let id = section_by_id(&attr("data-section")).id;
            with_page(|p| p.confirm_reset = Some(id));
            draw(Some("reset-yes".into()))
        }
        "reset-no" => {
            sync();
            with_page(|p| p.confirm_reset = None);
            draw(Some(format!("reset-{}", attr("data-section"))))
        }
        "reset-yes" => {
            sync();
            let section = section_by_id(&attr("data-section"));
            with_page(|p| {
                p.settings = reset_section(&p.settings, &section, &p.state.locked);
                p.confirm_reset = None;
                p.status = Some((
                    "reset",
                    t("optionsResetDone").replace("{section}", &t(section.title)),
                ));
            });
            draw(Some(format!("{}-title", section.id)))
        }
        "apply-preset" => {
            sync();
            with_page(|p| {
                let Some(preset) = p
                    .presets
                    .iter()
                    .find(|x| x.id == p.settings.procedure.preset)
                else {
                    return;
                };
                let catalog = ext::catalog::current();
                let (applied, warnings) =
                    apply_preset_in(&p.settings, preset, Words(Some(&catalog)));
                p.settings = keep_locked(&applied, &p.settings, &p.state.locked);
                let mut words = t("optionsPresetApplied").replace(
                    "{name}",
                    preset.name.get(ext::catalog::current().language()),
                );
                if !warnings.is_empty() {
                    words = format!("{words} {}", warnings.join("; "));
                }
                p.status = Some(("imported", words));
            });
            draw(Some("apply-preset".into()))
        }
        "procedure-copy" => {
            sync();
            with_page(|p| {
                let preset = p
                    .presets
                    .iter()
                    .find(|x| x.id == p.settings.procedure.preset);
                if let Some(x) = preset.filter(|_| !p.settings.procedure.is_custom()) {
                    p.settings.procedure.steps = x.procedure.steps.clone();
                    p.settings.procedure.name = x.procedure.name.clone();
                }
            });
            let as_json = with_page(|p| p.steps_as_json).unwrap_or(false);
            draw(Some(procedure::steps_focus(as_json)))
        }
        "procedure-clear" => {
            sync();
            with_page(|p| p.settings.procedure.steps.clear());
            draw(Some("procedure-copy".into()))
        }
        "export-procedure" => {
            let text = with_page(|p| {
                let preset = p
                    .presets
                    .iter()
                    .find(|x| x.id == p.state.settings.procedure.preset);
                export_procedure(&p.state.settings.procedure, preset)
            })
            .unwrap_or_default();
            download("lh3-shift-procedure.json", &text)
        }
        "watchdog-check" => watchdog_check_now(&button),
        "open-shortcuts" => open_shortcut_settings(),
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
        "export-consortium" => {
            let text = with_page(|p| export_for_consortium(&p.state.settings)).unwrap_or_default();
            download("lh3-shift-consortium-settings.json", &text)
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
        if let Some(e) = document()?.get_element_by_id(&first) {
            reveal_and_focus(&e);
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
    // A new language: the page is drawn again in it.
    super::speak(state.settings.language()).await;
    document()?.set_title(&t("optionsTitle"));
    with_page(|p| {
        p.settings = state.settings.clone();
        p.state = state;
        let words = match p.state.local_only {
            true => t("optionsSavedLocal"),
            false => t("optionsSaved"),
        };
        p.status = Some(("saved", words));
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
    let raw = ext::LOCAL.get(RAW_KEPT_KEY).await.map_err(js)?;
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

/// Typing in any input: the unsaved marks follow.
fn on_input(e: web_sys::Event) {
    let file = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.type_() == "file");
    if !file {
        refresh_marks();
    }
}

/// Arrow keys, Home and End move between the sections of the list (Enter opens one).
fn on_keydown(e: web_sys::Event) {
    let Some(key) = e.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else {
        return;
    };
    let Some(link) = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|t| t.matches("a[data-nav]").unwrap_or(false))
    else {
        return;
    };
    let Some(root) = root() else {
        return;
    };
    let links = elements(&root, "a[data-nav]");
    let Some(at) = links.iter().position(|l| *l == link) else {
        return;
    };
    let to = match key.as_str() {
        "ArrowDown" | "ArrowRight" => (at + 1) % links.len(),
        "ArrowUp" | "ArrowLeft" => (at + links.len() - 1) % links.len(),
        "Home" => 0,
        "End" => links.len() - 1,
        _ => return,
    };
    e.prevent_default();
    if let Some(l) = links[to].dyn_ref::<HtmlElement>() {
        let _ = l.focus();
    }
}

/// Redraws the watchdog's result in place (the rest of the form keeps its edits).
fn draw_watchdog(busy: bool) {
    let (Some(root), Ok(doc)) = (root(), document()) else {
        return;
    };
    if let Some(last) = root.query_selector("#watchdog-last").ok().flatten() {
        last.set_text_content(None);
        let lines = with_page(|p| guards::watchdog_lines(p)).unwrap_or_default();
        for (kind, text) in lines {
            let line: Element = el(&doc, "p").attr("data-watchdog", kind).text(&text).into();
            let _ = last.append_child(&line);
        }
    }
    if let Some(b) = root.query_selector("#watchdog-check").ok().flatten() {
        let _ = match busy {
            true => b.set_attribute("aria-disabled", "true"),
            false => b.remove_attribute("aria-disabled"),
        };
    }
}

/// "Check now": the presence endpoint's permission is asked for inside the click (it is
/// granted at once when it already is), then the worker runs one check.
fn watchdog_check_now(button: &Element) -> Result<(), JsValue> {
    if button.get_attribute("aria-disabled").as_deref() == Some("true") {
        return Ok(());
    }
    let asked = crate::watchdog::request_permission()?;
    with_page(|p| p.watchdog_note = Some(t("optionsWatchdogChecking")));
    draw_watchdog(true);
    wasm_bindgen_futures::spawn_local(async move {
        let granted = wasm_bindgen_futures::JsFuture::from(asked)
            .await
            .is_ok_and(|g| g.is_truthy());
        let outcome = if granted {
            ext::ask::<Option<WatchdogCheck>>(&ContentToBackground::WatchdogCheckNow)
                .await
                .map_err(|e| format!("{} {}", t("optionsWatchdogFailed"), e.0))
        } else {
            Err(t("optionsWatchdogDenied"))
        };
        with_page(|p| match outcome {
            Ok(check) => {
                p.watchdog = check.or(p.watchdog.take());
                p.watchdog_note = None;
            }
            Err(why) => p.watchdog_note = Some(why),
        });
        draw_watchdog(false);
    });
    Ok(())
}

/// The browser's keyboard shortcut settings. A page cannot link to them: Firefox (137+)
/// opens its own with `commands.openShortcutSettings`, Chrome and Edge take
/// chrome://extensions/shortcuts through `tabs.create`.
fn open_shortcut_settings() -> Result<(), JsValue> {
    let chrome = js_sys::Reflect::get(&js_sys::global(), &"chrome".into())?;
    let commands = js_sys::Reflect::get(&chrome, &"commands".into())?;
    if let Ok(open) = js_sys::Reflect::get(&commands, &"openShortcutSettings".into())?
        .dyn_into::<js_sys::Function>()
    {
        open.call0(&commands)?;
        return Ok(());
    }
    let tabs = js_sys::Reflect::get(&chrome, &"tabs".into())?;
    let create: js_sys::Function = js_sys::Reflect::get(&tabs, &"create".into())?.dyn_into()?;
    let details = js_sys::Object::new();
    js_sys::Reflect::set(
        &details,
        &"url".into(),
        &"chrome://extensions/shortcuts".into(),
    )?;
    create.call1(&tabs, &details)?;
    Ok(())
}

fn on_change(e: web_sys::Event) {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        // Selects and text areas.
        refresh_marks();
        return;
    };
    let id = input.id();
    // Turning the watchdog on asks for the presence endpoint's host permission now,
    // inside the operator's click (browsers only ask during a user gesture).
    if input.get_attribute("data-field").as_deref() == Some("guards.watchdog") && input.checked() {
        let _ = crate::watchdog::request_permission();
    }
    if id != "ics-file" && id != "import-settings" && id != "import-procedure" {
        refresh_marks();
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
                    Err(e) => IcsPreview::Failed(e.said()),
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
            with_page(|p| {
                // Only what the file names changes; the consortium's values stay.
                let catalog = ext::catalog::current();
                let imported = import_over_in(&p.settings, &text, Words(Some(&catalog)));
                p.settings = keep_locked(&imported.settings, &p.settings, &p.state.locked);
                let mut words = t("optionsImportedChanged")
                    .replace("{count}", &imported.changed.len().to_string());
                if !imported.warnings.is_empty() {
                    words = format!(
                        "{words} {} {}",
                        t("optionsImportedWithWarnings"),
                        imported.warnings.join("; ")
                    );
                }
                p.status = Some(("imported", words));
            });
            let _ = draw(Some("save".into()));
        }
    });
}
