//! Canned messages: for each moment of the procedure, the canned message names and texts
//! (English and French) the suggestion strip offers.

use super::form::Form;
use super::Page;
use crate::core::options_form::{kind, moment_id, MOMENTS};
use crate::core::settings::{Language, LocalText, Moment};
use crate::ext::t;
use crate::ui::{el, El};

fn moment_key(m: Moment) -> &'static str {
    match m {
        Moment::BackchatHello => "optionsMomentBackchatHello",
        Moment::BackchatSignOff => "optionsMomentBackchatSignOff",
        Moment::TransferAccepted => "optionsMomentTransferAccepted",
        Moment::ChatPickedUp => "optionsMomentChatPickedUp",
        Moment::OfflineTextFirstShift => "optionsMomentOfflineText",
        Moment::LeavingWithActiveChats => "optionsMomentLeaving",
        Moment::ClosingHeadsUp => "optionsMomentClosingHeadsUp",
        Moment::AtClose => "optionsMomentAtClose",
        Moment::WindingDown => "optionsMomentWindingDown",
    }
}

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let mut sec = f.section("messages", Some(&t("optionsMessagesIntro")));
    for moment in MOMENTS {
        let title = t(moment_key(moment));
        let mid = moment_id(moment);
        let mut group = el(f.doc, "fieldset")
            .class("moment")
            .attr("data-moment", &mid)
            .child(el(f.doc, "legend").text(&title));
        for (r, rule) in s.canned.rules.iter().enumerate() {
            if rule.moment != moment {
                continue;
            }
            for (i, sug) in rule.suggestions.iter().enumerate() {
                let path = format!("canned.rules[{r}].suggestions[{i}]");
                let p = |field: &str| format!("{path}.{field}");
                let n = i + 1;
                let row = format!("{title} {n}");
                let text = |lang: Language, label: &str, value: &LocalText| {
                    let v = if lang == Language::Fr {
                        &value.fr
                    } else {
                        &value.en
                    };
                    let field = p(&format!("text.{}", lang.code()));
                    f.cell_in(
                        &field,
                        &row,
                        label,
                        f.textarea(&field, kind::TEXT, v, 3)
                            .attr("lang", lang.code()),
                    )
                    .class("grow")
                };
                group = group.child(
                    f.div("item")
                        .child(
                            f.div("row")
                                .child(
                                    f.cell_in(
                                        &p("name"),
                                        &row,
                                        &t("optionsMessageName"),
                                        f.input(&p("name"), kind::TEXT, &sug.name),
                                    )
                                    .class("grow"),
                                )
                                .child(f.remove_button(&path, &format!("{title} {n}"))),
                        )
                        .child(
                            f.div("row")
                                .child(text(Language::En, &t("optionsEnglish"), &sug.text))
                                .child(text(Language::Fr, &t("optionsFrench"), &sug.text)),
                        ),
                );
            }
        }
        group = group.child(
            f.button("add-suggestion", &t("optionsAddMessage"), "canned")
                .class("add")
                .attr("id", &format!("add-message-{mid}"))
                .attr("data-moment", &mid),
        );
        sec = sec.child(group);
    }
    sec
}
