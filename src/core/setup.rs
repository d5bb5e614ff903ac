//! First run and updates: what the extension does when it is installed or updated
//! (`runtime.onInstalled`), what the popup offers when something is not set up yet,
//! and the short "what's new" an update shows once.

use serde::{Deserialize, Serialize};

use super::catalog::Said;
use super::settings::Settings;

/// The page the first run opens.
pub const SETUP_PAGE: &str = "setup.html";
/// Where an update leaves word for the popup: `{from, to}` in `chrome.storage.local`.
pub const WHATS_NEW_KEY: &str = "whats_new";

/// What to do for a `runtime.onInstalled` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallAction {
    /// A new install: open the setup page.
    OpenSetup,
    /// An update with news: keep `{from, to}` for the popup.
    NoteWhatsNew(WhatsNewNote),
    Nothing,
}

/// An update the popup has news for, until the operator dismisses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsNewNote {
    pub from: String,
    pub to: String,
}

/// `reason` and `previousVersion` as the browser gives them; `current` is the
/// manifest's version.
pub fn on_installed(reason: &str, previous: Option<&str>, current: &str) -> InstallAction {
    match (reason, previous) {
        ("install", _) => InstallAction::OpenSetup,
        ("update", Some(from)) if !whats_new(from, current).is_empty() => {
            InstallAction::NoteWhatsNew(WhatsNewNote {
                from: from.to_string(),
                to: current.to_string(),
            })
        }
        _ => InstallAction::Nothing,
    }
}

/// "1.10.2" → [1, 10, 2]; parts that are not numbers count as 0.
fn version_parts(v: &str) -> Vec<u32> {
    v.trim()
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

fn newer(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (version_parts(a), version_parts(b));
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    a > b
}

/// One version's news: the few lines an operator should know (CHANGELOG.md has all),
/// as catalog keys (`news<version>_<n>`).
pub struct Release {
    pub version: &'static str,
    pub news: &'static [&'static str],
}

/// Newest first. A release adds its entry here along with its CHANGELOG section.
pub const RELEASES: &[Release] = &[Release {
    version: "0.2.0",
    news: &["news020_1", "news020_2", "news020_3", "news020_4"],
}];

/// The news of the versions after `from` up to `to`, newest first.
pub fn whats_new(from: &str, to: &str) -> Vec<Said> {
    RELEASES
        .iter()
        .filter(|r| newer(r.version, from) && !newer(r.version, to))
        .flat_map(|r| r.news.iter().map(|key| Said::from(*key)))
        .collect()
}

/// What the popup offers when something is missing, each a button to the place that
/// sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Neither a name nor a shift: the setup page.
    Setup,
    /// No name as LibraryH3lp shows it: the options' General section.
    Name,
    /// No shifts: the options' shifts section.
    Shifts,
}

impl Missing {
    /// The extension page that sets it.
    pub fn page(self) -> &'static str {
        match self {
            Missing::Setup => SETUP_PAGE,
            Missing::Name => "options.html#general",
            Missing::Shifts => "options.html#shifts",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Missing::Setup => "setup",
            Missing::Name => "name",
            Missing::Shifts => "shifts",
        }
    }
}

/// What the operator has not set up yet.
pub fn missing(settings: &Settings) -> Vec<Missing> {
    let no_name = settings.operator_name.trim().is_empty();
    let s = &settings.shifts;
    let no_shifts = s.weekly.is_empty() && s.one_off.is_empty();
    match (no_name, no_shifts) {
        (true, true) => vec![Missing::Setup],
        (true, false) => vec![Missing::Name],
        (false, true) => vec![Missing::Shifts],
        (false, false) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::Language;

    #[test]
    fn install_opens_the_setup_and_an_update_with_news_says_it_once() {
        assert_eq!(
            on_installed("install", None, "0.1.0"),
            InstallAction::OpenSetup
        );
        assert_eq!(
            on_installed("update", Some("0.1.0"), "0.2.0"),
            InstallAction::NoteWhatsNew(WhatsNewNote {
                from: "0.1.0".into(),
                to: "0.2.0".into()
            })
        );
        assert_eq!(
            on_installed("update", Some("0.2.0"), "0.2.0"),
            InstallAction::Nothing
        );
        assert_eq!(
            on_installed("update", None, "0.2.0"),
            InstallAction::Nothing
        );
        assert_eq!(
            on_installed("chrome_update", Some("0.1.0"), "0.2.0"),
            InstallAction::Nothing
        );
    }

    #[test]
    fn whats_new_lists_the_versions_between() {
        assert_eq!(whats_new("0.1.0", "0.2.0").len(), RELEASES[0].news.len());
        assert!(whats_new("0.2.0", "0.2.1").is_empty());
        assert!(whats_new("0.1.0", "0.1.9").is_empty(), "not released yet");
        assert_eq!(
            whats_new("0.1", "0.2").len(),
            RELEASES[0].news.len(),
            "0.2 = 0.2.0"
        );
        assert!(newer("0.10.0", "0.9.9"), "numbers, not text");
        for r in RELEASES {
            for key in r.news {
                for language in [Language::En, Language::Fr] {
                    let catalog = crate::core::catalog::shipped(language);
                    assert!(catalog.find(key).is_some(), "{} {key}", r.version);
                }
            }
        }
        let changelog = include_str!("../../CHANGELOG.md");
        for r in RELEASES {
            assert!(
                changelog.contains(&format!("\n## {}\n", r.version)),
                "{}: each release's news has its CHANGELOG section",
                r.version
            );
        }
    }

    #[test]
    fn the_newest_news_is_the_version_shipped() {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../manifest.json")).unwrap();
        assert_eq!(manifest["version"], RELEASES[0].version);
        assert_eq!(env!("CARGO_PKG_VERSION"), RELEASES[0].version, "Cargo.toml");
    }

    #[test]
    fn the_popup_asks_for_what_is_missing() {
        let mut s = Settings::default();
        assert_eq!(missing(&s), vec![Missing::Setup]);
        s.operator_name = "Ana".into();
        assert_eq!(missing(&s), vec![Missing::Shifts]);
        s.shifts.one_off = vec![Default::default()];
        assert!(missing(&s).is_empty());
        s.operator_name = " ".into();
        assert_eq!(missing(&s), vec![Missing::Name]);
        assert_eq!(Missing::Shifts.page(), "options.html#shifts");
    }
}
