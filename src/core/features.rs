//! The feature catalog: every feature's stable id. Its name and what it does are in the
//! text catalog (`feature_<id>` and `feature_<id>_about` in `_locales`, in each language,
//! read as data). The options page builds its toggles from this list, the popup and the
//! page name a broken feature by it, and `tests/conventions.rs` checks that each entry
//! has its file in `src/features/`, a registry line, a README section, a fixture and its
//! two messages.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeatureInfo {
    /// Stable id; also the file name `src/features/<id with _>.rs`.
    pub id: &'static str,
}

impl FeatureInfo {
    /// The text catalog's key of its name (`feature_new_chats`).
    pub fn name_key(&self) -> String {
        format!("feature_{}", self.id.replace('-', "_"))
    }

    /// The text catalog's key of what it does.
    pub fn about_key(&self) -> String {
        format!("{}_about", self.name_key())
    }
}

/// The catalog is written once, below: each line gives a `FeatureId` variant and its
/// stable id, and the macro makes both the enum and `FEATURES` from it.
macro_rules! catalog {
    ($($variant:ident = $id:literal;)*) => {
        /// A feature, by its stable id (in the order of the catalog).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FeatureId {
            $($variant,)*
        }

        pub const FEATURES: &[FeatureInfo] = &[
            $(FeatureInfo { id: $id },)*
        ];

        impl FeatureId {
            /// Every feature, in catalog order.
            pub const ALL: &[FeatureId] = &[$(FeatureId::$variant,)*];
        }
    };
}

catalog! {
    NewChats = "new-chats";
    LoginGuard = "login-guard";
    StaffingCheck = "staffing-check";
    AutologoutWatch = "autologout-watch";
    StatusGuard = "status-guard";
    OffHoursGuard = "off-hours-guard";
    CannedSuggestions = "canned-suggestions";
    TransferGuard = "transfer-guard";
    TabCloseGuard = "tab-close-guard";
    LogoutGate = "logout-gate";
    OfflineTextGuard = "offline-text-guard";
    ClosingDuties = "closing-duties";
}

impl FeatureId {
    /// Its catalog entry.
    pub fn info(self) -> &'static FeatureInfo {
        &FEATURES[self as usize]
    }

    /// The stable id (`new-chats`): settings, reports and the page's attributes use it.
    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    /// The feature with this stable id.
    pub fn parse(id: &str) -> Option<FeatureId> {
        FeatureId::ALL.iter().copied().find(|f| f.as_str() == id)
    }
}

impl std::fmt::Display for FeatureId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Known ids, for settings validation.
pub fn ids() -> Vec<&'static str> {
    FEATURES.iter().map(|f| f.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_names_its_own_catalog_entry_and_parses_back() {
        assert_eq!(FeatureId::ALL.len(), FEATURES.len());
        for (i, f) in FeatureId::ALL.iter().enumerate() {
            assert_eq!(f.info(), &FEATURES[i]);
            assert_eq!(FeatureId::parse(f.as_str()), Some(*f));
        }
        assert_eq!(FeatureId::NewChats.as_str(), "new-chats");
        assert_eq!(FeatureId::parse("no-such-feature"), None);
    }
}
