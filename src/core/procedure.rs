//! The shift procedure as a document: steps, hints, links and the automatic check that
//! proves each step, in English and French, in a versioned JSON format.
//!
//! It is a section of the settings (`settings.procedure`), so it is stored, validated,
//! repaired, imported, exported and pushed by policy like every other setting. A
//! consortium's own steps live in `steps`; while that is empty the procedure is the
//! chosen preset's, shipped as data in `extension/presets/<id>.json` and loaded at run
//! time by the pages that show it (never compiled into the content script's module).
//!
//! A preset is a starting configuration for a consortium: its name, a short description,
//! the settings it sets (a partial settings document) and its procedure. askON's is the
//! default; a neutral "LibraryH3lp service" preset ships beside it. Personal names (a
//! service coordinator) belong to a preset's data, never to the code's defaults.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::catalog::Said;
use super::checklist::{Applies, CheckKind, Step, PLACEHOLDERS};
use super::settings::{unknown_placeholder, LocalText, SettingsProblem};
use super::shift::Phase;
use super::storage::Words;

/// The procedure format's version. 1 was the file the extension compiled in
/// (`procedure.json`: `_about` and `steps`, every step's `check` written out); 2 names
/// the procedure, gives steps `links` and lets `check` default to `manual`.
pub const PROCEDURE_VERSION: u32 = 2;

/// `format` of a procedure file on its own (export, import).
pub const PROCEDURE_FORMAT: &str = "lh3-shift-procedure";
/// `format` of a preset file.
pub const PRESET_FORMAT: &str = "lh3-shift-preset";

/// The presets the extension ships, in the order a coordinator is offered them; each is
/// `presets/<id>.json` in the extension (a test keeps this list and the folder equal).
pub const PRESETS: [&str; 2] = ["askon", "neutral"];
/// askON's, the product's default configuration.
pub const DEFAULT_PRESET: &str = "askon";

/// `settings.procedure`: which preset it is (or started from) and the consortium's own
/// steps, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcedureSettings {
    /// A preset id of [`PRESETS`]: its steps are the procedure while `steps` is empty.
    pub preset: String,
    /// The format version these steps are written in (see `migrate`).
    pub version: u32,
    /// The procedure's title ("askON: LibraryH3lp log in and log out procedures").
    pub name: LocalText,
    /// The consortium's own steps (edited, imported or set by policy); empty = the
    /// preset's.
    pub steps: Vec<Step>,
}

impl Default for ProcedureSettings {
    fn default() -> Self {
        ProcedureSettings {
            preset: DEFAULT_PRESET.to_string(),
            version: PROCEDURE_VERSION,
            name: LocalText::default(),
            steps: Vec::new(),
        }
    }
}

impl ProcedureSettings {
    /// The consortium wrote its own steps (rather than following the preset's).
    pub fn is_custom(&self) -> bool {
        !self.steps.is_empty()
    }

    /// The steps in force: the consortium's own, else the chosen preset's (when `preset`
    /// is that preset, loaded); nothing when the preset could not be loaded.
    pub fn steps_with<'a>(&'a self, preset: Option<&'a Preset>) -> &'a [Step] {
        if self.is_custom() {
            return &self.steps;
        }
        preset
            .filter(|p| p.id == self.preset)
            .map_or(&[], |p| p.procedure.steps.as_slice())
    }
}

/// A shipped (or imported) preset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    pub id: String,
    pub name: LocalText,
    /// One sentence on what choosing it sets.
    pub about: LocalText,
    /// The settings the preset sets, by section, like a settings file (partial).
    #[serde(default)]
    pub settings: Value,
    /// Its procedure (`preset` is left empty in the file: it is the preset's own id).
    pub procedure: ProcedureSettings,
}

/// The path of a preset's file in the extension (`presets/askon.json`).
pub fn preset_path(id: &str) -> String {
    format!("presets/{id}.json")
}

/// Reads a preset file. A shipped preset must be clean: any problem in its procedure
/// is an error (the tests read every shipped file with this).
pub fn parse_preset(text: &str) -> Result<Preset, String> {
    let raw: Value =
        serde_json::from_str(text).map_err(|e| format!("the preset is not JSON ({e})"))?;
    let Value::Object(mut doc) = raw else {
        return Err("the preset is not a JSON object".into());
    };
    if doc.get("format").and_then(Value::as_str) != Some(PRESET_FORMAT) {
        return Err(format!("the preset's format is not \"{PRESET_FORMAT}\""));
    }
    doc.remove("format");
    let mut warnings = Vec::new();
    if let Some(p) = doc.get_mut("procedure") {
        migrate(p, &mut warnings, Words::default());
    }
    let mut preset: Preset = serde_json::from_value(Value::Object(doc))
        .map_err(|e| format!("the preset could not be read ({e})"))?;
    if preset.id.trim().is_empty() {
        return Err("the preset has no id".into());
    }
    preset.procedure.preset = preset.id.clone();
    warnings.extend(problems(&preset.procedure).iter().map(ToString::to_string));
    if !preset.settings.is_object() && !preset.settings.is_null() {
        warnings.push("settings: not an object".into());
    }
    if warnings.is_empty() {
        Ok(preset)
    } else {
        Err(warnings.join("; "))
    }
}

// ---- the document's versions -------------------------------------------------------------

/// Brings a procedure document (the settings' `procedure` section, or a procedure file)
/// to today's format, naming what it did not understand. No `version`: version 1 when it
/// carries version 1's `_about` note, else today's. Its notes are said in `words`.
pub fn migrate(section: &mut Value, warnings: &mut Vec<String>, words: Words) {
    let Some(doc) = section.as_object_mut() else {
        return;
    };
    let unversioned = if doc.contains_key("_about") {
        1
    } else {
        PROCEDURE_VERSION
    };
    let version = super::storage::format_version(
        doc,
        (unversioned, PROCEDURE_VERSION),
        ("repairProcedureVersionNotANumber", "repairProcedureNewer"),
        warnings,
        words,
    );
    if version < 2 {
        migrate_1_to_2(doc);
    }
    doc.insert("version".into(), Value::from(PROCEDURE_VERSION));
}

/// Version 1's `_about` was a note for people editing the file; version 2 has a `name`.
fn migrate_1_to_2(doc: &mut Map<String, Value>) {
    doc.remove("_about");
}

/// A file holding a procedure or a preset, as the settings document it stands for: a
/// procedure file (`lh3-shift-procedure`, or version 1's bare `{"_about", "steps"}`)
/// becomes `{"procedure": …}`; a preset file its settings plus its procedure. Anything
/// else is returned as it is (a settings file).
pub fn as_settings_document(doc: &Map<String, Value>) -> Map<String, Value> {
    let format = doc.get("format").and_then(Value::as_str);
    let mut out = Map::new();
    match format {
        Some(PROCEDURE_FORMAT) => {
            let mut procedure = doc.clone();
            procedure.remove("format");
            out.insert("procedure".into(), Value::Object(procedure));
        }
        Some(PRESET_FORMAT) => {
            if let Some(Value::Object(settings)) = doc.get("settings") {
                out.extend(settings.clone());
            }
            if let Some(Value::Object(procedure)) = doc.get("procedure") {
                let mut procedure = procedure.clone();
                if let Some(id) = doc.get("id") {
                    procedure.insert("preset".into(), id.clone());
                }
                out.insert("procedure".into(), Value::Object(procedure));
            }
        }
        _ if doc.contains_key("steps") && !doc.contains_key("procedure") => {
            out.insert("procedure".into(), Value::Object(doc.clone()));
        }
        _ => return doc.clone(),
    }
    out
}

/// A procedure file of the steps in force (the coordinator's, or the preset's).
pub fn export_procedure(procedure: &ProcedureSettings, preset: Option<&Preset>) -> String {
    let name = match (procedure.is_custom(), preset) {
        (false, Some(p)) if p.id == procedure.preset => p.procedure.name.clone(),
        _ => procedure.name.clone(),
    };
    let doc = serde_json::json!({
        "format": PROCEDURE_FORMAT,
        "version": PROCEDURE_VERSION,
        "name": name,
        "steps": procedure.steps_with(preset),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The steps as the options page's text area shows them (empty: the preset's).
pub fn steps_text(procedure: &ProcedureSettings) -> String {
    if procedure.steps.is_empty() {
        return String::new();
    }
    serde_json::to_string_pretty(&procedure.steps).unwrap_or_default()
}

// ---- what a step may say, as the options form offers it ------------------------------------

/// A choice of the form: the value, its id in the document, the catalog key of its label.
pub type Choice<T> = (T, &'static str, &'static str);

/// The phases of a shift a step can belong to, in the order of a day.
pub const STEP_PHASES: [Choice<Phase>; 7] = [
    (Phase::OffHours, "off_hours", "stepPhaseOffHours"),
    (Phase::PreShift, "pre_shift", "stepPhasePreShift"),
    (Phase::LoginWindow, "login_window", "stepPhaseLoginWindow"),
    (Phase::OnShift, "on_shift", "stepPhaseOnShift"),
    (Phase::Handover, "handover", "stepPhaseHandover"),
    (
        Phase::LastShiftClosing,
        "last_shift_closing",
        "stepPhaseLastShiftClosing",
    ),
    (Phase::AfterClose, "after_close", "stepPhaseAfterClose"),
];

/// Which shifts a step is for.
pub const STEP_APPLIES: [Choice<Applies>; 5] = [
    (Applies::Always, "always", "stepAppliesAlways"),
    (Applies::FirstShift, "first_shift", "stepAppliesFirstShift"),
    (Applies::LastShift, "last_shift", "stepAppliesLastShift"),
    (
        Applies::NotLastShift,
        "not_last_shift",
        "stepAppliesNotLastShift",
    ),
    (
        Applies::ReplacementMissing,
        "replacement_missing",
        "stepAppliesReplacementMissing",
    ),
];

/// The automatic check that proves a step done; `manual` first (ticked by hand).
pub const STEP_CHECKS: [Choice<CheckKind>; 12] = [
    (CheckKind::Manual, "manual", "stepCheckManual"),
    (
        CheckKind::QueuesStaffed,
        "queues_staffed",
        "stepCheckQueuesStaffed",
    ),
    (CheckKind::TimerSet, "timer_set", "stepCheckTimerSet"),
    (
        CheckKind::HistoryReviewed,
        "history_reviewed",
        "stepCheckHistoryReviewed",
    ),
    (
        CheckKind::BackchatHello,
        "backchat_hello",
        "stepCheckBackchatHello",
    ),
    (
        CheckKind::StatusAvailable,
        "status_available",
        "stepCheckStatusAvailable",
    ),
    (
        CheckKind::OfflineTextsAnswered,
        "offline_texts_answered",
        "stepCheckOfflineTextsAnswered",
    ),
    (
        CheckKind::ReplacementLoggedIn,
        "replacement_logged_in",
        "stepCheckReplacementLoggedIn",
    ),
    (CheckKind::NoNewChats, "no_new_chats", "stepCheckNoNewChats"),
    (
        CheckKind::ActiveChatsTransferred,
        "active_chats_transferred",
        "stepCheckActiveChatsTransferred",
    ),
    (
        CheckKind::BackchatSignOff,
        "backchat_sign_off",
        "stepCheckBackchatSignOff",
    ),
    (
        CheckKind::StatusLogout,
        "status_logout",
        "stepCheckStatusLogout",
    ),
];

/// A value's id among the form's choices ("" when it is not one of them).
pub fn choice_id<T: PartialEq>(choices: &[Choice<T>], value: &T) -> &'static str {
    choices
        .iter()
        .find(|(v, _, _)| v == value)
        .map_or("", |(_, id, _)| id)
}

/// An id for a step added to a procedure that uses `taken`: `step.N`, N the step's
/// place, or the next number free.
pub fn new_step_id(taken: &[&str]) -> String {
    (taken.len() + 1..)
        .map(|n| format!("step.{n}"))
        .find(|id| !taken.contains(&id.as_str()))
        .unwrap_or_default()
}

/// A step added in the options form: a free id, during the shift, for every shift,
/// ticked by hand; its texts are the coordinator's to write (validation asks for them).
pub fn new_step(taken: &[&str]) -> Step {
    Step {
        id: new_step_id(taken),
        phases: vec![Phase::OnShift],
        applies: Applies::Always,
        check: CheckKind::Manual,
        text: LocalText::default(),
        hint: None,
        parent: None,
        links: Vec::new(),
    }
}

/// A procedure as the options form leaves it: a hint with no text in either language
/// is no hint, a blank parent none.
pub fn tidy(p: &mut ProcedureSettings) {
    for step in &mut p.steps {
        if step
            .hint
            .as_ref()
            .is_some_and(|h| h.en.trim().is_empty() && h.fr.trim().is_empty())
        {
            step.hint = None;
        }
        if step.parent.as_ref().is_some_and(|s| s.trim().is_empty()) {
            step.parent = None;
        }
    }
}

// ---- validation ----------------------------------------------------------------------------

/// A step id's shape: `login.queues` (lower-case letters, digits, `.`, `_`, `-`). Ticks
/// are stored by it.
pub fn is_step_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn is_link_url(url: &str) -> bool {
    let u = url.trim();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| u.len() > scheme.len() && u.starts_with(scheme))
        && !u.chars().any(char::is_whitespace)
}

/// Everything wrong with a procedure, by field path (`procedure.steps[3].text.en`), each
/// message naming the step.
pub fn problems(p: &ProcedureSettings) -> Vec<SettingsProblem> {
    let mut out = Vec::new();
    let mut add = |field: String, message: Said| out.push(SettingsProblem::new(field, message));
    if !PRESETS.contains(&p.preset.as_str()) {
        add(
            "procedure.preset".into(),
            Said::new(
                "problemUnknownPreset",
                &[("preset", &p.preset), ("presets", &PRESETS.join(", "))],
            ),
        );
    }
    for (i, step) in p.steps.iter().enumerate() {
        let path = format!("procedure.steps[{i}]");
        let id = step.id.trim();
        // Each message names the step: "step 'login.queues'", or "step 3" without an id.
        let who = if id.is_empty() {
            Said::new("problemStepNumber", &[("n", &(i + 1).to_string())])
        } else {
            Said::new("problemStepId", &[("id", id)])
        };
        let said =
            |key: &str, args: &[(&str, &str)]| Said::new(key, args).with("step", who.clone());
        if id.is_empty() {
            add(format!("{path}.id"), said("problemStepNoId", &[]));
        } else if !is_step_id(&step.id) {
            add(format!("{path}.id"), said("problemStepIdChars", &[]));
        } else if p.steps[..i].iter().any(|s| s.id == step.id) {
            add(format!("{path}.id"), said("problemStepIdTwice", &[]));
        }
        if step.phases.is_empty() {
            add(format!("{path}.phases"), said("problemStepNoPhase", &[]));
        }
        if step.text.en.trim().is_empty() {
            add(format!("{path}.text.en"), said("problemStepNoEnglish", &[]));
        }
        let mut texts = vec![("text", &step.text)];
        if let Some(h) = &step.hint {
            texts.push(("hint", h));
        }
        for (part, text) in texts {
            for (lang, s) in [("en", &text.en), ("fr", &text.fr)] {
                for name in s
                    .split('{')
                    .skip(1)
                    .filter_map(|r| r.split_once('}'))
                    .map(|(n, _)| n)
                    .filter(|n| !PLACEHOLDERS.contains(n))
                {
                    let unknown = unknown_placeholder(name, &PLACEHOLDERS);
                    add(
                        format!("{path}.{part}.{lang}"),
                        said("problemStepSays", &[]).with("problem", unknown),
                    );
                }
            }
        }
        if let Some(parent) = &step.parent {
            if !p.steps[..i].iter().any(|s| &s.id == parent) {
                add(
                    format!("{path}.parent"),
                    said("problemStepParent", &[("parent", parent)]),
                );
            }
        }
        for (j, link) in step.links.iter().enumerate() {
            if !is_link_url(&link.url) {
                add(
                    format!("{path}.links[{j}].url"),
                    said("problemStepLinkUrl", &[("url", link.url.trim())]),
                );
            }
            if link.text.en.trim().is_empty() {
                add(
                    format!("{path}.links[{j}].text.en"),
                    said("problemStepLinkNoEnglish", &[]),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::shipped as shipped_catalog;
    use crate::core::checklist::CheckKind;
    use crate::core::settings::Language;
    use crate::core::settings::Settings;
    use crate::core::storage::{
        apply_preset, import_over, load_settings, load_settings_in, merge_managed_report,
        save_settings,
    };
    use crate::core::test_support::{askon_steps, assert_warns};
    use serde_json::json;

    /// A shipped preset file (the folder itself is checked against `PRESETS` in
    /// tests/presets.rs: the core reads no files).
    fn shipped(id: &str) -> String {
        match id {
            "askon" => include_str!("../../extension/presets/askon.json"),
            "neutral" => include_str!("../../extension/presets/neutral.json"),
            other => panic!("no preset {other}"),
        }
        .to_string()
    }

    #[test]
    fn every_shipped_preset_reads_cleanly() {
        for id in PRESETS {
            let preset = parse_preset(&shipped(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(preset.id, id);
            assert!(!preset.name.fr.is_empty() && !preset.about.fr.is_empty());
            assert!(preset.procedure.steps.len() >= 20, "{id}: steps");
            // Its settings apply without a warning.
            let (_, warnings) = apply_preset(&Settings::default(), &preset);
            assert_eq!(warnings, Vec::<String>::new(), "{id}");
            for s in &preset.procedure.steps {
                assert!(!s.text.fr.trim().is_empty(), "{id} {}: French text", s.id);
            }
        }
        assert_eq!(DEFAULT_PRESET, PRESETS[0]);
    }

    #[test]
    fn people_are_in_the_askon_preset_never_in_the_defaults_nor_the_neutral_preset() {
        let defaults = serde_json::to_string(&save_settings(&Settings::default())).unwrap();
        assert!(
            !defaults.contains("Lauren") && !defaults.contains('@'),
            "{defaults}"
        );
        let neutral = shipped("neutral");
        for word in [
            "askON",
            "askon.",
            "Lauren",
            "ocls",
            "@",
            "colleges",
            "atlassian",
        ] {
            assert!(!neutral.contains(word), "the neutral preset says {word}");
        }
        let askon = parse_preset(&shipped("askon")).unwrap();
        let (s, _) = apply_preset(&Settings::default(), &askon);
        assert_eq!(s.coordinators.service[0].email, "lrupert@ocls.ca");
        assert_eq!(s.procedure.preset, "askon");
        assert!(!s.procedure.is_custom());
        let neutral = parse_preset(&neutral).unwrap();
        let (n, _) = apply_preset(&s, &neutral);
        assert!(
            n.coordinators.service.is_empty(),
            "choosing neutral drops askON's people"
        );
        assert_eq!(n.procedure.preset, "neutral");
        assert!(!n.canned.rules[1].suggestions[0].text.en.contains("askON"));
    }

    #[test]
    fn choosing_a_preset_keeps_what_is_the_operators_own() {
        let mut mine = Settings {
            operator_name: "Ana Lopez".into(),
            ..Settings::default()
        };
        mine.language = crate::core::settings::LanguageChoice::Fr;
        mine.queues.home_team = vec!["my_college".into()];
        mine.shifts.skipped = vec!["2026-01-05".into()];
        mine.timing.pre_shift_minutes = 30;
        mine.procedure.steps = askon_steps()[..2].to_vec();
        let neutral = parse_preset(&shipped("neutral")).unwrap();
        let (s, _) = apply_preset(&mine, &neutral);
        assert_eq!(s.operator_name, "Ana Lopez");
        assert_eq!(s.language, crate::core::settings::LanguageChoice::Fr);
        assert_eq!(s.queues.home_team, vec!["my_college"]);
        assert_eq!(s.shifts.skipped, vec!["2026-01-05"]);
        assert_eq!(
            s.timing.pre_shift_minutes, 5,
            "the consortium's values are the preset's"
        );
        assert!(
            !s.procedure.is_custom(),
            "the preset's procedure replaces one's own steps"
        );
        assert_eq!(s.procedure.name, neutral.procedure.name);
    }

    #[test]
    fn the_steps_in_force_are_the_consortiums_else_the_chosen_presets() {
        let askon = parse_preset(&shipped("askon")).unwrap();
        let mut p = ProcedureSettings::default();
        assert_eq!(
            p.steps_with(Some(&askon)).len(),
            askon.procedure.steps.len()
        );
        assert!(
            p.steps_with(None).is_empty(),
            "not loaded: no steps, never askON's by code"
        );
        p.preset = "neutral".into();
        assert!(
            p.steps_with(Some(&askon)).is_empty(),
            "another preset's file is not this one"
        );
        p.steps = askon_steps()[..3].to_vec();
        assert_eq!(p.steps_with(Some(&askon)).len(), 3);
        assert_eq!(p.steps_with(None).len(), 3);
    }

    fn step(id: &str) -> Value {
        json!({"id": id, "phases": ["on_shift"], "applies": "always",
               "text": {"en": format!("Do {id}"), "fr": format!("Faire {id}")}})
    }

    #[test]
    fn each_mistake_in_a_procedure_names_the_step_and_its_field() {
        let mut bad_link = step("c");
        bad_link["links"] =
            json!([{"text": {"en": "Doc", "fr": ""}, "url": "javascript:alert(1)"}]);
        let mut unknown_placeholder = step("d");
        unknown_placeholder["hint"] = json!({"en": "Ask {boss}", "fr": ""});
        let mut orphan = step("e");
        orphan["parent"] = json!("nowhere");
        let mut no_text = step("f");
        no_text["text"] = json!({"en": " ", "fr": "x"});
        let mut no_phase = step("g");
        no_phase["phases"] = json!([]);
        let doc = json!({"preset": "other", "steps": [step("a"), step("a"), step("Bad Id"),
            bad_link, unknown_placeholder, orphan, no_text, no_phase]});
        let p: ProcedureSettings = serde_json::from_value(doc).unwrap();
        let found: Vec<(String, String)> = problems(&p)
            .into_iter()
            .map(|p| (p.field, crate::core::catalog::english(&p.message)))
            .collect();
        let expect = [
            ("procedure.preset", "unknown preset 'other' (the extension ships: askon, neutral)"),
            ("procedure.steps[1].id", "step 'a': this id is used twice"),
            ("procedure.steps[2].id", "step 'Bad Id': an id holds only lower-case letters, digits, '.', '_' and '-' (e.g. login.queues)"),
            ("procedure.steps[3].links[0].url", "step 'c': 'javascript:alert(1)' is not a web or email address (https://…, mailto:…)"),
            ("procedure.steps[4].hint.en", "step 'd': unknown placeholder {boss} (known: {queues}, {resources}, {service_coordinator}, {hours}, {timer}, {pre_shift})"),
            ("procedure.steps[5].parent", "step 'e': its parent 'nowhere' is not a step listed before it"),
            ("procedure.steps[6].text.en", "step 'f' has no English text"),
            ("procedure.steps[7].phases", "step 'g' belongs to no phase of a shift"),
        ];
        assert_eq!(
            found,
            expect
                .iter()
                .map(|(f, m)| (f.to_string(), m.to_string()))
                .collect::<Vec<_>>()
        );
        // The settings' validation says the same.
        let s = Settings {
            procedure: p,
            ..Settings::default()
        };
        assert_eq!(s.validate().len(), expect.len());
    }

    #[test]
    fn a_bad_step_in_stored_settings_is_left_out_named_and_the_document_kept() {
        let mut broken = step("b");
        broken["text"] = json!({"en": "", "fr": ""});
        let doc = json!({"version": 1, "operator_name": "Ana",
            "procedure": {"preset": "askon", "version": 2, "steps": [step("a"), broken, 42, step("c")]}});
        let loaded = load_settings(&doc);
        let ids: Vec<&str> = loaded
            .settings
            .procedure
            .steps
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, vec!["a", "c"]);
        assert_eq!(loaded.settings.operator_name, "Ana", "the rest is read");
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.contains("field=t18:procedure.steps[2]")),
            "{:?}",
            loaded.warnings
        );
        // Without a catalog (these tests, logs) a note is its catalog key and values.
        assert_warns(&loaded.warnings, "problemStepNoEnglish");
        assert_warns(&loaded.warnings, "id=t1:b");
        assert_eq!(
            loaded.raw_kept,
            Some(doc),
            "nothing lost: the document is kept"
        );
    }

    #[test]
    fn version_1_files_are_migrated_and_newer_ones_said_so() {
        // Version 1: the file the extension compiled in, `check` written out, a note.
        let v1 = json!({"_about": "The shift procedure as data", "steps": [
            {"id": "login.queues", "phases": ["login_window"], "applies": "always",
             "check": "queues_staffed", "text": {"en": "Check {queues}", "fr": "Vérifiez {queues}"}},
            {"id": "login.buddy_list", "phases": ["login_window"], "applies": "always",
             "check": "manual", "text": {"en": "Buddy list", "fr": "Contacts"}}]});
        let imported = import_over(&Settings::default(), &v1.to_string());
        assert_eq!(imported.warnings, Vec::<String>::new());
        assert_eq!(
            imported.changed,
            vec!["procedure.steps", "procedure.version"]
        );
        let p = &imported.settings.procedure;
        assert_eq!(p.version, PROCEDURE_VERSION);
        assert_eq!(p.steps[0].check, CheckKind::QueuesStaffed);
        assert_eq!(p.steps[1].check, CheckKind::Manual);
        let stored = load_settings(&json!({"procedure": {"_about": "x", "steps": [step("a")]}}));
        assert_eq!(
            stored.warnings,
            Vec::<String>::new(),
            "the note went with the migration"
        );
        assert_eq!(stored.settings.procedure.steps.len(), 1);
        let newer = load_settings(&json!({"procedure": {"version": 9, "steps": [step("a")]}}));
        assert_warns(&newer.warnings, "repairProcedureNewer");
        assert_eq!(
            newer.settings.procedure.steps.len(),
            1,
            "what it understands is used"
        );
    }

    #[test]
    fn migration_notes_are_said_in_the_language_in_force() {
        let n = '\u{202f}';
        let (en, fr) = (shipped_catalog(Language::En), shipped_catalog(Language::Fr));
        let say = |doc: &Value, catalog| load_settings_in(doc, Words(Some(catalog))).warnings;
        let newer = json!({"procedure": {"version": 9, "steps": [step("a")]}});
        assert_eq!(say(&newer, &en), vec!["procedure: written by a newer version of the extension (procedure format 9; this one reads 2): what it understands is used"]);
        assert_eq!(say(&newer, &fr), vec![format!("procédure{n}: écrite par une version plus récente de l'extension (format de procédure 9{n}; celle-ci lit le 2){n}: ce qu'elle comprend est utilisé")]);
        let odd = json!({"procedure": {"version": "two", "steps": [step("a")]}});
        assert_eq!(
            say(&odd, &en),
            vec!["procedure.version: \"two\" is not a version number; read as version 2"]
        );
        assert_eq!(say(&odd, &fr), vec![format!("procedure.version{n}: \"two\" n'est pas un numéro de version{n}; lu comme la version 2")]);
    }

    #[test]
    fn a_procedure_file_round_trips_and_changes_only_the_procedure() {
        let askon = parse_preset(&shipped("askon")).unwrap();
        let mine = Settings {
            operator_name: "Ana".into(),
            ..Settings::default()
        };
        let text = export_procedure(&mine.procedure, Some(&askon));
        assert!(text.contains("\"format\": \"lh3-shift-procedure\""));
        let imported = import_over(&mine, &text);
        assert_eq!(imported.warnings, Vec::<String>::new());
        assert_eq!(imported.settings.operator_name, "Ana");
        assert_eq!(imported.settings.procedure.steps, askon.procedure.steps);
        assert_eq!(imported.settings.procedure.name, askon.procedure.name);
        // A preset file imports as the settings it names plus its procedure.
        let neutral = shipped("neutral");
        let imported = import_over(&mine, &neutral);
        assert_eq!(imported.warnings, Vec::<String>::new());
        assert_eq!(imported.settings.procedure.preset, "neutral");
        assert!(imported.settings.procedure.is_custom());
        assert_eq!(imported.settings.operator_name, "Ana");
    }

    #[test]
    fn a_policy_sets_and_locks_the_procedure_and_refuses_a_broken_one() {
        let policy = json!({"procedure": {"preset": "neutral", "steps": [step("a"), step("b")]}});
        let m = merge_managed_report(&Settings::default(), &policy);
        assert_eq!(m.warnings, Vec::<String>::new());
        assert_eq!(m.locked, vec!["procedure.preset", "procedure.steps"]);
        assert_eq!(m.settings.procedure.steps.len(), 2);
        let mut broken = step("b");
        broken["parent"] = json!("z");
        let policy = json!({"procedure": {"steps": [step("a"), broken]}});
        let m = merge_managed_report(&Settings::default(), &policy);
        assert!(m.locked.is_empty());
        assert!(
            m.warnings[0].contains(
                "problemStepParent\u{1f}parent=t1:z\u{1f}step=s21:problemStepId\u{1f}id=t1:b"
            ),
            "{:?}",
            m.warnings
        );
        assert!(!m.settings.procedure.is_custom());
    }

    #[test]
    fn the_forms_choices_are_the_documents_words_with_a_label_in_the_catalog() {
        let en: Value =
            serde_json::from_str(include_str!("../../extension/_locales/en/messages.json"))
                .unwrap();
        fn check<T: Serialize + PartialEq>(choices: &[Choice<T>], en: &Value) {
            for (value, id, key) in choices {
                assert_eq!(serde_json::to_value(value).unwrap(), json!(id));
                assert_eq!(choice_id(choices, value), *id);
                assert!(en[key]["message"].is_string(), "no message {key}");
            }
        }
        check(&STEP_PHASES, &en);
        check(&STEP_APPLIES, &en);
        check(&STEP_CHECKS, &en);
        // Every value a shipped step uses is offered (a new kind of check would be).
        for id in PRESETS {
            for s in parse_preset(&shipped(id)).unwrap().procedure.steps {
                assert_ne!(choice_id(&STEP_CHECKS, &s.check), "", "{}", s.id);
                assert_ne!(choice_id(&STEP_APPLIES, &s.applies), "", "{}", s.id);
                for ph in &s.phases {
                    assert_ne!(choice_id(&STEP_PHASES, ph), "", "{}", s.id);
                }
            }
        }
    }

    #[test]
    fn a_new_step_gets_a_free_id_and_a_blank_hint_is_none() {
        assert_eq!(new_step_id(&[]), "step.1");
        assert_eq!(new_step_id(&["a", "b"]), "step.3");
        assert_eq!(new_step_id(&["step.2", "b"]), "step.3");
        assert_eq!(new_step_id(&["step.2", "step.3"]), "step.4");
        let mut p = ProcedureSettings {
            steps: askon_steps()[..2].to_vec(),
            ..ProcedureSettings::default()
        };
        p.steps[0].hint = Some(LocalText::new(" ", ""));
        p.steps[1].hint = Some(LocalText::new("", "Un indice"));
        p.steps[1].parent = Some(" ".into());
        tidy(&mut p);
        assert_eq!(p.steps[0].hint, None);
        assert_eq!(p.steps[1].hint, Some(LocalText::new("", "Un indice")));
        assert_eq!(p.steps[1].parent, None);
    }

    #[test]
    fn step_ids_are_plain() {
        for id in ["login.queues", "a", "x_1-2"] {
            assert!(is_step_id(id), "{id}");
        }
        for id in ["", "Login", "a b", "é", &"a".repeat(81)] {
            assert!(!is_step_id(id), "{id}");
        }
        assert!(askon_steps().iter().all(|s| is_step_id(&s.id)));
    }
}
