//! Queues: the ones a regular shift staffs, and the operator's home-team queues.

use super::form::Form;
use super::Page;
use crate::ext::t;
use crate::ui::El;

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    f.section("queues", None)
        .child(f.field(
            "queues.expected",
            &t("optionsQueuesExpected"),
            f.lines("queues.expected", &s.queues.expected),
            Some(&t("optionsOnePerLine")),
        ))
        .child(f.field(
            "queues.home_team",
            &t("optionsQueuesHomeTeam"),
            f.lines("queues.home_team", &s.queues.home_team),
            Some(&t("optionsQueuesHomeTeamHelp")),
        ))
}
