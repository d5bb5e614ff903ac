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
//! Decides: `leaving::gate` (`leaving::logout_gate` with history counts),
//! `leaving::missed_shift`, `leaving::gate_event`.
//! Shows: a panel (`data-lh3-panel="logout-gate"`, items `data-lh3-outstanding=KEY`),
//! a missed-shift notice (`data-lh3-notice="leaving.missed_shift"`), the popup's
//! `missed_shift`, each choice as an event of the shift in the checklist's shift log.
//!
//! It sees the select's `input`/`change` and clicks on the Logout link before the
//! page's own handlers do (`page::events`): the page never sees a Logout it should not.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlSelectElement};

use super::{
    Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Place, Shown, Verdict,
};
use crate::core::leaving::{
    gate, gate_event, missed_shift, outstanding_key, GateChoice, GateView, LogoutVia, MissedShift,
};
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::Language;
use crate::core::snapshot::Status;
use crate::core::wake::Wake;
use crate::page::notices::{action_button, part, Node};
use crate::page::panel::mail_link;
use crate::page::text_of;

const MISSED: &str = "leaving.missed_shift";
const PANEL_ATTR: &str = "data-lh3-panel";
const PANEL: &str = "logout-gate";
const BACK: &str = "logout-gate.back";
const ANYWAY: &str = "logout-gate.anyway";

#[derive(Default)]
pub struct LogoutGate {
    /// The gate at the last flush; `None` when not connected (nothing to stop).
    view: Option<GateView>,
    missed: Option<MissedShift>,
    select: Option<HtmlSelectElement>,
    /// The status control, whatever it is (a dropdown button on the real client).
    menu: Option<Element>,
    /// The Logout element the operator clicked (pressed again on "log out anyway").
    clicked: Option<Element>,
    /// The drop-down's value before the operator chose Logout (restored on "go back").
    previous: Option<String>,
    links: Vec<Element>,
    /// An `input` was stopped: the `change` that follows it is stopped too.
    swallow_change: bool,
    /// The panel is open, for this way of logging out.
    open: Option<LogoutVia>,
    language: Language,
    shift_key: String,
}

/// The status an option of the drop-down stands for.
fn selected_status(select: &HtmlSelectElement) -> Option<Status> {
    let i = select.selected_index();
    let option = select.options().item(u32::try_from(i).ok()?)?;
    Some(Status::parse(&text_of(&option)))
}

impl LogoutGate {
    /// The operator's choice, as an event of the shift.
    fn record(&self, choice: GateChoice, via: LogoutVia, ctx: &mut EventCtx) {
        let empty = GateView::default();
        let view = self.view.as_ref().unwrap_or(&empty);
        let event = gate_event(choice, via, view, &self.shift_key, ctx.now);
        ctx.then(Effect::Record(event));
    }
}

/// The missed-shift steps, with both emails ready.
fn missed_section(m: &MissedShift, heading: bool) -> Node {
    let mut section = part("section", "missed-shift").attr("data-lh3-section", "missed-shift");
    if heading {
        section = section.child(part("h3", "heading").text(&m.title));
    }
    let links = part("p", "links")
        .child(mail_link(
            &m.staying,
            &m.staying_label,
            "missed_shift.staying",
        ))
        .child(mail_link(
            &m.not_staying,
            &m.not_staying_label,
            "missed_shift.not_staying",
        ));
    section
        .child(part("p", "who").text(&crate::ext::say(&m.who)))
        .child(
            part("ol", "steps")
                .child(part("li", "step").text(&m.check_schedule))
                .child(
                    part("li", "step")
                        .child(part("span", "text").text(&m.email_hint))
                        .child(links),
                )
                .child(
                    part("li", "step")
                        .attr("data-lh3-step", "appreciated")
                        .text(&m.appreciated),
                )
                .child(
                    part("li", "step")
                        .attr("data-lh3-step", "tell_others")
                        .text(&m.tell_others),
                ),
        )
}

impl LogoutGate {
    /// The panel for the gate as it stands, opened for `via`.
    fn panel(&self, via: LogoutVia) -> Node {
        let empty = GateView::default();
        let view = self.view.as_ref().unwrap_or(&empty);
        let items = view.outstanding.iter().map(|o| {
            part("li", "item")
                .attr("data-lh3-outstanding", outstanding_key(o))
                .text(&crate::ext::say(&o.text()))
        });
        let intro = if view.outstanding.is_empty() {
            crate::ext::t("logoutGateNothingIsLeftTo")
        } else {
            crate::ext::t("logoutGateTheLogOutProcedure")
        };
        let mut panel = part("section", "panel")
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
                part("h2", "heading")
                    .attr("id", "lh3-logout-gate-title")
                    .text(&crate::ext::t("logoutGateBeforeYouLogOut")),
            )
            .child(part("p", "text").text(&intro))
            .child(part("ul", "outstanding").children(items));
        if let Some(m) = &self.missed {
            panel = panel.child(missed_section(m, true));
        }
        let leave = if view.must_confirm {
            crate::ext::t("logoutGateLogOutAnyway")
        } else {
            crate::ext::t("logoutGateLogOut")
        };
        let panel = panel.child(
            part("div", "buttons")
                .child(action_button(
                    &crate::ext::t("logoutGateGoBack"),
                    BACK,
                    Some("primary"),
                ))
                .child(action_button(&leave, ANYWAY, Some("danger"))),
        );
        part("div", "overlay").attr(PANEL_ATTR, PANEL).child(panel)
    }

    /// What the gate shows as it stands: the panel while a Logout is held back, else
    /// the missed-shift steps in the dock when a replacement is missing.
    fn show(&self, page: &mut PageView) {
        match (self.open, &self.missed) {
            (Some(via), _) => {
                // "Go back" is the safe default for Enter.
                let shown = Shown::new(PANEL, Place::Overlay, self.panel(via)).focus(BACK);
                page.show(shown);
            }
            // The panel repeats the missed-shift steps: one copy on screen is enough.
            (None, Some(m)) => {
                page.show_in_dock(
                    MISSED,
                    NoticeLevel::Warning,
                    &m.title,
                    vec![missed_section(m, false)],
                );
            }
            (None, None) => {}
        }
    }
}

impl LogoutGate {
    /// "Go back" (or Escape): the panel closes, the focus returns to what they used.
    fn go_back(&mut self, ctx: &mut EventCtx) -> Verdict {
        let Some(via) = self.open.take() else {
            return Verdict::Allow;
        };
        self.swallow_change = false;
        self.record(GateChoice::WentBack, via, ctx);
        let target = match via {
            LogoutVia::StatusMenu => self.select.clone().map(Element::from).or(self.menu.clone()),
            LogoutVia::LogoutLink => self.links.first().cloned(),
        };
        self.clicked = None;
        // The Logout item was held back, so the app never closed its menu: close it,
        // as a second press of the status button does.
        if let Some(menu) = &self.menu {
            if self.select.is_none()
                && menu.get_attribute("aria-expanded").as_deref() == Some("true")
            {
                ctx.then(Effect::Press(menu.clone()));
            }
        }
        // The panel goes and the standing notices come back with the next pass.
        ctx.then(Effect::Flush);
        if let Some(target) = target {
            ctx.then(Effect::Focus(target));
        }
        Verdict::Block
    }

    /// "Log out anyway": the operator's own choice is repeated — Logout in the
    /// drop-down, or a click on the Logout element they clicked (if the app has since
    /// closed that menu, Logout chosen again in the status menu). The events that
    /// carries out are the extension's own and pass this gate.
    fn log_out_anyway(&mut self, ctx: &mut EventCtx) -> Verdict {
        let Some(via) = self.open.take() else {
            return Verdict::Allow;
        };
        let choice = if self.view.as_ref().is_some_and(|v| v.must_confirm) {
            GateChoice::LoggedOutAnyway
        } else {
            GateChoice::NothingOutstanding
        };
        self.record(choice, via, ctx);
        self.swallow_change = false;
        ctx.then(Effect::Flush);
        let clicked = self.clicked.take();
        match via {
            LogoutVia::StatusMenu if self.select.is_some() => {
                let logout = self.select.as_ref().and_then(|select| {
                    let options = select.options();
                    (0..options.length())
                        .filter_map(|i| options.item(i))
                        .map(|o| text_of(&o))
                        .find(|t| Status::parse(t) == Status::Logout)
                        .map(|t| (select.clone(), t))
                });
                if let Some((select, option)) = logout {
                    ctx.then(Effect::Fill(select.into(), option.trim().to_string()));
                }
            }
            _ => match clicked.or_else(|| self.links.first().cloned()) {
                Some(el) if el.is_connected() => ctx.then(Effect::Press(el)),
                _ => {
                    if let Some(menu) = self.menu.clone() {
                        ctx.then(Effect::ChooseStatus(menu, "Logout".to_string()));
                    }
                }
            },
        }
        Verdict::Block
    }

    /// Logout chosen in the drop-down (`input`, then `change`).
    fn on_select(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        let Some(select) = self.select.clone() else {
            return Verdict::Allow;
        };
        if !event
            .target()
            .is_some_and(|t| select.is_same_node(Some(t.unchecked_ref())))
        {
            return Verdict::Allow;
        }
        let change = event.kind() == Kind::Change;
        if change && self.swallow_change {
            self.swallow_change = false;
            return Verdict::Block;
        }
        if selected_status(&select) != Some(Status::Logout) {
            return Verdict::Allow;
        }
        if !self.view.as_ref().is_some_and(|v| v.must_confirm) {
            if change {
                self.record(GateChoice::NothingOutstanding, LogoutVia::StatusMenu, ctx);
            }
            return Verdict::Allow;
        }
        if let Some(prev) = &self.previous {
            select.set_value(prev);
        }
        self.swallow_change = !change;
        self.open(LogoutVia::StatusMenu, ctx)
    }

    /// A click on a Logout element: the rail's, or the status menu's Logout item.
    fn on_link(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        let clicked = match event.within_any(&self.links) {
            Some(el) => el.clone(),
            None => {
                // A dropdown's menu is drawn when it opens, maybe after the last pass.
                let doc = ctx.doc;
                let fresh = not_in(ctx.locate().all(doc, ids::LOGOUT_LINK), &self.menu);
                match event.within_any(&fresh) {
                    Some(el) => el.clone(),
                    None => return Verdict::Allow,
                }
            }
        };
        // An item of the status control's own dropdown is the status menu's way.
        let via = match self.menu.as_ref().and_then(|m| m.parent_element()) {
            Some(group) if group.contains(Some(clicked.unchecked_ref())) => LogoutVia::StatusMenu,
            _ => LogoutVia::LogoutLink,
        };
        if !self.view.as_ref().is_some_and(|v| v.must_confirm) {
            self.record(GateChoice::NothingOutstanding, via, ctx);
            return Verdict::Allow;
        }
        self.clicked = Some(clicked);
        self.open(via, ctx)
    }

    /// Holds the Logout back and opens the panel (shown by the pass that follows).
    fn open(&mut self, via: LogoutVia, ctx: &mut EventCtx) -> Verdict {
        self.open = Some(via);
        ctx.then(Effect::Flush);
        Verdict::Block
    }
}

/// What the `LOGOUT_LINK` locator found, but never the status control itself (it may
/// show the word "Logout" while logged out).
fn not_in(found: Vec<Element>, menu: &Option<Element>) -> Vec<Element> {
    found
        .into_iter()
        .filter(|el| {
            !menu
                .as_ref()
                .is_some_and(|m| m.contains(Some(el.unchecked_ref())))
        })
        .collect()
}

impl Feature for LogoutGate {
    fn id(&self) -> FeatureId {
        FeatureId::LogoutGate
    }

    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if event.is_action(BACK) {
            return self.go_back(ctx);
        }
        if event.is_action(ANYWAY) {
            return self.log_out_anyway(ctx);
        }
        if event.kind() == Kind::KeyDown {
            let escape = event.key().is_some_and(|k| k.name == "Escape");
            return if escape {
                self.go_back(ctx)
            } else {
                Verdict::Allow
            };
        }
        if event.on_own_ui() {
            return Verdict::Allow;
        }
        match event.kind() {
            Kind::Input | Kind::Change => self.on_select(event, ctx),
            Kind::Click => self.on_link(event, ctx),
            _ => Verdict::Allow,
        }
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        // An unreadable status may be a connected one: the gate stays (as the tab guard).
        let connected = page.snapshot.may_be_connected();
        let view = connected.then(|| {
            gate(
                page.snapshot,
                page.shift,
                page.settings,
                &page.memory.remembered.leaving,
                page.memory.history(page.report.history, page.now),
            )
        });
        let missed = view.as_ref().and_then(|v| {
            missed_shift(
                v,
                page.settings,
                &crate::ext::catalog::current(),
                page.shift,
                &page.settings.operator_name,
            )
        });
        let menu = page.locate.first(page.doc, ids::STATUS_MENU);
        let select = menu
            .clone()
            .and_then(|el| el.dyn_into::<HtmlSelectElement>().ok());
        let links = not_in(page.locate.all(page.doc, ids::LOGOUT_LINK), &menu);
        let lang = page.settings.language();
        if let Some(sel) = &select {
            if selected_status(sel).is_some_and(|st| st.is_connected()) {
                self.previous = Some(sel.value());
            }
        }
        self.select = select;
        self.menu = menu;
        self.links = links;
        self.view = view;
        self.missed = missed.clone();
        self.language = lang;
        self.shift_key = page.memory.shift_key.clone();
        self.swallow_change = false;
        if self.view.is_none() {
            // Logged out (or never connected): nothing left to ask.
            self.open = None;
        }
        if self.open.is_some() {
            // "The shift runs 12 more min" counts down while the panel is up.
            if let Some(shift) = &page.shift.shift {
                let end = shift.end;
                page.wake(Wake::MinutesFrom(end));
            }
        }
        self.show(page);
        page.report.missed_shift = missed.clone();
        if let Some(m) = &missed {
            page.notice(MISSED, NoticeLevel::Warning, m.who.clone());
        }
        Ok(())
    }

    fn clear(&mut self, _doc: &Document) {
        // Turned off: no event reaches it until it is on again.
        self.view = None;
        self.open = None;
        self.missed = None;
    }

    /// A New chat that arrives while connected must hold the Logout back at once, not
    /// at the next full pass.
    fn history_changed(&mut self, page: &mut PageView) -> bool {
        if self.view.is_none() {
            return false;
        }
        self.view = Some(gate(
            page.snapshot,
            page.shift,
            page.settings,
            &page.memory.remembered.leaving,
            page.memory.history(page.report.history, page.now),
        ));
        self.show(page);
        true
    }
}
