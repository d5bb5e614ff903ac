//! The stored settings document: versioned, migrated, read forgivingly, never lost.
//!
//! `load_settings` always returns settings that can be used (they pass `validate()`).
//! Whatever it could not use — a field of the wrong type, an invalid value, a field
//! it does not know, a document from a newer version — is named in `warnings`, and
//! the raw document is handed back in `raw_kept` so the options page can offer it
//! for export. The same functions read and write the settings file a user exports or
//! imports. Values pushed by a consortium's IT through `chrome.storage.managed`
//! override the user's and are reported as locked (`merge_managed`).

use serde_json::{Map, Value};

use super::procedure::{Preset, ProcedureSettings};
use super::settings::{Settings, SettingsProblem, SETTINGS_VERSION};

/// What `load_settings` read.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSettings {
    pub settings: Settings,
    /// One line per thing that could not be used, naming its field.
    pub warnings: Vec<String>,
    /// The document as it was, whenever anything in it was not used.
    pub raw_kept: Option<Value>,
    /// The stored version when migrations ran (the caller should save again).
    pub migrated_from: Option<u32>,
}

impl LoadedSettings {
    fn new(
        settings: Settings,
        warnings: Vec<String>,
        raw: &Value,
        migrated_from: Option<u32>,
    ) -> Self {
        let raw_kept = (!warnings.is_empty()).then(|| raw.clone());
        LoadedSettings {
            settings,
            warnings,
            raw_kept,
            migrated_from,
        }
    }
}

/// How a settings problem (a catalog message) is put in a repair note: in the catalog
/// of the page that shows the notes, or, without one (native tests, logs), as its key
/// and values.
#[derive(Clone, Copy, Default)]
pub struct Words<'a>(pub Option<&'a super::catalog::Catalog>);

impl Words<'_> {
    fn say(&self, said: &super::catalog::Said) -> String {
        match self.0 {
            Some(catalog) => said.text(catalog),
            None => said.to_string(),
        }
    }

    /// A note's framing (`repair…` in the catalog) with its values.
    pub(crate) fn note(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.say(&super::catalog::Said::new(key, args))
    }

    /// What a JSON value is, in words ("a list").
    fn kind(&self, v: &Value) -> String {
        self.note(json_kind(v), &[])
    }
}

/// Reads a stored (or imported) settings document.
pub fn load_settings(raw: &Value) -> LoadedSettings {
    load_settings_in(raw, Words::default())
}

/// `load_settings`, its repair notes in `words`.
pub fn load_settings_in(raw: &Value, words: Words) -> LoadedSettings {
    let doc = match raw {
        Value::Null => return LoadedSettings::new(Settings::default(), Vec::new(), raw, None),
        Value::Object(doc) => doc,
        Value::String(s) if s.trim().is_empty() => {
            return LoadedSettings::new(Settings::default(), Vec::new(), raw, None)
        }
        other => {
            let warning = words.note("repairStoredNotADocument", &[("kind", &words.kind(other))]);
            return LoadedSettings::new(Settings::default(), vec![warning], raw, None);
        }
    };
    let mut warnings = Vec::new();
    let (doc, migrated_from) = migrate(doc, &mut warnings, words);
    let settings = read_document(&doc, &mut warnings, words);
    LoadedSettings::new(settings, warnings, raw, migrated_from)
}

/// A document's format version: `unversioned` when it says none; `current`, said with
/// the `not_a_number` note, when its version is not a whole number; and said with the
/// `newer` note when it is newer than `current` (it is then read as far as it is
/// understood). The settings and the procedure document are read this one way.
pub(crate) fn format_version(
    doc: &Map<String, Value>,
    (unversioned, current): (u32, u32),
    (not_a_number, newer): (&str, &str),
    warnings: &mut Vec<String>,
    words: Words,
) -> u32 {
    let current_text = current.to_string();
    let note =
        |key: &str, given: &str| words.note(key, &[("given", given), ("version", &current_text)]);
    let version = match doc.get("version") {
        None => unversioned,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => n,
            None => {
                warnings.push(note(not_a_number, &v.to_string()));
                current
            }
        },
    };
    if version > current {
        warnings.push(note(newer, &version.to_string()));
    }
    version
}

/// The document in today's shape, without its version: migrations run on an older one,
/// a newer one is read as far as it is understood (and said so).
fn migrate(
    doc: &Map<String, Value>,
    warnings: &mut Vec<String>,
    words: Words,
) -> (Map<String, Value>, Option<u32>) {
    let mut doc = doc.clone();
    let unversioned = if looks_like_version_0(&doc) {
        0
    } else {
        SETTINGS_VERSION
    };
    let version = format_version(
        &doc,
        (unversioned, SETTINGS_VERSION),
        ("repairVersionNotANumber", "repairNewerVersion"),
        warnings,
        words,
    );
    let mut migrated_from = None;
    if version < SETTINGS_VERSION {
        for step in MIGRATIONS.iter().skip(version as usize) {
            step(&mut doc);
        }
        migrated_from = Some(version);
    }
    doc.remove("version");
    // The procedure section carries its own format version.
    if let Some(procedure) = doc.get_mut("procedure") {
        super::procedure::migrate(procedure, warnings, words);
    }
    (doc, migrated_from)
}

/// The document to store: the settings with the current version.
pub fn save_settings(settings: &Settings) -> Value {
    let mut doc = serde_json::to_value(settings).unwrap_or(Value::Null);
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("version".into(), Value::from(SETTINGS_VERSION));
    }
    doc
}

/// The settings file a user exports (pretty JSON of `save_settings`).
pub fn export_settings(settings: &Settings) -> String {
    serde_json::to_string_pretty(&save_settings(settings)).unwrap_or_default()
}

/// Reads a settings file a user imports; text that is not JSON gives the defaults, a
/// warning, and the text kept.
pub fn import_settings(text: &str) -> LoadedSettings {
    import_settings_in(text, Words::default())
}

/// `import_settings`, its notes in `words`.
pub fn import_settings_in(text: &str, words: Words) -> LoadedSettings {
    if text.trim().is_empty() {
        return load_settings_in(&Value::Null, words);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(doc) => load_settings_in(&doc, words),
        Err(e) => LoadedSettings::new(
            Settings::default(),
            vec![words.note("repairFileNotJson", &[("error", &e.to_string())])],
            &Value::String(text.to_string()),
            None,
        ),
    }
}

/// Fields about one operator rather than the consortium: their name as LibraryH3lp shows
/// it, their language, their shifts and their own library's home-team queues. "Export for
/// my consortium" leaves them out, so a coordinator's file never carries (or, imported,
/// overwrites) anyone's own.
pub const PERSONAL_FIELDS: [&str; 4] = ["operator_name", "language", "shifts", "queues.home_team"];

/// The settings file a coordinator hands to the consortium: everything but
/// [`PERSONAL_FIELDS`].
pub fn export_for_consortium(settings: &Settings) -> String {
    let mut doc = save_settings(settings);
    for path in PERSONAL_FIELDS {
        match path.split_once('.') {
            Some((section, field)) => {
                if let Some(obj) = doc.get_mut(section).and_then(Value::as_object_mut) {
                    obj.remove(field);
                }
            }
            None => {
                if let Some(obj) = doc.as_object_mut() {
                    obj.remove(path);
                }
            }
        }
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// `onto` with the operator's own fields ([`PERSONAL_FIELDS`]) taken from `from`.
pub fn keep_personal(onto: &Settings, from: &Settings) -> Settings {
    let mut doc = save_settings(onto);
    let mine = save_settings(from);
    for path in PERSONAL_FIELDS {
        let keys: Vec<&str> = path.split('.').collect();
        let value = keys.iter().try_fold(&mine, |v, k| v.get(*k));
        if let Some(v) = value {
            set_at(&mut doc, &keys, v.clone());
        }
    }
    serde_json::from_value(doc).unwrap_or_else(|_| onto.clone())
}

/// Chooses a preset: the consortium's settings go back to the defaults and take the
/// preset's values, the procedure becomes the preset's; the operator's own fields (name,
/// language, shifts, home-team queues) stay. Returns the preset values that could not
/// be used, if any.
pub fn apply_preset(current: &Settings, preset: &Preset) -> (Settings, Vec<String>) {
    apply_preset_in(current, preset, Words::default())
}

/// `apply_preset`, its notes in `words`.
pub fn apply_preset_in(
    current: &Settings,
    preset: &Preset,
    words: Words,
) -> (Settings, Vec<String>) {
    let base = keep_personal(&Settings::default(), current);
    let merged = merge_managed_report_in(&base, &preset.settings, words);
    let mut settings = merged.settings;
    settings.procedure = ProcedureSettings {
        preset: preset.id.clone(),
        name: preset.procedure.name.clone(),
        ..ProcedureSettings::default()
    };
    (settings, merged.warnings)
}

/// What importing a settings file over the current settings did.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub settings: Settings,
    /// The paths the file named and that were taken ("timing.pre_shift_minutes", "shifts").
    pub changed: Vec<String>,
    /// What could not be used, naming its field.
    pub warnings: Vec<String>,
}

/// Imports a settings file over `current`, section by section: a field of an object
/// section ("timing.pre_shift_minutes") or a whole other section ("shifts",
/// "locator_overrides") changes only when the file names it, so a consortium's partial
/// file leaves each operator's name and shifts alone. The file is read as forgivingly as
/// stored settings (migrated, repaired, each problem named); a file that is not a
/// settings document changes nothing.
pub fn import_over(current: &Settings, text: &str) -> Imported {
    import_over_in(current, text, Words::default())
}

/// `import_over`, its notes in `words`.
pub fn import_over_in(current: &Settings, text: &str, words: Words) -> Imported {
    let unchanged = |warning: String| Imported {
        settings: current.clone(),
        changed: Vec::new(),
        warnings: vec![warning],
    };
    let raw: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) if text.trim().is_empty() => return unchanged(words.note("repairFileEmpty", &[])),
        Err(e) => {
            return unchanged(words.note("repairImportNotJson", &[("error", &e.to_string())]))
        }
    };
    let Some(doc) = raw.as_object() else {
        return unchanged(words.note("repairImportNotADocument", &[("kind", &words.kind(&raw))]));
    };
    // A procedure file or a preset file stands for the settings it sets.
    let doc = &super::procedure::as_settings_document(doc);
    let raw = Value::Object(doc.clone());
    let mut ignored = Vec::new();
    let (named_doc, _) = migrate(doc, &mut ignored, words);
    let loaded = load_settings_in(&raw, words);
    let from_file = save_settings(&loaded.settings);
    let defaults = save_settings(&Settings::default());
    // The repaired values of exactly what the file names, applied like a policy: each
    // path alone, kept only if the settings stay valid with it.
    let mut named = Map::new();
    for (key, given) in &named_doc {
        let (Some(default), Some(value)) = (defaults.get(key), from_file.get(key)) else {
            continue;
        };
        match (default, given, value) {
            (Value::Object(known), Value::Object(fields), Value::Object(repaired)) => {
                let picked: Map<String, Value> = fields
                    .keys()
                    .filter(|f| known.contains_key(*f))
                    .filter_map(|f| Some((f.clone(), repaired.get(f)?.clone())))
                    .collect();
                if !picked.is_empty() {
                    named.insert(key.clone(), Value::Object(picked));
                }
            }
            // Not an object where one belongs: nothing in it could be read (named above).
            (Value::Object(_), _, _) => {}
            _ => {
                named.insert(key.clone(), value.clone());
            }
        }
    }
    let merged = merge_managed_report_in(current, &Value::Object(named), words);
    let mut warnings = loaded.warnings;
    warnings.extend(merged.warnings);
    Imported {
        settings: merged.settings,
        changed: merged.locked,
        warnings,
    }
}

/// What `merge_managed_report` did with a managed policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedMerge {
    pub settings: Settings,
    /// Paths the policy set ("queues.expected", "service.time_zone", "language", …).
    pub locked: Vec<String>,
    /// Policy values that could not be used (wrong type, invalid, unknown field).
    pub warnings: Vec<String>,
}

/// Applies the consortium's managed policy over the user's settings: policy values
/// win and their paths are returned as locked (the options page greys them out).
pub fn merge_managed(settings: &Settings, managed: &Value) -> (Settings, Vec<String>) {
    let m = merge_managed_report(settings, managed);
    (m.settings, m.locked)
}

/// `merge_managed`, also saying which policy values were not used.
///
/// Sections that are objects lock field by field ("timing.pre_shift_minutes"); the
/// others ("language", "server", "locator_overrides") lock whole.
pub fn merge_managed_report(settings: &Settings, managed: &Value) -> ManagedMerge {
    merge_managed_report_in(settings, managed, Words::default())
}

/// `merge_managed_report`, its notes in `words`.
pub fn merge_managed_report_in(settings: &Settings, managed: &Value, words: Words) -> ManagedMerge {
    let mut merged = save_settings(settings);
    let mut locked = Vec::new();
    let mut warnings = Vec::new();
    let defaults = save_settings(&Settings::default());
    let Some(policy) = managed.as_object() else {
        if !managed.is_null() {
            warnings.push(words.note("repairPolicyNotAnObject", &[("kind", &words.kind(managed))]));
        }
        return ManagedMerge {
            settings: settings.clone(),
            locked,
            warnings,
        };
    };
    for (key, value) in policy {
        if key == "version" {
            continue;
        }
        let Some(default_section) = defaults.get(key) else {
            warnings.push(words.note("repairPolicyNotASection", &[("field", key)]));
            continue;
        };
        let fields: Vec<(Vec<&str>, &Value)> = match (default_section, value) {
            (Value::Object(known), Value::Object(given)) => given
                .iter()
                .filter(|(field, _)| {
                    let ok = known.contains_key(field.as_str());
                    if !ok {
                        warnings.push(words.note(
                            "repairPolicyNotAField",
                            &[("field", &format!("{key}.{field}"))],
                        ));
                    }
                    ok
                })
                .map(|(field, v)| (vec![key.as_str(), field.as_str()], v))
                .collect(),
            _ => vec![(vec![key.as_str()], value)],
        };
        for (path, v) in fields {
            let dotted = path.join(".");
            let mut candidate = merged.clone();
            set_at(&mut candidate, &path, v.clone());
            match serde_json::from_value::<Settings>(candidate.clone()) {
                Ok(s) => {
                    let problems: Vec<SettingsProblem> = s
                        .validate()
                        .into_iter()
                        .filter(|p| under(&p.field, &dotted))
                        .collect();
                    if problems.is_empty() {
                        merged = candidate;
                        locked.push(dotted);
                    } else {
                        for p in problems {
                            warnings.push(words.note(
                                "repairPolicyValueIgnored",
                                &[("field", &p.field), ("problem", &words.say(&p.message))],
                            ));
                        }
                    }
                }
                Err(e) => warnings.push(words.note(
                    "repairPolicyValueIgnored",
                    &[("field", &dotted), ("problem", &plain(&e))],
                )),
            }
        }
    }
    ManagedMerge {
        settings: serde_json::from_value(merged).unwrap_or_else(|_| settings.clone()),
        locked,
        warnings,
    }
}

// ---- where the settings live in browser storage --------------------------------------

/// Prefix of the per-section items (`settings:service`, …) in sync or local storage.
pub const SETTINGS_PREFIX: &str = "settings:";
/// Set when the settings live in local storage because sync failed.
pub const SETTINGS_IN_LOCAL_KEY: &str = "settings_in_local";
/// Where the last unreadable document is kept so it can be exported.
pub const SETTINGS_RAW_KEPT_KEY: &str = "settings_raw_kept";

/// Whether a storage change (`chrome.storage.onChanged`: its area and changed keys)
/// can change the settings in force: a section, the local-storage flag, or the policy.
/// Not `settings_raw_kept`, which the worker writes while reading them.
pub fn touches_settings<'a>(area: &str, mut keys: impl Iterator<Item = &'a str>) -> bool {
    area == "managed" || keys.any(|k| k.starts_with(SETTINGS_PREFIX) || k == SETTINGS_IN_LOCAL_KEY)
}

// ---- migrations ---------------------------------------------------------------------

type Migration = fn(&mut Map<String, Value>);

/// `MIGRATIONS[n]` turns a version-n document into version n+1.
const MIGRATIONS: [Migration; SETTINGS_VERSION as usize] = [migrate_0_to_1, migrate_1_to_2];

/// Fields only the unversioned (version 0) document had at the top level.
const VERSION_0_FIELDS: [&str; 5] = [
    "time_zone",
    "lead_minutes",
    "timer_margin_minutes",
    "home_queues",
    "coordinator_email",
];

fn looks_like_version_0(doc: &Map<String, Value>) -> bool {
    VERSION_0_FIELDS.iter().any(|f| doc.contains_key(*f))
        || doc.get("queues").is_some_and(Value::is_string)
}

/// Puts `value` at `doc[section][field]` unless the document already has one there.
fn move_into(doc: &mut Map<String, Value>, section: &str, field: &str, value: Value) {
    let target = doc
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(obj) = target.as_object_mut() {
        obj.entry(field).or_insert(value);
    }
}

/// Version 0 (before versioning) was flat: queues as one comma-separated string,
/// `home_queues` likewise, `lead_minutes` and `timer_margin_minutes` at the top, the
/// zone as `time_zone` and one `coordinator_email`. Everything else had today's shape.
/// A value of the wrong type is moved as it is, so reading names it in its new place.
fn migrate_0_to_1(doc: &mut Map<String, Value>) {
    for (old, field) in [("queues", "expected"), ("home_queues", "home_team")] {
        if doc.get(old).is_some_and(|v| !v.is_object()) {
            let list = match doc.remove(old) {
                Some(Value::String(s)) => Value::from(
                    s.split(',')
                        .map(str::trim)
                        .filter(|q| !q.is_empty())
                        .collect::<Vec<_>>(),
                ),
                other => other.unwrap_or_default(),
            };
            move_into(doc, "queues", field, list);
        }
    }
    for (old, section, field) in [
        ("lead_minutes", "timing", "pre_shift_minutes"),
        (
            "timer_margin_minutes",
            "timing",
            "autologout_margin_minutes",
        ),
        ("time_zone", "service", "time_zone"),
    ] {
        if let Some(v) = doc.remove(old) {
            move_into(doc, section, field, v);
        }
    }
    if let Some(email) = doc.remove("coordinator_email") {
        let contact = serde_json::json!([{ "name": "", "email": email }]);
        move_into(doc, "coordinators", "service", contact);
    }
}

/// Version 2 adds "follow the browser" as the language, now the default. Version 1
/// always stored a language, "en" by default, while the interface followed the browser
/// anyway: "en" is read as the browser's (the old default cannot be told from a choice),
/// "fr" was chosen and stays.
fn migrate_1_to_2(doc: &mut Map<String, Value>) {
    if doc.get("language").and_then(Value::as_str) == Some("en") {
        doc.insert("language".into(), Value::from("browser"));
    }
}

// ---- reading a document part by part ---------------------------------------------------

/// Reads a (migrated) document: every part that fits is taken, the rest stays at its
/// default with a warning; then invalid values are dropped the same way.
fn read_document(doc: &Map<String, Value>, warnings: &mut Vec<String>, words: Words) -> Settings {
    let defaults = save_settings(&Settings::default());
    let mut accepted = defaults.clone();
    for (key, value) in doc {
        match defaults.get(key) {
            Some(default) => {
                // serde passes over fields it does not know; say so, they are not used.
                if let (Value::Object(given), Value::Object(known)) = (value, default) {
                    for field in given.keys().filter(|f| !known.contains_key(*f)) {
                        warnings.push(words.note(
                            "repairNotAFieldKept",
                            &[("field", &format!("{key}.{field}"))],
                        ));
                    }
                }
                let mut fit = Fit {
                    warnings: &mut *warnings,
                    words,
                };
                fit.fit(&mut accepted, &[key.as_str()], value, default, 0)
            }
            None => warnings.push(words.note("repairNotAFieldKept", &[("field", key)])),
        }
    }
    let mut settings: Settings = serde_json::from_value(accepted.clone()).unwrap_or_default();
    // Invalid values: drop the list entry they sit in, or reset the field; repeat
    // since one fix can uncover another (a dropped day makes the week too short).
    for _ in 0..4 {
        let problems = settings.validate();
        if problems.is_empty() {
            return settings;
        }
        let mut fixes: Vec<Vec<Seg>> = Vec::new();
        for p in &problems {
            let target = fix_target(&parse_path(&p.field));
            let problem = words.say(&p.message);
            let mut args = vec![("field", p.field.as_str()), ("problem", problem.as_str())];
            let entry = render(&target);
            let key = match target.last() {
                Some(Seg::Idx(_)) => {
                    args.push(("entry", entry.as_str()));
                    "repairEntryLeftOut"
                }
                _ => "repairDefaultUsed",
            };
            warnings.push(words.note(key, &args));
            if !fixes.contains(&target) {
                fixes.push(target);
            }
        }
        // Highest indices first, so removing one entry does not move the next.
        fixes.sort();
        for target in fixes.iter().rev() {
            apply_fix(&mut accepted, &defaults, target);
        }
        settings = serde_json::from_value(accepted.clone()).unwrap_or_default();
    }
    if !settings.validate().is_empty() {
        warnings.push(words.note("repairGaveUp", &[]));
        return Settings::default();
    }
    settings
}

/// Where `fit` says what it could not take.
struct Fit<'a, 'w> {
    warnings: &'a mut Vec<String>,
    words: Words<'w>,
}

impl Fit<'_, '_> {
    /// Puts `value` at `path` in `accepted` if the settings still read; otherwise goes one
    /// level finer (an object's fields, a list's entries) before giving up on that part.
    fn fit(
        &mut self,
        accepted: &mut Value,
        path: &[&str],
        value: &Value,
        default: &Value,
        depth: u32,
    ) {
        let mut candidate = accepted.clone();
        set_at(&mut candidate, path, value.clone());
        let err = match serde_json::from_value::<Settings>(candidate.clone()) {
            Ok(_) => {
                *accepted = candidate;
                return;
            }
            Err(e) => e,
        };
        let dotted = path.join(".");
        match (value, default) {
            (Value::Object(given), Value::Object(known)) if depth < 1 => {
                // Unknown fields were reported by the caller.
                for (field, v) in given {
                    if let Some(d) = known.get(field) {
                        let mut sub: Vec<&str> = path.to_vec();
                        sub.push(field);
                        self.fit(accepted, &sub, v, d, depth + 1);
                    }
                }
            }
            (Value::Array(items), Value::Array(_)) => {
                set_at(accepted, path, Value::Array(Vec::new()));
                let mut kept = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let mut candidate = accepted.clone();
                    let mut list = kept.clone();
                    list.push(item.clone());
                    set_at(&mut candidate, path, Value::Array(list.clone()));
                    match serde_json::from_value::<Settings>(candidate) {
                        Ok(_) => kept = list,
                        Err(e) => self.warnings.push(self.words.note(
                            "repairPartLeftOut",
                            &[
                                ("field", &format!("{dotted}[{i}]")),
                                ("problem", &plain(&e)),
                            ],
                        )),
                    }
                }
                set_at(accepted, path, Value::Array(kept));
            }
            _ => self.warnings.push(self.words.note(
                "repairDefaultUsed",
                &[("field", &dotted), ("problem", &plain(&err))],
            )),
        }
    }
}

/// serde's message in plainer words, without its "at line 0 column 0" tail.
fn plain(e: &serde_json::Error) -> String {
    let mut text = e.to_string();
    if let Some(i) = text.find(" at line ") {
        text.truncate(i);
    }
    for ty in ["u8", "u32", "u64", "i64"] {
        text = text.replace(&format!("expected {ty}"), "expected a whole number");
    }
    text.replace("expected a sequence", "expected a list")
        .replace("expected struct ", "expected an object ")
}

fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Idx(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The catalog key of what a JSON value is.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "repairKindEmpty",
        Value::Bool(_) => "repairKindBool",
        Value::Number(_) => "repairKindNumber",
        Value::String(_) => "repairKindText",
        Value::Array(_) => "repairKindList",
        Value::Object(_) => "repairKindObject",
    }
}

/// Sets `doc[path[0]][path[1]]…`, creating objects on the way.
fn set_at(doc: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *doc = value;
        return;
    };
    let mut here = doc;
    for key in parents {
        if !here.get(*key).is_some_and(Value::is_object) {
            if let Some(obj) = here.as_object_mut() {
                obj.insert((*key).to_string(), Value::Object(Map::new()));
            }
        }
        match here.get_mut(*key) {
            Some(next) => here = next,
            None => return,
        }
    }
    if let Some(obj) = here.as_object_mut() {
        obj.insert((*last).to_string(), value);
    }
}

/// Whether problem path `field` is `path` or inside it.
fn under(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// One step of a problem's field path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// `service.weekly[2][0].end` → service, weekly, 2, 0, end.
fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(Seg::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some((n, after)) = stripped.split_once(']') else {
                    break;
                };
                if let Ok(n) = n.parse() {
                    out.push(Seg::Idx(n));
                }
                rest = after;
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

/// What to repair for a problem: the innermost list entry holding it, else the field.
fn fix_target(path: &[Seg]) -> Vec<Seg> {
    match path.iter().rposition(|s| matches!(s, Seg::Idx(_))) {
        Some(i) => path[..=i].to_vec(),
        None => path.to_vec(),
    }
}

fn get_at<'a>(doc: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Idx(i) => v.get(i),
    })
}

fn apply_fix(doc: &mut Value, defaults: &Value, target: &[Seg]) {
    let Some((last, parents)) = target.split_last() else {
        return;
    };
    let mut here = &mut *doc;
    for seg in parents {
        let next = match seg {
            Seg::Key(k) => here.get_mut(k),
            Seg::Idx(i) => here.get_mut(i),
        };
        match next {
            Some(n) => here = n,
            None => return,
        }
    }
    match last {
        Seg::Idx(i) => {
            if let Some(list) = here.as_array_mut() {
                if *i < list.len() {
                    list.remove(*i);
                }
            }
        }
        Seg::Key(k) => {
            let default = get_at(defaults, target).cloned();
            if let (Some(obj), Some(d)) = (here.as_object_mut(), default) {
                obj.insert(k.clone(), d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::shipped;
    use crate::core::settings::Language;

    // The notes in English here (without a catalog they are keys and values).
    fn load_settings(raw: &Value) -> LoadedSettings {
        load_settings_in(raw, Words(Some(&shipped(Language::En))))
    }

    fn import_over(current: &Settings, text: &str) -> Imported {
        import_over_in(current, text, Words(Some(&shipped(Language::En))))
    }

    fn merge_managed_report(settings: &Settings, managed: &Value) -> ManagedMerge {
        merge_managed_report_in(settings, managed, Words(Some(&shipped(Language::En))))
    }

    fn import_settings(text: &str) -> LoadedSettings {
        import_settings_in(text, Words(Some(&shipped(Language::En))))
    }
    use crate::core::settings::LanguageChoice;
    use serde_json::json;

    #[test]
    fn repair_notes_say_the_problem_in_the_language_of_the_page_that_shows_them() {
        use crate::core::catalog::shipped;
        use crate::core::settings::Language;
        let doc = json!({"timing": {"pre_shift_minutes": 500}});
        let policy = json!({"timing": {"pre_shift_minutes": 500}});
        for (language, want) in [
            (
                Language::En,
                "500 minutes is more than the most allowed (120 minutes)",
            ),
            (
                Language::Fr,
                "500 minutes dépasse le maximum permis (120 minutes)",
            ),
        ] {
            let catalog = shipped(language);
            let words = Words(Some(&catalog));
            let loaded = load_settings_in(&doc, words);
            let managed = merge_managed_report_in(&Settings::default(), &policy, words);
            let imported = import_over_in(&Settings::default(), &doc.to_string(), words);
            for notes in [&loaded.warnings, &managed.warnings, &imported.warnings] {
                assert!(
                    notes.iter().any(|w| w.contains(want))
                        && !notes.iter().any(|w| w.contains("problem")),
                    "{language:?}: {notes:?}"
                );
            }
        }
        // The framing too, in the page's language.
        let fr = load_settings_in(&doc, Words(Some(&shipped(Language::Fr))));
        assert!(
            fr.warnings[0].ends_with("— la valeur par défaut est utilisée"),
            "{:?}",
            fr.warnings
        );
        // Without a catalog (logs): the message's key and values.
        let plain = super::load_settings(&doc);
        assert!(
            plain.warnings.iter().any(|w| w.contains("problemAtMost"))
                && plain.warnings[0].starts_with("repairDefaultUsed"),
            "{:?}",
            plain.warnings
        );
    }

    #[test]
    fn the_settings_in_force_change_with_a_section_the_local_flag_or_the_policy() {
        let touches = |area: &str, keys: &[&str]| touches_settings(area, keys.iter().copied());
        assert!(touches("sync", &["settings:guards"]));
        assert!(touches("local", &["shift_log", "settings_in_local"]));
        assert!(touches("managed", &[]));
        assert!(!touches(
            "local",
            &["settings_raw_kept", "shift_log", "watchdog"]
        ));
        assert!(!touches("session", &["page_report:3"]));
    }

    fn load(doc: Value) -> LoadedSettings {
        load_settings(&doc)
    }

    #[test]
    fn missing_or_empty_gives_the_defaults_quietly() {
        for doc in [Value::Null, json!({}), json!(""), json!({ "version": 1 })] {
            let l = load(doc.clone());
            assert_eq!(l.settings, Settings::default(), "{doc}");
            assert_eq!(l.warnings, Vec::<String>::new(), "{doc}");
            assert_eq!(l.raw_kept, None, "{doc}");
        }
    }

    #[test]
    fn saving_and_loading_round_trips() {
        let mut s = Settings {
            language: crate::core::settings::LanguageChoice::Fr,
            ..Settings::default()
        };
        s.queues.home_team = vec!["humber".into()];
        s.timing.pre_shift_minutes = 7;
        let doc = save_settings(&s);
        assert_eq!(doc["version"], json!(SETTINGS_VERSION));
        let l = load_settings(&doc);
        assert_eq!(
            (l.settings, l.warnings, l.raw_kept),
            (s.clone(), Vec::new(), None)
        );
        let l = import_settings(&export_settings(&s));
        assert_eq!((l.settings, l.warnings.len()), (s, 0));
    }

    /// An operator's own settings, with something in every personal field.
    fn operator() -> Settings {
        let mut s = Settings {
            language: crate::core::settings::LanguageChoice::Fr,
            operator_name: "mchen_seneca".into(),
            ..Settings::default()
        };
        s.queues.home_team = vec!["seneca".into()];
        s.timing.handover_minutes = 3;
        s.shifts.skipped = vec!["2026-02-16".into()];
        s
    }

    #[test]
    fn a_partial_file_changes_only_what_it_names() {
        let me = operator();
        let i = import_over(
            &me,
            r#"{ "version": 1, "timing": { "pre_shift_minutes": 12 }, "queues": { "expected": ["askon"] },
                 "locator_overrides": [] }"#,
        );
        assert_eq!(i.warnings, Vec::<String>::new());
        assert_eq!(
            i.changed,
            [
                "locator_overrides",
                "queues.expected",
                "timing.pre_shift_minutes"
            ]
        );
        let mut want = me.clone();
        want.timing.pre_shift_minutes = 12;
        want.queues.expected = vec!["askon".into()];
        assert_eq!(
            i.settings, want,
            "name, language, shifts, home team, handover kept"
        );
    }

    #[test]
    fn an_import_names_what_it_could_not_use_and_keeps_the_rest() {
        let me = operator();
        let i = import_over(
            &me,
            r#"{ "timing": "garbage", "queues": { "expected": ["a", 3] }, "coordinators": { "resources_hint": "Profiles > Tools" } }"#,
        );
        assert!(
            i.warnings.iter().any(|w| w.starts_with("timing")),
            "{:?}",
            i.warnings
        );
        assert!(
            i.warnings.iter().any(|w| w.starts_with("queues.expected")),
            "{:?}",
            i.warnings
        );
        assert_eq!(
            i.settings.timing, me.timing,
            "an unreadable section changes nothing"
        );
        assert_eq!(i.settings.coordinators.resources_hint, "Profiles > Tools");
        // A file that is no settings document changes nothing at all.
        for text in ["", "not json", "[1, 2]", "42"] {
            let i = import_over(&me, text);
            assert_eq!(
                (i.settings, i.changed.len(), i.warnings.len()),
                (me.clone(), 0, 1),
                "{text}"
            );
        }
    }

    #[test]
    fn an_old_unversioned_file_is_migrated_before_it_is_merged() {
        let i = import_over(&operator(), r#"{ "lead_minutes": 9, "queues": "a, b" }"#);
        assert_eq!(i.settings.timing.pre_shift_minutes, 9);
        assert_eq!(i.settings.queues.expected, ["a", "b"]);
        assert_eq!(i.settings.queues.home_team, ["seneca"]);
        assert_eq!(i.settings.operator_name, "mchen_seneca");
    }

    #[test]
    fn the_consortium_export_leaves_out_what_is_personal_and_imports_without_touching_it() {
        let coordinator = operator();
        let text = export_for_consortium(&coordinator);
        let doc: Value = serde_json::from_str(&text).unwrap();
        for gone in ["operator_name", "language", "shifts"] {
            assert!(doc.get(gone).is_none(), "{gone} left out");
        }
        assert!(doc["queues"].get("home_team").is_none());
        assert_eq!(
            doc["queues"]["expected"],
            json!(["all_colleges", "all_backup"])
        );
        assert_eq!(doc["timing"]["handover_minutes"], json!(3));
        // Another operator imports it: the consortium's values arrive, theirs stay.
        let mut other = Settings {
            operator_name: "jdoe_humber".into(),
            ..Settings::default()
        };
        other.queues.home_team = vec!["humber".into()];
        other.shifts.skipped = vec!["2026-03-02".into()];
        let i = import_over(&other, &text);
        assert_eq!(i.warnings, Vec::<String>::new());
        assert_eq!(i.settings.timing.handover_minutes, 3);
        assert_eq!(i.settings.operator_name, "jdoe_humber");
        assert_eq!(i.settings.language(), other.language());
        assert_eq!(i.settings.shifts, other.shifts);
        assert_eq!(i.settings.queues.home_team, ["humber"]);
        // Every personal field is a real settings path.
        let all = save_settings(&Settings::default());
        for path in PERSONAL_FIELDS {
            let mut here = &all;
            for part in path.split('.') {
                here = here.get(part).unwrap_or_else(|| panic!("{path}"));
            }
        }
    }

    #[test]
    fn a_partial_document_takes_what_it_has() {
        let l = load(json!({
            "version": 1,
            "timing": { "pre_shift_minutes": 10 },
            "queues": { "expected": ["all_colleges"] },
            "language": "fr"
        }));
        let mut want = Settings::default();
        want.timing.pre_shift_minutes = 10;
        want.queues.expected = vec!["all_colleges".into()];
        want.language = LanguageChoice::Fr;
        assert_eq!(l.settings, want);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(l.raw_kept, None);
    }

    /// The weekdays of the weekly shifts, in order.
    fn weekdays(s: &Settings) -> Vec<u8> {
        s.shifts.weekly.iter().map(|w| w.weekday).collect()
    }

    #[test]
    fn what_cannot_be_used_is_named_defaulted_and_kept() {
        // (document, field the warning names, what the settings hold after)
        type Check = fn(&Settings) -> bool;
        let cases: Vec<(Value, &str, Check)> = vec![
            (
                json!({ "timing": { "pre_shift_minutes": "five", "closing_heads_up_minutes": 15 } }),
                "timing.pre_shift_minutes",
                |s| s.timing.pre_shift_minutes == 5 && s.timing.closing_heads_up_minutes == 15,
            ),
            (json!({ "timing": 12, "language": "fr" }), "timing", |s| {
                s.timing == Settings::default().timing && s.language == LanguageChoice::Fr
            }),
            (json!({ "language": 5 }), "language", |s| {
                s.language == LanguageChoice::Browser
            }),
            (json!({ "language": "de" }), "language", |s| {
                s.language == LanguageChoice::Browser
            }),
            (
                json!({ "service": { "time_zone": "America/Torono" } }),
                "service.time_zone",
                |s| s.service.time_zone == "America/Toronto",
            ),
            (
                json!({ "shifts": { "weekly": [
                    { "weekday": 0, "start": "10:00", "end": "11:00" },
                    { "weekday": "Monday", "start": "12:00", "end": "13:00" },
                    { "weekday": 2, "start": "14:00", "end": "15:00" }
                ] } }),
                "shifts.weekly[1]",
                |s| weekdays(s) == [0, 2],
            ),
            (
                json!({ "shifts": { "weekly": [
                    { "weekday": 0, "start": "10:00", "end": "10:00" },
                    { "weekday": 9, "start": "12:00", "end": "13:00" },
                    { "weekday": 2, "start": "14:00", "end": "15:00" }
                ] } }),
                "shifts.weekly[1].weekday",
                |s| weekdays(s) == [2],
            ),
            (
                json!({ "service": { "weekly": [[{ "start": "10:00", "end": "09:00" }], [], [], [], [], [], []] } }),
                "service.weekly[0][0].end",
                |s| s.service.weekly.len() == 7 && s.service.weekly[0].is_empty(),
            ),
            (
                json!({ "service": { "weekly": [[], []] } }),
                "service.weekly",
                |s| s.service.weekly == Settings::default().service.weekly,
            ),
            (
                json!({ "coordinators": { "service": [{ "name": "L", "email": "nobody" }, { "name": "M", "email": "m@ocls.ca" }] } }),
                "coordinators.service[0].email",
                |s| {
                    s.coordinators.service.len() == 1
                        && s.coordinators.service[0].email == "m@ocls.ca"
                },
            ),
            (
                json!({ "colour": "blue", "language": "fr" }),
                "colour",
                |s| s.language == LanguageChoice::Fr,
            ),
            (
                json!({ "guards": { "status_guard": false, "sparkles": true } }),
                "guards.sparkles",
                |s| !s.guards.status_guard,
            ),
        ];
        for (doc, field, holds) in cases {
            let l = load(doc.clone());
            assert!(
                l.warnings.iter().any(|w| w.starts_with(field)),
                "{doc}: wanted a warning about {field}, got {:?}",
                l.warnings
            );
            assert!(holds(&l.settings), "{doc}: {:#?}", l.settings);
            assert_eq!(
                l.raw_kept.as_ref(),
                Some(&doc),
                "{doc}: the document is kept"
            );
            assert_eq!(l.settings.validate(), Vec::new(), "{doc}: usable settings");
        }
    }

    #[test]
    fn problem_paths_lead_to_the_entry_to_leave_out() {
        for (path, target) in [
            ("service.weekly[2][0].end", "service.weekly[2][0]"),
            (
                "shifts.weekly[11].replacements[1]",
                "shifts.weekly[11].replacements[1]",
            ),
            ("service.time_zone", "service.time_zone"),
            ("language", "language"),
        ] {
            let segs = parse_path(path);
            assert_eq!(render(&segs), path);
            assert_eq!(render(&fix_target(&segs)), target, "{path}");
        }
        let l = load(
            json!({ "service": { "weekly": [[{ "start": "10:00", "end": "09:00" }], [], [], [], [], [], []] } }),
        );
        assert!(
            l.warnings[0].ends_with("— service.weekly[0][0] is left out"),
            "{:?}",
            l.warnings
        );
    }

    #[test]
    fn not_a_document_gives_defaults_a_warning_and_keeps_it() {
        for doc in [json!([1, 2]), json!(42), json!("queues=all"), json!(true)] {
            let l = load(doc.clone());
            assert_eq!(l.settings, Settings::default());
            assert_eq!(l.warnings.len(), 1, "{doc}");
            assert!(
                l.warnings[0].contains("not a settings document"),
                "{:?}",
                l.warnings
            );
            assert_eq!(l.raw_kept, Some(doc));
        }
        let l = import_settings("{\"language\": \"fr\"");
        assert_eq!(l.settings, Settings::default());
        assert!(l.warnings[0].contains("not JSON"), "{:?}", l.warnings);
        assert_eq!(l.raw_kept, Some(json!("{\"language\": \"fr\"")));
        let l = import_settings("  \n");
        assert_eq!((l.warnings.len(), l.raw_kept), (0, None));
    }

    #[test]
    fn a_newer_version_is_read_as_far_as_possible_and_kept() {
        let doc = json!({
            "version": SETTINGS_VERSION + 1,
            "language": "fr",
            "timing": { "pre_shift_minutes": 8, "hologram_minutes": 3 },
            "telepathy": { "on": true }
        });
        let l = load(doc.clone());
        assert!(
            l.warnings[0].contains("written by a newer version"),
            "{:?}",
            l.warnings
        );
        assert_eq!(l.settings.language, LanguageChoice::Fr);
        assert_eq!(l.settings.timing.pre_shift_minutes, 8);
        assert_eq!(l.settings.version, SETTINGS_VERSION);
        assert_eq!(l.raw_kept, Some(doc));
        assert_eq!(l.migrated_from, None);
    }

    #[test]
    fn version_0_documents_are_migrated() {
        let doc = json!({
            "queues": "all_colleges, all_backup,",
            "home_queues": "humber",
            "lead_minutes": 10,
            "timer_margin_minutes": 20,
            "time_zone": "America/Winnipeg",
            "coordinator_email": "coord@example.ca",
            "language": "fr"
        });
        let l = load(doc);
        assert_eq!(l.warnings, Vec::<String>::new());
        assert_eq!(l.migrated_from, Some(0));
        assert_eq!(l.raw_kept, None);
        let s = l.settings;
        assert_eq!(s.queues.expected, vec!["all_colleges", "all_backup"]);
        assert_eq!(s.queues.home_team, vec!["humber"]);
        assert_eq!(s.timing.pre_shift_minutes, 10);
        assert_eq!(s.timing.autologout_margin_minutes, 20);
        assert_eq!(
            s.timing.closing_heads_up_minutes, 10,
            "untouched fields keep defaults"
        );
        assert_eq!(s.service.time_zone, "America/Winnipeg");
        assert_eq!(s.service.weekly, Settings::default().service.weekly);
        assert_eq!(s.coordinators.service.len(), 1);
        assert_eq!(s.coordinators.service[0].email, "coord@example.ca");
        assert_eq!(s.language, LanguageChoice::Fr);
        assert_eq!(s.version, SETTINGS_VERSION);
        // Saved again it is a version-1 document that reads the same.
        let again = load_settings(&save_settings(&s));
        assert_eq!((again.settings, again.migrated_from), (s, None));
    }

    #[test]
    fn version_0_values_of_the_wrong_type_are_named_in_their_new_place() {
        let l = load(json!({ "version": 0, "queues": 7, "lead_minutes": "soon" }));
        assert_eq!(l.migrated_from, Some(0));
        assert!(
            l.warnings.iter().any(|w| w.starts_with("queues.expected")),
            "{:?}",
            l.warnings
        );
        assert!(
            l.warnings
                .iter()
                .any(|w| w.starts_with("timing.pre_shift_minutes")),
            "{:?}",
            l.warnings
        );
        assert_eq!(
            l.settings.queues.expected,
            Settings::default().queues.expected
        );
        assert!(l.raw_kept.is_some());
    }

    #[test]
    fn managed_policy_overrides_and_locks() {
        let mut user = Settings {
            language: crate::core::settings::LanguageChoice::Fr,
            ..Settings::default()
        };
        user.timing.pre_shift_minutes = 3;
        user.queues.home_team = vec!["mine".into()];
        let policy = json!({
            "queues": { "expected": ["askon_main"] },
            "timing": { "pre_shift_minutes": 10, "closing_heads_up_minutes": "lots" },
            "service": { "time_zone": "America/Torono", "closed_days": ["2026-12-25"] },
            "server": "ca",
            "bogus": 1
        });
        let m = merge_managed_report(&user, &policy);
        assert_eq!(m.settings.queues.expected, vec!["askon_main"]);
        assert_eq!(
            m.settings.queues.home_team,
            vec!["mine"],
            "fields not in the policy stay the user's"
        );
        assert_eq!(m.settings.timing.pre_shift_minutes, 10);
        assert_eq!(
            m.settings.timing.closing_heads_up_minutes, 10,
            "a bad policy value is not used"
        );
        assert_eq!(m.settings.service.time_zone, "America/Toronto");
        assert_eq!(m.settings.service.closed_days, vec!["2026-12-25"]);
        assert_eq!(m.settings.language, LanguageChoice::Fr);
        let mut locked = m.locked.clone();
        locked.sort();
        assert_eq!(
            locked,
            vec![
                "queues.expected",
                "server",
                "service.closed_days",
                "timing.pre_shift_minutes"
            ]
        );
        for bad in [
            "timing.closing_heads_up_minutes",
            "service.time_zone",
            "bogus",
        ] {
            assert!(
                m.warnings.iter().any(|w| w.starts_with(bad)),
                "{bad}: {:?}",
                m.warnings
            );
        }
        let (s, locked2) = merge_managed(&user, &policy);
        assert_eq!((s, locked2), (m.settings, m.locked));
        assert_eq!(
            merge_managed(&user, &Value::Null),
            (user.clone(), Vec::new())
        );
        assert_eq!(merge_managed(&user, &json!([1])).1, Vec::<String>::new());
    }

    #[test]
    fn the_managed_schema_covers_every_settings_field() {
        let schema: Value =
            serde_json::from_str(include_str!("../../extension/managed_schema.json"))
                .expect("schema is JSON");
        assert_eq!(schema["type"], "object");
        // A settings value with every list filled, so every nested shape shows.
        let mut s = Settings::default();
        s.shifts.weekly = vec![crate::core::settings::WeeklyShift {
            valid_from: Some("2026-01-01".into()),
            valid_until: Some("2026-04-30".into()),
            ..Default::default()
        }];
        s.shifts.one_off = vec![Default::default()];
        s.shifts.skipped = vec!["2026-01-01".into()];
        s.service.closed_days = vec!["2026-01-01".into()];
        s.service.exceptions = vec![crate::core::settings::DateException {
            date: String::new(),
            spans: vec![Default::default()],
            note: String::new(),
        }];
        s.coordinators.site = vec![Default::default()];
        s.features.off = vec!["x".into()];
        s.queues.home_team = vec!["x".into()];
        s.locator_overrides = crate::core::locators::default_table()
            .into_iter()
            .take(1)
            .collect();
        let mut step = crate::core::test_support::askon_steps()[2].clone();
        step.hint = Some(crate::core::settings::LocalText::new("a", "b"));
        step.links = vec![crate::core::checklist::Link {
            text: crate::core::settings::LocalText::new("a", "b"),
            url: "https://example.org".into(),
        }];
        assert!(step.parent.is_some() && step.check != Default::default());
        s.procedure.steps = vec![step];
        let doc = save_settings(&s);
        let mut missing = Vec::new();
        covers(&schema, &doc, "", &mut missing);
        assert_eq!(
            missing,
            Vec::<String>::new(),
            "fields the managed schema does not describe"
        );
    }

    fn covers(schema: &Value, value: &Value, path: &str, missing: &mut Vec<String>) {
        let ty = schema["type"].as_str().unwrap_or("");
        let fits = match value {
            Value::Object(_) => ty == "object",
            Value::Array(_) => ty == "array",
            Value::String(_) => ty == "string",
            Value::Bool(_) => ty == "boolean",
            Value::Number(_) => ty == "integer" || ty == "number",
            Value::Null => true,
        };
        if !fits {
            missing.push(format!("{path}: schema type {ty:?} for {value}"));
            return;
        }
        match value {
            Value::Object(obj) => {
                for (k, v) in obj {
                    if path.is_empty() && k == "version" {
                        continue;
                    }
                    match schema["properties"].get(k) {
                        Some(sub) => covers(sub, v, &format!("{path}.{k}"), missing),
                        None => missing.push(format!("{path}.{k}")),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    covers(&schema["items"], item, &format!("{path}[]"), missing);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[0-9:a-z/ -]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("weekday".to_string()),
                        Just("start".to_string()),
                        Just("end".to_string()),
                        Just("date".to_string()),
                        "[a-z_]{1,8}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_loads_into_usable_settings(
            section in prop_oneof![Just("service"), Just("shifts"), Just("timing"), Just("queues"), Just("coordinators"), Just("language"), Just("version"), Just("lead_minutes")],
            field in prop_oneof![Just("weekly"), Just("one_off"), Just("time_zone"), Just("expected"), Just("site"), Just("x")],
            value in json_value(),
        ) {
            let doc = serde_json::json!({ section: { field: value.clone() }, "language": value.clone() });
            let l = load_settings(&doc);
            prop_assert_eq!(l.settings.validate(), Vec::new());
            prop_assert_eq!(l.raw_kept.is_some(), !l.warnings.is_empty());
            let _ = merge_managed(&l.settings, &doc);
            let _ = import_settings(&doc.to_string()[..doc.to_string().len() / 2]);
        }
    }
}
