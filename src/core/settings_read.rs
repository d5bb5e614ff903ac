//! The content script's reader of the settings the worker sends: the same `Settings`
//! (`core::settings`, the one schema, with its defaults) read from a plain tree of
//! values by hand, without serde's per-type code.
//!
//! serde's derive writes a field visitor, a map visitor and a sequence visitor for each
//! of the ~20 settings types, each instantiated over `serde_wasm_bindgen`'s deserializer;
//! in the content script's module that was most of the cost of reading the settings
//! (docs/performance.md, Sizes, cut 7). Here one generic visitor reads any value into a
//! `Tree`, and the functions below take each type's fields from it, in serde's terms:
//! a struct marked `#[serde(default)]` starts from its `Default` and takes the fields
//! present; any other struct needs each field but its `Option`s and `#[serde(default)]`
//! fields; unknown fields are ignored. Whatever serde would refuse is an error that
//! names the field ("`service.weekly[2][0].end`: expected text"), never a silent default.
//!
//! The tests hold this reader to serde's answers: the defaults, a full settings file, the
//! same document with each value changed in turn, and each value of the wrong type.
//! A field added to the schema and not here fails them.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::locators::{ControlKind, Find, Locator};
// Every moment (`Moment::id` is serde's name).
use super::options_form::MOMENTS;
use super::settings::{
    CannedRule, CannedSettings, Contact, Coordinators, DateException, FeatureToggles, Guards,
    LanguageChoice, LocalText, OneOffShift, Queues, Server, ServiceHours, Settings, Shifts, Span,
    Suggestion, Timing, WeeklyShift,
};

/// Any value as JSON has them (a JS value as `serde_wasm_bindgen` reads it).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry()? {
            fields.push(entry);
        }
        Ok(Tree::Object(fields))
    }
}

/// A value that is not what the schema has there: where (`timing.handover_minutes`,
/// `locator_overrides[3].find.any_of`) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub field: String,
    pub expected: &'static str,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "the settings: expected {}", self.expected)
        } else {
            write!(
                f,
                "settings field `{}`: expected {}",
                self.field, self.expected
            )
        }
    }
}

type Read<T> = Result<T, ReadError>;

/// A field the struct needs is not there.
fn missing(name: &str) -> ReadError {
    at(
        name,
        ReadError {
            field: String::new(),
            expected: "a value (missing)",
        },
    )
}

fn wrong<T>(expected: &'static str) -> Read<T> {
    Err(ReadError {
        field: String::new(),
        expected,
    })
}

/// Puts `name` (a field's name, or `[i]`) in front of the error's field path. Not
/// generic (one copy in the module): callers `map_err` with it.
fn at(name: &str, mut e: ReadError) -> ReadError {
    let dot = if e.field.is_empty() || e.field.starts_with('[') {
        ""
    } else {
        "."
    };
    e.field = format!("{name}{dot}{}", e.field);
    e
}

/// The fields of an object.
struct Fields<'a>(&'a [(String, Tree)]);

impl<'a> Fields<'a> {
    fn of(tree: &'a Tree) -> Read<Fields<'a>> {
        match tree {
            Tree::Object(fields) => Ok(Fields(fields)),
            _ => wrong("an object"),
        }
    }

    fn get(&self, name: &str) -> Option<&'a Tree> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// A field of a struct with defaults: read into `slot` when present.
    fn set<T>(&self, name: &str, slot: &mut T, read: fn(&Tree) -> Read<T>) -> Read<()> {
        if let Some(v) = self.get(name) {
            *slot = read(v).map_err(|e| at(name, e))?;
        }
        Ok(())
    }

    /// A field the struct cannot do without.
    fn need<T>(&self, name: &str, read: fn(&Tree) -> Read<T>) -> Read<T> {
        match self.get(name) {
            Some(v) => read(v).map_err(|e| at(name, e)),
            None => Err(missing(name)),
        }
    }

    /// An `Option` field: missing or null is none.
    fn opt<T>(&self, name: &str, read: fn(&Tree) -> Read<T>) -> Read<Option<T>> {
        match self.get(name) {
            None | Some(Tree::Null) => Ok(None),
            Some(v) => read(v).map(Some).map_err(|e| at(name, e)),
        }
    }
}

fn text(t: &Tree) -> Read<String> {
    match t {
        Tree::Text(s) => Ok(s.clone()),
        _ => wrong("text"),
    }
}

fn flag(t: &Tree) -> Read<bool> {
    match t {
        Tree::Bool(b) => Ok(*b),
        _ => wrong("true or false"),
    }
}

fn whole(t: &Tree, max: f64) -> Read<f64> {
    match t {
        Tree::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= max => Ok(*n),
        _ => wrong("a whole number in range"),
    }
}

fn count(t: &Tree) -> Read<u32> {
    whole(t, u32::MAX.into()).map(|n| n as u32)
}

fn small(t: &Tree) -> Read<u8> {
    whole(t, u8::MAX.into()).map(|n| n as u8)
}

fn list<T>(t: &Tree, read: fn(&Tree) -> Read<T>) -> Read<Vec<T>> {
    let Tree::List(items) = t else {
        return wrong("a list");
    };
    // A loop, not `collect` into a `Result`: its adapter is much larger code, once per type.
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(read(item).map_err(|e| at(&format!("[{i}]"), e))?);
    }
    Ok(out)
}

fn texts(t: &Tree) -> Read<Vec<String>> {
    list(t, text)
}

/// One of a fixed set of words (an enum as serde spells it).
fn one_of<T: Copy>(t: &Tree, names: &[(&str, T)]) -> Read<T> {
    let Tree::Text(s) = t else {
        return wrong("one of the known words");
    };
    match names.iter().find(|(n, _)| n == s) {
        Some((_, v)) => Ok(*v),
        None => wrong("one of the known words"),
    }
}

/// The settings as the worker sends them (the whole `Settings` but the procedure, which
/// the content script never reads).
pub fn read_settings(t: &Tree) -> Read<Settings> {
    let f = Fields::of(t)?;
    let mut s = Settings::default();
    f.set("version", &mut s.version, count)?;
    f.set("server", &mut s.server, server)?;
    f.set("service", &mut s.service, service_hours)?;
    f.set("shifts", &mut s.shifts, shifts)?;
    f.set("timing", &mut s.timing, timing)?;
    f.set("queues", &mut s.queues, queues)?;
    f.set("canned", &mut s.canned, canned)?;
    f.set("coordinators", &mut s.coordinators, coordinators)?;
    f.set("guards", &mut s.guards, guards)?;
    f.set("features", &mut s.features, features)?;
    f.set("locator_overrides", &mut s.locator_overrides, |t| {
        list(t, locator)
    })?;
    f.set("language", &mut s.language, language)?;
    f.set("operator_name", &mut s.operator_name, text)?;
    Ok(s)
}

/// serde's names of the servers (`Server::ALL`, snake_case).
const SERVERS: [(&str, Server); 5] = [
    ("main", Server::Main),
    ("ca", Server::Ca),
    ("us", Server::Us),
    ("eu", Server::Eu),
    ("sg", Server::Sg),
];

fn server(t: &Tree) -> Read<Server> {
    one_of(t, &SERVERS)
}

fn language(t: &Tree) -> Read<LanguageChoice> {
    let names = LanguageChoice::ALL.map(|l| (l.code(), l));
    one_of(t, &names)
}

fn span(t: &Tree) -> Read<Span> {
    let f = Fields::of(t)?;
    Ok(Span {
        start: f.need("start", text)?,
        end: f.need("end", text)?,
    })
}

fn spans(t: &Tree) -> Read<Vec<Span>> {
    list(t, span)
}

fn service_hours(t: &Tree) -> Read<ServiceHours> {
    let f = Fields::of(t)?;
    let mut s = ServiceHours::default();
    f.set("time_zone", &mut s.time_zone, text)?;
    f.set("weekly", &mut s.weekly, |t| list(t, spans))?;
    f.set("closed_days", &mut s.closed_days, texts)?;
    f.set("exceptions", &mut s.exceptions, |t| {
        list(t, |t| {
            let f = Fields::of(t)?;
            Ok(DateException {
                date: f.need("date", text)?,
                spans: f.need("spans", spans)?,
                note: f.need("note", text)?,
            })
        })
    })?;
    Ok(s)
}

fn shifts(t: &Tree) -> Read<Shifts> {
    let f = Fields::of(t)?;
    let mut s = Shifts::default();
    f.set("weekly", &mut s.weekly, |t| {
        list(t, |t| {
            let f = Fields::of(t)?;
            let mut w = WeeklyShift {
                weekday: f.need("weekday", small)?,
                start: f.need("start", text)?,
                end: f.need("end", text)?,
                ..WeeklyShift::default()
            };
            f.set("replacements", &mut w.replacements, texts)?;
            w.valid_from = f.opt("valid_from", text)?;
            w.valid_until = f.opt("valid_until", text)?;
            Ok(w)
        })
    })?;
    f.set("one_off", &mut s.one_off, |t| {
        list(t, |t| {
            let f = Fields::of(t)?;
            let mut o = OneOffShift {
                date: f.need("date", text)?,
                start: f.need("start", text)?,
                end: f.need("end", text)?,
                ..OneOffShift::default()
            };
            f.set("replacements", &mut o.replacements, texts)?;
            Ok(o)
        })
    })?;
    f.set("skipped", &mut s.skipped, texts)?;
    Ok(s)
}

fn timing(t: &Tree) -> Read<Timing> {
    let f = Fields::of(t)?;
    let mut s = Timing::default();
    f.set("pre_shift_minutes", &mut s.pre_shift_minutes, count)?;
    f.set(
        "autologout_margin_minutes",
        &mut s.autologout_margin_minutes,
        count,
    )?;
    f.set(
        "autologout_warning_minutes",
        &mut s.autologout_warning_minutes,
        count,
    )?;
    f.set(
        "closing_heads_up_minutes",
        &mut s.closing_heads_up_minutes,
        count,
    )?;
    f.set(
        "timer_rounding_minutes",
        &mut s.timer_rounding_minutes,
        count,
    )?;
    f.set("handover_minutes", &mut s.handover_minutes, count)?;
    f.set(
        "handover_grace_minutes",
        &mut s.handover_grace_minutes,
        count,
    )?;
    f.set("after_close_minutes", &mut s.after_close_minutes, count)?;
    Ok(s)
}

fn queues(t: &Tree) -> Read<Queues> {
    let f = Fields::of(t)?;
    let mut s = Queues::default();
    f.set("expected", &mut s.expected, texts)?;
    f.set("home_team", &mut s.home_team, texts)?;
    Ok(s)
}

fn canned(t: &Tree) -> Read<CannedSettings> {
    let f = Fields::of(t)?;
    let mut s = CannedSettings::default();
    f.set("rules", &mut s.rules, |t| {
        list(t, |t| {
            let f = Fields::of(t)?;
            Ok(CannedRule {
                moment: f.need("moment", |t| one_of(t, &MOMENTS.map(|m| (m.id(), m))))?,
                suggestions: f.need("suggestions", |t| {
                    list(t, |t| {
                        let f = Fields::of(t)?;
                        Ok(Suggestion {
                            name: f.need("name", text)?,
                            text: f.need("text", |t| {
                                let f = Fields::of(t)?;
                                Ok(LocalText {
                                    en: f.need("en", text)?,
                                    fr: f.need("fr", text)?,
                                })
                            })?,
                        })
                    })
                })?,
            })
        })
    })?;
    Ok(s)
}

fn contacts(t: &Tree) -> Read<Vec<Contact>> {
    list(t, |t| {
        let f = Fields::of(t)?;
        Ok(Contact {
            name: f.need("name", text)?,
            email: f.need("email", text)?,
        })
    })
}

fn coordinators(t: &Tree) -> Read<Coordinators> {
    let f = Fields::of(t)?;
    let mut s = Coordinators::default();
    f.set("site", &mut s.site, contacts)?;
    f.set("service", &mut s.service, contacts)?;
    f.set("missed_shift_subject", &mut s.missed_shift_subject, text)?;
    f.set("missed_shift_body", &mut s.missed_shift_body, text)?;
    f.set("resources_hint", &mut s.resources_hint, text)?;
    Ok(s)
}

fn guards(t: &Tree) -> Read<Guards> {
    let f = Fields::of(t)?;
    let mut s = Guards::default();
    f.set("status_guard", &mut s.status_guard, flag)?;
    f.set("off_hours_guard", &mut s.off_hours_guard, flag)?;
    f.set("watchdog", &mut s.watchdog, flag)?;
    f.set(
        "watchdog_interval_minutes",
        &mut s.watchdog_interval_minutes,
        count,
    )?;
    f.set(
        "watchdog_after_close_minutes",
        &mut s.watchdog_after_close_minutes,
        count,
    )?;
    f.set(
        "default_replacements_needed",
        &mut s.default_replacements_needed,
        count,
    )?;
    Ok(s)
}

fn features(t: &Tree) -> Read<FeatureToggles> {
    let f = Fields::of(t)?;
    let mut s = FeatureToggles::default();
    f.set("disable_all", &mut s.disable_all, flag)?;
    f.set("off", &mut s.off, texts)?;
    Ok(s)
}

fn locator(t: &Tree) -> Read<Locator> {
    let f = Fields::of(t)?;
    Ok(Locator {
        id: f.need("id", text)?,
        purpose: f.need("purpose", text)?,
        within: f.opt("within", text)?,
        find: f.need("find", find)?,
        optional: f.need("optional", flag)?,
    })
}

/// serde's names of the control kinds (snake_case).
const CONTROL_KINDS: [(&str, ControlKind); 6] = [
    ("any", ControlKind::Any),
    ("choice", ControlKind::Choice),
    ("checkbox", ControlKind::Checkbox),
    ("radio", ControlKind::Radio),
    ("field", ControlKind::Field),
    ("typing_area", ControlKind::TypingArea),
];

/// The kinds of finding as `by` spells them (`Find::kind_name`, and the derive's
/// aliases), in `core::flat::FindFields`' order.
const KINDS: [&str; 15] = [
    "grid",
    "table_with_headers",
    "column",
    "role",
    "text",
    "control",
    "label",
    "line",
    "box",
    "section",
    "status",
    "icon",
    "pane",
    "any_of",
    "css",
];

/// A `Find`, as `core::flat::FindFields` reads it: every field any kind has is read
/// (and must be of its type) whatever the kind, then the kind takes what it needs.
fn find(t: &Tree) -> Read<Find> {
    let f = Fields::of(t)?;
    let by = f.need("by", |t| one_of(t, &KINDS.map(|k| (k, k))))?;
    let headers = f.opt("headers", texts)?;
    let any_of = f.opt("any_of", texts)?;
    let role = f.opt("role", text)?;
    let kind = f.opt("kind", |t| one_of(t, &CONTROL_KINDS))?;
    let anchors = f.opt("anchors", |t| list(t, texts))?;
    let titles = f.opt("titles", texts)?;
    let apart_from = f.opt("apart_from", texts)?;
    let of = f.opt("of", |t| list(t, find))?;
    let selector = f.opt("selector", text)?;
    fn need<T>(v: Option<T>, name: &str) -> Read<T> {
        v.ok_or_else(|| missing(name))
    }
    let words = |v: Option<Vec<String>>| need(v, "any_of");
    Ok(match by {
        "grid" | "table_with_headers" => Find::Grid {
            headers: need(headers, "headers")?,
        },
        "column" => Find::Column {
            any_of: words(any_of)?,
        },
        "role" => Find::Role {
            role: need(role, "role")?,
            any_of: words(any_of)?,
        },
        "text" => Find::Text {
            any_of: words(any_of)?,
        },
        "control" | "label" => Find::Control {
            any_of: words(any_of)?,
            kind: kind.unwrap_or_default(),
        },
        "line" => Find::Line {
            any_of: words(any_of)?,
        },
        "box" => Find::Container {
            anchors: need(anchors, "anchors")?,
        },
        "section" => Find::Section {
            titles: need(titles, "titles")?,
        },
        "status" => Find::Status {
            any_of: words(any_of)?,
        },
        "icon" => Find::Icon {
            any_of: words(any_of)?,
        },
        "pane" => Find::Pane {
            apart_from: need(apart_from, "apart_from")?,
        },
        "any_of" => Find::AnyOf {
            of: need(of, "of")?,
        },
        // "css", the last of `KINDS`.
        _ => Find::Css {
            selector: need(selector, "selector")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::settings::Moment;
    use super::*;
    use serde_json::{json, Value};

    fn tree(v: &Value) -> Tree {
        serde_json::from_value(v.clone()).unwrap()
    }

    /// What serde reads, as the content script's module has it: no procedure.
    fn by_serde(v: &Value) -> Result<Settings, String> {
        serde_json::from_value::<Settings>(v.clone())
            .map(|mut s| {
                s.procedure = Default::default();
                s
            })
            .map_err(|e| e.to_string())
    }

    fn by_hand(v: &Value) -> Result<Settings, String> {
        read_settings(&tree(v)).map_err(|e| e.to_string())
    }

    /// Both readers' answers to `doc`: both a value (the same) or both an error; this
    /// reader's.
    fn both(doc: &Value, what: &str) -> Result<Settings, String> {
        let (hand, serde) = (by_hand(doc), by_serde(doc));
        assert_eq!(hand.is_ok(), serde.is_ok(), "{what}: {hand:?} / {serde:?}");
        if let Ok(serde) = &serde {
            assert_eq!(hand.as_ref().unwrap(), serde, "{what}");
        }
        hand
    }

    /// Every field of the schema set to something other than its default, every kind
    /// of finding, every moment: a full settings file.
    fn full() -> Settings {
        let mut s = Settings {
            version: 7,
            server: Server::Eu,
            ..Settings::default()
        };
        s.service.time_zone = "Europe/Paris".into();
        s.service.weekly[5] = vec![Span {
            start: "22:00".into(),
            end: "02:00".into(),
        }];
        s.service.closed_days = vec!["2026-12-25".into()];
        s.service.exceptions = vec![DateException {
            date: "2026-12-24".into(),
            spans: vec![Span {
                start: "10:00".into(),
                end: "12:00".into(),
            }],
            note: "Christmas Eve".into(),
        }];
        s.shifts.weekly = vec![WeeklyShift {
            weekday: 6,
            start: "12:00".into(),
            end: "17:00".into(),
            replacements: vec!["ana".into(), "bo".into()],
            valid_from: Some("2026-09-01".into()),
            valid_until: Some("2026-12-20".into()),
        }];
        s.shifts.one_off = vec![OneOffShift {
            date: "2026-12-05".into(),
            start: "09:00".into(),
            end: "11:00".into(),
            replacements: vec!["cy".into()],
        }];
        s.shifts.skipped = vec!["2026-12-07".into()];
        s.timing = Timing {
            pre_shift_minutes: 1,
            autologout_margin_minutes: 2,
            autologout_warning_minutes: 3,
            closing_heads_up_minutes: 4,
            timer_rounding_minutes: 6,
            handover_minutes: 7,
            handover_grace_minutes: 8,
            after_close_minutes: 9,
        };
        s.queues.expected = vec!["q1".into()];
        s.queues.home_team = vec!["home".into()];
        s.canned.rules = MOMENTS
            .iter()
            .map(|&moment| CannedRule {
                moment,
                suggestions: vec![Suggestion {
                    name: format!("for {}", moment.id()),
                    text: LocalText::new("Hello", "Bonjour"),
                }],
            })
            .collect();
        s.coordinators = Coordinators {
            site: vec![Contact {
                name: "Site".into(),
                email: "site@example.org".into(),
            }],
            service: vec![Contact {
                name: "Service".into(),
                email: "service@example.org".into(),
            }],
            missed_shift_subject: "subject {date}".into(),
            missed_shift_body: "body {missing}".into(),
            resources_hint: "hint".into(),
        };
        s.guards = Guards {
            status_guard: false,
            off_hours_guard: false,
            watchdog: true,
            watchdog_interval_minutes: 11,
            watchdog_after_close_minutes: 12,
            default_replacements_needed: 3,
        };
        s.features.disable_all = true;
        s.features.off = vec!["new_chats".into()];
        let words = || vec!["a".to_string(), "b".to_string()];
        let finds = vec![
            Find::Grid { headers: words() },
            Find::Column { any_of: words() },
            Find::Role {
                role: "button".into(),
                any_of: words(),
            },
            Find::Text { any_of: words() },
            Find::Control {
                kind: ControlKind::TypingArea,
                any_of: words(),
            },
            Find::Line { any_of: words() },
            Find::Container {
                anchors: vec![words(), words()],
            },
            Find::Section { titles: words() },
            Find::Status { any_of: words() },
            Find::Icon { any_of: words() },
            Find::Pane {
                apart_from: words(),
            },
            Find::AnyOf {
                of: vec![
                    Find::Css {
                        selector: ".x".into(),
                    },
                    Find::Text { any_of: words() },
                ],
            },
        ];
        s.locator_overrides = finds
            .into_iter()
            .enumerate()
            .map(|(i, find)| Locator {
                id: format!("l{i}"),
                purpose: "p".into(),
                within: (i % 2 == 0).then(|| "history.table".to_string()),
                find,
                optional: i % 3 == 0,
            })
            .collect();
        s.language = LanguageChoice::Fr;
        s.operator_name = "Op".into();
        s
    }

    /// Every place in the document (a path of keys and indexes) holding a plain value.
    fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    path.push(json!(k));
                    leaves(child, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(json!(i));
                    leaves(child, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }

    fn at_path<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
        path.iter().fold(v, |v, k| match k {
            Value::String(k) => &mut v[k.as_str()],
            k => &mut v[k.as_u64().unwrap() as usize],
        })
    }

    fn full_doc() -> Value {
        let mut doc = serde_json::to_value(full()).unwrap();
        // The content script's module never reads the procedure (left out of its serde).
        doc.as_object_mut().unwrap().remove("procedure");
        doc
    }

    #[test]
    fn the_defaults_and_a_full_settings_file_read_as_serde_reads_them() {
        let defaults = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(by_hand(&defaults), by_serde(&defaults));
        assert_eq!(by_hand(&defaults).unwrap(), Settings::default());
        assert_eq!(by_hand(&json!({})).unwrap(), Settings::default());
        let doc = full_doc();
        assert_eq!(by_hand(&doc), by_serde(&doc));
        assert_eq!(by_hand(&doc).unwrap(), full());
        // The whole locator table as overrides.
        let mut table = full();
        table.locator_overrides = super::super::locators::default_table();
        let table = serde_json::to_value(table).unwrap();
        assert_eq!(by_hand(&table), by_serde(&table));
        // The full file sets every section: none of it is a default any more.
        let default_doc = serde_json::to_value(Settings::default()).unwrap();
        for key in default_doc.as_object().unwrap().keys() {
            assert_ne!(
                doc.get(key),
                default_doc.get(key),
                "{key} is left at its default"
            );
        }
    }

    /// Each value of the full file changed in turn (text, number, flag, an enum's other
    /// word): the reader sees every change serde sees, so no field is left unread.
    #[test]
    fn every_field_is_read() {
        let doc = full_doc();
        let mut paths = Vec::new();
        leaves(&doc, &mut vec![], &mut paths);
        assert!(paths.len() > 100, "{} values", paths.len());
        for path in paths {
            let mut changed = doc.clone();
            let slot = at_path(&mut changed, &path);
            let alternatives: Vec<Value> = match slot.clone() {
                Value::String(s) => vec![
                    json!(format!("{s}x")),
                    // The words of every enum of the schema.
                    json!("main"),
                    json!("browser"),
                    json!("en"),
                    json!("table_with_headers"),
                    json!("label"),
                    json!("box"),
                    json!("radio"),
                    json!("at_close"),
                ],
                Value::Number(n) => vec![json!(n.as_u64().unwrap() + 1), json!(0)],
                Value::Bool(b) => vec![json!(!b)],
                Value::Null => vec![json!("x")],
                _ => unreachable!(),
            };
            for (i, alternative) in alternatives.into_iter().enumerate() {
                *at_path(&mut changed, &path) = alternative.clone();
                let read = both(&changed, &format!("{path:?} = {alternative}"));
                // The first alternative is always another value.
                if let (0, Ok(read)) = (i, read) {
                    assert_ne!(read, full(), "{path:?} = {alternative}: no change");
                }
            }
        }
    }

    /// Each value of the wrong type, each required field missing: an error from both
    /// readers, and this one names the field.
    #[test]
    fn corrupt_settings_are_an_error_naming_the_field() {
        let doc = full_doc();
        let mut paths = Vec::new();
        leaves(&doc, &mut vec![], &mut paths);
        for path in &paths {
            let original = at_path(&mut doc.clone(), path).clone();
            let wrong_values = [
                json!(null),
                json!(true),
                json!(-1),
                json!(1.5),
                json!(5_000_000_000u64),
                json!("1"),
                json!([]),
                json!({}),
            ];
            for bad in wrong_values {
                if bad == original {
                    continue;
                }
                let mut changed = doc.clone();
                *at_path(&mut changed, path) = bad.clone();
                let Err(message) = both(&changed, &format!("{path:?} = {bad}")) else {
                    continue;
                };
                // The error names the very field ("shifts.weekly[0].start").
                let field: String = path
                    .iter()
                    .enumerate()
                    .map(|(i, k)| match k {
                        Value::String(k) if i == 0 => k.clone(),
                        Value::String(k) => format!(".{k}"),
                        k => format!("[{k}]"),
                    })
                    .collect();
                assert!(
                    message.starts_with(&format!("settings field `{field}`: expected ")),
                    "{path:?} = {bad}: {message}"
                );
            }
        }
        // A missing required field, and not an object at all.
        let mut changed = doc.clone();
        changed["shifts"]["weekly"][0]
            .as_object_mut()
            .unwrap()
            .remove("start");
        assert!(by_serde(&changed).is_err());
        assert_eq!(
            by_hand(&changed).unwrap_err(),
            "settings field `shifts.weekly[0].start`: expected a value (missing)"
        );
        for not_settings in [json!(null), json!("settings"), json!(3)] {
            assert!(by_serde(&not_settings).is_err());
            assert_eq!(
                by_hand(&not_settings).unwrap_err(),
                "the settings: expected an object"
            );
        }
    }

    /// The enums' words are serde's: each one of them read both ways.
    #[test]
    fn the_words_are_serdes() {
        for (name, server) in SERVERS {
            assert_eq!(serde_json::to_value(server).unwrap(), json!(name));
        }
        assert_eq!(SERVERS.map(|(_, s)| s), Server::ALL);
        for (name, kind) in CONTROL_KINDS {
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(name));
        }
        for moment in MOMENTS {
            assert_eq!(serde_json::to_value(moment).unwrap(), json!(moment.id()));
        }
        for by in KINDS {
            let doc = json!({"by": by, "headers": [], "any_of": [], "role": "r", "anchors": [],
                "titles": [], "apart_from": [], "of": [], "selector": "s"});
            let serde: Find = serde_json::from_value(doc.clone()).unwrap();
            assert_eq!(find(&tree(&doc)).unwrap(), serde, "{by}");
        }
        // A new variant fails to compile here until the lists above have it.
        fn _every_variant_is_listed(server: Server, kind: ControlKind, moment: Moment, f: Find) {
            use ControlKind as C;
            use Moment as M;
            use Server as S;
            match server {
                S::Main | S::Ca | S::Us | S::Eu | S::Sg => {}
            }
            match kind {
                C::Any | C::Choice | C::Checkbox | C::Radio | C::Field | C::TypingArea => {}
            }
            match moment {
                M::TransferAccepted
                | M::ChatPickedUp
                | M::OfflineTextFirstShift
                | M::LeavingWithActiveChats
                | M::ClosingHeadsUp
                | M::AtClose
                | M::WindingDown
                | M::BackchatHello
                | M::BackchatSignOff => {}
            }
            match f {
                Find::Grid { .. }
                | Find::Column { .. }
                | Find::Role { .. }
                | Find::Text { .. }
                | Find::Control { .. }
                | Find::Line { .. }
                | Find::Container { .. }
                | Find::Section { .. }
                | Find::Status { .. }
                | Find::Icon { .. }
                | Find::Pane { .. }
                | Find::AnyOf { .. }
                | Find::Css { .. } => {}
            }
        }
    }
}
