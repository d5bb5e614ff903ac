//! The popup's shift checklist: the picture of the day, the phase in words, warnings,
//! and the procedure's steps with their state. Ticks go to the worker, which keeps them
//! in `chrome.storage.local` as a `ShiftLog` (`ext::shift_log`), so they outlive the
//! popup, the worker and the browser.
//!
//! The time is read here, in the popup page (tests set the page's clock).

use std::cell::RefCell;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::{document, el, elements, El};
use crate::core::checklist::{
    auto_done, is_step, shift_key_for, DoneBy, ItemState, ItemView, ShiftLogChange,
};
use crate::core::messages::PageReport;
use crate::core::popup_view::{
    fold_open, minutes_words, phase_id, popup_model, time_words, DayBar, Fold, Folds, PopupModel,
    FOLDS_KEY,
};
use crate::core::settings::Language;
use crate::core::shift::context;
use crate::core::shift::Phase;
use crate::ext::clock::{local_offset, now};
use crate::ext::settings::SettingsState;
use crate::ext::{self, fill, shift_log, t};

/// The popup re-reads the clock this often while open.
const CLOCK_MS: u32 = 30_000;

thread_local! {
    static ROOT: RefCell<Option<Element>> = const { RefCell::new(None) };
    static PENDING: RefCell<Option<Timeout>> = const { RefCell::new(None) };
    static CLOCK: RefCell<Option<Interval>> = const { RefCell::new(None) };
    /// How the operator left the folds (`popup_view::Folds`): read from session storage
    /// at the first drawing, written back whole at each toggle (this popup is its one
    /// writer while open).
    static FOLDS: RefCell<Option<Folds>> = const { RefCell::new(None) };
}

/// The folds as the operator left them in an earlier opening (read once per popup).
async fn saved_folds() -> Folds {
    if let Some(f) = FOLDS.with(|f| f.borrow().clone()) {
        return f;
    }
    // Through serde_json's `Value`, which the module reads the settings with already
    // (a typed reading from JS would cost the popup's module its own copy).
    let folds: Folds = match ext::SESSION.get(FOLDS_KEY).await {
        Ok(v) if !v.is_undefined() => ext::from_js::<serde_json::Value>(v)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default(),
        _ => Folds::new(),
    };
    FOLDS.with(|f| *f.borrow_mut() = Some(folds.clone()));
    folds
}

/// A fold opened or closed (by the operator, or put back as it was after a drawing):
/// remembered for the next opening of the popup, in this phase.
fn remember_fold(details: &Element, phase: Phase) {
    let fold = Fold {
        phase,
        open: details.has_attribute("open"),
    };
    let folds = FOLDS.with(|f| {
        let mut f = f.borrow_mut();
        let folds = f.get_or_insert_with(Folds::new);
        (folds.get(&details.id()) != Some(&fold)).then(|| {
            folds.insert(details.id(), fold);
            folds.clone()
        })
    });
    if let Some(folds) = folds {
        wasm_bindgen_futures::spawn_local(async move {
            let folds = serde_json::to_value(&folds).unwrap_or_default();
            if let Ok(v) = ext::to_js(&folds) {
                let _ = ext::SESSION.set(FOLDS_KEY, &v).await;
            }
        });
    }
}

/// Starts the popup: renders now, again every `CLOCK_MS`, and on `refresh()`.
pub async fn start(root: Element) -> Result<(), JsValue> {
    ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    CLOCK.with(|c| *c.borrow_mut() = Some(Interval::new(CLOCK_MS, refresh)));
    render_keeping_focus(root).await
}

/// Something changed in storage (a page report, ticks, settings): one render soon,
/// however many changes arrive together.
pub fn refresh() {
    PENDING.with(|p| {
        if p.borrow().is_some() {
            return;
        }
        *p.borrow_mut() = Some(Timeout::new(50, || {
            PENDING.with(|p| p.borrow_mut().take());
            if let Some(root) = ROOT.with(|r| r.borrow().clone()) {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = render_keeping_focus(root).await {
                        web_sys::console::error_1(&e);
                    }
                });
            }
        }));
    });
}

thread_local! {
    /// What the live region last had to say (the phase and the warnings).
    static ANNOUNCED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The popup is drawn again on every change; only the phase and the warnings are news.
/// They go to the one live region (`#live`, outside what is redrawn) when they change —
/// not on the first drawing, which the screen reader reads anyway.
fn announce_changes(doc: &Document) {
    let text = |sel: &str| {
        doc.query_selector_all(sel)
            .ok()
            .map(|nodes| {
                (0..nodes.length())
                    .filter_map(|i| nodes.item(i)?.text_content())
                    .collect::<Vec<_>>()
                    .join(". ")
            })
            .unwrap_or_default()
    };
    let now = format!(
        "{}. {}",
        text("#phase-headline"),
        text("#notices li[data-notice]")
    );
    let before = ANNOUNCED.with(|a| a.borrow_mut().replace(now.clone()));
    if before.is_some_and(|b| b != now) {
        if let Some(live) = doc.get_element_by_id("live") {
            live.set_text_content(Some(&now));
        }
    }
}

thread_local! {
    /// A drawing is under way; `AGAIN`: another was asked for meanwhile. Drawings never
    /// overlap: one that began while another waited would read the focus off a popup
    /// half replaced.
    static DRAWING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static AGAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Re-renders (once more if asked meanwhile), one drawing at a time.
async fn render_keeping_focus(root: Element) -> Result<(), JsValue> {
    if DRAWING.with(|d| d.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return Ok(());
    }
    let mut result;
    loop {
        result = super::popup::render(root.clone()).await;
        if let Ok(doc) = document() {
            announce_changes(&doc);
        }
        if !AGAIN.with(|a| a.replace(false)) {
            break;
        }
    }
    DRAWING.with(|d| d.set(false));
    result
}

/// Puts the newly built `parts` in place of `root`'s content, keeping keyboard focus and
/// the open/closed sections where they were (read at the last moment: nothing is
/// awaited between here and the swap).
pub fn swap_keeping_focus(
    doc: &Document,
    root: &Element,
    parts: &[web_sys::Node],
) -> Result<(), JsValue> {
    let focused = doc
        .active_element()
        .map(|e| e.id())
        .filter(|id| !id.is_empty());
    // Each fold as the operator left it (the checklist's may start open or folded).
    let folds: Vec<(String, bool)> = elements(root, "details[id]")
        .iter()
        .map(|d| (d.id(), d.has_attribute("open")))
        .collect();
    root.set_text_content(None);
    for part in parts {
        root.append_child(part)?;
    }
    for (id, open) in folds {
        if let Some(d) = doc.get_element_by_id(&id) {
            let _ = if open {
                d.set_attribute("open", "")
            } else {
                d.remove_attribute("open")
            };
        }
    }
    if let Some(e) = focused
        .and_then(|id| doc.get_element_by_id(&id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
    Ok(())
}

/// The parts of the popup this module draws, built whole; the caller puts them in place
/// (the missed-shift steps go between `top` and `phase`).
pub struct PopupParts {
    /// The header, the live facts (new chats, auto-logout) and the warnings.
    pub top: web_sys::DocumentFragment,
    /// The phase in words and the picture of the day.
    pub phase: Element,
    /// The procedure's steps, folded on shift.
    pub checklist: Element,
}

pub async fn render(doc: &Document, report: Option<&PageReport>) -> Result<PopupParts, JsValue> {
    let top = doc.create_document_fragment();
    let state = ext::settings::load().await;
    super::speak(state.settings.language()).await;
    let now = now();
    let log = shift_log::load().await;
    // The procedure's text is data: the chosen preset's file, read now (or the
    // consortium's own steps, held in the settings).
    let (steps, procedure_error) = match ext::presets::steps_in_force(&state.settings).await {
        Ok(steps) => (steps, None),
        Err(e) => (Vec::new(), Some(e.0)),
    };
    let model = popup_model(
        &state.settings,
        &steps,
        now,
        report,
        &log,
        local_offset(),
        &ext::catalog::current(),
    );
    // The log says when each step got done automatically (no patron data in it); the
    // worker writes it, and the storage change draws the popup again.
    let done = auto_done(&model.checklist);
    if model.ticks.clone().note_auto_done(&done, now) {
        shift_log::change(ShiftLogChange::AutoDone {
            shift_key: model.ticks.shift_key.clone(),
            at: now,
            done,
        })
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    }
    let lang = state.settings.language();
    top.append_child(&header(doc))?;
    if let Some(news) = whats_new(doc, lang).await {
        top.append_child(&news)?;
    }
    top.append_child(&facts(doc, report, &state.settings, now))?;
    if let Some(n) = notices(doc, &state, report, lang) {
        top.append_child(&n)?;
    }
    let checklist = checklist_section(doc, &model, lang.code(), &saved_folds().await)?;
    if let Some(e) = procedure_error {
        // Never silent: the checklist is empty because its procedure could not be read.
        let note: Element = el(doc, "p")
            .class("error")
            .attr("data-error", "procedure")
            .text(&format!("{} {e}", t("popupProcedureUnreadable")))
            .into();
        checklist.append_child(&note)?;
    }
    let phase = shift_section(doc, &model, lang.code());
    if let Some(prompts) = missing_prompts(doc, &state.settings) {
        phase.append_child(&prompts)?;
    }
    Ok(PopupParts {
        top,
        phase,
        checklist,
    })
}

/// What is live on the web client, first: new chats (also on the badge), the other
/// Chat History counts, and when the auto-logout timer fires.
fn facts(
    doc: &Document,
    report: Option<&PageReport>,
    settings: &crate::core::settings::Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> Element {
    let history = report.and_then(|r| r.history);
    let new_chats = history.map(|h| h.new.to_string());
    let mut facts = el(doc, "ul").class("facts").child(
        el(doc, "li")
            .attr("data-fact", "new-chats")
            .attr("data-count", "new")
            .attr(
                "data-some",
                if history.is_some_and(|h| h.new > 0) {
                    "true"
                } else {
                    "false"
                },
            )
            .child(
                el(doc, "span")
                    .class("fact-label")
                    .text(&t("popupNewChats")),
            )
            .child(
                el(doc, "strong")
                    .class("fact-value")
                    .class("count-value")
                    .text(new_chats.as_deref().unwrap_or("–")),
            ),
    );
    if let Some(deadline) = report.and_then(|r| r.autologout_deadline) {
        let minutes = ((deadline - now).num_seconds() + 59).div_euclid(60);
        let at = time_words(
            &ext::catalog::current(),
            &deadline.with_timezone(&settings.service.zone()),
        );
        let when = if minutes > 0 {
            fill(
                "popupAutologoutIn",
                &[("time", &minutes_words(minutes)), ("at", &at)],
            )
        } else {
            fill("popupAutologoutDue", &[("at", &at)])
        };
        facts = facts.child(
            el(doc, "li")
                .attr("data-fact", "autologout")
                .attr("data-minutes", &minutes.to_string())
                .child(
                    el(doc, "span")
                        .class("fact-label")
                        .text(&t("popupAutologout")),
                )
                .child(el(doc, "strong").class("fact-value").text(&when)),
        );
    }
    let count = |state: &str, key: &str, n: u32| -> Element {
        el(doc, "li")
            .attr("data-count", state)
            .child(el(doc, "span").class("count-label").text(&t(key)))
            .child(el(doc, "strong").class("count-value").text(&n.to_string()))
            .into()
    };
    let rest: Element = match history {
        Some(h) => el(doc, "ul")
            .class("counts")
            .attr("aria-label", &t("popupChatHistory"))
            .child(count("ongoing", "stateOngoing", h.ongoing))
            .child(count("completed", "stateCompleted", h.completed))
            .child(count("unreadable", "stateUnreadable", h.unreadable))
            .into(),
        None => {
            // No web client reported: a button that opens it (the consortium's server).
            let open = el(doc, "button")
                .attr("type", "button")
                .attr("id", "open-webclient")
                .class("link-button")
                .text(&t("popupOpenWebClient"));
            let url = crate::core::reminder::webclient_url(settings);
            on_click(&open.0, move || {
                let url = url.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = ext::alarms::open_tab(&url).await;
                });
            });
            el(doc, "div")
                .child(
                    el(doc, "p")
                        .attr("data-empty", "history")
                        .text(&t("popupNoHistory")),
                )
                .child(open)
                .into()
        }
    };
    el(doc, "section")
        .attr("id", "facts")
        .attr("aria-labelledby", "facts-title")
        .child(
            el(doc, "h2")
                .attr("id", "facts-title")
                .class("visually-hidden")
                .text(&t("popupFacts")),
        )
        .child(facts)
        .child(el(doc, "div").attr("id", "chat-history").child(rest))
        .into()
}

fn header(doc: &Document) -> Element {
    el(doc, "header")
        .class("popup-header")
        .child(el(doc, "h1").text(&t("actionTitle")))
        .child(open_settings_button(
            doc,
            "open-settings",
            &t("popupSettings"),
        ))
        .into()
}

/// Buttons to what is not set up yet (the setup page, the options at its section),
/// instead of words telling the operator to go and find it.
fn missing_prompts(doc: &Document, settings: &crate::core::settings::Settings) -> Option<Element> {
    use crate::core::setup::{missing, Missing};
    let wanted = missing(settings);
    if wanted.is_empty() {
        return None;
    }
    let buttons = wanted.into_iter().map(|m| {
        let label = match m {
            Missing::Setup => t("popupSetUp"),
            Missing::Name => t("popupAddName"),
            Missing::Shifts => t("popupAddShifts"),
        };
        let b = el(doc, "button")
            .attr("type", "button")
            .attr("id", &format!("missing-{}", m.id()))
            .attr("data-missing", m.id())
            .text(&label);
        on_click(&b.0, move || {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ext::alarms::open_tab(&ext::runtime_get_url(m.page())).await;
            });
        });
        b.into()
    });
    Some(
        el(doc, "div")
            .class("empty-actions")
            .children(buttons)
            .into(),
    )
}

/// After an update with news: a few lines once, until "Got it".
async fn whats_new(doc: &Document, lang: Language) -> Option<Element> {
    use crate::core::setup::{whats_new, WhatsNewNote, WHATS_NEW_KEY};
    let raw = ext::LOCAL.get(WHATS_NEW_KEY).await.ok()?;
    let note: WhatsNewNote = ext::from_js(raw).ok()?;
    let news = whats_new(&note.from, &note.to);
    if news.is_empty() {
        return None;
    }
    let items = news.iter().map(|n| {
        el(doc, "li")
            .attr("lang", lang.code())
            .text(&ext::say(n))
            .into()
    });
    let dismiss = el(doc, "button")
        .attr("type", "button")
        .attr("id", "whats-new-dismiss")
        .class("link-button")
        .text(&t("popupWhatsNewDismiss"));
    on_click(&dismiss.0, || {
        wasm_bindgen_futures::spawn_local(async {
            // The storage change draws the popup again, without this section.
            let _ = ext::LOCAL.remove(WHATS_NEW_KEY).await;
        });
    });
    Some(
        el(doc, "section")
            .attr("id", "whats-new")
            .attr("aria-labelledby", "whats-new-title")
            .child(
                el(doc, "h2")
                    .attr("id", "whats-new-title")
                    .text(&t("popupWhatsNew").replace("{version}", &note.to)),
            )
            .child(el(doc, "ul").children(items))
            .child(dismiss)
            .into(),
    )
}

/// A link-styled button that opens the options page.
fn open_settings_button(doc: &Document, id: &str, label: &str) -> El {
    let button = el(doc, "button")
        .attr("type", "button")
        .attr("id", id)
        .class("link-button")
        .text(label);
    on_click(&button.0, || {
        wasm_bindgen_futures::spawn_local(async {
            let _ = ext::alarms::open_options_page().await;
        });
    });
    button
}

fn on_click(target: &Element, f: impl Fn() + 'static) {
    let cb = Closure::<dyn Fn()>::new(f);
    let _ = target.add_event_listener_with_callback("click", cb.as_ref().unchecked_ref());
    cb.forget(); // lives as long as the element (the popup is short-lived)
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

fn bar_span(doc: &Document, class: &str, left: f64, width: f64) -> El {
    el(doc, "div")
        .class(class)
        .attr("style", &format!("left:{};width:{}", pct(left), pct(width)))
}

/// The picture of the day: service hours, the operator's shifts and now on one bar,
/// with the same facts in words underneath (the bar itself is decoration).
fn day_picture(doc: &Document, bar: &DayBar) -> Element {
    let mut track = el(doc, "div")
        .class("day-track")
        .attr("aria-hidden", "true");
    for s in &bar.service {
        track = track.child(bar_span(doc, "day-service", s.left, s.width));
    }
    for s in &bar.shifts {
        let mut shift = bar_span(doc, "day-shift", s.left, s.width);
        if s.now_inside {
            shift = shift.class("current");
        }
        track = track.child(shift);
    }
    track = track.child(
        el(doc, "div")
            .class("day-now")
            .attr("style", &format!("left:{}", pct(bar.now))),
    );
    let mut ticks = el(doc, "div")
        .class("day-ticks")
        .attr("aria-hidden", "true");
    let last = bar.ticks.len().saturating_sub(1);
    for (i, (at, label)) in bar.ticks.iter().enumerate() {
        // The end labels hang inside the bar so they are not cut off at 360 px.
        let align = match i {
            0 => "start",
            i if i == last => "end",
            _ => "middle",
        };
        ticks = ticks.child(
            el(doc, "span")
                .attr("data-align", align)
                .attr("style", &format!("left:{}", pct(*at)))
                .text(label),
        );
    }
    let service = if bar.hours.is_empty() {
        t("popupServiceClosed")
    } else {
        format!("{} {}", t("popupLegendService"), bar.hours)
    };
    let mut legend = el(doc, "ul").class("day-legend").child(
        el(doc, "li")
            .class("legend-service")
            .attr("data-legend", "service")
            .text(&service),
    );
    if !bar.shifts.is_empty() {
        let key = if bar.shifts.len() == 1 {
            "popupLegendShift"
        } else {
            "popupLegendShifts"
        };
        let labels: Vec<&str> = bar.shifts.iter().map(|s| s.label.as_str()).collect();
        legend = legend.child(
            el(doc, "li")
                .class("legend-shift")
                .attr("data-legend", "shift")
                .text(&format!("{} {}", t(key), labels.join(", "))),
        );
    }
    legend = legend.child(
        el(doc, "li")
            .class("legend-now")
            .attr("data-legend", "now")
            .text(&format!("{} {}", t("popupLegendNow"), bar.now_label)),
    );
    el(doc, "div")
        .class("day")
        .attr("data-date", &bar.date)
        .child(track)
        .child(ticks)
        .child(legend)
        .into()
}

/// The phase and the steps are in the procedure's language (`settings.language()`), the
/// rest of the popup in the browser's: `lang` says which is which to screen readers.
fn shift_section(doc: &Document, model: &PopupModel, lang: &str) -> Element {
    el(doc, "section")
        .attr("id", "shift")
        .attr("data-phase", &phase_id(model.phase))
        .attr("aria-labelledby", "phase-headline")
        .child(
            el(doc, "h2")
                .attr("id", "phase-headline")
                .attr("lang", lang)
                .class("phase")
                .text(&model.words.headline),
        )
        .child(
            el(doc, "p")
                .class("phase-detail")
                .attr("lang", lang)
                .text(&model.words.detail),
        )
        .child(day_picture(doc, &model.bar))
        .into()
}

/// The web client's notices, broken features and settings problems, if any.
fn notices(
    doc: &Document,
    state: &SettingsState,
    report: Option<&PageReport>,
    lang: Language,
) -> Option<Element> {
    let mut items: Vec<Element> = Vec::new();
    for n in report.map(|r| r.notices.as_slice()).unwrap_or_default() {
        items.push(
            el(doc, "li")
                .attr("data-notice", &n.id)
                .attr("data-level", n.level.name())
                .attr("lang", lang.code())
                .text(&ext::say(&n.text))
                .into(),
        );
    }
    for f in report.map(|r| r.faults.as_slice()).unwrap_or_default() {
        items.push(
            el(doc, "li")
                .attr("data-fault", &f.feature)
                .attr("data-level", "warning")
                .text(&fill(
                    "popupFeatureFault",
                    &[("feature", &feature_name(&f.feature)), ("why", &f.message)],
                ))
                .into(),
        );
    }
    if !state.warnings.is_empty() {
        let open = open_settings_button(doc, "settings-warning-open", &t("popupOpenSettings"));
        items.push(
            el(doc, "li")
                .attr("data-warning", "settings")
                .attr("data-level", "warning")
                .child(el(doc, "span").text(&format!(
                    "{} ({})",
                    t("popupSettingsWarning"),
                    state.warnings.len()
                )))
                .child(open)
                .into(),
        );
    }
    if items.is_empty() {
        return None;
    }
    Some(
        el(doc, "section")
            .attr("id", "notices")
            .attr("aria-labelledby", "notices-title")
            .child(
                el(doc, "h2")
                    .attr("id", "notices-title")
                    .class("visually-hidden")
                    .text(&t("popupNotices")),
            )
            .child(el(doc, "ul").class("notices").children(items))
            .into(),
    )
}

/// A feature's name in the catalog's words (its id when it is not one of ours).
fn feature_name(id: &str) -> String {
    if id == crate::core::messages::PAGE_LOOP {
        return t("popupPageLoop");
    }
    if id == crate::core::messages::SETTINGS_FAULT {
        return t("popupSettings");
    }
    crate::core::features::FeatureId::parse(id)
        .map(|f| t(&f.info().name_key()))
        .unwrap_or_else(|| id.to_string())
}

fn state_of(item: &ItemView) -> (&'static str, String, Option<&str>) {
    match &item.state {
        ItemState::Done {
            by: DoneBy::Auto { evidence },
        } => ("done-auto", t("popupStateAuto"), Some(evidence.as_str())),
        ItemState::Done { by: DoneBy::Hand } => ("done-hand", t("popupStateHand"), None),
        ItemState::Todo => ("todo", t("popupStateTodo"), None),
        ItemState::NotApplicable => ("na", t("popupStateNa"), None),
    }
}

fn step_item(doc: &Document, item: &ItemView, lang: &str) -> El {
    let (state, words, evidence) = state_of(item);
    let id = format!("step-{}", item.id);
    let mut row = el(doc, "div").class("step-row");
    if state != "na" {
        let mut check = el(doc, "input")
            .attr("type", "checkbox")
            .attr("id", &id)
            .attr("data-tick", &item.id)
            .attr("aria-describedby", &format!("{id}-state"));
        if state.starts_with("done") {
            check = check.attr("checked", "");
        }
        if state == "done-auto" {
            // Seen on the page: nothing to tick, and unticking would not undo it.
            check = check.attr("disabled", "");
        }
        row = row.child(check).child(
            el(doc, "label")
                .attr("for", &id)
                .attr("lang", lang)
                .class("step-text")
                .text(&item.text),
        );
    } else {
        row = row.child(
            el(doc, "span")
                .class("step-text")
                .attr("lang", lang)
                .text(&item.text),
        );
    }
    row = row.child(
        el(doc, "span")
            .class("state-tag")
            .attr("id", &format!("{id}-state"))
            .text(&words),
    );
    let mut li = el(doc, "li")
        .class("step")
        .attr("data-step", &item.id)
        .attr("data-state", state)
        .child(row);
    if let Some(e) = evidence {
        li = li.child(
            el(doc, "p")
                .class("evidence")
                .attr("data-evidence", "")
                .attr("lang", lang)
                .text(e),
        );
    }
    if let Some(h) = item.hint.as_deref().filter(|h| !h.is_empty()) {
        li = li.child(el(doc, "p").class("hint").attr("lang", lang).text(h));
    }
    if !item.links.is_empty() {
        let links = item.links.iter().map(|(text, url)| {
            el(doc, "li")
                .child(
                    el(doc, "a")
                        .attr("href", url)
                        .attr("target", "_blank")
                        .attr("rel", "noopener")
                        .attr("lang", lang)
                        .text(text),
                )
                .into()
        });
        li = li.child(el(doc, "ul").class("step-links").children(links));
    }
    li
}

/// Steps as a list, sub-steps nested under their parent when it is in the same list.
fn step_list(doc: &Document, items: &[&ItemView], lang: &str) -> Element {
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let top = el(doc, "ul").class("steps");
    let mut made: Vec<(String, Element, Option<Element>)> = Vec::new();
    for item in items {
        let li: Element = step_item(doc, item, lang).into();
        match item.parent.as_deref().filter(|p| ids.contains(p)) {
            Some(parent) => {
                if let Some(entry) = made.iter_mut().find(|(id, _, _)| id == parent) {
                    let sub = entry.2.get_or_insert_with(|| {
                        let ul: Element = el(doc, "ul").class("substeps").into();
                        let _ = entry.1.append_child(&ul);
                        ul
                    });
                    let _ = sub.append_child(&li);
                }
            }
            None => {
                let _ = top.0.append_child(&li);
                made.push((item.id.clone(), li, None));
            }
        }
    }
    top.into()
}

fn checklist_section(
    doc: &Document,
    model: &PopupModel,
    lang: &str,
    folds: &Folds,
) -> Result<Element, JsValue> {
    let items = &model.checklist.items;
    let current: Vec<&ItemView> = items
        .iter()
        .filter(|i| i.current_phase && i.state != ItemState::NotApplicable)
        .collect();
    let not_now: Vec<&ItemView> = items
        .iter()
        .filter(|i| i.state == ItemState::NotApplicable)
        .collect();
    let other: Vec<&ItemView> = items
        .iter()
        .filter(|i| !i.current_phase && i.state != ItemState::NotApplicable)
        .collect();
    let p = model.checklist.progress;
    let progress_text = fill(
        "popupProgress",
        &[
            ("done", &p.done.to_string()),
            ("total", &p.total.to_string()),
        ],
    );
    // The title and the progress are the fold's handle: on shift the live facts come
    // first and the steps wait folded (the popup fits 600 px); at the moments the
    // procedure is busiest (logging in, handing over, closing) they are open.
    let mut fold = el(doc, "details")
        .attr("id", "checklist-fold")
        .class("checklist-fold")
        .child(
            el(doc, "summary").child(
                el(doc, "span")
                    .class("checklist-head")
                    .child(
                        el(doc, "h2")
                            .attr("id", "checklist-title")
                            .text(&t("popupChecklist")),
                    )
                    .child(
                        el(doc, "span")
                            .class("progress-text")
                            .attr("data-progress", &format!("{}/{}", p.done, p.total))
                            .text(&progress_text),
                    ),
            ),
        )
        .child(
            el(doc, "progress")
                .attr("max", &p.total.max(1).to_string())
                .attr("value", &p.done.to_string())
                .attr("aria-labelledby", "checklist-title"),
        )
        .child(step_list(doc, &current, lang));
    let phase = model.phase;
    let busy = !matches!(phase, Phase::OnShift | Phase::OffHours);
    if fold_open(folds.get("checklist-fold"), phase, busy) {
        fold = fold.attr("open", "");
    }
    for (id, title, group) in [
        ("other-steps", t("popupOtherSteps"), &other),
        ("not-this-shift", t("popupNotThisShift"), &not_now),
    ] {
        if group.is_empty() {
            continue;
        }
        let mut inner = el(doc, "details").attr("id", id);
        if fold_open(folds.get(id), phase, false) {
            inner = inner.attr("open", "");
        }
        fold = fold.child(
            inner
                .child(el(doc, "summary").text(&format!("{title} ({})", group.len())))
                .child(step_list(doc, group, lang)),
        );
    }
    let section = el(doc, "section")
        .attr("id", "checklist")
        .attr("aria-labelledby", "checklist-title")
        .child(fold);
    let section: Element = section.into();
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(id) = input.get_attribute("data-tick").filter(|id| is_step(id)) else {
            return;
        };
        let on = input.checked();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = tick(&id, on).await {
                web_sys::console::error_1(&e);
            }
        });
    });
    section.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref())?;
    cb.forget();
    // `toggle` does not bubble: caught on its way down.
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(d) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            remember_fold(&d, phase);
        }
    });
    section.add_event_listener_with_callback_and_bool(
        "toggle",
        cb.as_ref().unchecked_ref(),
        true,
    )?;
    cb.forget();
    Ok(section)
}

/// Asks the worker to store a hand tick for the shift at this moment (the storage
/// change re-renders).
async fn tick(id: &str, on: bool) -> Result<(), JsValue> {
    let state = ext::settings::load().await;
    let now = now();
    let change = ShiftLogChange::Tick {
        shift_key: shift_key_for(&context(&state.settings, now)),
        step: id.to_string(),
        on,
        at: now,
    };
    shift_log::change(change)
        .await
        .map_err(|e| JsValue::from_str(&e.0))
}
