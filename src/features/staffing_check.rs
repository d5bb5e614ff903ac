//! Feature `staffing-check`: once connected, "I'm Staffing" must list the expected
//! queues ("make sure you're connected to the right queues … check your queues by
//! selecting I'm Staffing").
//!
//! Observes: the queues under "I'm Staffing" (`snapshot.staffing`) while connected, or
//! while its tab is not selected the count in its title (`snapshot.staffing_tally`).
//! Decides: `guards::check_staffing` — an expected queue missing (dropped, or never
//! turned on), a queue staffed that is neither expected nor home-team.
//! Shows: a notice at the end of the I'm Staffing group, repeated in the popup.

use super::{Feature, FeatureId, PageView, Place};
use crate::core::alerts::notice_level;
use crate::core::guards::{check_staffing, check_staffing_tally};
use crate::core::locators::ids;

#[derive(Default)]
pub struct StaffingCheck;

impl Feature for StaffingCheck {
    fn id(&self) -> FeatureId {
        FeatureId::StaffingCheck
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let connected = page.snapshot.connected();
        let warnings = match (
            &page.snapshot.staffing,
            page.snapshot.staffing_tally,
            connected,
        ) {
            (Some(staffed), _, true) => check_staffing(staffed, &page.settings.queues).warnings(),
            // The tab is not selected: its title's count still tells.
            (None, Some(tally), true) => check_staffing_tally(tally, &page.settings.queues)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        if warnings.is_empty() {
            return Ok(());
        }
        // At the end of the group, in order (its tab not selected: the contacts list).
        let group = page
            .locate
            .first(page.doc, ids::STAFFING_GROUP)
            .or_else(|| page.locate.first(page.doc, ids::CONTACTS));
        for w in &warnings {
            let level = notice_level(w.severity);
            if let Some(g) = &group {
                page.show_notice(
                    &w.id,
                    Place::Append(g.clone()),
                    level,
                    &crate::ext::say(&w.text),
                    &[],
                );
            }
            page.notice(&w.id, level, w.text.clone());
        }
        Ok(())
    }
}
