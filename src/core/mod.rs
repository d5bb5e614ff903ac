//! The pure core: every function takes `now` and the settings as arguments and returns data.
//! No `web-sys`, no `js-sys`, no clock. Each module is one part of the written procedure.

pub mod alerts;
pub mod canned;
pub mod catalog;
pub mod checklist;
pub mod features;
pub mod flat;
pub mod guards;
pub mod history;
pub mod ics;
pub mod leaving;
pub mod locators;
pub mod messages;
pub mod options_form;
pub mod popup_view;
pub mod procedure;
pub mod reminder;
pub mod repair;
pub mod rfc3339;
pub mod settings;
pub mod settings_read;
pub mod setup;
pub mod shift;
pub mod short_sort;
pub mod snapshot;
pub mod storage;
#[cfg(test)]
pub(crate) mod test_support;
pub mod timer;
pub mod unreadable;
pub mod wake;
pub mod watchdog;
pub mod zone;
mod zones;
