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
use super::snapshot::TimerChoice;

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

/// `TimerChoice`'s variants, as its `kind` spells them.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TimerKind {
    Countdown,
    At,
    Never,
    Unreadable,
}

/// Every field of any `TimerChoice` (in the remembered facts the content script reads).
#[derive(Deserialize)]
pub struct TimerChoiceFields {
    kind: TimerKind,
    minutes: Option<u32>,
    time: Option<String>,
}

impl TryFrom<TimerChoiceFields> for TimerChoice {
    type Error = MissingField;

    fn try_from(f: TimerChoiceFields) -> Result<TimerChoice, MissingField> {
        Ok(match f.kind {
            TimerKind::Countdown => TimerChoice::Countdown {
                minutes: need(f.minutes, "minutes")?,
            },
            TimerKind::At => TimerChoice::At {
                time: need(f.time, "time")?,
            },
            TimerKind::Never => TimerChoice::Never,
            TimerKind::Unreadable => TimerChoice::Unreadable,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::locators::{default_table, Find};
    use super::super::messages::{BackgroundToContent, PopupToContent};
    use super::super::snapshot::TimerChoice;
    use serde::{de::DeserializeOwned, Serialize};
    use std::fmt::Debug;

    /// Each value, written as JSON (by the derive) and read back (here), is itself.
    fn reads_back<T: Serialize + DeserializeOwned + PartialEq + Debug>(
        all: impl IntoIterator<Item = T>,
    ) {
        for v in all {
            let json = serde_json::to_value(&v).unwrap();
            assert_eq!(
                serde_json::from_value::<T>(json.clone()).unwrap(),
                v,
                "{json}"
            );
        }
    }

    /// `json` read as a `T`, or the error's text.
    fn read<T: DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str::<T>(json).map_err(|e| e.to_string())
    }

    /// `json` is not a `T`, with the error the derive gives (its text starts with `error`).
    fn refused<T: DeserializeOwned + Debug>(json: &str, error: &str) {
        let got = read::<T>(json).unwrap_err();
        assert!(got.starts_with(error), "{json}: {got}");
    }

    /// Every locator of the table reads back as itself; the old spellings and a field
    /// missing read as serde's own reading of the enum did.
    #[test]
    fn finds_read_back_as_written_and_as_the_derive_read_them() {
        reads_back(default_table().into_iter().map(|l| l.find));
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
        refused::<Find>(r#"{"by":"text"}"#, "missing field `any_of`");
        refused::<Find>(r#"{"by":"role"}"#, "missing field `role`");
        refused::<Find>(r#"{"any_of":[]}"#, "missing field `by`");
        refused::<Find>(r#"{"by":"xpath","any_of":[]}"#, "unknown variant `xpath`");
    }

    /// Every message to the content script reads back as written, and not as the other.
    #[test]
    fn messages_to_the_page_read_back_as_written() {
        reads_back([
            PopupToContent::PageSkeleton,
            PopupToContent::CheckPage,
            PopupToContent::PickLocator {
                id: "status.menu".into(),
            },
        ]);
        reads_back([BackgroundToContent::InsertTopSuggestion]);
        refused::<PopupToContent>(r#"{"kind":"pick_locator"}"#, "missing field `id`");
        refused::<PopupToContent>(r#"{"kind":"insert_top_suggestion"}"#, "unknown variant");
        refused::<BackgroundToContent>(r#"{"kind":"check_page"}"#, "unknown variant");
    }

    /// Every timer choice reads back as written; one without its value is refused.
    #[test]
    fn timer_choices_read_back_as_written() {
        reads_back([
            TimerChoice::Countdown { minutes: 75 },
            TimerChoice::At {
                time: "17:15".into(),
            },
            TimerChoice::Never,
            TimerChoice::Unreadable,
        ]);
        refused::<TimerChoice>(r#"{"kind":"countdown"}"#, "missing field `minutes`");
        refused::<TimerChoice>(r#"{"kind":"at"}"#, "missing field `time`");
        refused::<TimerChoice>(r#"{"kind":"later"}"#, "unknown variant `later`");
    }
}
