//! Feature `staffing-check`: once connected, "I'm Staffing" must list the expected
//! queues ("make sure you're connected to the right queues … check your queues by
//! selecting I'm Staffing").
//!
//! Observes: the queues under "I'm Staffing" (`snapshot.staffing`) while connected.
//! Decides: `guards::check_staffing` — an expected queue missing (dropped, or never
//! turned on), a queue staffed that is neither expected nor home-team.
//! Shows: a notice at the end of the I'm Staffing group, repeated in the popup.

use web_sys::Document;

use super::{Feature, FeatureId, PageView};
use crate::core::alerts::notice_level;
use crate::core::guards::{check_staffing, ids as warning_ids};
use crate::core::locators::ids;
use crate::page::notices::{hide_notice, show_notice, Place};

const ID: &str = "staffing-check";
const NOTICE_IDS: &[&str] = &[
    warning_ids::STAFFING_MISSING,
    warning_ids::STAFFING_UNEXPECTED,
];

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
        for id in NOTICE_IDS {
            if !warnings.iter().any(|w| w.id == *id) {
                hide_notice(page.doc, id);
            }
        }
        if warnings.is_empty() {
            return Ok(());
        }
        let group = page.locate.first(page.doc, ids::STAFFING_GROUP);
        let lang = page.settings.language;
        let mut after = None;
        for w in &warnings {
            let level = notice_level(w.severity);
            let text = w.text.get(lang);
            // The first at the end of the group, the next right after it.
            after = match (&after, &group) {
                (Some(prev), _) => {
                    show_notice(page.doc, prev, Place::After, &w.id, level, text, &[])
                }
                (None, Some(g)) => show_notice(page.doc, g, Place::Append, &w.id, level, text, &[]),
                (None, None) => None,
            };
            page.notice(ID, &w.id, level, w.text.clone());
        }
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        for id in NOTICE_IDS {
            hide_notice(doc, id);
        }
    }
}
