//! Feature `status-guard`: "never change status from Available during a shift".
//!
//! Observes: the status drop-down (`snapshot.status`) and where the shift stands.
//! Decides: `guards::status_guard` (on shift, Away or Busy; `guards.status_guard` in
//! the settings turns the rule off).
//! Shows: a notice right under the status drop-down with a "Set Available" button
//! (it chooses Available in the drop-down — or opens the dropdown button's menu and
//! clicks Available — as the operator would), and in the popup.

use super::{Action, Effect, EventCtx, Feature, FeatureId, PageEvent, PageView, Verdict};
use crate::core::alerts::notice_level;
use crate::core::catalog::Said;
use crate::core::guards::status_guard;
use crate::core::locators::ids;

const SET_AVAILABLE: &str = "status-guard.set-available";

#[derive(Default)]
pub struct StatusGuard;

impl Feature for StatusGuard {
    fn id(&self) -> FeatureId {
        FeatureId::StatusGuard
    }

    /// "Set Available" chooses Available in the status menu, as the operator would.
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if !event.is_action(SET_AVAILABLE) {
            return Verdict::Allow;
        }
        let doc = ctx.doc;
        if let Some(menu) = ctx.locate().first(doc, ids::STATUS_MENU) {
            ctx.then(Effect::ChooseStatus(menu, "Available".to_string()));
        }
        Verdict::Block
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let warning = page
            .snapshot
            .status
            .as_ref()
            .and_then(|s| status_guard(s, page.shift, &page.settings.guards));
        let Some(w) = warning else {
            return Ok(());
        };
        let level = notice_level(w.severity);
        let label = Said::new("statusGuardSetAvailable", &[]);
        page.notice_at_status_menu(
            &w.id,
            level,
            w.text,
            &[Action {
                label: &crate::ext::say(&label),
                id: SET_AVAILABLE,
            }],
        );
        Ok(())
    }
}
