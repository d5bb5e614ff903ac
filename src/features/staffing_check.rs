//! Feature `staffing-check`: once connected, "I'm Staffing" must list the expected
//! queues ("make sure you're connected to the right queues … check your queues by
//! selecting I'm Staffing").
//!
//! Observes: the queues under "I'm Staffing" (`snapshot.staffing`) while connected.
//! Decides: `guards::check_staffing` — an expected queue missing (dropped, or never
//! turned on), a queue staffed that is neither expected nor home-team.
//! Shows: a notice at the end of the I'm Staffing group, repeated in the popup.

use super::{Feature, FeatureId, PageView, Place};
use crate::core::alerts::notice_level;
use crate::core::guards::check_staffing;
use crate::core::locators::ids;

#[derive(Default)]
pub struct StaffingCheck;

impl Feature for StaffingCheck {
    fn id(&self) -> FeatureId {
        FeatureId::StaffingCheck
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let connected = page.snapshot.connected();
        let warnings = match (&page.snapshot.staffing, connected) {
            (Some(staffed), true) => check_staffing(staffed, &page.settings.queues).warnings(),
            _ => Vec::new(),
        };
        if warnings.is_empty() {
            return Ok(());
        }
        // At the end of the group, in order.
        let group = page.locate.first(page.doc, ids::STAFFING_GROUP);
        let lang = page.settings.language;
        for w in &warnings {
            let level = notice_level(w.severity);
            if let Some(g) = &group {
                page.show_notice(
                    &w.id,
                    Place::Append(g.clone()),
                    level,
                    w.text.get(lang),
                    &[],
                );
            }
            page.notice(&w.id, level, w.text.clone());
        }
        Ok(())
    }
}
