//! Reading Chat History the way the procedure says (login step 4):
//! **new** chats have blanks for operator and duration, **ongoing** chats have an
//! operator but no duration, **completed** chats have both.

use serde::{Deserialize, Serialize};

use super::snapshot::HistoryRow;

/// The state of one Chat History row. Its `as_str` is the public
/// `data-lh3-chat-state` attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatState {
    New,
    Ongoing,
    Completed,
}

impl ChatState {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::New => "new",
            ChatState::Ongoing => "ongoing",
            ChatState::Completed => "completed",
        }
    }
}

/// Why a row was left unmarked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unreadable {
    /// The operator or duration cell is missing from the row.
    MissingCell,
    /// A duration is present but has no digits in it: we will not guess.
    DurationNotADuration,
    /// A duration without an operator contradicts the procedure's rule.
    DurationWithoutOperator,
}

/// Placeholders some tables put in empty cells.
fn is_blank(cell: &str) -> bool {
    let t = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}');
    matches!(t, "" | "-" | "–" | "—" | "n/a" | "N/A")
}

/// Classifies one row. Cells are `None` when they could not be read.
pub fn classify(row: &HistoryRow) -> Result<ChatState, Unreadable> {
    let (Some(operator), Some(duration)) = (&row.operator, &row.duration) else {
        return Err(Unreadable::MissingCell);
    };
    let has_operator = !is_blank(operator);
    let has_duration = !is_blank(duration);
    if has_duration && !duration.chars().any(|c| c.is_ascii_digit()) {
        return Err(Unreadable::DurationNotADuration);
    }
    match (has_operator, has_duration) {
        (false, false) => Ok(ChatState::New),
        (true, false) => Ok(ChatState::Ongoing),
        (true, true) => Ok(ChatState::Completed),
        (false, true) => Err(Unreadable::DurationWithoutOperator),
    }
}

/// How many rows are in each state; shown in the popup and (new) on the badge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryCounts {
    pub new: u32,
    pub ongoing: u32,
    pub completed: u32,
    pub unreadable: u32,
}

impl HistoryCounts {
    /// The toolbar badge: the number of new chats, empty when there are none.
    pub fn badge_text(&self) -> String {
        match self.new {
            0 => String::new(),
            n if n > 999 => "999+".to_string(),
            n => n.to_string(),
        }
    }
}

/// Classifies a whole table in one call (the page layer calls this once per flush).
pub fn classify_all(rows: &[HistoryRow]) -> (Vec<Option<ChatState>>, HistoryCounts) {
    let mut counts = HistoryCounts::default();
    let states = rows
        .iter()
        .map(|row| match classify(row) {
            Ok(state) => {
                match state {
                    ChatState::New => counts.new += 1,
                    ChatState::Ongoing => counts.ongoing += 1,
                    ChatState::Completed => counts.completed += 1,
                }
                Some(state)
            }
            Err(_) => {
                counts.unreadable += 1;
                None
            }
        })
        .collect();
    (states, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_support::history_row as row;

    #[test]
    fn the_procedures_three_states() {
        let cases = [
            (row(Some(""), Some("")), Ok(ChatState::New)),
            (row(Some("lrupert"), Some("")), Ok(ChatState::Ongoing)),
            (
                row(Some("lrupert"), Some("12:04")),
                Ok(ChatState::Completed),
            ),
        ];
        for (r, want) in cases {
            assert_eq!(classify(&r), want, "{r:?}");
        }
    }

    #[test]
    fn odd_cells() {
        let cases = [
            // white space only and non-breaking spaces are blank
            (row(Some("   \t"), Some("\u{a0}\u{a0}")), Ok(ChatState::New)),
            (row(Some("\u{a0}"), Some(" ")), Ok(ChatState::New)),
            // dashes are placeholders for blank
            (row(Some("—"), Some("—")), Ok(ChatState::New)),
            (row(Some("amy"), Some("-")), Ok(ChatState::Ongoing)),
            // 0:00 is a real (very short) duration
            (row(Some("amy"), Some("0:00")), Ok(ChatState::Completed)),
            // a very long operator name is still an operator
            (
                row(Some(&"x".repeat(10_000)), Some("")),
                Ok(ChatState::Ongoing),
            ),
            // never guessed
            (row(None, Some("")), Err(Unreadable::MissingCell)),
            (row(Some("amy"), None), Err(Unreadable::MissingCell)),
            (
                row(Some("amy"), Some("soon")),
                Err(Unreadable::DurationNotADuration),
            ),
            (
                row(Some(""), Some("3:12")),
                Err(Unreadable::DurationWithoutOperator),
            ),
        ];
        for (r, want) in cases {
            assert_eq!(classify(&r), want, "{:?}", r.duration);
        }
    }

    #[test]
    fn counts_and_badge_over_five_thousand_rows() {
        let rows: Vec<HistoryRow> = (0..5_000)
            .map(|i| match i % 4 {
                0 => row(Some(""), Some("")),
                1 => row(Some("op"), Some("")),
                2 => row(Some("op"), Some("1:00")),
                _ => row(None, None),
            })
            .collect();
        let (states, counts) = classify_all(&rows);
        assert_eq!(states.len(), 5_000);
        assert_eq!(
            counts,
            HistoryCounts {
                new: 1250,
                ongoing: 1250,
                completed: 1250,
                unreadable: 1250
            }
        );
        assert_eq!(states[0], Some(ChatState::New));
        assert_eq!(states[3], None);
        assert_eq!(counts.badge_text(), "999+");
        assert_eq!(HistoryCounts::default().badge_text(), "");
        let three = HistoryCounts {
            new: 3,
            ..Default::default()
        };
        assert_eq!(three.badge_text(), "3");
    }

    #[test]
    fn attribute_values_are_the_public_contract() {
        assert_eq!(ChatState::New.as_str(), "new");
        assert_eq!(ChatState::Ongoing.as_str(), "ongoing");
        assert_eq!(ChatState::Completed.as_str(), "completed");
    }
}
