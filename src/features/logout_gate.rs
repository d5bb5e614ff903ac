//! Feature `logout-gate`: choosing Logout (the status drop-down or the Logout link)
//! before the shift has ended, or with work outstanding, first shows what the logout
//! procedure still asks — replacements logged in, chats told and transferred, New chats
//! picked up, offline texts answered, the backchat sign-off. The operator goes back, or
//! logs out anyway (then the extension repeats exactly what they chose). Each choice is
//! recorded in the shift history. When the shift is over and a replacement is missing,
//! the missed-shift steps and emails are shown in the page and handed to the popup.
//!
//! Observes: the status drop-down, the Logout link, the snapshot, Chat History counts
//! (from `new-chats`, which runs first) and what was remembered (the sign-off).
//! Decides: `departure::gate` (`leaving::logout_gate` with history counts),
//! `departure::missed_shift`, `departure::gate_event`.
//! Shows: a panel (`data-lh3-panel="logout-gate"`, items `data-lh3-outstanding=KEY`),
//! a missed-shift notice (`data-lh3-notice="leaving.missed_shift"`), the popup's
//! `missed_shift`, each choice as an event of the shift in the checklist's shift log.
//!
//! Listeners sit on `window` in the capture phase, so they run before the page's own
//! handlers on the select and the link (the page never sees a Logout it should not).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlSelectElement};

use super::{Feature, FeatureId, PageView};
use crate::core::departure::{
    gate, gate_event, log_event, missed_shift, outstanding_key, GateChoice, LogoutVia, MissedShift,
    ShiftHistoryEvent,
};
use crate::core::leaving::GateView;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::{Language, LocalText};
use crate::core::snapshot::Status;
use crate::core::wake::Wake;
use crate::page::controls::fire;
use crate::page::notices::{is_own, on_action};
use crate::page::panel::{action_button, hide_block, mail_link, part, show_block};
use crate::page::text_of;
use crate::page::{listen_capture, target_element};

const FEATURE: &str = "logout-gate";
const MISSED: &str = "leaving.missed_shift";
const PANEL_ATTR: &str = "data-lh3-panel";
const PANEL: &str = "logout-gate";
const BACK: &str = "logout-gate.back";
const ANYWAY: &str = "logout-gate.anyway";

/// What the listeners need between flushes.
#[derive(Default)]
struct Shared {
    /// The gate at the last flush; `None` when not connected (nothing to stop).
    view: Option<GateView>,
    missed: Option<MissedShift>,
    select: Option<HtmlSelectElement>,
    /// The drop-down's value before the operator chose Logout (restored on "go back").
    previous: Option<String>,
    links: Vec<Element>,
    /// The operator chose "log out anyway": let the next Logout through.
    bypass: bool,
    /// An `input` was stopped: the `change` that follows it is stopped too.
    swallow_change: bool,
    /// The panel is open, for this way of logging out.
    open: Option<LogoutVia>,
    language: Language,
    shift_key: String,
}

type Handle = Rc<RefCell<Shared>>;

pub struct LogoutGate {
    shared: Handle,
    listener: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Default for LogoutGate {
    fn default() -> Self {
        LogoutGate {
            shared: Rc::new(RefCell::new(Shared::default())),
            listener: None,
        }
    }
}

fn text(lang: Language, en: &str, fr: &str) -> String {
    LocalText::new(en, fr).get(lang).to_string()
}

/// The status an option of the drop-down stands for.
fn selected_status(select: &HtmlSelectElement) -> Option<Status> {
    let i = select.selected_index();
    let option = select.options().item(u32::try_from(i).ok()?)?;
    Some(Status::parse(&text_of(&option)))
}

/// Adds an event to its shift in the shift log the popup keeps (read, add, write).
fn record(event: ShiftHistoryEvent) {
    use crate::ui::checklist::{load_log, SHIFT_LOG_KEY};
    wasm_bindgen_futures::spawn_local(async move {
        let mut log = load_log().await;
        log_event(&mut log, event);
        if let Ok(v) = crate::ext::to_js(&log) {
            let _ = crate::ext::local::set(SHIFT_LOG_KEY, &v).await;
        }
    });
}

fn record_choice(shared: &Shared, choice: GateChoice, via: LogoutVia) {
    let empty = GateView::default();
    let view = shared.view.as_ref().unwrap_or(&empty);
    let now = crate::ext::clock::now();
    record(gate_event(choice, via, view, &shared.shift_key, now));
}

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

fn panel_of(doc: &Document) -> Option<Element> {
    doc.query_selector(&format!("[{PANEL_ATTR}=\"{PANEL}\"]"))
        .ok()
        .flatten()
}

/// The missed-shift steps, with both emails ready.
fn missed_section(doc: &Document, m: &MissedShift, heading: bool) -> Element {
    let mut section = part(doc, "section", "missed-shift").attr("data-lh3-section", "missed-shift");
    if heading {
        section = section.child(part(doc, "h3", "heading").text(&m.title));
    }
    let links = part(doc, "p", "links")
        .child(mail_link(
            doc,
            &m.staying,
            &m.staying_label,
            "missed_shift.staying",
        ))
        .child(mail_link(
            doc,
            &m.not_staying,
            &m.not_staying_label,
            "missed_shift.not_staying",
        ));
    section
        .child(part(doc, "p", "who").text(&m.who))
        .child(
            part(doc, "ol", "steps")
                .child(part(doc, "li", "step").text(&m.check_schedule))
                .child(
                    part(doc, "li", "step")
                        .child(part(doc, "span", "text").text(&m.email_hint))
                        .child(links),
                )
                .child(
                    part(doc, "li", "step")
                        .attr("data-lh3-step", "appreciated")
                        .text(&m.appreciated),
                )
                .child(
                    part(doc, "li", "step")
                        .attr("data-lh3-step", "tell_others")
                        .text(&m.tell_others),
                ),
        )
        .into()
}

/// What the panel shows, to rebuild it only when that changed.
fn signature(shared: &Shared) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}",
        shared.open, shared.view, shared.missed, shared.language
    )
}

/// Shows (or refreshes) the panel for the current gate.
fn render_panel(doc: &Document, shared: &Shared) {
    let Some(via) = shared.open else {
        return;
    };
    let sig = signature(shared);
    let existing = panel_of(doc);
    if existing
        .as_ref()
        .is_some_and(|p| p.get_attribute("data-lh3-signature").as_deref() == Some(sig.as_str()))
    {
        return;
    }
    let lang = shared.language;
    let empty = GateView::default();
    let view = shared.view.as_ref().unwrap_or(&empty);
    let items: Vec<Element> = view
        .outstanding
        .iter()
        .map(|o| {
            part(doc, "li", "item")
                .attr("data-lh3-outstanding", outstanding_key(o))
                .text(o.text().get(lang))
                .into()
        })
        .collect();
    let intro = if view.outstanding.is_empty() {
        text(
            lang,
            "Nothing is left to do: you can log out.",
            "Tout est fait : vous pouvez vous déconnecter.",
        )
    } else {
        text(
            lang,
            "The log out procedure still asks:",
            "La procédure de départ demande encore :",
        )
    };
    let mut panel = part(doc, "section", "panel")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-labelledby", "lh3-logout-gate-title")
        .attr(
            "data-via",
            match via {
                LogoutVia::StatusMenu => "status",
                LogoutVia::LogoutLink => "link",
            },
        )
        .child(
            part(doc, "h2", "heading")
                .attr("id", "lh3-logout-gate-title")
                .text(&text(
                    lang,
                    "Before you log out",
                    "Avant de vous déconnecter",
                )),
        )
        .child(part(doc, "p", "text").text(&intro))
        .child(part(doc, "ul", "outstanding").children(items));
    if let Some(m) = &shared.missed {
        panel = panel.child(missed_section(doc, m, true));
    }
    let leave = if view.must_confirm {
        text(lang, "Log out anyway", "Me déconnecter quand même")
    } else {
        text(lang, "Log out", "Me déconnecter")
    };
    let panel = panel.child(
        part(doc, "div", "buttons")
            .child(action_button(
                doc,
                &text(lang, "Go back", "Revenir"),
                BACK,
                "primary",
            ))
            .child(action_button(doc, &leave, ANYWAY, "danger")),
    );
    let overlay: Element = part(doc, "div", "overlay")
        .attr(PANEL_ATTR, PANEL)
        .attr("data-lh3-signature", &sig)
        .child(panel)
        .into();
    let had_focus = existing.as_ref().is_some_and(|p| {
        doc.active_element()
            .is_some_and(|a| p.contains(Some(a.unchecked_ref())))
    });
    let was_open = existing.is_some();
    match existing {
        Some(old) => {
            let _ = old.replace_with_with_node_1(&overlay);
        }
        None => {
            if let Some(body) = doc.body() {
                let _ = body.append_child(&overlay);
            }
        }
    }
    if had_focus || !was_open {
        // "Go back" is the safe default for Enter.
        if let Ok(Some(b)) = overlay.query_selector(&format!("[data-lh3-action=\"{BACK}\"]")) {
            if let Some(b) = b.dyn_ref::<HtmlElement>() {
                let _ = b.focus();
            }
        }
    }
}

fn close_panel(doc: &Document) {
    if let Some(p) = panel_of(doc) {
        p.remove();
    }
}

fn go_back(handle: &Handle) {
    let target = {
        let mut s = handle.borrow_mut();
        let Some(via) = s.open.take() else {
            return;
        };
        s.swallow_change = false;
        record_choice(&s, GateChoice::WentBack, via);
        match via {
            LogoutVia::StatusMenu => s.select.clone().map(Element::from),
            LogoutVia::LogoutLink => s.links.first().cloned(),
        }
    };
    if let Some(doc) = document() {
        close_panel(&doc);
    }
    // Show the standing notices again.
    crate::content::request_flush();
    if let Some(el) = target.as_ref().and_then(|t| t.dyn_ref::<HtmlElement>()) {
        let _ = el.focus();
    }
}

/// Repeats the operator's own choice, now confirmed: Logout in the drop-down, or a
/// click on the Logout link.
fn log_out_anyway(handle: &Handle) {
    let (via, select, link) = {
        let mut s = handle.borrow_mut();
        let Some(via) = s.open.take() else {
            return;
        };
        let choice = if s.view.as_ref().is_some_and(|v| v.must_confirm) {
            GateChoice::LoggedOutAnyway
        } else {
            GateChoice::NothingOutstanding
        };
        record_choice(&s, choice, via);
        s.bypass = true;
        s.swallow_change = false;
        (via, s.select.clone(), s.links.first().cloned())
    };
    if let Some(doc) = document() {
        close_panel(&doc);
    }
    // No borrow is held here: the events below pass through our own listener.
    match via {
        LogoutVia::StatusMenu => {
            let Some(select) = select else { return };
            let options = select.options();
            let logout = (0..options.length())
                .filter_map(|i| options.item(i).map(|o| (i, o)))
                .find(|(_, o)| Status::parse(&text_of(o)) == Status::Logout);
            if let Some((i, _)) = logout {
                select.set_selected_index(i as i32);
                fire(select.unchecked_ref(), "input");
                fire(select.unchecked_ref(), "change");
            }
        }
        LogoutVia::LogoutLink => {
            if let Some(link) = link.as_ref().and_then(|l| l.dyn_ref::<HtmlElement>()) {
                link.click();
            }
        }
    }
    handle.borrow_mut().bypass = false;
}

/// One listener for the select's `input`/`change`, clicks on the Logout link, and
/// Escape while the panel is open.
fn on_event(handle: &Handle, e: &web_sys::Event) {
    let kind = e.type_();
    let Some(target) = target_element(e) else {
        return;
    };
    if kind == "keydown" {
        let escape = e
            .dyn_ref::<web_sys::KeyboardEvent>()
            .is_some_and(|k| k.key() == "Escape");
        if escape && handle.borrow().open.is_some() {
            e.prevent_default();
            go_back(handle);
        }
        return;
    }
    if is_own(&target) {
        return;
    }
    let via = {
        let mut s = handle.borrow_mut();
        match kind.as_str() {
            "input" | "change" => {
                let Some(select) = s.select.clone() else {
                    return;
                };
                if !select.is_same_node(Some(target.unchecked_ref())) || s.bypass {
                    return;
                }
                if kind == "change" && s.swallow_change {
                    s.swallow_change = false;
                    e.stop_immediate_propagation();
                    return;
                }
                if selected_status(&select) != Some(Status::Logout) {
                    return;
                }
                if !s.view.as_ref().is_some_and(|v| v.must_confirm) {
                    if kind == "change" {
                        record_choice(&s, GateChoice::NothingOutstanding, LogoutVia::StatusMenu);
                    }
                    return;
                }
                e.stop_immediate_propagation();
                if let Some(prev) = &s.previous {
                    select.set_value(prev);
                }
                s.swallow_change = kind == "input";
                LogoutVia::StatusMenu
            }
            "click" => {
                if !s
                    .links
                    .iter()
                    .any(|l| l.contains(Some(target.unchecked_ref())))
                    || s.bypass
                {
                    return;
                }
                if !s.view.as_ref().is_some_and(|v| v.must_confirm) {
                    record_choice(&s, GateChoice::NothingOutstanding, LogoutVia::LogoutLink);
                    return;
                }
                e.prevent_default();
                e.stop_immediate_propagation();
                LogoutVia::LogoutLink
            }
            _ => return,
        }
    };
    handle.borrow_mut().open = Some(via);
    if let Some(doc) = document() {
        // The panel repeats the missed-shift steps: one copy on screen is enough.
        hide_block(&doc, MISSED);
        render_panel(&doc, &handle.borrow());
    }
}

impl LogoutGate {
    fn listen(&mut self) {
        if self.listener.is_some() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let handle = self.shared.clone();
        let listener = listen_capture(
            &window,
            &["input", "change", "click", "keydown"],
            move |e: web_sys::Event| on_event(&handle, &e),
        );
        let back = self.shared.clone();
        on_action(BACK, move || go_back(&back));
        let anyway = self.shared.clone();
        on_action(ANYWAY, move || log_out_anyway(&anyway));
        self.listener = listener.ok();
    }
}

/// The Logout links of the page: links and buttons only (form labels such as "Log out
/// at a specific time" are not ways to log out).
fn logout_links(page: &mut PageView) -> Vec<Element> {
    page.locate
        .all(page.doc, ids::LOGOUT_LINK)
        .into_iter()
        .filter(|el| {
            matches!(
                crate::page::role_of(el).as_str(),
                "link" | "button" | "menuitem"
            )
        })
        .collect()
}

impl Feature for LogoutGate {
    fn id(&self) -> FeatureId {
        FeatureId::LogoutGate
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        self.listen();
        let connected = page.snapshot.connected();
        let view = connected.then(|| {
            gate(
                page.snapshot,
                page.shift,
                page.settings,
                &page.memory.remembered.leaving,
                page.report.history,
            )
        });
        let missed = view
            .as_ref()
            .and_then(|v| missed_shift(v, page.settings, page.shift, &page.settings.operator_name));
        let select = page
            .locate
            .first(page.doc, ids::STATUS_MENU)
            .and_then(|el| el.dyn_into::<HtmlSelectElement>().ok());
        let links = logout_links(page);
        let lang = page.settings.language;
        {
            let mut s = self.shared.borrow_mut();
            if let Some(sel) = &select {
                if selected_status(sel).is_some_and(|st| st.is_connected()) {
                    s.previous = Some(sel.value());
                }
            }
            s.select = select;
            s.links = links;
            s.view = view;
            s.missed = missed.clone();
            s.language = lang;
            s.shift_key = page.memory.shift_key.clone();
            s.swallow_change = false;
            if s.view.is_none() {
                // Logged out (or never connected): nothing left to ask.
                s.open = None;
            }
        }
        let open = self.shared.borrow().open.is_some();
        if open {
            render_panel(page.doc, &self.shared.borrow());
            // "The shift runs 12 more min" counts down while the panel is up.
            if let Some(shift) = &page.shift.shift {
                let end = shift.end;
                page.wake(Wake::MinutesFrom(end));
            }
        } else {
            close_panel(page.doc);
        }

        page.report.missed_shift = missed.clone();
        match &missed {
            Some(m) if !open => {
                let home = page.locate.first(page.doc, ids::CONTACTS);
                let sig = format!("{m:?}");
                show_block(
                    page.doc,
                    home.as_ref(),
                    MISSED,
                    NoticeLevel::Warning,
                    &m.title,
                    &sig,
                    |doc| vec![missed_section(doc, m, false)],
                );
            }
            _ => hide_block(page.doc, MISSED),
        }
        if let Some(m) = &missed {
            page.notice(
                FEATURE,
                MISSED,
                NoticeLevel::Warning,
                LocalText {
                    en: m.who.clone(),
                    fr: m.who.clone(),
                },
            );
        }
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        close_panel(doc);
        hide_block(doc, MISSED);
        let mut s = self.shared.borrow_mut();
        // Turned off: the listeners stay but let everything through.
        s.view = None;
        s.open = None;
        s.missed = None;
    }

    /// A New chat that arrives while connected must hold the Logout back at once, not
    /// at the next full pass.
    fn history_changed(&mut self, page: &mut PageView) {
        {
            let mut s = self.shared.borrow_mut();
            if s.view.is_none() {
                return;
            }
            s.view = Some(gate(
                page.snapshot,
                page.shift,
                page.settings,
                &page.memory.remembered.leaving,
                page.report.history,
            ));
        }
        render_panel(page.doc, &self.shared.borrow());
    }
}
