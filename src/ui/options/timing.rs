//! Timing: lead times, the auto-logout margin and warning, handover and closing windows.

use super::form::Form;
use super::Page;
use crate::ext::t;
use crate::ui::El;

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let tm = &s.timing;
    let mut sec = f.section("timing", None);
    for (field, value, key) in [
        ("pre_shift_minutes", tm.pre_shift_minutes, "optionsPreShift"),
        (
            "autologout_margin_minutes",
            tm.autologout_margin_minutes,
            "optionsTimerMargin",
        ),
        (
            "autologout_warning_minutes",
            tm.autologout_warning_minutes,
            "optionsTimerWarning",
        ),
        (
            "timer_rounding_minutes",
            tm.timer_rounding_minutes,
            "optionsTimerRounding",
        ),
        ("handover_minutes", tm.handover_minutes, "optionsHandover"),
        (
            "handover_grace_minutes",
            tm.handover_grace_minutes,
            "optionsHandoverGrace",
        ),
        (
            "closing_heads_up_minutes",
            tm.closing_heads_up_minutes,
            "optionsClosingHeadsUp",
        ),
        (
            "after_close_minutes",
            tm.after_close_minutes,
            "optionsAfterClose",
        ),
    ] {
        let path = format!("timing.{field}");
        sec = sec.child(f.field(&path, &t(key), f.number(&path, value), None));
    }
    sec.class("grid")
}
