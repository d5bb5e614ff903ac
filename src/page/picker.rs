//! Repair in the field: the element picker behind the page check's **Fix…**.
//!
//! The operator points at the part of the web client a locator no longer finds (the
//! pointer outlines what it is over; or from the keyboard: arrows move — ↑ the box
//! around, ↓ the first thing inside, ← → the neighbours — Enter picks, Escape cancels).
//! From the picked element the core proposes overrides, words and stable attributes
//! first (`core::repair::candidates`); each is tried on the live page, the first that
//! finds the picked element is shown with how many elements it matches and what the
//! extension now reads there, flagged when it is fragile; **Save fix** sends it to the
//! worker, which keeps it in the settings' `locator_overrides` (so it travels in the
//! settings export and a coordinator can push it by policy).
//!
//! While the picker is open it takes every click and key on the page before the app
//! (through the one event path), so picking never presses anything.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use super::events::{self, Kind, PageEvent, Verdict};
use super::find::{control_name, controls_of, lines};
use super::grid::Grid;
use super::locate::Locate;
use super::notices::{action_button, is_own, part, Node, UI_ATTR};
use super::read;
use super::{elements, query_all, role_of, text_of};
use crate::core::locators::{ids, ControlKind, Find, Locator};
use crate::core::messages::ContentToBackground;
use crate::core::repair::{candidates, is_generated_id, override_with, Candidate, PickedFacts};
use crate::core::settings::Language;

const SAVE: &str = "picker.save";
const AGAIN: &str = "picker.again";
const CANCEL: &str = "picker.cancel";
const BAR: &str = "picker";
const OUTLINE: &str = "picker-outline";
/// Which edge of the window the bar sits on ("bottom" unless it stepped aside).
const EDGE: &str = "data-lh3-edge";

/// A proposal the operator can save.
struct Proposal {
    locator: Locator,
    candidate: Candidate,
    matches: usize,
    reads: String,
}

struct Picker {
    /// The table in force (defaults with the saved overrides).
    table: Vec<Locator>,
    /// The entry being repaired.
    locator: Locator,
    language: Language,
    /// What the pointer or the arrows are on.
    current: Option<Element>,
    proposal: Option<Proposal>,
    /// What went wrong (no way to find the picked element, the save refused).
    problem: Option<String>,
}

thread_local! {
    static PICKER: RefCell<Option<Picker>> = const { RefCell::new(None) };
}

fn doc() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Whether the picker is open.
pub fn active() -> bool {
    PICKER.with(|p| p.borrow().is_some())
}

/// Opens the picker for locator `id` (the table in force: defaults and overrides).
pub fn start(id: &str, table: Vec<Locator>, language: Language) -> Result<(), String> {
    let locator = table
        .iter()
        .find(|l| l.id == id)
        .cloned()
        .ok_or_else(|| format!("unknown locator '{id}'"))?;
    // Where the keyboard starts: what the locator finds now, else the top of the page.
    let d = doc().ok_or("no page")?;
    let mut locate = Locate::new(table.clone());
    let current = locate
        .first(&d, id)
        .or_else(|| d.body().and_then(|b| b.first_element_child()));
    PICKER.with(|p| {
        *p.borrow_mut() = Some(Picker {
            table,
            locator,
            language,
            current,
            proposal: None,
            problem: None,
        })
    });
    events::watch_hover(true);
    draw();
    Ok(())
}

fn close() {
    PICKER.with(|p| p.borrow_mut().take());
    events::watch_hover(false);
    if let Some(root) = doc().and_then(|d| d.document_element()) {
        for el in query_all(
            &root,
            &format!("[{UI_ATTR}=\"{BAR}\"], [{UI_ATTR}=\"{OUTLINE}\"]"),
        ) {
            el.remove();
        }
    }
}

/// Takes every event while the picker is open; `None` when it is not.
pub fn on_event(event: &PageEvent) -> Option<Verdict> {
    if !active() {
        return None;
    }
    // The picker's own buttons.
    for (id, act) in [(SAVE, save as fn()), (AGAIN, again), (CANCEL, close)] {
        if event.is_action(id) {
            act();
            return Some(Verdict::Block);
        }
    }
    if event.on_own_ui() {
        // The bar steps aside when the pointer reaches it while picking: what the
        // operator wants may be under it (the status sits at the top, the typing
        // area at the bottom).
        if matches!(event.kind(), Kind::Hover) && picking() {
            dodge();
        }
        // Its own buttons take the keyboard as buttons do.
        return Some(Verdict::Allow);
    }
    match event.kind() {
        Kind::Hover => {
            if picking() {
                if let Some(t) = event.target() {
                    set_current(Some(t.clone()));
                }
            }
            Some(Verdict::Allow)
        }
        Kind::Click => {
            if let Some(t) = event.target() {
                set_current(Some(t.clone()));
                pick();
            }
            Some(Verdict::Block)
        }
        Kind::MouseDown | Kind::Submit => Some(Verdict::Block),
        Kind::KeyDown => {
            let key = event.key().map(|k| k.name).unwrap_or_default();
            let current = PICKER.with(|p| p.borrow().as_ref().and_then(|p| p.current.clone()));
            let next = |el: &Element| -> Option<Element> {
                match key.as_str() {
                    "ArrowUp" => el.parent_element().filter(|p| p.tag_name() != "HTML"),
                    "ArrowDown" => el.first_element_child(),
                    "ArrowLeft" => el.previous_element_sibling(),
                    "ArrowRight" => el.next_element_sibling(),
                    _ => None,
                }
            };
            match key.as_str() {
                "Escape" => close(),
                "Enter" => pick(),
                _ => {
                    if let Some(n) = current.as_ref().and_then(next) {
                        if !is_own(n.unchecked_ref()) {
                            set_current(Some(n));
                        }
                    }
                }
            }
            Some(Verdict::Block)
        }
        _ => Some(Verdict::Allow),
    }
}

/// Picking (no proposal shown yet).
fn picking() -> bool {
    PICKER.with(|p| p.borrow().as_ref().is_some_and(|p| p.proposal.is_none()))
}

/// Moves the bar to the other edge of the window.
fn dodge() {
    let Some(d) = doc() else { return };
    if let Ok(Some(bar)) = d.query_selector(&format!("[{UI_ATTR}=\"{BAR}\"]")) {
        let top = bar.get_attribute(EDGE).as_deref() == Some("top");
        let _ = bar.set_attribute(EDGE, if top { "bottom" } else { "top" });
    }
}

fn set_current(el: Option<Element>) {
    PICKER.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.current = el;
        }
    });
    draw_outline();
}

fn again() {
    PICKER.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.proposal = None;
            p.problem = None;
        }
    });
    draw();
}

/// What the picked element shows, for `core::repair`.
fn facts(el: &Element) -> PickedFacts {
    let attr = |n: &str| el.get_attribute(n).filter(|v| !v.trim().is_empty());
    let own_lines = lines(el);
    let alt = attr("alt").or_else(|| {
        let imgs = query_all(el, "img[alt]");
        (imgs.len() == 1)
            .then(|| imgs[0].get_attribute("alt"))
            .flatten()
    });
    // The icon's names: the element's own classes when it is the icon, else those of
    // the icons inside it.
    let icons = if el.child_element_count() == 0 {
        vec![el.clone()]
    } else {
        query_all(el, "i, svg, [class*=icon]")
    };
    let icon_classes = icons
        .iter()
        .flat_map(|i| {
            i.get_attribute("class")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let control = controls_kind(el).map(|k| (k, control_name(el)));
    let headers = Grid::read(el)
        .map(|g| g.header_texts())
        .filter(|h| h.len() >= 2)
        .unwrap_or_default();
    let last_button = query_all(el, "button, [role=button], a")
        .last()
        .map(|b| text_of(b).trim().to_string());
    let data = el
        .get_attribute_names()
        .iter()
        .filter_map(|n| n.as_string())
        .filter(|n| {
            n.starts_with("data-") && !n.starts_with("data-lh3") && !n.starts_with("data-sim")
        })
        .filter_map(|n| Some((n.clone(), el.get_attribute(&n)?)))
        .collect();
    let (path, path_root_id) = path_of(el);
    PickedFacts {
        tag: el.tag_name().to_ascii_lowercase(),
        text: text_of(el).trim().to_string(),
        first_line: own_lines
            .first()
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default(),
        aria_label: attr("aria-label"),
        title: attr("title"),
        alt,
        role: attr("role").or_else(|| Some(role_of(el)).filter(|r| !r.is_empty())),
        id: attr("id"),
        data,
        classes: el
            .get_attribute("class")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        icon_classes,
        control,
        headers,
        last_button,
        path,
        path_root_id,
    }
}

fn controls_kind(el: &Element) -> Option<ControlKind> {
    [
        ControlKind::TypingArea,
        ControlKind::Checkbox,
        ControlKind::Radio,
        ControlKind::Field,
    ]
    .into_iter()
    .find(|k| el.matches(controls_of(*k)).unwrap_or(false))
}

/// `tag:nth-child(n)` steps down to `el` from the nearest ancestor with an id the app
/// did not generate (or from `<body>`).
fn path_of(el: &Element) -> (Vec<String>, Option<String>) {
    let mut steps = Vec::new();
    let mut at = el.clone();
    loop {
        let Some(parent) = at.parent_element() else {
            break;
        };
        let index = elements(parent.child_nodes())
            .position(|c| c.is_same_node(Some(at.unchecked_ref())))
            .unwrap_or(0)
            + 1;
        steps.push(format!(
            "{}:nth-child({index})",
            at.tag_name().to_ascii_lowercase()
        ));
        if let Some(id) = parent.get_attribute("id").filter(|i| !is_generated_id(i)) {
            steps.reverse();
            return (steps, Some(id));
        }
        if parent.tag_name().eq_ignore_ascii_case("body") {
            break;
        }
        at = parent;
    }
    steps.reverse();
    (steps, None)
}

/// What the extension reads with a table, said for the operator (counts and the status
/// word only: never what patrons wrote).
fn reads(id: &str, d: &Document, locate: &mut Locate) -> String {
    match id {
        ids::STATUS_MENU => match read::read_status(d, locate) {
            Some(s) => format!("{}: {s:?}", crate::ext::t("pickerStatus")),
            None => crate::ext::t("pickerNoStatus"),
        },
        ids::LOGIN_DIALOG => match read::read_login_dialog(d, locate) {
            Some(l) => format!("{} {}", l.queues.len(), crate::ext::t("pickerQueueToggleS")),
            None => crate::ext::t("pickerNothing"),
        },
        ids::STAFFING_GROUP => match read::read_staffing(d, locate) {
            Some(q) => format!("{} {}", q.len(), crate::ext::t("pickerQueueS")),
            None => crate::ext::t("pickerNothing"),
        },
        ids::HISTORY_TABLE => match locate.first(d, id).and_then(|r| Grid::read(&r)) {
            Some(g) => format!("{} {}", g.rows().len(), crate::ext::t("pickerRowS")),
            None => crate::ext::t("pickerNothing"),
        },
        _ => {
            let n = locate.all(d, id).len();
            format!("{n} {}", crate::ext::t("pickerElementS"))
        }
    }
}

/// The first candidate that finds the picked element, tried on the live page.
fn pick() {
    let Some(d) = doc() else { return };
    let Some((table, locator, picked)) = PICKER.with(|p| {
        let p = p.borrow();
        let p = p.as_ref()?;
        Some((p.table.clone(), p.locator.clone(), p.current.clone()?))
    }) else {
        return;
    };
    let f = facts(&picked);
    let mut found = None;
    for candidate in candidates(&locator, &f) {
        let fix = override_with(&locator, &candidate);
        let mut trial: Vec<Locator> = table.clone();
        crate::core::repair::save_override(&mut trial, fix.clone());
        let mut locate = Locate::new(trial);
        let hits = locate.all(&d, &locator.id);
        // The picked element, or what a finder returns for it (the button around an
        // icon, the box around a title).
        let hit = hits.iter().any(|h| {
            h.is_same_node(Some(picked.unchecked_ref()))
                || h.contains(Some(picked.unchecked_ref())) && depth_between(h, &picked) <= 3
                || picked.contains(Some(h.unchecked_ref())) && depth_between(&picked, h) <= 3
        });
        if hit {
            let reads = reads(&locator.id, &d, &mut locate);
            found = Some(Proposal {
                locator: fix,
                candidate,
                matches: hits.len(),
                reads,
            });
            break;
        }
    }
    PICKER.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            p.problem = found.is_none().then(|| crate::ext::t("pickerNoWayToFind"));
            p.proposal = found;
        }
    });
    draw();
}

fn depth_between(outer: &Element, inner: &Element) -> usize {
    let mut n = 0;
    let mut at = inner.parent_element();
    while let Some(e) = at {
        n += 1;
        if e.is_same_node(Some(outer.unchecked_ref())) {
            return n;
        }
        at = e.parent_element();
    }
    usize::MAX
}

fn save() {
    let Some(fix) = PICKER.with(|p| {
        let p = p.borrow();
        let p = p.as_ref()?;
        Some(p.proposal.as_ref()?.locator.clone())
    }) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let msg = ContentToBackground::SaveLocatorOverride { locator: fix };
        match crate::ext::ask::<()>(&msg).await {
            // The settings change comes back through storage: the page is read again.
            Ok(()) => close(),
            Err(e) => {
                PICKER.with(|p| {
                    if let Some(p) = p.borrow_mut().as_mut() {
                        p.problem =
                            Some(format!("{} {}", crate::ext::t("pickerTheFixWasNot"), e.0));
                    }
                });
                draw();
            }
        }
    });
}

/// A short description of a way of finding things, for the bar.
fn describe(find: &Find) -> String {
    match find {
        Find::Css { selector } => format!("CSS {selector}"),
        other => format!("{}: {}", other.kind_name(), other.words().join(" / ")),
    }
}

fn bar(p: &Picker) -> Node {
    let title = format!("{} {}", crate::ext::t("pickerFix"), p.locator.purpose);
    let mut bar = part("div", BAR)
        .attr("role", "dialog")
        .attr("lang", p.language.code())
        .attr("aria-label", &title)
        .attr("data-lh3-picker", &p.locator.id)
        .child(part("strong", "title").text(&title));
    match &p.proposal {
        None => {
            bar = bar
                .attr("data-lh3-stage", "picking")
                .child(part("p", "text").text(&crate::ext::t("pickerPointAtItOn")));
        }
        Some(prop) => {
            bar = bar
                .attr("data-lh3-stage", "proposal")
                .attr("data-lh3-matches", &prop.matches.to_string())
                .attr(
                    "data-lh3-fragile",
                    if prop.candidate.fragile {
                        "true"
                    } else {
                        "false"
                    },
                )
                .child(part("p", "found").text(&format!(
                    "{} {} — {}",
                    crate::ext::t("pickerFinds"),
                    prop.matches,
                    describe(&prop.candidate.find)
                )))
                .child(part("p", "reads").text(&format!(
                    "{} {}",
                    crate::ext::t("pickerNowReads"),
                    prop.reads
                )));
            if prop.candidate.fragile {
                bar = bar
                    .child(part("p", "fragile").text(&crate::ext::t("pickerFragileThisDependsOn")));
            }
        }
    }
    if let Some(problem) = &p.problem {
        bar = bar.child(part("p", "problem").attr("role", "alert").text(problem));
    }
    let mut buttons = part("div", "buttons");
    if p.proposal.is_some() {
        buttons = buttons
            .child(action_button(
                &crate::ext::t("pickerSaveFix"),
                SAVE,
                Some("primary"),
            ))
            .child(action_button(
                &crate::ext::t("pickerPickAgain"),
                AGAIN,
                None,
            ));
    }
    bar.child(buttons.child(action_button(&crate::ext::t("pickerCancel"), CANCEL, None)))
}

fn draw() {
    let Some(d) = doc() else { return };
    let node = PICKER.with(|p| p.borrow().as_ref().map(bar));
    let Some(node) = node else { return };
    let Some(el) = node.render(&d) else { return };
    let old = d
        .query_selector(&format!("[{UI_ATTR}=\"{BAR}\"]"))
        .ok()
        .flatten();
    match old {
        Some(old) => {
            if let Some(edge) = old.get_attribute(EDGE) {
                let _ = el.set_attribute(EDGE, &edge);
            }
            let _ = old.replace_with_with_node_1(&el);
        }
        None => {
            if let Some(body) = d.body() {
                let _ = body.append_child(&el);
            }
        }
    }
    // The first button takes the keyboard once a proposal is shown.
    let proposing = PICKER.with(|p| p.borrow().as_ref().is_some_and(|p| p.proposal.is_some()));
    if proposing {
        if let Some(b) = el
            .query_selector("button")
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = b.focus();
        }
    }
    draw_outline();
}

/// The outline over what the pointer or the arrows are on.
fn draw_outline() {
    let Some(d) = doc() else { return };
    let current = PICKER.with(|p| p.borrow().as_ref().and_then(|p| p.current.clone()));
    let outline = match d
        .query_selector(&format!("[{UI_ATTR}=\"{OUTLINE}\"]"))
        .ok()
        .flatten()
    {
        Some(o) => o,
        None => {
            let Some(o) = part("div", OUTLINE).attr("aria-hidden", "true").render(&d) else {
                return;
            };
            if let Some(body) = d.body() {
                let _ = body.append_child(&o);
            }
            o
        }
    };
    let Some(el) = current else {
        let _ = outline.set_attribute("hidden", "");
        return;
    };
    let r = el.get_bounding_client_rect();
    let _ = outline.remove_attribute("hidden");
    let style = format!(
        "top:{}px;left:{}px;width:{}px;height:{}px",
        r.top(),
        r.left(),
        r.width(),
        r.height()
    );
    let _ = outline.set_attribute("style", &style);
}
