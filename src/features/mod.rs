//! One file per feature, each with the same small shape: what it observes, what it
//! decides with the core, what it shows. The registry below lists them; the catalog of
//! ids, names and descriptions is data in `core::features`, and `tests/conventions.rs`
//! checks that both agree with the files here, the README and the fixtures.

pub mod new_chats;

use web_sys::{Document, MutationRecord};

use crate::core::messages::PageReport;
use crate::core::settings::Settings;
use crate::page::locate::Locate;

/// What a feature gets on each flush.
pub struct Flush<'a> {
    pub doc: &'a Document,
    pub locate: &'a mut Locate,
    pub settings: &'a Settings,
    /// The mutation records of this batch (empty on the first pass and on a nudge).
    pub records: &'a [MutationRecord],
    /// The first pass after the page loaded, or a pass after the settings changed:
    /// read everything, not just what changed.
    pub full: bool,
    /// The report the popup will see; each feature fills its own part.
    pub report: &'a mut PageReport,
}

pub trait Feature {
    /// The stable id (see `core::features::FEATURES`).
    fn id(&self) -> &'static str;
    /// Reads what it needs, decides with the core, shows the result.
    fn flush(&mut self, flush: &mut Flush) -> Result<(), String>;
    /// Removes everything the feature added to the page (it was turned off).
    fn clear(&mut self, doc: &Document);
}

/// Every feature, in the order they run.
pub fn registry() -> Vec<Box<dyn Feature>> {
    vec![Box::new(new_chats::NewChats::default())]
}
