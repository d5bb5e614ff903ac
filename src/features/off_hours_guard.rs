//! Feature `off-hours-guard`: "Never log in to LibraryH3lp with your staff account
//! during off hours — this will turn the service on … use the training accounts".
//!
//! Observes: the login dialog, the status, and where the day stands.
//! Decides: `guards::off_hours_guard` — about to connect (the dialog is open) or
//! already connected, outside service hours.
//! Shows: about to connect, a notice laid over the whole login dialog, so "Connect now"
//! cannot be reached, until the operator chooses "I understand, continue" — recorded
//! with its time in the shift history (the popup's shift log). Keyboard users are
//! stopped too: a click, Enter or Space on "Connect now", or a submit of its form, is
//! cancelled in the capture phase while the notice stands. Connected, a notice under
//! the status drop-down says to log out (the extension never logs out by itself).

use web_sys::{Document, Element};

use super::{
    Action, Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Place, Shown, Verdict,
};
use crate::core::catalog::Said;
use crate::core::checklist::ShiftHistoryEvent;
use crate::core::guards::{off_hours_guard, OffHoursKind};
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::page::marks::set_attr;
use crate::page::notices;

const CONTINUE: &str = "off-hours-guard.continue";
/// On the login dialog while the notice covers it (styled by `content.css`).
pub const COVERED: &str = "data-lh3-covered";
/// On "Connect now" while it must not be pressed.
pub const BLOCKED: &str = "data-lh3-blocked";

#[derive(Default)]
pub struct OffHoursGuard {
    /// The period (`shift_key`) the operator chose to continue in.
    overridden: Option<String>,
    /// The login dialog and "Connect now", while marked covered and blocked.
    marked: Vec<(Element, &'static str)>,
}

/// A press of a blocked "Connect now" (mouse, Enter, Space) or a submit of the form
/// that holds it.
fn presses_blocked_connect(event: &PageEvent) -> bool {
    let Some(target) = event.target() else {
        return false;
    };
    let blocked = format!("[{BLOCKED}]");
    match event.kind() {
        Kind::Submit => target.query_selector(&blocked).ok().flatten().is_some(),
        Kind::KeyDown => {
            let key = event.key().map(|k| k.name).unwrap_or_default();
            // Enter in any field of the dialog would submit it.
            (key == "Enter" || key == " ")
                && (event.closest(&blocked).is_some()
                    || (key == "Enter"
                        && event.closest(&format!("[{COVERED}]")).is_some()
                        && !event.on_own_ui()))
        }
        Kind::Click => event.closest(&blocked).is_some(),
        _ => false,
    }
}

/// What the shift history says of an override.
pub const OVERRIDE_EVENT: &str =
    "off-hours guard: I understand, continue (connecting outside service hours)";

impl OffHoursGuard {
    /// Marks exactly `wanted` (each element with its attribute), unmarking the rest.
    fn mark(&mut self, wanted: Vec<(Element, &'static str)>) {
        for (el, attr) in &self.marked {
            if !wanted
                .iter()
                .any(|(w, a)| a == attr && w.is_same_node(Some(el)))
            {
                set_attr(el, attr, None);
            }
        }
        for (el, attr) in &wanted {
            // content.css makes a static dialog `relative` to hang the cover on it; a
            // positioned one (a fixed modal) keeps its own position.
            let value = if *attr == COVERED && !crate::page::find::positioned(el) {
                "static"
            } else {
                "off-hours"
            };
            set_attr(el, attr, Some(value));
        }
        self.marked = wanted;
    }

    fn uncover(&mut self) {
        self.mark(Vec::new());
    }
}

impl Feature for OffHoursGuard {
    fn id(&self) -> FeatureId {
        FeatureId::OffHoursGuard
    }

    /// "I understand, continue": the notice goes for this period, and the choice is
    /// recorded with its time in the shift history (no patron data). Until then a
    /// press of "Connect now" never reaches the page.
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if event.is_action(CONTINUE) {
            self.overridden = Some(ctx.shift_key.to_string());
            ctx.then(Effect::Record(ShiftHistoryEvent {
                shift_key: ctx.shift_key.to_string(),
                at: ctx.now,
                what: OVERRIDE_EVENT.to_string(),
            }));
            ctx.then(Effect::Flush);
            return Verdict::Block;
        }
        if presses_blocked_connect(event) {
            Verdict::Block
        } else {
            Verdict::Allow
        }
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let overridden = self.overridden.as_deref() == Some(page.memory.shift_key.as_str());
        let notice = off_hours_guard(
            page.shift,
            &page.settings.guards,
            page.snapshot.status.as_ref(),
            page.snapshot.login_dialog.is_some(),
        );
        let hours = if page.shift.hours_today.trim().is_empty() {
            Said::new("offHoursTheServiceIsClosed", &[])
        } else {
            Said::new("offHoursToday", &[("hours", &page.shift.hours_today)])
        };
        match notice {
            Some(n) if n.kind == OffHoursKind::AboutToConnect && !overridden => {
                let text = Said::from("offHoursNoticeAndHours")
                    .with("notice", n.text.clone())
                    .with("hours", hours);
                let dialog = page.locate.first(page.doc, ids::LOGIN_DIALOG);
                let mut marks = Vec::new();
                if let Some(dialog) = &dialog {
                    marks.push((dialog.clone(), COVERED));
                    if let Some(connect) = page.locate.first_in(dialog, ids::CONNECT_NOW) {
                        marks.push((connect, BLOCKED));
                    }
                    let label = Said::new("offHoursIUnderstandContinue", &[]);
                    let title = Said::new("offHoursOutsideServiceHours", &[]);
                    let node = notices::notice(
                        &n.id,
                        NoticeLevel::Alert,
                        &crate::ext::say(&text),
                        &[Action {
                            label: &crate::ext::say(&label),
                            id: CONTINUE,
                        }],
                    )
                    .attr("data-lh3-title", &crate::ext::say(&title));
                    page.show(Shown::new(&n.id, Place::Append(dialog.clone()), node));
                }
                self.mark(marks);
                page.notice(&n.id, NoticeLevel::Alert, text);
            }
            Some(n) if n.kind == OffHoursKind::Connected => {
                self.uncover();
                page.notice_at_status_menu(&n.id, NoticeLevel::Alert, n.text, &[]);
            }
            _ => self.uncover(),
        }
        Ok(())
    }

    fn clear(&mut self, _doc: &Document) {
        self.uncover();
    }
}
