//! What the toolbar popup shows, worked out without a browser: the picture of the day
//! laid out on a bar, the phase in plain words, and the checklist with this shift's
//! ticks and the web client's evidence. The popup only draws this.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
use super::checklist::{
    evaluate, shift_key_for, ticks_for, ChecklistView, Evidence, Remembered, ShiftLog, ShiftTicks,
    Step,
};
use super::messages::PageReport;
use super::settings::{clock, span_of_day, time_of_day, Language, Settings};
use super::shift::{context, day_picture, DayPicture, Phase, ShiftContext, ShiftInstance};

/// One span on the day bar, in percent of the bar's width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarSpan {
    pub left: f64,
    pub width: f64,
    /// "10:00–11:00"
    pub label: String,
    /// The span contains now.
    pub now_inside: bool,
    pub first_of_day: bool,
    pub last_of_day: bool,
}

/// The picture of the day as a horizontal bar from `from` to `to` (wall-clock minutes
/// from the pictured date's midnight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayBar {
    pub from: i32,
    pub to: i32,
    pub service: Vec<BarSpan>,
    pub shifts: Vec<BarSpan>,
    /// Where now is, in percent; always on the bar.
    pub now: f64,
    pub now_label: String,
    /// Hour marks: (percent, "14:00").
    pub ticks: Vec<(f64, String)>,
    /// "10:00–22:00", empty when the service is closed all day.
    pub hours: String,
    pub date: String,
}

/// A bar spans at least this long, so a short day still reads as a day.
const MIN_BAR_MINUTES: i32 = 6 * 60;
/// At most this many hour marks fit at 360 px.
const MAX_TICKS: i32 = 7;

/// Lays the day out: the bar covers the service hours, the shifts and now, in whole
/// hours, at least `MIN_BAR_MINUTES` long; its times said in `language`.
pub fn day_bar(pic: &DayPicture, language: Language) -> DayBar {
    let mut points = vec![pic.now_minute];
    for s in &pic.service_spans {
        points.extend([s.start, s.end]);
    }
    for s in &pic.shifts {
        points.extend([s.span.start, s.span.end]);
    }
    let lo = points.iter().copied().min().unwrap_or(0);
    let hi = points.iter().copied().max().unwrap_or(0);
    let mut from = lo.div_euclid(60) * 60;
    let mut to = (hi + 59).div_euclid(60) * 60;
    if to - from < MIN_BAR_MINUTES {
        let extra = MIN_BAR_MINUTES - (to - from);
        from -= (extra / 2).div_euclid(60) * 60;
        to = from + MIN_BAR_MINUTES.max(to - from);
        if to < hi {
            to = (hi + 59).div_euclid(60) * 60;
        }
    }
    let len = f64::from((to - from).max(1));
    let pct = |m: i32| (f64::from(m - from) / len * 100.0).clamp(0.0, 100.0);
    let span = |start: i32, end: i32, first: bool, last: bool| BarSpan {
        left: pct(start),
        width: pct(end) - pct(start),
        label: span_of_day(language, start, end),
        now_inside: start <= pic.now_minute && pic.now_minute < end,
        first_of_day: first,
        last_of_day: last,
    };
    let step = [60, 120, 180, 240, 360]
        .into_iter()
        .find(|step| (to - from) / step <= MAX_TICKS)
        .unwrap_or(720);
    let first_tick = (from + step - 1).div_euclid(step) * step;
    let ticks = (0..)
        .map(|i| first_tick + i * step)
        .take_while(|m| *m <= to)
        .map(|m| (pct(m), clock(language, m)))
        .collect();
    let service: Vec<BarSpan> = pic
        .service_spans
        .iter()
        .map(|s| span(s.start, s.end, false, false))
        .collect();
    // The legend's hours are the service spans' own labels, said the same way.
    let hours = service
        .iter()
        .map(|s| s.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    DayBar {
        from,
        to,
        service,
        shifts: pic
            .shifts
            .iter()
            .map(|s| span(s.span.start, s.span.end, s.first_of_day, s.last_of_day))
            .collect(),
        now: pct(pic.now_minute),
        now_label: clock(language, pic.now_minute),
        ticks,
        hours,
        date: pic.date.clone(),
    }
}

/// Session-storage key of how the operator left the popup's folds (`Folds`).
pub const FOLDS_KEY: &str = "popup_folds";

/// How the operator left a fold of the popup (the checklist, its other steps): open or
/// not, and in which phase. UI state only: no patron data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub phase: Phase,
    pub open: bool,
}

/// The folds by element id.
pub type Folds = std::collections::BTreeMap<String, Fold>;

/// Whether a fold starts open: as the operator left it in this phase, else `default` —
/// a new phase brings its own (the steps open at login, folded on shift).
pub fn fold_open(saved: Option<&Fold>, phase: Phase, default: bool) -> bool {
    match saved {
        Some(f) if f.phase == phase => f.open,
        _ => default,
    }
}

/// The phase in plain words: a headline and a line of detail, in the operator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseWords {
    pub headline: String,
    pub detail: String,
}

/// A time of day in the catalog's language ("14:05", "14 h 05": `time_of_day`).
pub fn time_words(words: &Catalog, t: &impl Timelike) -> String {
    time_of_day(words.language(), t.hour(), t.minute())
}

/// A date in the language's way ("Tuesday 10 March", "mardi 10 mars").
pub fn date_words(words: &Catalog, d: &impl Datelike) -> String {
    words.date(d)
}

/// A time in the service's zone, in the language's way.
fn hhmm(settings: &Settings, words: &Catalog, t: DateTime<Utc>) -> String {
    time_words(words, &t.with_timezone(&settings.service.zone()))
}

/// "10:00–11:00", with the date in front when the shift is not on `now`'s date.
fn shift_words(
    settings: &Settings,
    words: &Catalog,
    s: &ShiftInstance,
    now: DateTime<Utc>,
) -> String {
    let tz = settings.service.zone();
    let (start, today) = (s.start.with_timezone(&tz), now.with_timezone(&tz));
    let times = format!(
        "{}–{}",
        hhmm(settings, words, s.start),
        hhmm(settings, words, s.end)
    );
    if start.date_naive() == today.date_naive() {
        times
    } else {
        format!("{} {times}", date_words(words, &start))
    }
}

/// "40 min", "1 h 05 min" (the same in both languages).
pub fn minutes_words(m: i64) -> String {
    let m = m.max(0);
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// Where the operator stands, said the procedure's way, in the catalog's language.
pub fn phase_words(ctx: &ShiftContext, settings: &Settings, words: &Catalog) -> PhaseWords {
    let now = ctx.now;
    let at = |t: DateTime<Utc>| hhmm(settings, words, t);
    let start = ctx.shift.as_ref().map(|s| at(s.start)).unwrap_or_default();
    let end = ctx.shift.as_ref().map(|s| at(s.end)).unwrap_or_default();
    let left = ctx
        .minutes_to_shift_end
        .map(minutes_words)
        .unwrap_or_default();
    let to_start = ctx
        .shift
        .as_ref()
        .map(|s| minutes_words(((s.start - now).num_seconds() + 59).div_euclid(60)))
        .unwrap_or_default();
    let args: [(&str, &str); 4] = [
        ("start", &start),
        ("end", &end),
        ("left", &left),
        ("in", &to_start),
    ];
    let say = |key: &str| words.fill(key, &args);
    let (headline, detail) = match ctx.phase {
        Phase::OffHours => {
            let headline = say(if ctx.service_open {
                "phaseNoShiftNow"
            } else {
                "phaseServiceClosed"
            });
            let detail = match &ctx.next_shift {
                Some(n) => words.fill(
                    "phaseNextShift",
                    &[("shift", &shift_words(settings, words, n, now))],
                ),
                None => say("phaseNoShifts"),
            };
            (headline, detail)
        }
        Phase::PreShift => {
            let login = ctx
                .shift
                .as_ref()
                .map(|s| {
                    let lead = i64::from(settings.timing.pre_shift_minutes);
                    at(s.start - chrono::TimeDelta::minutes(lead))
                })
                .unwrap_or_default();
            let detail = words.fill(
                "phasePreShiftDetail",
                &[("login", &login), ("start", &start), ("end", &end)],
            );
            (say("phasePreShift"), detail)
        }
        Phase::LoginWindow => (say("phaseLoginWindow"), say("phaseLoginWindowDetail")),
        Phase::OnShift => {
            let duty = if ctx.first_of_day {
                format!(" {}", say("phaseFirstOfDay"))
            } else if ctx.last_of_day {
                format!(" {}", say("phaseLastOfDay"))
            } else {
                String::new()
            };
            (
                say("phaseOnShift"),
                format!("{}{duty}", say("phaseOnShiftDetail")),
            )
        }
        Phase::Handover => {
            let who = ctx
                .shift
                .as_ref()
                .map(|s| s.replacements.join(", "))
                .filter(|w| !w.is_empty());
            let detail = match who {
                Some(w) => words.fill("phaseReplacements", &[("names", &w)]),
                None => words.fill(
                    "phaseWaitReplacements",
                    &[("count", &ctx.replacements_needed.to_string())],
                ),
            };
            let headline = if ctx.minutes_to_shift_end.is_some_and(|m| m > 0) {
                say("phaseHandover")
            } else {
                say("phaseHandoverOver")
            };
            (headline, detail)
        }
        Phase::LastShiftClosing => (
            say("phaseLastShiftClosing"),
            say("phaseLastShiftClosingDetail"),
        ),
        Phase::AfterClose => (say("phaseAfterClose"), say("phaseAfterCloseDetail")),
    };
    PhaseWords { headline, detail }
}

/// What the web client shows, as evidence for the checklist. Without a report nothing
/// is seen (never "no chats" from an empty snapshot); what the page remembered counts
/// only for the shift it was remembered in.
pub fn popup_evidence(
    report: Option<&PageReport>,
    settings: &Settings,
    ctx: &ShiftContext,
    local_offset: FixedOffset,
) -> Evidence {
    let Some(report) = report else {
        return Evidence::default();
    };
    let mut remembered = if report.shift_key == shift_key_for(ctx) {
        report.remembered.clone()
    } else {
        Remembered::default()
    };
    if remembered.leaving.me.trim().is_empty() {
        remembered.leaving.me = settings.operator_name.clone();
    }
    Evidence::from_snapshot(&report.snapshot, settings, ctx, &remembered, local_offset)
}

/// Everything the popup draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopupModel {
    pub phase: Phase,
    pub words: PhaseWords,
    pub bar: DayBar,
    pub checklist: ChecklistView,
    /// This shift's ticks (to change and store back into the log).
    pub ticks: ShiftTicks,
    /// The shift the ticks belong to, for the popup to say which shift it is about.
    pub shift: Option<ShiftInstance>,
}

/// The popup at `now`.
pub fn popup_model(
    settings: &Settings,
    steps: &[Step],
    now: DateTime<Utc>,
    report: Option<&PageReport>,
    log: &ShiftLog,
    local_offset: FixedOffset,
    words: &Catalog,
) -> PopupModel {
    let ctx = context(settings, now);
    let evidence = popup_evidence(report, settings, &ctx, local_offset);
    let ticks = ticks_for(log, &ctx);
    PopupModel {
        phase: ctx.phase,
        words: phase_words(&ctx, settings, words),
        bar: day_bar(&day_picture(settings, now), words.language()),
        checklist: evaluate(steps, &ctx, &evidence, &ticks, settings, words),
        ticks,
        shift: ctx.shift,
    }
}

/// Phase as the stable `data-phase` value ("on_shift").
pub fn phase_id(phase: Phase) -> String {
    serde_json::to_value(phase)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::shipped;
    use crate::core::checklist::{DoneBy, ItemState};
    use crate::core::settings::Language;
    use crate::core::shift::{MinuteSpan, PictureShift};
    use crate::core::snapshot::{Snapshot, Status};
    use crate::core::test_support::{askon_steps, edt as toronto, monday_shifts, t as utc};

    #[test]
    fn a_fold_stays_as_left_in_its_phase_and_a_new_phase_brings_its_default() {
        let left = Fold {
            phase: Phase::OnShift,
            open: true,
        };
        assert!(fold_open(Some(&left), Phase::OnShift, false), "as left");
        assert!(
            !fold_open(Some(&left), Phase::OffHours, false),
            "a new phase"
        );
        assert!(fold_open(None, Phase::Handover, true), "never touched");
        let folded = Fold {
            open: false,
            ..left
        };
        assert!(!fold_open(Some(&folded), Phase::OnShift, true));
        let folds: Folds =
            serde_json::from_str(r#"{"checklist-fold":{"phase":"on_shift","open":true}}"#).unwrap();
        assert_eq!(folds.get("checklist-fold"), Some(&left));
    }

    fn en() -> Catalog {
        shipped(Language::En)
    }

    /// askON hours; Monday shifts 10–11 (first) and 14–15 (middle).
    fn settings() -> Settings {
        monday_shifts(&[("10:00", "11:00"), ("14:00", "15:00")])
    }

    /// The askON procedure's popup for `settings()`, in English, in Toronto.
    fn model(now: DateTime<Utc>, report: Option<&PageReport>, log: &ShiftLog) -> PopupModel {
        popup_model(
            &settings(),
            askon_steps(),
            now,
            report,
            log,
            toronto(),
            &en(),
        )
    }

    fn picture(service: &[(i32, i32)], shifts: &[(i32, i32)], now: i32) -> DayPicture {
        DayPicture {
            date: "2026-03-09".into(),
            zone: "America/Toronto".into(),
            service_spans: service
                .iter()
                .map(|&(start, end)| MinuteSpan { start, end })
                .collect(),
            shifts: shifts
                .iter()
                .map(|&(start, end)| PictureShift {
                    span: MinuteSpan { start, end },
                    first_of_day: start == 600,
                    last_of_day: false,
                    replacements: vec![],
                })
                .collect(),
            now_minute: now,
            hours: "10:00–22:00".into(),
        }
    }

    #[test]
    fn the_bar_covers_the_service_the_shifts_and_now_in_whole_hours() {
        let bar = day_bar(
            &picture(&[(600, 1320)], &[(600, 660), (840, 900)], 620),
            Language::En,
        );
        assert_eq!((bar.from, bar.to), (600, 1320));
        assert_eq!(bar.service[0].left, 0.0);
        assert_eq!(bar.service[0].width, 100.0);
        assert_eq!(bar.service[0].label, "10:00–22:00");
        let first = &bar.shifts[0];
        assert!((first.width - 60.0 / 720.0 * 100.0).abs() < 1e-9);
        assert!(first.now_inside && first.first_of_day);
        assert!(!bar.shifts[1].now_inside);
        assert_eq!(bar.now_label, "10:20");
        assert!((bar.now - 20.0 / 720.0 * 100.0).abs() < 1e-9);
        let labels: Vec<&str> = bar.ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(
            labels,
            ["10:00", "12:00", "14:00", "16:00", "18:00", "20:00", "22:00"]
        );
        assert_eq!(bar.ticks.first().unwrap().0, 0.0);
        assert_eq!(bar.ticks.last().unwrap().0, 100.0);
    }

    #[test]
    fn now_outside_the_hours_stretches_the_bar_and_a_closed_day_still_has_a_bar() {
        let early = day_bar(&picture(&[(600, 1320)], &[], 7 * 60 + 45), Language::En);
        assert_eq!(early.from, 420, "from 07:00 so now is on the bar");
        assert_eq!(early.now_label, "07:45");
        assert!(early.now > 0.0 && early.now < early.service[0].left);

        let closed = day_bar(&picture(&[], &[], 15 * 60), Language::En);
        assert_eq!(closed.to - closed.from, MIN_BAR_MINUTES);
        assert!(closed.from <= 900 && 900 <= closed.to);
        assert!(closed.service.is_empty() && !closed.ticks.is_empty());
        assert!(closed.ticks.len() as i32 <= MAX_TICKS + 1);
    }

    #[test]
    fn a_night_shift_past_midnight_reads_as_clock_times() {
        let bar = day_bar(
            &picture(&[(1080, 1560)], &[(1410, 1560)], 1470),
            Language::En,
        );
        assert_eq!(bar.shifts[0].label, "23:30–02:00");
        assert_eq!(bar.now_label, "00:30");
        assert!(bar.shifts[0].now_inside);
        assert_eq!(bar.to, 1560);
        assert!(bar.ticks.iter().all(|(p, _)| (0.0..=100.0).contains(p)));
    }

    #[test]
    fn the_phase_is_said_in_plain_words_in_both_languages() {
        let mut s = settings();
        // Monday 2026-03-09, Toronto on EDT (UTC−4).
        let cases = [
            (
                "2026-03-09T13:57:00Z",
                Phase::LoginWindow,
                "Time to log in: your shift starts at 10:00",
                "In 3 min (10:00–11:00).",
            ),
            (
                "2026-03-09T14:20:00Z",
                Phase::OnShift,
                "On shift until 11:00",
                "40 min left. First shift of the day: answer the offline texts.",
            ),
            (
                "2026-03-09T15:05:00Z",
                Phase::Handover,
                "Your shift ended at 11:00: wait for your replacements",
                "Wait for 2 replacement operator(s) to log in.",
            ),
            (
                "2026-03-09T16:30:00Z",
                Phase::PreShift,
                "Your shift starts at 14:00",
                "Log in at 13:55 (14:00–15:00).",
            ),
            (
                "2026-03-10T14:00:00Z",
                Phase::OffHours,
                "No shift for you now",
                "Your next shift: Monday 16 March 10:00–11:00",
            ),
        ];
        for (now, phase, headline, detail) in cases {
            let ctx = context(&s, utc(now));
            assert_eq!(ctx.phase, phase, "{now}");
            let w = phase_words(&ctx, &s, &en());
            assert_eq!(
                (w.headline.as_str(), w.detail.as_str()),
                (headline, detail),
                "{now}"
            );
        }
        // French, with its own way of saying times and dates.
        let fr = shipped(Language::Fr);
        let w = phase_words(&context(&s, utc("2026-03-09T14:20:00Z")), &s, &fr);
        assert_eq!(w.headline, "En service jusqu’à 11 h");
        let w = phase_words(&context(&s, utc("2026-03-10T14:00:00Z")), &s, &fr);
        assert_eq!(
            w.detail,
            "Votre prochain quart\u{202f}: lundi 16 mars 10 h–11 h"
        );
        s.shifts.weekly.clear();
        let w = phase_words(&context(&s, utc("2026-03-10T03:00:00Z")), &s, &fr);
        assert_eq!(w.headline, "Hors des heures\u{202f}: le service est fermé");
        assert!(w.detail.starts_with("Aucun quart"));
    }

    fn connected_report(shift_key: &str) -> PageReport {
        let mut r = PageReport {
            shift_key: shift_key.into(),
            ..PageReport::default()
        };
        r.snapshot = Snapshot {
            status: Some(Status::Available),
            staffing: Some(vec!["all_colleges".into(), "all_backup".into()]),
            operators_online: Some(vec!["Me".into()]),
            ..Snapshot::default()
        };
        r.remembered.said_hello = true;
        r
    }

    fn state<'a>(m: &'a PopupModel, id: &str) -> &'a ItemState {
        &m.checklist.items.iter().find(|i| i.id == id).unwrap().state
    }

    #[test]
    fn the_web_client_report_checks_steps_with_evidence_in_words() {
        let now = utc("2026-03-09T14:20:00Z");
        let report = connected_report("2026-03-09T14:00:00Z");
        let m = model(now, Some(&report), &ShiftLog::default());
        assert_eq!(m.phase, Phase::OnShift);
        assert_eq!(
            state(&m, "login.queues"),
            &ItemState::Done {
                by: DoneBy::Auto {
                    evidence: "Staffing all_colleges, all_backup".into()
                }
            }
        );
        assert!(matches!(
            state(&m, "login.connect_now"),
            ItemState::Done { by: DoneBy::Auto { evidence } } if evidence == "Status: Available"
        ));
        assert!(matches!(
            state(&m, "login.backchat_hello"),
            ItemState::Done {
                by: DoneBy::Auto { .. }
            }
        ));
        assert_eq!(state(&m, "login.buddy_list"), &ItemState::Todo);
        assert!(m.checklist.progress.done >= 4);
    }

    #[test]
    fn without_a_report_nothing_is_seen_and_last_shifts_memory_does_not_count() {
        let now = utc("2026-03-09T14:20:00Z");
        let m = model(now, None, &ShiftLog::default());
        assert!(
            m.checklist
                .items
                .iter()
                .all(|i| !matches!(i.state, ItemState::Done { .. })),
            "no web client: nothing is done automatically"
        );
        let stale = connected_report("2026-03-02T15:00:00Z");
        let m = model(now, Some(&stale), &ShiftLog::default());
        assert_eq!(
            state(&m, "login.backchat_hello"),
            &ItemState::Todo,
            "the hello was last week's"
        );
        assert!(
            matches!(state(&m, "login.queues"), ItemState::Done { .. }),
            "what the page shows now still counts"
        );
    }

    #[test]
    fn ticks_are_kept_per_shift_in_the_log() {
        let now = utc("2026-03-09T14:20:00Z");
        let mut log = ShiftLog::default();
        let m = model(now, None, &log);
        let tick = |log: &mut ShiftLog, ticks: ShiftTicks, on: bool| {
            use crate::core::checklist::{apply, ShiftLogChange};
            let change = ShiftLogChange::Tick {
                shift_key: ticks.shift_key,
                step: "login.buddy_list".into(),
                on,
                at: now,
            };
            assert!(apply(log, change));
        };
        tick(&mut log, m.ticks, true);
        let m = model(now, None, &log);
        assert_eq!(
            state(&m, "login.buddy_list"),
            &ItemState::Done { by: DoneBy::Hand }
        );
        // Still ticked a minute before the shift (the same shift's login window) …
        let m = model(utc("2026-03-09T13:59:00Z"), None, &log);
        assert_eq!(m.phase, Phase::LoginWindow);
        assert_eq!(
            state(&m, "login.buddy_list"),
            &ItemState::Done { by: DoneBy::Hand }
        );
        // … but not on the next shift.
        let later = model(utc("2026-03-09T17:57:00Z"), None, &log);
        assert_eq!(state(&later, "login.buddy_list"), &ItemState::Todo);
        tick(&mut log, m.ticks, false);
        let m = model(now, None, &log);
        assert_eq!(state(&m, "login.buddy_list"), &ItemState::Todo);
        assert_eq!(log.shifts.len(), 1);
        assert_eq!(phase_id(Phase::LastShiftClosing), "last_shift_closing");
    }
}
