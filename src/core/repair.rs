//! Repair in the field: from an element the operator picked on the web client (the
//! page check's **Fix…**), the locator overrides that could find it again — words and
//! stable attributes first, then the icon's name, then classes and position, which a
//! page update may break (flagged fragile). The page layer tries each on the live page
//! and keeps the first that finds the picked element; nothing here touches the page.
//!
//! Overrides are settings (synced, exported, pushed by policy): no patron data may end
//! up in one. Visible text becomes a word of an override only when it reads like the
//! page's own words — short, no digits (guest ids, phone numbers, times) — and never for
//! parts whose text is the visitors' (chat lines).

use serde::{Deserialize, Serialize};

use super::locators::{default_table, normalize_text, ControlKind, Find, Locator};

/// What the page layer read about the picked element. Texts are raw; this module
/// decides which may be kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickedFacts {
    /// Lower-case tag name.
    pub tag: String,
    /// Its visible text (trimmed).
    pub text: String,
    /// Its first line of text (a title, a heading), when it holds more than one.
    pub first_line: String,
    pub aria_label: Option<String>,
    pub title: Option<String>,
    /// Its own `alt`, or that of the one image inside it.
    pub alt: Option<String>,
    pub role: Option<String>,
    pub id: Option<String>,
    /// `data-*` attributes other than ours (`data-lh3-*`) and test hooks.
    pub data: Vec<(String, String)>,
    /// Class tokens of the element.
    pub classes: Vec<String>,
    /// Class tokens of the icon(s) inside it (`zmdi zmdi-power`).
    pub icon_classes: Vec<String>,
    /// A form control: its kind and its name (label, ARIA name or the text beside it).
    pub control: Option<(ControlKind, String)>,
    /// Header texts when it is a table or grid.
    pub headers: Vec<String>,
    /// The box's anchors when it is a dialog-like box: its first line and its last
    /// button's text.
    pub last_button: Option<String>,
    /// `tag:nth-child(n)` steps from the nearest ancestor with a stable id (or the
    /// body) down to it; the ancestor's id first when there is one.
    pub path: Vec<String>,
    pub path_root_id: Option<String>,
}

/// One way to find the picked element again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub find: Find,
    /// Depends on classes or position: a page update may break it.
    pub fragile: bool,
}

/// Text that reads like the page's own words, not a visitor's or an id: at most six
/// words and 40 characters, no digits, something to read.
pub fn is_page_word(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 40
        && t.split_whitespace().count() <= 6
        && !t.chars().any(|c| c.is_ascii_digit())
        && t.chars().any(char::is_alphabetic)
}

/// An id an app generated (`v-split-52`, `:r3:`, `ember1234`): it changes between
/// builds or loads, so it never makes an override.
pub fn is_generated_id(id: &str) -> bool {
    id.chars().any(|c| c.is_ascii_digit()) || id.contains(':') || id.len() > 40
}

/// Classes that say how an element looks right now, not what it is.
const STATE_CLASSES: &[&str] = &[
    "active",
    "open",
    "selected",
    "hover",
    "focus",
    "disabled",
    "in",
    "show",
    "collapsed",
    "expanded",
    "current",
];

fn css_escape_ident(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| s.to_string())
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Ways to find the picked element for `locator`, best first.
pub fn candidates(locator: &Locator, facts: &PickedFacts) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut add = |find: Find, fragile: bool| {
        if !out.iter().any(|c| c.find == find) {
            out.push(Candidate { find, fragile });
        }
    };
    fn word(t: &Option<String>) -> Option<&str> {
        t.as_deref().filter(|t| is_page_word(t)).map(str::trim)
    }
    // What kind of part this is decides which words describe it (an `AnyOf` is of the
    // kind of its first way). The kind is the default entry's: the entry in force may
    // be a broken override (a bare CSS selector says nothing about what it finds).
    let default = default_table().into_iter().find(|l| l.id == locator.id);
    let mut kind = default.as_ref().map_or(&locator.find, |d| &d.find);
    while let Find::AnyOf { of } = kind {
        match of.first() {
            Some(first) => kind = first,
            None => break,
        }
    }
    match kind {
        Find::Status { any_of } => {
            // Its text changes with the status: the words it may show, not the one now.
            let mut w = any_of.clone();
            for shown in [Some(facts.text.clone()), facts.alt.clone()] {
                if let Some(s) = word(&shown) {
                    if !w.iter().any(|x| normalize_text(x) == normalize_text(s)) {
                        w.push(s.to_string());
                    }
                }
            }
            add(Find::Status { any_of: w }, false);
        }
        Find::Grid { .. } if !facts.headers.is_empty() => {
            let headers: Vec<String> = facts
                .headers
                .iter()
                .filter(|h| is_page_word(h))
                .take(3)
                .map(|h| h.trim().to_string())
                .collect();
            if !headers.is_empty() {
                add(Find::Grid { headers }, false);
            }
        }
        Find::Section { .. } => {
            if let Some(t) =
                word(&Some(facts.first_line.clone())).or(word(&Some(facts.text.clone())))
            {
                add(
                    Find::Section {
                        titles: words(&[t]),
                    },
                    false,
                );
            }
        }
        Find::Container { .. } => {
            if let (Some(first), Some(last)) = (
                word(&Some(facts.first_line.clone())),
                word(&facts.last_button),
            ) {
                add(
                    Find::Container {
                        anchors: vec![words(&[first]), words(&[last])],
                    },
                    false,
                );
            }
        }
        // A line's text is what visitors and colleagues write: no words from it.
        Find::Line { .. } | Find::Pane { .. } => {}
        _ => {}
    }
    if let Some((kind, name)) = &facts.control {
        if let Some(n) = word(&Some(name.clone())) {
            add(
                Find::Control {
                    kind: *kind,
                    any_of: words(&[n]),
                },
                false,
            );
        }
    }
    let wordy = !matches!(
        kind,
        Find::Status { .. }
            | Find::Line { .. }
            | Find::Pane { .. }
            | Find::Grid { .. }
            | Find::Section { .. }
            | Find::Container { .. }
    );
    if wordy {
        for t in [
            Some(facts.text.clone()),
            facts.aria_label.clone(),
            facts.title.clone(),
            facts.alt.clone(),
        ] {
            if let Some(t) = word(&t) {
                add(
                    Find::Text {
                        any_of: words(&[t]),
                    },
                    false,
                );
            }
        }
        let icon_names: Vec<String> = facts
            .icon_classes
            .iter()
            .filter(|c| c.contains('-') && is_page_word(c))
            .cloned()
            .collect();
        if let Some(name) = icon_names.last() {
            add(
                Find::Icon {
                    any_of: vec![name.clone()],
                },
                false,
            );
        }
    }
    // Stable attributes: an id the app did not generate, a data attribute, a role
    // with a name.
    if let Some(id) = facts.id.as_deref().filter(|i| !is_generated_id(i)) {
        if let Some(id) = css_escape_ident(id) {
            add(
                Find::Css {
                    selector: format!("#{id}"),
                },
                false,
            );
        }
    }
    for (name, value) in &facts.data {
        let (Some(n), true) = (css_escape_ident(name), is_page_word(value)) else {
            continue;
        };
        if value.contains(['"', '\\']) {
            continue;
        }
        add(
            Find::Css {
                selector: format!("[{n}=\"{value}\"]"),
            },
            false,
        );
    }
    // The last resorts: classes, then position.
    let classes: Vec<String> = facts
        .classes
        .iter()
        .filter(|c| !STATE_CLASSES.contains(&c.as_str()))
        .filter_map(|c| css_escape_ident(c))
        .collect();
    if !classes.is_empty() {
        add(
            Find::Css {
                selector: format!("{}.{}", facts.tag, classes.join(".")),
            },
            true,
        );
    }
    if !facts.path.is_empty() {
        let root = match facts.path_root_id.as_deref().and_then(css_escape_ident) {
            Some(id) => format!("#{id} > "),
            None => "body > ".to_string(),
        };
        add(
            Find::Css {
                selector: format!("{root}{}", facts.path.join(" > ")),
            },
            true,
        );
    }
    out
}

/// The override for `locator` that finds things the `candidate`'s way.
pub fn override_with(locator: &Locator, candidate: &Candidate) -> Locator {
    Locator {
        find: candidate.find.clone(),
        ..locator.clone()
    }
}

/// Puts `fix` in the overrides, replacing an earlier one for the same id.
pub fn save_override(overrides: &mut Vec<Locator>, fix: Locator) {
    match overrides.iter_mut().find(|o| o.id == fix.id) {
        Some(slot) => *slot = fix,
        None => overrides.push(fix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::locators::ids;

    fn locator(id: &str) -> Locator {
        default_table().into_iter().find(|l| l.id == id).unwrap()
    }

    /// A `div` whose text is `text`, its first line `first_line`.
    fn div(first_line: &str, text: &str) -> PickedFacts {
        PickedFacts {
            tag: "div".into(),
            text: text.into(),
            first_line: first_line.into(),
            ..Default::default()
        }
    }

    /// The status control as the web client draws it: a button showing the status word,
    /// with an icon whose `alt` is the word in lower case.
    fn status_button(word: &str) -> PickedFacts {
        PickedFacts {
            tag: "button".into(),
            text: word.into(),
            alt: Some(word.to_lowercase()),
            ..Default::default()
        }
    }

    #[test]
    fn page_words_exclude_ids_numbers_and_sentences() {
        assert!(is_page_word("Connect now"));
        assert!(is_page_word("askON Staff"));
        assert!(!is_page_word("Guest 6CYJ"));
        assert!(!is_page_word("416-555-0142"));
        assert!(!is_page_word(
            "I have a question about my library account today"
        ));
        assert!(!is_page_word("  "));
    }

    #[test]
    fn generated_ids_are_never_used() {
        assert!(is_generated_id("v-split-52"));
        assert!(is_generated_id(":r3:"));
        assert!(!is_generated_id("user-show-dropdown-button"));
    }

    #[test]
    fn a_status_button_is_found_by_the_words_it_can_show_then_its_stable_id() {
        let facts = PickedFacts {
            id: Some("user-show-dropdown-button".into()),
            classes: words(&["btn", "btn-default", "dropdown-toggle", "open"]),
            path: words(&["div:nth-child(1)", "button:nth-child(2)"]),
            ..status_button("ONLINE")
        };
        let c = candidates(&locator(ids::STATUS_MENU), &facts);
        match &c[0].find {
            Find::Status { any_of } => {
                assert!(any_of.contains(&"ONLINE".to_string()), "{any_of:?}");
                assert!(any_of.contains(&"Busy".to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert!(!c.iter().any(|x| matches!(&x.find, Find::Text { .. })));
        assert_eq!(
            c[1].find,
            Find::Css {
                selector: "#user-show-dropdown-button".into()
            }
        );
        assert!(!c[1].fragile);
        // Classes without their state, then the position: both fragile.
        assert_eq!(
            c[2],
            Candidate {
                find: Find::Css {
                    selector: "button.btn.btn-default.dropdown-toggle".into()
                },
                fragile: true
            }
        );
        assert_eq!(
            c[3].find,
            Find::Css {
                selector: "body > div:nth-child(1) > button:nth-child(2)".into()
            }
        );
    }

    #[test]
    fn a_broken_override_is_repaired_as_the_kind_of_part_it_stands_for() {
        let facts = status_button("AWAY");
        let mut broken = locator(ids::STATUS_MENU);
        broken.find = Find::Css {
            selector: "#no-such-status-control".into(),
        };
        let c = candidates(&broken, &facts);
        assert!(matches!(&c[0].find, Find::Status { .. }), "{:?}", c[0]);
        assert!(!c.iter().any(|x| matches!(&x.find, Find::Text { .. })));
    }

    #[test]
    fn an_icon_button_is_found_by_its_icon_name_and_never_a_generated_id() {
        let facts = PickedFacts {
            tag: "div".into(),
            id: Some("v-split-52".into()),
            icon_classes: words(&["zmdi", "zmdi-power"]),
            classes: words(&["rc-md-icon-button"]),
            ..Default::default()
        };
        let c = candidates(&locator(ids::LOGOUT_LINK), &facts);
        assert_eq!(
            c[0].find,
            Find::Icon {
                any_of: words(&["zmdi-power"])
            }
        );
        assert!(c
            .iter()
            .all(|x| !matches!(&x.find, Find::Css { selector } if selector.contains("v-split"))));
    }

    #[test]
    fn no_patron_text_becomes_an_override() {
        let facts = div("Guest 6CYJ", "Guest 6CYJ");
        for id in [
            ids::CHAT_PANE,
            ids::GUESTS_GROUP,
            ids::LINE_ANSWERED_BY,
            ids::CHAT_END,
        ] {
            for c in candidates(&locator(id), &facts) {
                assert!(
                    !c.find.words().iter().any(|w| w.contains("6CYJ")),
                    "{id}: {c:?}"
                );
            }
        }
        let line = div("", "answered by amy");
        assert!(candidates(&locator(ids::LINE_ANSWERED_BY), &line)
            .iter()
            .all(|c| c.find.words().is_empty()));
    }

    #[test]
    fn sections_grids_boxes_and_controls_keep_their_own_kind_of_words() {
        let section = div("askON Staff", "askON Staff amy bo");
        assert_eq!(
            candidates(&locator(ids::OPERATORS_GROUP), &section)[0].find,
            Find::Section {
                titles: words(&["askON Staff"])
            }
        );
        let grid = PickedFacts {
            tag: "div".into(),
            headers: words(&["Queue", "Guest", "Operator", "Duration"]),
            ..Default::default()
        };
        assert_eq!(
            candidates(&locator(ids::HISTORY_TABLE), &grid)[0].find,
            Find::Grid {
                headers: words(&["Queue", "Guest", "Operator"])
            }
        );
        let dialog = PickedFacts {
            tag: "div".into(),
            first_line: "Staffing".into(),
            last_button: Some("Go online".into()),
            ..Default::default()
        };
        assert_eq!(
            candidates(&locator(ids::LOGIN_DIALOG), &dialog)[0].find,
            Find::Container {
                anchors: vec![words(&["Staffing"]), words(&["Go online"])]
            }
        );
        let toggle = PickedFacts {
            tag: "input".into(),
            control: Some((ControlKind::Checkbox, "all_colleges".into())),
            ..Default::default()
        };
        assert_eq!(
            candidates(&locator(ids::ALL_QUEUES_TOGGLE), &toggle)[0].find,
            Find::Control {
                kind: ControlKind::Checkbox,
                any_of: words(&["all_colleges"])
            }
        );
    }

    #[test]
    fn a_fix_replaces_the_earlier_one_for_its_id() {
        let mut overrides = vec![];
        let mut fix = locator(ids::STATUS_MENU);
        fix.find = Find::Css {
            selector: "#a".into(),
        };
        save_override(&mut overrides, fix.clone());
        fix.find = Find::Css {
            selector: "#b".into(),
        };
        save_override(&mut overrides, fix.clone());
        assert_eq!(overrides, vec![fix]);
    }
}
