//! The options page's form, without a browser: every input names the settings field it
//! edits by its path (`service.weekly[2][0].end`, the same paths `Settings::validate`
//! reports), so reading the form back, showing a problem next to its input, locking
//! the consortium's values and adding or removing list rows are all plain data work.

use serde_json::{json, Value};

use super::catalog::Said;
use super::checklist::Link;
use super::features;
use super::ics::IcsImport;
use super::procedure::{new_step, tidy};
use super::settings::{Moment, Settings, SettingsProblem, Shifts};
use super::storage::{save_settings, SETTINGS_PREFIX};
use super::watchdog::WatchdogCheck;

/// One input as the page read it: the field path, how to read it, and its value
/// ("true"/"false" for checkboxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormInput {
    pub field: String,
    pub kind: String,
    pub value: String,
}

impl FormInput {
    pub fn new(field: &str, kind: &str, value: &str) -> FormInput {
        FormInput {
            field: field.into(),
            kind: kind.into(),
            value: value.into(),
        }
    }
}

/// The form read back: the settings (inputs that could not be read keep their old
/// value) and everything wrong, by field path.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRead {
    pub settings: Settings,
    pub problems: Vec<SettingsProblem>,
    /// Inputs whose text could not be read ("abc" in a number): the settings keep the old
    /// value, yet the form differs from them.
    pub unread: usize,
}

impl FormRead {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Kinds of input (`data-kind` on the page).
pub mod kind {
    /// Text kept as typed.
    pub const TEXT: &str = "text";
    /// A whole number (minutes, counts, the weekday of a select).
    pub const NUMBER: &str = "number";
    pub const BOOL: &str = "bool";
    /// One entry per line (dates, queue names).
    pub const LINES: &str = "lines";
    /// Entries separated by commas (replacement names).
    pub const CSV: &str = "csv";
    /// Text, or nothing when empty (a weekly shift's first/last date).
    pub const OPTIONAL: &str = "optional";
    /// A JSON document (locator overrides).
    pub const JSON: &str = "json";
    /// A feature's on/off switch: `feature:<id>`, on `features.off`.
    pub const FEATURE_PREFIX: &str = "feature:";
    /// One checkbox of a set: `member:<value>`; the ticked ones, in the page's order,
    /// are the list at the field's path (a step's phases).
    pub const MEMBER_PREFIX: &str = "member:";
}

fn read_value(kind: &str, raw: &str) -> Result<Value, Said> {
    let list = |items: Vec<&str>| {
        Value::from(
            items
                .into_iter()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        )
    };
    match kind {
        kind::TEXT => Ok(Value::from(raw)),
        kind::NUMBER => raw
            .trim()
            .parse::<u32>()
            .map(Value::from)
            .map_err(|_| Said::new("problemNotWholeNumber", &[("text", raw.trim())])),
        kind::BOOL => Ok(Value::from(raw == "true")),
        kind::LINES => Ok(list(raw.lines().collect())),
        kind::CSV => Ok(list(raw.split(',').collect())),
        kind::OPTIONAL if raw.trim().is_empty() => Ok(Value::Null),
        kind::OPTIONAL => Ok(Value::from(raw.trim())),
        kind::JSON if raw.trim().is_empty() => Ok(json!([])),
        kind::JSON => serde_json::from_str(raw)
            .map_err(|e| Said::new("problemNotJson", &[("error", &e.to_string())])),
        other => Err(Said::new("problemUnknownInputKind", &[("kind", other)])),
    }
}

/// Reads the form over `base`, then validates the result.
pub fn read_form(base: &Settings, inputs: &[FormInput]) -> FormRead {
    let mut doc = save_settings(base);
    let mut problems = Vec::new();
    let mut unread = 0;
    let mut toggles = Vec::new();
    let mut sets: Vec<(&str, Vec<&str>)> = Vec::new();
    for input in inputs {
        if let Some(id) = input.kind.strip_prefix(kind::FEATURE_PREFIX) {
            toggles.push((id.to_string(), input.value == "true"));
            continue;
        }
        if let Some(member) = input.kind.strip_prefix(kind::MEMBER_PREFIX) {
            let at = match sets.iter().position(|(f, _)| *f == input.field) {
                Some(at) => at,
                None => {
                    sets.push((&input.field, Vec::new()));
                    sets.len() - 1
                }
            };
            if input.value == "true" {
                sets[at].1.push(member);
            }
            continue;
        }
        match read_value(&input.kind, &input.value) {
            Ok(v) => {
                if let Err(e) = set_path(&mut doc, &input.field, v) {
                    problems.push(problem(&input.field, e));
                }
            }
            Err(e) => {
                unread += 1;
                problems.push(problem(&input.field, e));
            }
        }
    }
    if !toggles.is_empty() {
        let off = features_off(&base.features.off, &toggles);
        let _ = set_path(&mut doc, "features.off", Value::from(off));
    }
    for (field, members) in sets {
        if let Err(e) = set_path(&mut doc, field, Value::from(members)) {
            problems.push(problem(field, e));
        }
    }
    let settings = match serde_json::from_value::<Settings>(doc) {
        Ok(mut s) => {
            tidy(&mut s.procedure);
            s
        }
        Err(e) => {
            let e = e.to_string();
            problems.push(problem(
                "",
                Said::new("problemFormUnreadable", &[("error", &e)]),
            ));
            base.clone()
        }
    };
    problems.extend(settings.validate());
    problems.extend(settings.validate_feature_ids(&features::ids()));
    FormRead {
        settings,
        problems,
        unread,
    }
}

fn problem(field: &str, message: Said) -> SettingsProblem {
    SettingsProblem::new(field, message)
}

/// `features.off` from the switches: the features switched off, plus ids the catalog
/// does not know (kept as they were; validation names them).
pub fn features_off(current_off: &[String], toggles: &[(String, bool)]) -> Vec<String> {
    let known = features::ids();
    let mut off: Vec<String> = current_off
        .iter()
        .filter(|id| !known.contains(&id.as_str()))
        .cloned()
        .collect();
    for (id, on) in toggles {
        if !on && !off.contains(id) {
            off.push(id.clone());
        }
    }
    off
}

// ---- paths -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// `service.weekly[2][0].end` → service, weekly, 2, 0, end. `None` when malformed.
fn segments(path: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_string()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let (n, after) = stripped.split_once(']')?;
            out.push(Seg::Idx(n.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// Whether `field` is `path` or lies under it (`timing` covers `timing.handover_minutes`).
pub fn is_under(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn get_path<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    segments(path)?.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Idx(i) => v.get(i),
    })
}

fn get_path_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    segments(path)?.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k),
        Seg::Idx(i) => v.get_mut(i),
    })
}

/// Puts `value` at `path`; a missing last key is added (optional fields are left out
/// of the stored document), and so is a missing object inside a list's row (a step's
/// `hint` when it had none); anything else must exist.
fn set_path(doc: &mut Value, path: &str, value: Value) -> Result<(), Said> {
    let not_a_field = || Said::new("problemNotSettingsField", &[("path", path)]);
    let segs = segments(path).ok_or_else(not_a_field)?;
    let (last, parents) = segs.split_last().ok_or_else(not_a_field)?;
    let mut here = doc;
    let mut in_row = false;
    for (n, seg) in parents.iter().enumerate() {
        // Only an object is made (what follows it is a key, not an index).
        let object_next = matches!(segs.get(n + 1), Some(Seg::Key(_)));
        here = match seg {
            Seg::Key(k) => {
                if let Some(obj) = here
                    .as_object_mut()
                    .filter(|o| in_row && object_next && !o.contains_key(k))
                {
                    obj.insert(k.clone(), json!({}));
                }
                here.get_mut(k)
            }
            Seg::Idx(i) => {
                in_row = true;
                here.get_mut(i)
            }
        }
        .ok_or_else(not_a_field)?;
    }
    match (last, here) {
        (Seg::Key(k), Value::Object(obj)) => {
            obj.insert(k.clone(), value);
            Ok(())
        }
        (Seg::Idx(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = value;
            Ok(())
        }
        _ => Err(not_a_field()),
    }
}

/// The input to show a problem next to: the input of that very field, else the nearest
/// enclosing one (`shifts.weekly[0].replacements[1]` → the replacements input), else the
/// first input under it (`service.weekly` → the first of the week's inputs).
pub fn anchor_for<'a>(problem_field: &str, rendered: &'a [String]) -> Option<&'a str> {
    if let Some(exact) = rendered.iter().find(|f| f.as_str() == problem_field) {
        return Some(exact);
    }
    let enclosing = rendered
        .iter()
        .filter(|f| is_under(problem_field, f))
        .max_by_key(|f| f.len());
    enclosing
        .or_else(|| {
            (!problem_field.is_empty())
                .then(|| rendered.iter().find(|f| is_under(f, problem_field)))
                .flatten()
        })
        .map(String::as_str)
}

/// Whether a field is set by the consortium's policy (`locked` holds policy paths).
pub fn is_locked(field: &str, locked: &[String]) -> bool {
    locked.iter().any(|l| is_under(field, l))
}

/// What to store: the edited settings, with the policy's fields left as the user had
/// them (the policy applies on top when reading; it is not copied into the user's own).
pub fn keep_locked(edited: &Settings, user: &Settings, locked: &[String]) -> Settings {
    let mut doc = save_settings(edited);
    let mine = save_settings(user);
    for path in locked {
        if let Some(v) = get_path(&mine, path) {
            let _ = set_path(&mut doc, path, v.clone());
        }
    }
    serde_json::from_value(doc).unwrap_or_else(|_| edited.clone())
}

/// An id attribute for a field path (`service.weekly[2][0].end` → `f-service-weekly-2-0-end`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        });
    }
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    id.trim_end_matches('-').to_string()
}

// ---- list rows ----------------------------------------------------------------------

/// A new, empty row for a list the form edits (`items`: the rows it holds now); `None`
/// for a list that has no rows.
fn new_row(list_path: &str, items: &[Value]) -> Option<Value> {
    let shape: String = {
        // Indices do not matter for the row's shape: `service.weekly[3]` → `service.weekly[]`.
        let mut out = String::new();
        let mut skip = false;
        for c in list_path.chars() {
            match c {
                '[' => {
                    out.push_str("[]");
                    skip = true;
                }
                ']' => skip = false,
                _ if skip => {}
                _ => out.push(c),
            }
        }
        out
    };
    let span = json!({ "start": "", "end": "" });
    Some(match shape.as_str() {
        "service.weekly[]" | "service.exceptions[].spans" => span,
        "service.exceptions" => json!({ "date": "", "spans": [], "note": "" }),
        "shifts.weekly" => json!({ "weekday": 0, "start": "", "end": "", "replacements": [] }),
        "shifts.one_off" => json!({ "date": "", "start": "", "end": "", "replacements": [] }),
        "coordinators.site" | "coordinators.service" => json!({ "name": "", "email": "" }),
        "canned.rules[].suggestions" => json!({ "name": "", "text": { "en": "", "fr": "" } }),
        "procedure.steps" => {
            let ids: Vec<&str> = items.iter().filter_map(|s| s["id"].as_str()).collect();
            serde_json::to_value(new_step(&ids)).ok()?
        }
        "procedure.steps[].links" => serde_json::to_value(Link::default()).ok()?,
        _ => return None,
    })
}

fn edit_doc(settings: &Settings, f: impl FnOnce(&mut Value) -> Option<()>) -> Settings {
    let mut doc = save_settings(settings);
    match f(&mut doc) {
        Some(()) => serde_json::from_value(doc).unwrap_or_else(|_| settings.clone()),
        None => settings.clone(),
    }
}

/// Adds an empty row to a list (`shifts.weekly`, `service.weekly[2]`, …).
pub fn add_row(settings: &Settings, list_path: &str) -> Settings {
    edit_doc(settings, |doc| {
        // A row's list left out of the stored document when empty (a step's links).
        if get_path(doc, list_path).is_none() {
            set_path(doc, list_path, json!([])).ok()?;
        }
        let items = get_path_mut(doc, list_path)?.as_array_mut()?;
        let row = new_row(list_path, items)?;
        items.push(row);
        Some(())
    })
}

/// Moves a row one place up (`up`) or down its list (`procedure.steps[3]`); at either
/// end, or for no such row, nothing changes.
pub fn move_row(settings: &Settings, row_path: &str, up: bool) -> Settings {
    edit_doc(settings, |doc| {
        let (list, index) = row_path.rsplit_once('[')?;
        let index: usize = index.strip_suffix(']')?.parse().ok()?;
        let items = get_path_mut(doc, list)?.as_array_mut()?;
        let other = if up { index.checked_sub(1)? } else { index + 1 };
        (other < items.len() && index < items.len()).then(|| items.swap(index, other))
    })
}

/// Removes a row (`shifts.weekly[1]`).
pub fn remove_row(settings: &Settings, row_path: &str) -> Settings {
    edit_doc(settings, |doc| {
        let (list, index) = row_path.rsplit_once('[')?;
        let index: usize = index.strip_suffix(']')?.parse().ok()?;
        let items = get_path_mut(doc, list)?.as_array_mut()?;
        (index < items.len()).then(|| {
            items.remove(index);
        })
    })
}

/// Adds a canned message for a moment, creating the moment's rule when it has none.
pub fn add_suggestion(settings: &Settings, moment: Moment) -> Settings {
    let mut s = settings.clone();
    let empty = super::settings::Suggestion {
        name: String::new(),
        text: Default::default(),
    };
    match s.canned.rules.iter_mut().find(|r| r.moment == moment) {
        Some(rule) => rule.suggestions.push(empty),
        None => s.canned.rules.push(super::settings::CannedRule {
            moment,
            suggestions: vec![empty],
        }),
    }
    s
}

/// The shifts after an .ics import: added to the operator's, or replacing them.
/// A shift already listed is not listed twice.
pub fn apply_ics(shifts: &Shifts, import: &IcsImport, replace: bool) -> Shifts {
    let mut out = if replace {
        Shifts::default()
    } else {
        shifts.clone()
    };
    for w in &import.weekly {
        if !out.weekly.contains(w) {
            out.weekly.push(w.clone());
        }
    }
    for o in &import.one_off {
        if !out.one_off.contains(o) {
            out.one_off.push(o.clone());
        }
    }
    for d in &import.skipped {
        if !out.skipped.contains(d) {
            out.skipped.push(d.clone());
        }
    }
    out
}

/// Moments in the order the options page lists them: the backchat words first.
pub const MOMENTS: [Moment; 9] = [
    Moment::BackchatHello,
    Moment::BackchatSignOff,
    Moment::TransferAccepted,
    Moment::ChatPickedUp,
    Moment::OfflineTextFirstShift,
    Moment::LeavingWithActiveChats,
    Moment::ClosingHeadsUp,
    Moment::AtClose,
    Moment::WindingDown,
];

/// A moment's stable id ("backchat_hello").
pub fn moment_id(m: Moment) -> String {
    m.id().to_string()
}

pub fn moment_from_id(id: &str) -> Option<Moment> {
    serde_json::from_value(Value::from(id)).ok()
}

/// The locator overrides as the text area shows them.
pub fn overrides_text(settings: &Settings) -> String {
    if settings.locator_overrides.is_empty() {
        return String::new();
    }
    serde_json::to_string_pretty(&settings.locator_overrides).unwrap_or_default()
}

// ---- sections of the page -------------------------------------------------------------

/// One section of the options page: its id (the URL's `#id`), its title's message key,
/// and the settings it edits (top-level keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionsSection {
    pub id: &'static str,
    pub title: &'static str,
    pub settings: &'static [&'static str],
}

const fn section(
    id: &'static str,
    title: &'static str,
    settings: &'static [&'static str],
) -> OptionsSection {
    OptionsSection {
        id,
        title,
        settings,
    }
}

/// The page's sections in order; every settings key belongs to exactly one (a test
/// keeps a new settings section from being left without a place on the page).
pub const SECTIONS: [OptionsSection; 12] = [
    section(
        "general",
        "optionsGeneral",
        &["operator_name", "language", "server"],
    ),
    section("service", "optionsServiceHours", &["service"]),
    section("shifts", "optionsShifts", &["shifts"]),
    section("timing", "optionsTiming", &["timing"]),
    section("queues", "optionsQueues", &["queues"]),
    section("messages", "optionsMessages", &["canned"]),
    section("coordinators", "optionsCoordinators", &["coordinators"]),
    section("procedure", "optionsProcedure", &["procedure"]),
    section("guards", "optionsGuards", &["guards"]),
    section("features", "optionsFeatures", &["features"]),
    section("advanced", "optionsAdvanced", &["locator_overrides"]),
    section("backup", "optionsBackup", &[]),
];

/// The section a page id names; the first one for anything else.
pub fn section_by_id(id: &str) -> OptionsSection {
    SECTIONS
        .iter()
        .find(|s| s.id == id)
        .copied()
        .unwrap_or(SECTIONS[0])
}

/// The section holding a field path (`service.weekly[0][0].end` → service hours).
pub fn section_of(field: &str) -> Option<OptionsSection> {
    SECTIONS
        .iter()
        .find(|s| s.settings.iter().any(|key| is_under(field, key)))
        .copied()
}

/// Browser sync's limit on one item (`QUOTA_BYTES_PER_ITEM`: its key and its JSON).
pub const SYNC_ITEM_BYTES: usize = 8192;

/// The sections of the page whose settings are too large for one sync item each: why
/// the settings are kept in local storage (not synced). A custom procedure is the usual
/// one.
pub fn too_big_for_sync(settings: &Settings) -> Vec<OptionsSection> {
    let Value::Object(doc) = save_settings(settings) else {
        return Vec::new();
    };
    let big: Vec<&String> = doc
        .iter()
        .filter(|(key, value)| {
            let bytes = SETTINGS_PREFIX.len() + key.len() + value.to_string().len();
            bytes > SYNC_ITEM_BYTES
        })
        .map(|(key, _)| key)
        .collect();
    SECTIONS
        .iter()
        .filter(|s| s.settings.iter().any(|k| big.iter().any(|b| b == k)))
        .copied()
        .collect()
}

/// The sections whose settings differ between two versions (edited and saved).
pub fn changed_sections(edited: &Settings, saved: &Settings) -> Vec<&'static str> {
    let (a, b) = (save_settings(edited), save_settings(saved));
    SECTIONS
        .iter()
        .filter(|s| s.settings.iter().any(|key| a.get(key) != b.get(key)))
        .map(|s| s.id)
        .collect()
}

/// A section back to its defaults, except the consortium's locked values.
pub fn reset_section(edited: &Settings, section: &OptionsSection, locked: &[String]) -> Settings {
    let mut doc = save_settings(edited);
    let defaults = save_settings(&Settings::default());
    for key in section.settings {
        if let (Some(obj), Some(d)) = (doc.as_object_mut(), defaults.get(*key)) {
            obj.insert(key.to_string(), d.clone());
        }
    }
    let reset: Settings = serde_json::from_value(doc).unwrap_or_else(|_| edited.clone());
    keep_locked(&reset, edited, locked)
}

/// What the watchdog's last check says, for the options page: the message key of its
/// headline (`{queues}` in it stands for the queues found on), those queues, and one
/// line per queue asked ("all_colleges: unavailable", or why it could not be asked).
pub fn watchdog_result(check: &WatchdogCheck) -> (&'static str, String, Vec<String>) {
    let key = match (check.due, check.on.is_empty()) {
        (false, _) => "optionsWatchdogOpen",
        (true, true) => "optionsWatchdogAllOff",
        (true, false) => "optionsWatchdogOn",
    };
    let lines = check
        .answers
        .iter()
        .map(|a| {
            let said = a
                .answer
                .as_deref()
                .or(a.error.as_deref())
                .unwrap_or_default();
            format!("{}: {said}", a.queue)
        })
        .collect();
    (key, check.on.join(", "), lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::LanguageChoice;
    use crate::core::settings::{OneOffShift, WeeklyShift};
    use crate::core::test_support::{one_off, weekly};

    use crate::core::catalog::english;

    fn fields(problems: &[SettingsProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn the_watchdog_result_names_queues_left_on_only_off_hours() {
        use crate::core::watchdog::{watchdog_check, QueueAnswer};
        let at = chrono::DateTime::from_timestamp(1_760_000_000, 0).unwrap();
        let answers = || {
            vec![
                QueueAnswer {
                    queue: "all_colleges".into(),
                    answer: Some("available".into()),
                    error: None,
                },
                QueueAnswer {
                    queue: "all_backup".into(),
                    answer: None,
                    error: Some("HTTP 500".into()),
                },
            ]
        };
        let (key, on, lines) = watchdog_result(&watchdog_check(at, true, answers()));
        assert_eq!((key, on.as_str()), ("optionsWatchdogOn", "all_colleges"));
        assert_eq!(lines, ["all_colleges: available", "all_backup: HTTP 500"]);
        let (key, _, _) = watchdog_result(&watchdog_check(at, false, answers()));
        assert_eq!(key, "optionsWatchdogOpen");
        let (key, on, _) = watchdog_result(&watchdog_check(at, true, Vec::new()));
        assert_eq!((key, on.as_str()), ("optionsWatchdogAllOff", ""));
    }

    #[test]
    fn a_procedure_larger_than_a_sync_item_is_named() {
        let mut s = Settings::default();
        assert_eq!(too_big_for_sync(&s), Vec::new(), "the defaults fit");
        let step = crate::core::test_support::askon_steps()[0].clone();
        s.procedure.steps = (0..60)
            .map(|i| {
                let mut st = step.clone();
                st.id = format!("ours.step{i}");
                st.text.en = "Check the queues and the timer before the shift starts.".repeat(3);
                st
            })
            .collect();
        let ids: Vec<&str> = too_big_for_sync(&s).iter().map(|x| x.id).collect();
        assert_eq!(ids, vec!["procedure"]);
    }

    #[test]
    fn every_settings_key_has_one_section_of_the_page() {
        let doc = save_settings(&Settings::default());
        for key in doc.as_object().unwrap().keys().filter(|k| *k != "version") {
            let holders: Vec<&str> = SECTIONS
                .iter()
                .filter(|s| s.settings.contains(&key.as_str()))
                .map(|s| s.id)
                .collect();
            assert_eq!(holders.len(), 1, "{key}: {holders:?}");
        }
        let mut ids: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), SECTIONS.len());
        assert_eq!(
            section_of("service.weekly[2][0].end").unwrap().id,
            "service"
        );
        assert_eq!(section_of("operator_name").unwrap().id, "general");
        assert_eq!(
            section_of("canned.rules[0].suggestions[1].name")
                .unwrap()
                .id,
            "messages"
        );
        assert_eq!(section_of("nothing"), None);
        assert_eq!(section_by_id("timing").id, "timing");
        assert_eq!(section_by_id("no-such").id, "general");
    }

    #[test]
    fn a_section_resets_to_its_defaults_and_keeps_what_is_locked() {
        let mut s = Settings::default();
        s.timing.pre_shift_minutes = 12;
        s.timing.handover_minutes = 3;
        s.queues.expected = vec!["mine".into()];
        s.operator_name = "me".into();
        let locked = vec!["timing.pre_shift_minutes".to_string()];
        let r = reset_section(&s, &section_by_id("timing"), &locked);
        assert_eq!(
            r.timing.pre_shift_minutes, 12,
            "locked: the policy's value stays"
        );
        assert_eq!(
            r.timing.handover_minutes,
            Settings::default().timing.handover_minutes
        );
        assert_eq!(r.queues.expected, ["mine"], "other sections untouched");
        assert_eq!(changed_sections(&r, &s), ["timing"]);
        let g = reset_section(&s, &section_by_id("general"), &[]);
        assert_eq!(g.operator_name, "");
        assert_eq!(changed_sections(&g, &s), ["general"]);
        assert_eq!(changed_sections(&s, &s), Vec::<&str>::new());
    }

    #[test]
    fn text_that_cannot_be_read_is_counted_as_unread() {
        let base = Settings::default();
        let read = read_form(
            &base,
            &[FormInput::new(
                "timing.pre_shift_minutes",
                kind::NUMBER,
                "abc",
            )],
        );
        assert_eq!((read.unread, read.settings == base), (1, true));
        let read = read_form(
            &base,
            &[FormInput::new(
                "timing.pre_shift_minutes",
                kind::NUMBER,
                "7",
            )],
        );
        assert_eq!(read.unread, 0);
    }

    #[test]
    fn the_form_reads_back_every_kind_of_input() {
        let mut base = Settings::default();
        base.shifts.weekly.push(WeeklyShift::default());
        base.shifts.weekly[0].start = "10:00".into();
        base.shifts.weekly[0].end = "11:00".into();
        let read = read_form(
            &base,
            &[
                FormInput::new("operator_name", kind::TEXT, "mchen_seneca"),
                FormInput::new("timing.pre_shift_minutes", kind::NUMBER, " 10 "),
                FormInput::new("guards.watchdog", kind::BOOL, "true"),
                FormInput::new(
                    "queues.home_team",
                    kind::LINES,
                    "seneca_htf\n\n humber_htf \n",
                ),
                FormInput::new("shifts.weekly[0].replacements", kind::CSV, "Ana, Bo,"),
                FormInput::new("shifts.weekly[0].valid_from", kind::OPTIONAL, "2026-01-05"),
                FormInput::new("shifts.weekly[0].valid_until", kind::OPTIONAL, ""),
                FormInput::new("shifts.weekly[0].weekday", kind::NUMBER, "3"),
                FormInput::new("server", kind::TEXT, "us"),
                FormInput::new("features.off", "feature:new-chats", "false"),
                FormInput::new("locator_overrides", kind::JSON, ""),
            ],
        );
        assert!(read.is_valid(), "{:?}", read.problems);
        let s = read.settings;
        assert_eq!(s.operator_name, "mchen_seneca");
        assert_eq!(s.timing.pre_shift_minutes, 10);
        assert!(s.guards.watchdog);
        assert_eq!(s.queues.home_team, ["seneca_htf", "humber_htf"]);
        let w = &s.shifts.weekly[0];
        assert_eq!(w.replacements, ["Ana", "Bo"]);
        assert_eq!(w.valid_from.as_deref(), Some("2026-01-05"));
        assert_eq!(w.valid_until, None);
        assert_eq!(w.weekday, 3);
        assert_eq!(s.server.host(), "us.libraryh3lp.com");
        assert_eq!(s.features.off, ["new-chats"]);
    }

    #[test]
    fn problems_name_their_field_and_unreadable_inputs_keep_the_old_value() {
        let base = Settings::default();
        let read = read_form(
            &base,
            &[
                FormInput::new("timing.pre_shift_minutes", kind::NUMBER, "five"),
                FormInput::new("timing.handover_minutes", kind::NUMBER, "500"),
                FormInput::new("service.weekly[0][0].end", kind::TEXT, "25:00"),
                FormInput::new("service.time_zone", kind::TEXT, "America/Toronot"),
                FormInput::new("locator_overrides", kind::JSON, "[{oops"),
                FormInput::new("queues.expected", kind::LINES, ""),
            ],
        );
        assert_eq!(
            fields(&read.problems),
            [
                "timing.pre_shift_minutes",
                "locator_overrides",
                "service.time_zone",
                "service.weekly[0][0].end",
                "timing.handover_minutes",
                "queues.expected"
            ]
        );
        let said = |i: usize| english(&read.problems[i].message);
        assert_eq!(said(0), "'five' is not a whole number");
        assert!(said(2).contains("did you mean 'America/Toronto'"));
        assert_eq!(read.settings.timing.pre_shift_minutes, 5, "kept");
    }

    #[test]
    fn a_problem_is_shown_next_to_the_nearest_input() {
        let rendered: Vec<String> = [
            "service.weekly[0][0].start",
            "service.weekly[0][0].end",
            "shifts.weekly[0].replacements",
            "service.closed_days",
            "locator_overrides",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (problem, want) in [
            ("service.weekly[0][0].end", Some("service.weekly[0][0].end")),
            (
                "shifts.weekly[0].replacements[1]",
                Some("shifts.weekly[0].replacements"),
            ),
            ("service.closed_days[2]", Some("service.closed_days")),
            ("service.weekly", Some("service.weekly[0][0].start")),
            ("locator_overrides[0].id", Some("locator_overrides")),
            ("language", None),
            ("", None),
        ] {
            assert_eq!(anchor_for(problem, &rendered), want, "{problem}");
        }
        assert!(is_under("service.weekly[1]", "service.weekly"));
        assert!(!is_under("service.weekly_extra", "service.weekly"));
    }

    #[test]
    fn policy_values_are_locked_and_not_saved_as_the_users() {
        let locked = vec![
            "timing.pre_shift_minutes".to_string(),
            "language".to_string(),
        ];
        assert!(is_locked("timing.pre_shift_minutes", &locked));
        assert!(!is_locked("timing.handover_minutes", &locked));
        let user = Settings::default();
        let mut edited = user.clone();
        edited.timing.pre_shift_minutes = 15; // the policy's value, shown in the form
        edited.language = LanguageChoice::Fr;
        edited.operator_name = "me".into();
        let stored = keep_locked(&edited, &user, &locked);
        assert_eq!(stored.timing.pre_shift_minutes, 5);
        assert_eq!(stored.language, LanguageChoice::Browser);
        assert_eq!(stored.operator_name, "me");
    }

    #[test]
    fn rows_are_added_and_removed_by_path() {
        let s = Settings::default();
        let s = add_row(&s, "shifts.weekly");
        let s = add_row(&s, "shifts.one_off");
        let s = add_row(&s, "service.weekly[5]");
        let s = add_row(&s, "service.exceptions");
        let s = add_row(&s, "service.exceptions[0].spans");
        let s = add_row(&s, "coordinators.site");
        let s = add_row(&s, "canned.rules[0].suggestions");
        assert_eq!(s.shifts.weekly.len(), 1);
        assert_eq!(s.shifts.one_off, [OneOffShift::default()]);
        assert_eq!(s.service.weekly[5].len(), 1, "Saturday gets hours");
        assert_eq!(s.service.exceptions[0].spans.len(), 1);
        assert_eq!(s.coordinators.site.len(), 1);
        let before = Settings::default().canned.rules[0].suggestions.len();
        assert_eq!(s.canned.rules[0].suggestions.len(), before + 1);
        assert_eq!(add_row(&s, "timing"), s, "not a list");
        assert_eq!(add_row(&s, "shifts.weekly[9"), s, "malformed");

        let s = remove_row(&s, "service.weekly[0][0]");
        assert!(s.service.weekly[0].is_empty(), "Monday closed");
        assert_eq!(s.service.weekly.len(), 7);
        let s2 = remove_row(&s, "shifts.weekly[7]");
        assert_eq!(s2, s, "no such row");

        let mut none = Settings::default();
        none.canned.rules.retain(|r| r.moment != Moment::AtClose);
        let with = add_suggestion(&none, Moment::AtClose);
        assert_eq!(with.canned.rules.last().unwrap().moment, Moment::AtClose);
        let again = add_suggestion(&with, Moment::AtClose);
        assert_eq!(again.canned.rules.last().unwrap().suggestions.len(), 2);
        assert_eq!(
            moment_from_id(&moment_id(Moment::AtClose)),
            Some(Moment::AtClose)
        );
    }

    #[test]
    fn the_procedure_form_adds_edits_moves_and_removes_steps() {
        use crate::core::checklist::{Applies, CheckKind};
        use crate::core::shift::Phase;
        let s = add_row(&Settings::default(), "procedure.steps");
        let s = add_row(&s, "procedure.steps");
        let ids: Vec<&str> = s.procedure.steps.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["step.1", "step.2"]);
        // A new step has no text yet: validation asks for it, by its field.
        let read = read_form(&s, &[]);
        assert_eq!(
            fields(&read.problems),
            ["procedure.steps[0].text.en", "procedure.steps[1].text.en"]
        );
        assert_eq!(
            english(&read.problems[0].message),
            "step 'step.1' has no English text"
        );
        let s = add_row(&s, "procedure.steps[1].links");
        let member = |v: &str| format!("{}{v}", kind::MEMBER_PREFIX);
        let read = read_form(
            &s,
            &[
                FormInput::new("procedure.steps[0].id", kind::TEXT, "ours.hello"),
                FormInput::new("procedure.steps[0].text.en", kind::TEXT, "Say hello"),
                FormInput::new("procedure.steps[0].text.fr", kind::TEXT, "Saluez"),
                FormInput::new("procedure.steps[0].hint.en", kind::TEXT, "In {queues}"),
                FormInput::new("procedure.steps[0].hint.fr", kind::TEXT, ""),
                FormInput::new("procedure.steps[0].check", kind::TEXT, "backchat_hello"),
                FormInput::new("procedure.steps[0].applies", kind::TEXT, "first_shift"),
                FormInput::new("procedure.steps[0].phases", &member("pre_shift"), "true"),
                FormInput::new("procedure.steps[0].phases", &member("on_shift"), "false"),
                FormInput::new("procedure.steps[0].phases", &member("handover"), "true"),
                FormInput::new("procedure.steps[0].parent", kind::OPTIONAL, ""),
                FormInput::new("procedure.steps[1].text.en", kind::TEXT, "Read"),
                FormInput::new("procedure.steps[1].hint.en", kind::TEXT, " "),
                FormInput::new("procedure.steps[1].hint.fr", kind::TEXT, ""),
                FormInput::new("procedure.steps[1].parent", kind::OPTIONAL, "ours.hello"),
                FormInput::new("procedure.steps[1].phases", &member("on_shift"), "false"),
                FormInput::new("procedure.steps[1].links[0].text.en", kind::TEXT, "Guide"),
                FormInput::new("procedure.steps[1].links[0].url", kind::TEXT, "ftp://x"),
            ],
        );
        assert_eq!(
            fields(&read.problems),
            [
                "procedure.steps[1].phases",
                "procedure.steps[1].links[0].url"
            ]
        );
        let (a, b) = (
            &read.settings.procedure.steps[0],
            &read.settings.procedure.steps[1],
        );
        assert_eq!(a.id, "ours.hello");
        assert_eq!(a.phases, [Phase::PreShift, Phase::Handover]);
        assert_eq!(a.applies, Applies::FirstShift);
        assert_eq!(a.check, CheckKind::BackchatHello);
        assert_eq!(a.hint.as_ref().map(|h| h.en.as_str()), Some("In {queues}"));
        assert_eq!(a.parent, None);
        assert_eq!(b.hint, None, "a blank hint is no hint");
        assert_eq!(b.parent.as_deref(), Some("ours.hello"));
        // Moved above its parent: named, by the core's rule.
        let moved = move_row(&read.settings, "procedure.steps[1]", true);
        assert_eq!(moved.procedure.steps[0].id, "step.2");
        assert!(read_form(&moved, &[])
            .problems
            .iter()
            .any(|p| p.field == "procedure.steps[0].parent"));
        assert_eq!(move_row(&moved, "procedure.steps[0]", true), moved, "top");
        assert_eq!(move_row(&moved, "procedure.steps[1]", false), moved, "end");
        assert_eq!(move_row(&moved, "procedure.steps[0]", false), read.settings);
        let one = remove_row(&moved, "procedure.steps[0]");
        assert_eq!(one.procedure.steps.len(), 1);
        // A key outside every list row is still not a field.
        let read = read_form(&s, &[FormInput::new("nothing.here", kind::TEXT, "x")]);
        assert_eq!(fields(&read.problems)[0], "nothing.here");
    }

    #[test]
    fn every_moment_id_is_its_serde_name() {
        for m in MOMENTS {
            assert_eq!(serde_json::to_value(m).unwrap(), Value::from(m.id()));
            assert_eq!(moment_from_id(&moment_id(m)), Some(m));
        }
    }

    #[test]
    fn an_ics_import_adds_or_replaces_without_duplicates() {
        let w = |d: u8| weekly(d, "10:00", "11:00");
        let mine = Shifts {
            weekly: vec![w(0)],
            one_off: vec![],
            skipped: vec!["2026-02-16".into()],
        };
        let import = IcsImport {
            weekly: vec![w(0), w(2)],
            one_off: vec![one_off("2026-03-14", "12:00", "13:00")],
            skipped: vec!["2026-02-16".into(), "2026-04-03".into()],
            warnings: vec![],
        };
        let added = apply_ics(&mine, &import, false);
        assert_eq!(added.weekly, [w(0), w(2)]);
        assert_eq!(added.skipped, ["2026-02-16", "2026-04-03"]);
        assert_eq!(added.one_off.len(), 1);
        let replaced = apply_ics(
            &Shifts {
                weekly: vec![w(4)],
                ..mine
            },
            &import,
            true,
        );
        assert_eq!(replaced.weekly, [w(0), w(2)]);
    }

    #[test]
    fn field_ids_are_valid_html_ids() {
        assert_eq!(
            field_id("service.weekly[2][0].end"),
            "f-service-weekly-2-0-end"
        );
        assert_eq!(field_id("locator_overrides"), "f-locator_overrides");
    }
}
