//! General: the operator's name, the language, the LibraryH3lp server.

use super::form::Form;
use super::Page;
use crate::core::options_form::kind;
use crate::ext::t;
use crate::ui::El;

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    // The loaded state knows the browser's language (an edited form does not carry it).
    let languages = crate::ui::language_choices(p.state.settings.browser_language.0);
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
