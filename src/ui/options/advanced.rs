//! Advanced: locator overrides, a page-change fix without a release.

use super::form::Form;
use super::Page;
use crate::core::options_form::{kind, overrides_text};
use crate::ext::t;
use crate::ui::El;

pub(super) fn build(f: &Form, p: &Page) -> El {
    f.section("advanced", None).child(
        f.field(
            "locator_overrides",
            &t("optionsLocatorOverrides"),
            f.textarea(
                "locator_overrides",
                kind::JSON,
                &overrides_text(&p.settings),
                6,
            )
            .class("code")
            .attr("spellcheck", "false")
            .attr("placeholder", "[]"),
            Some(&t("optionsLocatorOverridesHelp")),
        ),
    )
}
