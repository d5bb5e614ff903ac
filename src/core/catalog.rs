//! The one catalog of what the extension says: `extension/_locales/<lang>/messages.json`.
//! The browser reads it for the manifest's strings (name, description, shortcut); the
//! extension reads it as data, in the language the settings choose (`Settings::language`,
//! which may differ from the browser's), so no text table is compiled into a module.
//! `{name}` in a message is filled in by `fill`. Parity between the languages is checked
//! by `tests/conventions.rs`.

use std::collections::HashMap;

use super::settings::Language;

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
/// and the values of its `{name}`s (a value may itself be a message: "step {n}").
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The words in `catalog`'s language.
    pub fn text(&self, catalog: &Catalog) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(n, a)| match a {
                Arg::Text(t) => (n.as_str(), t.clone()),
                Arg::Said(s) => (n.as_str(), s.text(catalog)),
            })
            .collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        catalog.fill(&self.key, &args)
    }
}

impl From<&str> for Said {
    fn from(key: &str) -> Said {
        Said::new(key, &[])
    }
}

/// Without a catalog (a log line): the key and its values.
impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.key)?;
        for (n, a) in &self.args {
            match a {
                Arg::Text(t) => write!(f, " {n}={t}")?,
                Arg::Said(s) => write!(f, " {n}=({s})")?,
            }
        }
        Ok(())
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
    fn the_shipped_catalogs_parse_and_speak_their_language() {
        let (en, fr) = (shipped(Language::En), shipped(Language::Fr));
        assert_eq!(en.get("popupSettings"), "Settings");
        assert_eq!(fr.get("popupSettings"), "Paramètres");
    }
}
