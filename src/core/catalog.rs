//! The one catalog of what the extension says: `extension/_locales/<lang>/messages.json`.
//! The browser reads it for the manifest's strings (name, description, shortcut); the
//! extension reads it as data, in the language the settings choose (`Settings::language`,
//! which may differ from the browser's), so no text table is compiled into a module.
//! `{name}` in a message is filled in by `fill`. Parity between the languages is checked
//! by `tests/conventions.rs`.

use std::collections::HashMap;

use super::settings::{parse_date, parse_hhmm, span_of_day, time_of_day, Language};

/// The messages of one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    language: Language,
    messages: HashMap<String, String>,
}

impl Catalog {
    /// Reads a `messages.json` (`{"key": {"message": "…"}}`).
    pub fn parse(language: Language, json: &str) -> Result<Catalog, String> {
        let doc: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("messages.json: {e}"))?;
        let entries = doc
            .as_object()
            .ok_or_else(|| "messages.json is not an object".to_string())?;
        let messages = entries
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.get("message")?.as_str()?.to_string())))
            .collect();
        Ok(Catalog { language, messages })
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether the catalog has messages (an empty one was never loaded).
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The message `key`, or the key itself when missing (a gap shows, never a blank).
    pub fn get(&self, key: &str) -> String {
        self.messages
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key`, if the catalog has it.
    pub fn find(&self, key: &str) -> Option<&str> {
        self.messages.get(key).map(String::as_str)
    }

    /// A date in the language's way ("Tuesday 10 March", "mardi 10 mars").
    pub fn date(&self, d: &impl chrono::Datelike) -> String {
        self.date_of(d.weekday().num_days_from_monday(), d.day(), d.month())
    }

    /// A stored date ("YYYY-MM-DD") in the language's way, with its year ("Tuesday
    /// 10 March 2026", "mardi 10 mars 2026"); as stored when it is not a date.
    pub fn stored_date(&self, text: &str) -> String {
        match parse_date(text) {
            Ok(d) => format!("{} {}", self.date(&d), chrono::Datelike::year(&d)),
            Err(_) => text.to_string(),
        }
    }

    /// A stored span of the day ("HH:MM", "HH:MM") in the language's way ("08:00–20:00",
    /// "8 h–20 h"); as stored when either end is not a time.
    pub fn stored_span(&self, start: &str, end: &str) -> String {
        match (parse_hhmm(start), parse_hhmm(end)) {
            (Ok(a), Ok(b)) => span_of_day(self.language, a as i32, b as i32),
            _ => format!("{start}–{end}"),
        }
    }

    /// `date` once for every kind of date (its code is not repeated per type).
    fn date_of(&self, weekday: u32, day: u32, month: u32) -> String {
        self.fill(
            "dateFormat",
            &[
                ("weekday", &self.get(&format!("weekday{weekday}"))),
                ("day", &day.to_string()),
                ("month", &self.get(&format!("month{month}"))),
            ],
        )
    }

    /// The message `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// A message of the catalog to say later, in whatever language is in force then: its key
/// and the values of its `{name}`s (a value may itself be a message: "step {n}"). It
/// travels between contexts as it is (a page's notice is said again by the popup), as
/// one string (`Said::encode`): derived serde code for it cost every module ~4 KB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    pub key: String,
    pub args: Vec<(String, Arg)>,
}

/// The value of a `{name}` in a `Said`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Said as it is (a number, a name the operator typed).
    Text(String),
    /// Said in the language in force.
    Said(Said),
    /// A time of day, the language's way ("14:05", "14 h 05").
    Time { hour: u32, minute: u32 },
    /// A date, the language's way ("Tuesday 10 March", "mardi 10 mars").
    Date { year: i32, month: u32, day: u32 },
}

impl Arg {
    /// The value in `catalog`'s language.
    fn text(&self, catalog: &Catalog) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Said(s) => s.text(catalog),
            Arg::Time { hour, minute } => time_of_day(catalog.language(), *hour, *minute),
            Arg::Date { year, month, day } => {
                match chrono::NaiveDate::from_ymd_opt(*year, *month, *day) {
                    Some(d) => catalog.date(&d),
                    None => format!("{year}-{month:02}-{day:02}"),
                }
            }
        }
    }

    /// A time of day (its hour and minute as shown where it is).
    pub fn time(t: &impl chrono::Timelike) -> Arg {
        Arg::Time {
            hour: t.hour(),
            minute: t.minute(),
        }
    }

    /// A date.
    pub fn date(d: &impl chrono::Datelike) -> Arg {
        Arg::Date {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        }
    }
}

impl Said {
    /// The message `key` with plain values.
    pub fn new(key: &str, args: &[(&str, &str)]) -> Said {
        Said {
            key: key.to_string(),
            args: args
                .iter()
                .map(|(n, v)| (n.to_string(), Arg::Text(v.to_string())))
                .collect(),
        }
    }

    /// The same, with `{name}` filled by another message.
    pub fn with(mut self, name: &str, said: Said) -> Said {
        self.args.push((name.to_string(), Arg::Said(said)));
        self
    }

    /// The same, with `{name}` filled by any value.
    pub fn arg(mut self, name: &str, value: Arg) -> Said {
        self.args.push((name.to_string(), value));
        self
    }

    /// The words in `catalog`'s language.
    pub fn text(&self, catalog: &Catalog) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(n, a)| (n.as_str(), a.text(catalog)))
            .collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        catalog.fill(&self.key, &args)
    }
}

/// Between the fields of an encoded `Said`.
const SEP: char = '\u{1f}';

impl Said {
    /// One string: the key, then per value `SEP name = kind length : payload` (kinds: `t`
    /// text, `s` a message encoded the same way, `h` "hour:minute", `d` "year-month-day";
    /// the length, in bytes, lets a payload hold anything).
    pub fn encode(&self) -> String {
        let mut out = self.key.clone();
        for (name, arg) in &self.args {
            let (kind, payload) = match arg {
                Arg::Text(t) => ('t', t.clone()),
                Arg::Said(s) => ('s', s.encode()),
                Arg::Time { hour, minute } => ('h', format!("{hour}:{minute}")),
                Arg::Date { year, month, day } => ('d', format!("{year}-{month}-{day}")),
            };
            out.push_str(&format!("{SEP}{name}={kind}{}:{payload}", payload.len()));
        }
        out
    }

    /// Reads what `encode` wrote; `None` for anything else.
    pub fn decode(text: &str) -> Option<Said> {
        let (key, mut rest) = text.split_once(SEP).unwrap_or((text, ""));
        let mut said = Said::from(key);
        while !rest.is_empty() {
            let (name, after) = rest.split_once('=')?;
            let kind = after.get(..1)?;
            let (len, after) = after.get(1..)?.split_once(':')?;
            let len: usize = len.parse().ok()?;
            let payload = after.get(..len)?;
            rest = after.get(len..)?;
            if !rest.is_empty() {
                rest = rest.strip_prefix(SEP)?;
            }
            // A time "h:m", a date "y-m-d": numbers between any signs.
            let n: Vec<u32> = payload
                .split([':', '-'])
                .filter_map(|n| n.parse().ok())
                .collect();
            let arg = match (kind, n.as_slice()) {
                ("t", _) => Arg::Text(payload.to_string()),
                ("s", _) => Arg::Said(Said::decode(payload)?),
                ("h", &[hour, minute]) => Arg::Time { hour, minute },
                ("d", &[year, month, day]) => Arg::Date {
                    year: year as i32,
                    month,
                    day,
                },
                _ => return None,
            };
            said.args.push((name.to_string(), arg));
        }
        Some(said)
    }
}

impl serde::Serialize for Said {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Said {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Said, D::Error> {
        let text = String::deserialize(d)?;
        Said::decode(&text).ok_or_else(|| serde::de::Error::custom("not a message of the catalog"))
    }
}

impl From<&str> for Said {
    fn from(key: &str) -> Said {
        Said::new(key, &[])
    }
}

/// Without a catalog (a log line): the key and its values, as encoded.
impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.encode())
    }
}

/// The key of what a locator finds, in words for the page check (`locator_history_table`
/// for `history.table`): catalog keys are letters, digits and `_`.
pub fn locator_key(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("locator_{id}")
}

/// The catalogs as shipped, for native tests (the modules read them at run time).
#[cfg(test)]
pub(crate) fn shipped(language: Language) -> Catalog {
    let json = match language {
        Language::En => include_str!("../../extension/_locales/en/messages.json"),
        Language::Fr => include_str!("../../extension/_locales/fr/messages.json"),
    };
    Catalog::parse(language, json).expect("the shipped catalog parses")
}

/// A message in the shipped English, for native tests.
#[cfg(test)]
pub(crate) fn english(said: &Said) -> String {
    said.text(&shipped(Language::En))
}

/// A message in the shipped French, for native tests.
#[cfg(test)]
pub(crate) fn french(said: &Said) -> String {
    said.text(&shipped(Language::Fr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_read_and_filled_in() {
        let c = Catalog::parse(
            Language::Fr,
            r#"{"a": {"message": "{done} sur {total}", "description": "x"}, "b": 3}"#,
        )
        .unwrap();
        assert_eq!(c.fill("a", &[("done", "2"), ("total", "5")]), "2 sur 5");
        assert_eq!(c.get("missing"), "missing");
        assert_eq!(c.get("b"), "b", "an entry without a message is a gap");
        assert_eq!(c.language(), Language::Fr);
        assert!(Catalog::parse(Language::En, "[]").is_err());
    }

    #[test]
    fn a_said_message_travels_as_one_string_and_back() {
        let said = Said::new("a", &[("n", "3"), ("odd", "x\u{1f}y=t2:zz")])
            .with(
                "inner",
                Said::new("b", &[("q", "é, ü")]).arg("at", Arg::Time { hour: 9, minute: 5 }),
            )
            .arg(
                "on",
                Arg::Date {
                    year: 2025,
                    month: 6,
                    day: 4,
                },
            );
        let json = serde_json::to_string(&said).unwrap();
        assert_eq!(serde_json::from_str::<Said>(&json).unwrap(), said);
        assert_eq!(Said::decode("plain"), Some(Said::from("plain")));
        for bad in [
            "k\u{1f}n",
            "k\u{1f}n=t9:ab",
            "k\u{1f}n=h1:1",
            "k\u{1f}n=x1:a",
            "k\u{1f}n=t1:ab",
        ] {
            assert_eq!(Said::decode(bad), None, "{bad:?}");
        }
        assert!(serde_json::from_str::<Said>("3").is_err());
    }

    #[test]
    fn times_and_dates_are_said_the_language_s_way() {
        let said = Said::from("x")
            .arg(
                "t",
                Arg::Time {
                    hour: 15,
                    minute: 0,
                },
            )
            .arg(
                "d",
                Arg::Date {
                    year: 2025,
                    month: 6,
                    day: 4,
                },
            );
        let fr = Catalog::parse(Language::Fr, r#"{"x": {"message": "{d} à {t}"}, "dateFormat": {"message": "{weekday} {day} {month}"}, "weekday2": {"message": "mercredi"}, "month6": {"message": "juin"}}"#).unwrap();
        assert_eq!(said.text(&fr), "mercredi 4 juin à 15 h");
        assert_eq!(
            english(&Said::from("dateFormat")),
            "{weekday} {day} {month}"
        );
    }

    #[test]
    fn the_shipped_catalogs_parse_and_speak_their_language() {
        let (en, fr) = (shipped(Language::En), shipped(Language::Fr));
        assert_eq!(en.get("popupSettings"), "Settings");
        assert_eq!(fr.get("popupSettings"), "Paramètres");
    }

    #[test]
    fn stored_dates_and_spans_are_said_the_languages_way_and_kept_when_unreadable() {
        let en = shipped(Language::En);
        let fr = shipped(Language::Fr);
        assert_eq!(en.stored_date("2026-03-10"), "Tuesday 10 March 2026");
        assert_eq!(fr.stored_date("2026-03-10"), "mardi 10 mars 2026");
        assert_eq!(en.stored_span("08:00", "20:30"), "08:00–20:30");
        assert_eq!(fr.stored_span("08:00", "20:30"), "8 h–20 h 30");
        assert_eq!(fr.stored_date("10/03/2026"), "10/03/2026");
        assert_eq!(fr.stored_span("8am", "20:00"), "8am–20:00");
    }
}
