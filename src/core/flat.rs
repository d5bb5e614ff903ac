//! How the internally tagged enums the content script reads are read: one flat object
//! whose tag (`by`, `kind`) names the variant.
//!
//! serde's derive reads an internally tagged enum (`tag = "by"`) by first copying the
//! whole object into a buffer of its own and then reading each variant from that buffer:
//! a second set of reading code for every type inside, ~55 KB of the content script's
//! module (docs/performance.md, Sizes). Read as a plain struct of optional fields and
//! checked here, the same objects give the same values; a field the variant needs and
//! the object lacks is the error the derive gives ("missing field `any_of`"). Writing
//! is the derive's.

use serde::Deserialize;
use std::fmt;

use super::locators::{ControlKind, Find};
use super::messages::{BackgroundToContent, PopupToContent};

/// The kind of finding, as `Find` spells it in settings (`"text"`, `"box"`, …).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum By {
    #[serde(alias = "table_with_headers")]
    Grid,
    Column,
    Role,
    Text,
    #[serde(alias = "label")]
    Control,
    Line,
    #[serde(rename = "box")]
    Container,
    Section,
    Status,
    Icon,
    Pane,
    AnyOf,
    Css,
}

/// Every field any kind of `Find` has.
#[derive(Deserialize)]
pub struct FindFields {
    by: By,
    headers: Option<Vec<String>>,
    any_of: Option<Vec<String>>,
    role: Option<String>,
    kind: Option<ControlKind>,
    anchors: Option<Vec<Vec<String>>>,
    titles: Option<Vec<String>>,
    apart_from: Option<Vec<String>>,
    of: Option<Vec<Find>>,
    selector: Option<String>,
}

/// A field the kind needs is missing.
#[derive(Debug)]
pub struct MissingField(&'static str);

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

fn need<T>(value: Option<T>, name: &'static str) -> Result<T, MissingField> {
    value.ok_or(MissingField(name))
}

impl TryFrom<FindFields> for Find {
    type Error = MissingField;

    fn try_from(f: FindFields) -> Result<Find, MissingField> {
        let any_of = || need(f.any_of.clone(), "any_of");
        Ok(match f.by {
            By::Grid => Find::Grid {
                headers: need(f.headers, "headers")?,
            },
            By::Column => Find::Column { any_of: any_of()? },
            By::Role => Find::Role {
                role: need(f.role.clone(), "role")?,
                any_of: any_of()?,
            },
            By::Text => Find::Text { any_of: any_of()? },
            By::Control => Find::Control {
                any_of: any_of()?,
                kind: f.kind.unwrap_or_default(),
            },
            By::Line => Find::Line { any_of: any_of()? },
            By::Container => Find::Container {
                anchors: need(f.anchors, "anchors")?,
            },
            By::Section => Find::Section {
                titles: need(f.titles, "titles")?,
            },
            By::Status => Find::Status { any_of: any_of()? },
            By::Icon => Find::Icon { any_of: any_of()? },
            By::Pane => Find::Pane {
                apart_from: need(f.apart_from, "apart_from")?,
            },
            By::AnyOf => Find::AnyOf {
                of: need(f.of, "of")?,
            },
            By::Css => Find::Css {
                selector: need(f.selector, "selector")?,
            },
        })
    }
}

/// `PopupToContent`'s variants, as its `kind` spells them.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PopupKind {
    PageSkeleton,
    CheckPage,
    PickLocator,
}

/// Every field of any `PopupToContent`.
#[derive(Deserialize)]
pub struct PopupToContentFields {
    kind: PopupKind,
    id: Option<String>,
}

impl TryFrom<PopupToContentFields> for PopupToContent {
    type Error = MissingField;

    fn try_from(f: PopupToContentFields) -> Result<PopupToContent, MissingField> {
        Ok(match f.kind {
            PopupKind::PageSkeleton => PopupToContent::PageSkeleton,
            PopupKind::CheckPage => PopupToContent::CheckPage,
            PopupKind::PickLocator => PopupToContent::PickLocator {
                id: need(f.id, "id")?,
            },
        })
    }
}

/// `BackgroundToContent`'s variants, as its `kind` spells them.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BackgroundKind {
    InsertTopSuggestion,
}

/// Every field of any `BackgroundToContent`.
#[derive(Deserialize)]
pub struct BackgroundToContentFields {
    kind: BackgroundKind,
}

impl From<BackgroundToContentFields> for BackgroundToContent {
    fn from(f: BackgroundToContentFields) -> BackgroundToContent {
        match f.kind {
            BackgroundKind::InsertTopSuggestion => BackgroundToContent::InsertTopSuggestion,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::locators::{default_table, Find};
    use super::super::messages::{BackgroundToContent, PopupToContent};

    /// Every locator of the table, written and read back, is itself; and read from the
    /// old spellings and with a field missing as serde's own reading of the enum did.
    #[test]
    fn finds_read_back_as_written_and_as_the_derive_read_them() {
        for l in default_table() {
            let json = serde_json::to_value(&l.find).unwrap();
            let back: Find = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(back, l.find, "{json}");
        }
        let read = |s: &str| serde_json::from_str::<Find>(s).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"by":"table_with_headers","headers":["Guest"]}"#),
            Ok(Find::Grid {
                headers: vec!["Guest".into()]
            })
        );
        assert_eq!(
            read(r#"{"by":"label","any_of":["Away"]}"#),
            Ok(Find::Control {
                kind: Default::default(),
                any_of: vec!["Away".into()]
            })
        );
        assert_eq!(
            read(r#"{"by":"box","anchors":[["a"],["b"]],"extra":1}"#),
            Ok(Find::Container {
                anchors: vec![vec!["a".into()], vec!["b".into()]]
            })
        );
        assert_eq!(
            read(r#"{"by":"any_of","of":[{"by":"css","selector":"p"}]}"#),
            Ok(Find::AnyOf {
                of: vec![Find::Css {
                    selector: "p".into()
                }]
            })
        );
        assert!(read(r#"{"by":"text"}"#)
            .unwrap_err()
            .starts_with("missing field `any_of`"));
        assert!(read(r#"{"by":"role"}"#)
            .unwrap_err()
            .starts_with("missing field `role`"));
        assert!(read(r#"{"any_of":[]}"#)
            .unwrap_err()
            .starts_with("missing field `by`"));
        assert!(read(r#"{"by":"xpath","any_of":[]}"#)
            .unwrap_err()
            .starts_with("unknown variant `xpath`"));
    }

    /// Every message to the content script reads back as written; `PickLocator` without
    /// its id is the derive's error.
    #[test]
    fn messages_to_the_page_read_back_as_written() {
        let all = [
            PopupToContent::PageSkeleton,
            PopupToContent::CheckPage,
            PopupToContent::PickLocator {
                id: "status.menu".into(),
            },
        ];
        for m in all {
            let json = serde_json::to_value(&m).unwrap();
            assert_eq!(serde_json::from_value::<PopupToContent>(json).unwrap(), m);
        }
        let m = BackgroundToContent::InsertTopSuggestion;
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "insert_top_suggestion"}));
        assert_eq!(
            serde_json::from_value::<BackgroundToContent>(json).unwrap(),
            m
        );
        let read = |s: &str| serde_json::from_str::<PopupToContent>(s).map_err(|e| e.to_string());
        assert!(read(r#"{"kind":"pick_locator"}"#)
            .unwrap_err()
            .starts_with("missing field `id`"));
        assert!(read(r#"{"kind":"insert_top_suggestion"}"#)
            .unwrap_err()
            .starts_with("unknown variant"));
        assert!(serde_json::from_str::<BackgroundToContent>(r#"{"kind":"check_page"}"#).is_err());
    }
}
