//! Messages between the extension's contexts, named by direction. Anything that comes
//! from a page is untrusted: it is parsed into these types and nothing else.

use serde::{Deserialize, Serialize};

use super::history::HistoryCounts;
use super::snapshot::Status;

/// "found" / "not found" for one locator on the current page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatorHealth {
    pub id: String,
    pub purpose: String,
    pub found: bool,
    /// Optional parts (login dialog, auto-logout popup) are only sometimes shown.
    pub optional: bool,
}

/// A feature that failed on this page, and why (one feature's failure never stops another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureFault {
    pub feature: String,
    pub message: String,
}

/// What the content script saw on the web client, sent after every flush that changed it.
/// No patron data: counts, states and locator health only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageReport {
    /// "wasm" or "wasm2js": how the core runs on this page.
    pub engine: String,
    pub history: Option<HistoryCounts>,
    pub status: Option<Status>,
    pub locators: Vec<LocatorHealth>,
    pub faults: Vec<FeatureFault>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContentToBackground {
    PageReport { report: PageReport },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_report_round_trips_through_json() {
        let msg = ContentToBackground::PageReport {
            report: PageReport {
                engine: "wasm2js".into(),
                history: Some(HistoryCounts {
                    new: 2,
                    ongoing: 1,
                    completed: 7,
                    unreadable: 0,
                }),
                status: Some(Status::Available),
                locators: vec![LocatorHealth {
                    id: "history.table".into(),
                    purpose: "Chat History table".into(),
                    found: true,
                    optional: true,
                }],
                faults: vec![],
            },
        };
        let json = serde_json::to_string(&msg).unwrap();
        assert!(json.contains("\"kind\":\"page_report\""), "{json}");
        let back: ContentToBackground = serde_json::from_str(&json).unwrap();
        assert_eq!(back, msg);
    }

    #[test]
    fn a_message_of_unknown_kind_is_rejected() {
        let r: Result<ContentToBackground, _> =
            serde_json::from_str(r#"{"kind":"run_this","code":"alert(1)"}"#);
        assert!(r.is_err());
    }
}
