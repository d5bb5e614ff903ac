//! General: the operator's name, the language, the LibraryH3lp server.

use super::form::Form;
use super::Page;
use crate::core::options_form::kind;
use crate::core::settings::{Language, LanguageChoice};
use crate::ext::{fill, t};
use crate::ui::El;

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    // The loaded state knows the browser's language (an edited form does not carry it).
    let browser = p.state.settings.browser_language.0.endonym();
    let languages: Vec<(String, String)> = LanguageChoice::ALL
        .iter()
        .map(|&c| {
            let label = match c {
                LanguageChoice::Browser => fill("optionsLanguageBrowser", &[("language", browser)]),
                LanguageChoice::En => Language::En.endonym().to_string(),
                LanguageChoice::Fr => Language::Fr.endonym().to_string(),
            };
            (c.code().to_string(), label)
        })
        .collect();
    let servers: Vec<(String, String)> = ["main", "ca", "us", "eu", "sg"]
        .iter()
        .filter_map(|id| {
            let server: crate::core::settings::Server =
                serde_json::from_value(serde_json::Value::from(*id)).ok()?;
            Some((id.to_string(), server.host().to_string()))
        })
        .collect();
    let server = serde_json::to_value(s.server)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    f.section("general", None)
        .child(
            f.field(
                "operator_name",
                &t("optionsOperatorName"),
                f.input("operator_name", kind::TEXT, &s.operator_name)
                    .attr("autocomplete", "off"),
                Some(&t("optionsOperatorNameHelp")),
            ),
        )
        .child(f.field(
            "language",
            &t("optionsLanguage"),
            f.select("language", kind::TEXT, &languages, s.language.code()),
            Some(&t("optionsLanguageHelp")),
        ))
        .child(f.field(
            "server",
            &t("optionsServer"),
            f.select("server", kind::TEXT, &servers, &server),
            None,
        ))
}
