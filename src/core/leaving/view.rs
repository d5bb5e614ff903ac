//! What the page shows and keeps when the operator leaves. The procedure's rules are
//! in `leaving` (the parent module); this one turns them into what the leaving
//! features show (the logout gate's list, the missed-shift steps, the last shift's
//! duties), what the popup gets, and what the shift history records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    after_close_audit, logout_gate, missed_shift_email, restored_connected_off_hours, Audit,
    GateView, LeavingFacts, MailDraft, Outstanding,
};
use crate::core::canned::claimed_by_other;
use crate::core::catalog::{Catalog, Said};
use crate::core::checklist::ShiftHistoryEvent;
use crate::core::history::HistoryCounts;
use crate::core::settings::Settings;
use crate::core::shift::{Phase, ShiftContext};
use crate::core::snapshot::{ChatPane, Snapshot, Status};

/// The key of an outstanding item in the page (`data-lh3-outstanding="new_chats"`).
pub fn outstanding_key(o: &Outstanding) -> &'static str {
    let id = o.id();
    id.strip_prefix("leaving.").unwrap_or(id)
}

/// The logout gate with New chats counted from Chat History when its table was read
/// (`history`): it shows every chat nobody has picked up, minimised ones included,
/// where the panes only show those on screen. Offline texts listed on their own are
/// not counted twice.
pub fn gate(
    snapshot: &Snapshot,
    ctx: &ShiftContext,
    settings: &Settings,
    facts: &LeavingFacts,
    history: Option<HistoryCounts>,
) -> GateView {
    let mut view = logout_gate(snapshot, ctx, settings, facts);
    let started = ctx.shift.as_ref().is_some_and(|s| s.start <= ctx.now);
    if !started {
        return view;
    }
    let Some(history) = history else {
        // Not read lately: counted from the panes, and Chat History to be looked at.
        insert_before_last_duties(&mut view.outstanding, Outstanding::ChatHistoryNotChecked);
        view.must_confirm = true;
        return view;
    };
    let offline = view
        .outstanding
        .iter()
        .find_map(|o| match o {
            Outstanding::OfflineTextsUnanswered { count } => Some(*count),
            _ => None,
        })
        .unwrap_or(0);
    let new = history.new.saturating_sub(offline);
    let out = &mut view.outstanding;
    match out
        .iter()
        .position(|o| matches!(o, Outstanding::NewChats { .. }))
    {
        Some(i) if new == 0 => {
            out.remove(i);
        }
        Some(i) => out[i] = Outstanding::NewChats { count: new },
        None if new == 0 => {}
        None => {
            // Same place as `logout_gate` puts it: before offline texts and sign-off.
            insert_before_last_duties(out, Outstanding::NewChats { count: new });
        }
    }
    view.must_confirm = !view.outstanding.is_empty();
    view
}

/// "A replacement who does not come", ready to show in the page and the popup, in the
/// procedure's language. No patron data: operators' names and the coordinators' mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedShift {
    /// The named replacements not logged in (empty when the schedule names nobody).
    pub missing: Vec<String>,
    pub title: String,
    /// Who is missing, in a sentence.
    pub who: Said,
    /// Check the schedule (and where it is).
    pub check_schedule: String,
    /// What the email links do.
    pub email_hint: String,
    /// Staying is appreciated.
    pub appreciated: String,
    /// For operators who cannot stay: tell those still connected.
    pub tell_others: String,
    /// The missed-shift email, "I am staying on until a replacement arrives".
    pub staying: MailDraft,
    pub staying_label: String,
    /// The same email, "I could not stay past the end of my shift".
    pub not_staying: MailDraft,
    pub not_staying_label: String,
}

/// The missed-shift steps when the gate offers them (the shift is over and a
/// replacement is missing), else `None`.
pub fn missed_shift(
    view: &GateView,
    settings: &Settings,
    words: &Catalog,
    ctx: &ShiftContext,
    operator_name: &str,
) -> Option<MissedShift> {
    if !view.offer_missed_shift_email {
        return None;
    }
    let missing = view.missing_replacements.clone();
    let who = if missing.is_empty() {
        let (online, needed) = view
            .outstanding
            .iter()
            .find_map(|o| match o {
                Outstanding::TooFewOperatorsOnline { online, needed } => Some((*online, *needed)),
                _ => None,
            })
            .unwrap_or((0, ctx.replacements_needed));
        Said::new(
            "leavingOnlyOfTheReplacement",
            &[
                ("online", &online.to_string()),
                ("needed", &needed.to_string()),
            ],
        )
    } else {
        let names = missing.join(", ");
        Said::new("leavingNotLoggedIn", &[("names", &names)])
    };
    let hint = settings.coordinators.resources_hint.trim();
    let check = if hint.is_empty() {
        Said::new("leavingCheckTheScheduleTo", &[])
    } else {
        Said::new("leavingCheckTheScheduleTo2", &[("hint", hint)])
    };
    Some(MissedShift {
        title: words.get("leavingReplacementNotHere"),
        who,
        check_schedule: check.text(words),
        email_hint: words.get("leavingEmailHint"),
        appreciated: words.get("leavingAppreciated"),
        tell_others: words.get("leavingTellOthers"),
        staying: missed_shift_email(settings, words, ctx, operator_name, &missing, true),
        staying_label: words.get("leavingEmailStaying"),
        not_staying: missed_shift_email(settings, words, ctx, operator_name, &missing, false),
        not_staying_label: words.get("leavingEmailNotStaying"),
        missing,
    })
}

// ---- the shift history ------------------------------------------------------------

/// How the operator asked to log out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoutVia {
    StatusMenu,
    LogoutLink,
}

/// What the operator chose at the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateChoice {
    /// Nothing was outstanding: the logout went straight through.
    NothingOutstanding,
    WentBack,
    LoggedOutAnyway,
}

/// The event for a choice at the gate, e.g. "logout gate: went back (status menu;
/// outstanding: new_chats, backchat_sign_off)".
pub fn gate_event(
    choice: GateChoice,
    via: LogoutVia,
    view: &GateView,
    shift_key: &str,
    now: DateTime<Utc>,
) -> ShiftHistoryEvent {
    let what = match choice {
        GateChoice::NothingOutstanding => "logged out",
        GateChoice::WentBack => "went back",
        GateChoice::LoggedOutAnyway => "logged out anyway",
    };
    let via = match via {
        LogoutVia::StatusMenu => "status menu",
        LogoutVia::LogoutLink => "Logout link",
    };
    let outstanding: Vec<&str> = view.outstanding.iter().map(outstanding_key).collect();
    let detail = if outstanding.is_empty() {
        "nothing outstanding".to_string()
    } else {
        format!("outstanding: {}", outstanding.join(", "))
    };
    ShiftHistoryEvent {
        shift_key: shift_key.to_string(),
        at: now,
        what: format!("logout gate: {what} ({via}; {detail})"),
    }
}

// ---- the last shift of the day ----------------------------------------------------

/// What the last shift still has to do around close.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosingDuties {
    /// In the heads-up window with chats open: warn visitors now.
    pub heads_up: Option<Said>,
    /// At close: the chats still open (pane keys), each to get the "Closing" message.
    pub closing_chats: Vec<String>,
    pub closing_text: Option<Said>,
    /// After close: operators still logged in, with the email to the coordinator.
    pub audit: Option<Audit>,
}

/// A guest's chat that is still ours to close: not backchat, not ended, not
/// someone else's.
fn still_open(chat: &ChatPane, me: &str) -> bool {
    !chat.is_backchat && !chat.ended && !claimed_by_other(chat, me)
}

/// The last shift's duties at `ctx.now`, for a connected operator (nothing otherwise).
pub fn closing_duties(
    snapshot: &Snapshot,
    ctx: &ShiftContext,
    settings: &Settings,
    words: &Catalog,
    me: &str,
) -> ClosingDuties {
    let connected = snapshot.status.as_ref().is_some_and(|s| s.is_connected());
    if !connected || !ctx.last_of_day {
        return ClosingDuties::default();
    }
    let open: Vec<String> = snapshot
        .chats
        .iter()
        .filter(|c| still_open(c, me))
        .map(|c| c.key.clone())
        .collect();
    let n = open.len();
    let mut duties = ClosingDuties::default();
    match ctx.phase {
        Phase::LastShiftClosing if n > 0 => {
            let minutes = ctx.minutes_to_close.unwrap_or(0).max(0);
            duties.heads_up = Some(Said::new(
                "leavingTheServiceClosesIn",
                &[("minutes", &minutes.to_string()), ("n", &n.to_string())],
            ));
        }
        Phase::AfterClose => {
            if n > 0 {
                duties.closing_text = Some(Said::new(
                    "leavingTheServiceHasClosed",
                    &[("n", &n.to_string())],
                ));
                duties.closing_chats = open;
            }
            duties.audit = after_close_audit(snapshot, ctx, settings, words, me);
        }
        _ => {}
    }
    duties
}

// ---- a restored tab -----------------------------------------------------------------

/// Whether a page that came up connected is a restored tab to alert about: connected
/// outside service hours (`leaving::restored_connected_off_hours`) without the login
/// dialog having been on this page since it loaded (a connection made through the dialog
/// off hours is the login guard's business). Just after the day's last shift, staying
/// connected to close the service is the procedure, not a restored tab.
pub fn restored_alert_due(
    ctx: &ShiftContext,
    status: Option<&Status>,
    saw_login_dialog: bool,
) -> bool {
    !saw_login_dialog && ctx.phase != Phase::AfterClose && restored_connected_off_hours(ctx, status)
}

/// The alert for a web client that logged itself back in outside service hours.
pub fn restored_alert() -> (Said, Said) {
    (
        Said::new("leavingLibraryhLpLoggedYou", &[]),
        Said::new("leavingTheWebClientReopened", &[]),
    )
}

/// Puts `item` where the procedure lists it: before the offline texts and the backchat
/// sign-off, the last duties before leaving.
fn insert_before_last_duties(out: &mut Vec<Outstanding>, item: Outstanding) {
    let at = out
        .iter()
        .position(|o| {
            matches!(
                o,
                Outstanding::OfflineTextsUnanswered { .. } | Outstanding::BackchatSignOff
            )
        })
        .unwrap_or(out.len());
    out.insert(at, item);
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::settings::LanguageChoice;
    use crate::core::settings::{Contact, OneOffShift, Span};
    use crate::core::shift::context;
    use crate::core::test_support::{one_off, t};

    /// UTC service 10:00–22:00 every day; shifts on 2025-06-04 (a Wednesday).
    fn settings(shifts: &[(&str, &str, &[&str])]) -> Settings {
        let mut s = crate::core::test_support::askon();
        s.service.time_zone = "UTC".into();
        s.service.weekly = vec![
            vec![Span {
                start: "10:00".into(),
                end: "22:00".into(),
            }];
            7
        ];
        s.shifts.one_off = shifts
            .iter()
            .map(|(start, end, repl)| OneOffShift {
                replacements: repl.iter().map(|r| r.to_string()).collect(),
                ..one_off("2025-06-04", start, end)
            })
            .collect();
        s.coordinators.site = vec![Contact {
            name: "Site".into(),
            email: "site@college.ca".into(),
        }];
        s
    }

    fn snap(online: &[&str], chats: Vec<ChatPane>) -> Snapshot {
        Snapshot {
            status: Some(Status::Available),
            operators_online: Some(online.iter().map(|s| s.to_string()).collect()),
            chats,
            ..Snapshot::default()
        }
    }

    fn pane(key: &str, f: impl FnOnce(&mut ChatPane)) -> ChatPane {
        let mut c = ChatPane {
            key: key.into(),
            ..ChatPane::default()
        };
        f(&mut c);
        c
    }

    /// The gate when only `online` are online and no chat is open.
    fn gate_with(
        online: &[&str],
        ctx: &ShiftContext,
        s: &Settings,
        signed_off: bool,
        history: Option<HistoryCounts>,
    ) -> GateView {
        gate(&snap(online, vec![]), ctx, s, &facts(signed_off), history)
    }

    fn facts(signed_off: bool) -> LeavingFacts {
        LeavingFacts {
            said_sign_off: signed_off,
            me: "Me".into(),
        }
    }

    fn keys(v: &GateView) -> Vec<&'static str> {
        v.outstanding.iter().map(outstanding_key).collect()
    }

    fn counts(new: u32) -> HistoryCounts {
        HistoryCounts {
            new,
            ongoing: 1,
            completed: 4,
            unreadable: 0,
        }
    }

    #[test]
    fn keys_are_the_ids_without_the_prefix() {
        assert_eq!(
            outstanding_key(&Outstanding::NewChats { count: 1 }),
            "new_chats"
        );
        assert_eq!(
            outstanding_key(&Outstanding::BackchatSignOff),
            "backchat_sign_off"
        );
    }

    #[test]
    fn new_chats_come_from_chat_history_when_it_was_read() {
        // First shift of the day 10:00–11:00, mid-shift; one offline text unanswered,
        // one unanswered web chat on screen.
        let s = settings(&[("10:00", "11:00", &["Amy"])]);
        let ctx = context(&s, t("2025-06-04T10:30:00Z"));
        assert!(ctx.first_of_day);
        let chats = vec![pane("p1", |c| c.is_offline_text = true), pane("p2", |_| {})];
        let page = snap(&["Me"], chats);
        let from_panes = gate(&page, &ctx, &s, &facts(true), None);
        assert!(from_panes
            .outstanding
            .contains(&Outstanding::NewChats { count: 1 }));
        // Chat History not read lately: said, before the offline texts.
        assert_eq!(
            keys(&from_panes),
            vec![
                "shift_not_over",
                "replacements_not_in",
                "new_chats",
                "chat_history_not_checked",
                "offline_texts"
            ]
        );
        // History shows 4 new rows, one of them the offline text listed on its own.
        let from_history = gate(&page, &ctx, &s, &facts(true), Some(counts(4)));
        assert_eq!(
            keys(&from_history),
            vec![
                "shift_not_over",
                "replacements_not_in",
                "new_chats",
                "offline_texts"
            ]
        );
        assert!(from_history
            .outstanding
            .contains(&Outstanding::NewChats { count: 3 }));
        // History says none are new although a pane looks unanswered: history wins.
        let none = gate(&page, &ctx, &s, &facts(true), Some(counts(1)));
        assert!(!keys(&none).contains(&"new_chats"), "{:?}", keys(&none));
        // No pane new, history has two: inserted before the sign-off.
        let quiet = gate_with(&["Me"], &ctx, &s, false, Some(counts(2)));
        assert_eq!(
            keys(&quiet),
            vec![
                "shift_not_over",
                "replacements_not_in",
                "new_chats",
                "backchat_sign_off"
            ]
        );
    }

    #[test]
    fn history_counts_do_not_matter_before_the_shift_or_when_all_is_done() {
        let s = settings(&[("12:00", "13:00", &["Amy"])]);
        // Login window: nothing of the shift is asked yet.
        let early = context(&s, t("2025-06-04T11:57:00Z"));
        let v = gate_with(&[], &early, &s, false, Some(counts(5)));
        assert!(v.outstanding.is_empty() && !v.must_confirm, "{v:?}");
        // After the end, Amy in, signed off, history with no new chats: free to go.
        let after = context(&s, t("2025-06-04T13:02:00Z"));
        let v = gate_with(&["Amy", "Me"], &after, &s, true, Some(counts(0)));
        assert!(!v.must_confirm, "{v:?}");
    }

    #[test]
    fn missed_shift_names_who_is_missing_and_fills_both_emails() {
        let s = settings(&[("12:00", "13:00", &["Amy", "Bo"])]);
        let ctx = context(&s, t("2025-06-04T13:05:00Z"));
        let v = gate_with(&["Amy", "Me"], &ctx, &s, true, None);
        let m = missed_shift(&v, &s, &shipped(s.language()), &ctx, "Jo")
            .expect("offered after the end");
        assert_eq!(m.missing, vec!["Bo".to_string()]);
        assert_eq!(english(&m.who), "Not logged in: Bo.");
        assert_eq!(m.staying.to, vec!["site@college.ca"]);
        assert_eq!(m.staying.cc, vec!["lrupert@ocls.ca"]);
        assert_eq!(
            m.staying.subject,
            "askON missed shift: Wednesday 4 June from 13:00"
        );
        assert!(m.staying.body.contains("Bo did not log in"));
        assert!(m.staying.body.contains("I am staying on"));
        assert!(m.not_staying.body.contains("I could not stay"));
        assert!(m.check_schedule.contains("Profiles > askON Tools"));
        assert!(m.appreciated.contains("appreciated"));
        assert!(m.tell_others.contains("still logged in"));
        // Before the end: not offered yet.
        let before = context(&s, t("2025-06-04T12:55:00Z"));
        let v = gate_with(&["Amy", "Me"], &before, &s, true, None);
        assert_eq!(
            missed_shift(&v, &s, &shipped(s.language()), &before, "Jo"),
            None
        );
    }

    #[test]
    fn missed_shift_without_names_counts_and_speaks_french() {
        let mut s = settings(&[("12:00", "13:00", &[])]);
        s.language = LanguageChoice::Fr;
        let ctx = context(&s, t("2025-06-04T13:05:00Z"));
        let v = gate_with(&["Cy", "Me"], &ctx, &s, true, None);
        let m = missed_shift(&v, &s, &shipped(s.language()), &ctx, "Jo").expect("offered");
        assert!(m.missing.is_empty());
        assert_eq!(
            french(&m.who),
            "Seulement 1 des 2 personnes de relève attendues sont connectées."
        );
        assert_eq!(m.title, "Relève absente");
        assert!(m.staying.body.contains("ma relève"));
    }

    #[test]
    fn gate_events_say_what_was_chosen_and_what_was_left() {
        let view = GateView {
            must_confirm: true,
            outstanding: vec![
                Outstanding::NewChats { count: 2 },
                Outstanding::BackchatSignOff,
            ],
            ..GateView::default()
        };
        let at = t("2025-06-04T13:05:00Z");
        let e = gate_event(GateChoice::WentBack, LogoutVia::StatusMenu, &view, "k", at);
        assert_eq!(
            e.what,
            "logout gate: went back (status menu; outstanding: new_chats, backchat_sign_off)"
        );
        assert_eq!((e.shift_key.as_str(), e.at), ("k", at));
        let e = gate_event(
            GateChoice::LoggedOutAnyway,
            LogoutVia::LogoutLink,
            &view,
            "k",
            at,
        );
        assert!(e
            .what
            .starts_with("logout gate: logged out anyway (Logout link;"));
        let e = gate_event(
            GateChoice::NothingOutstanding,
            LogoutVia::StatusMenu,
            &GateView::default(),
            "k",
            at,
        );
        assert_eq!(
            e.what,
            "logout gate: logged out (status menu; nothing outstanding)"
        );
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"shift_key\":\"k\""), "{json}");
    }

    #[test]
    fn the_last_shift_warns_closes_each_chat_and_audits() {
        // The day's last shift ends at close, 22:00.
        let s = settings(&[("21:00", "22:00", &[])]);
        let chats = vec![
            pane("mine", |c| c.operator_replied = true),
            pane("new", |_| {}),
            pane("gone", |c| c.ended = true),
            pane("amy's", |c| c.answered_by = Some("Amy".into())),
            pane("bc", |c| c.is_backchat = true),
        ];
        let page = snap(&["Me", "Cy"], chats);

        let mid = context(&s, t("2025-06-04T21:30:00Z"));
        assert_eq!(
            closing_duties(&page, &mid, &s, &shipped(s.language()), "Me"),
            ClosingDuties::default()
        );

        let soon = context(&s, t("2025-06-04T21:55:00Z"));
        assert_eq!(soon.phase, Phase::LastShiftClosing);
        let d = closing_duties(&page, &soon, &s, &shipped(s.language()), "Me");
        let heads_up = d.heads_up.expect("heads-up before close");
        assert!(
            english(&heads_up).contains("closes in 5 min")
                && english(&heads_up).contains("(2 open)")
        );
        assert!(d.closing_chats.is_empty() && d.audit.is_none());
        // Nobody to warn: no heads-up.
        let quiet = closing_duties(
            &snap(&["Me"], vec![]),
            &soon,
            &s,
            &shipped(s.language()),
            "Me",
        );
        assert_eq!(quiet.heads_up, None);

        let closed = context(&s, t("2025-06-04T22:03:00Z"));
        assert_eq!(closed.phase, Phase::AfterClose);
        let d = closing_duties(&page, &closed, &s, &shipped(s.language()), "Me");
        assert_eq!(d.heads_up, None);
        assert_eq!(d.closing_chats, vec!["mine".to_string(), "new".to_string()]);
        assert!(english(&d.closing_text.expect("closing")).contains("\"Closing\""));
        let audit = d.audit.expect("Cy is still logged in");
        assert_eq!(audit.still_logged_in, vec!["Cy".to_string()]);
        assert_eq!(audit.email.to, vec!["lrupert@ocls.ca"]);

        // Logged out: nothing to do here any more.
        let mut out = page.clone();
        out.status = Some(Status::Logout);
        assert_eq!(
            closing_duties(&out, &closed, &s, &shipped(s.language()), "Me"),
            ClosingDuties::default()
        );
        // Not the last shift: no closing duties.
        let s2 = settings(&[("12:00", "13:00", &["Amy"])]);
        let c2 = context(&s2, t("2025-06-04T12:55:00Z"));
        assert_eq!(
            closing_duties(&page, &c2, &s2, &shipped(s2.language()), "Me"),
            ClosingDuties::default()
        );
    }

    #[test]
    fn a_restored_tab_is_alerted_off_hours_but_not_while_closing_or_after_the_dialog() {
        let s = settings(&[("21:00", "22:00", &[])]);
        let night = context(&s, t("2025-06-05T03:00:00Z"));
        let closing = context(&s, t("2025-06-04T22:10:00Z"));
        let open = context(&s, t("2025-06-04T15:00:00Z"));
        let on = Some(&Status::Available);
        let cases = [
            ("off hours, restored", &night, on, false, true),
            ("off hours, through the dialog", &night, on, true, false),
            (
                "off hours, logged out",
                &night,
                Some(&Status::Logout),
                false,
                false,
            ),
            ("off hours, status unread", &night, None, false, false),
            ("just closed: closing duties", &closing, on, false, false),
            ("service open", &open, on, false, false),
        ];
        assert_eq!(closing.phase, Phase::AfterClose);
        for (label, ctx, status, dialog, want) in cases {
            assert_eq!(restored_alert_due(ctx, status, dialog), want, "{label}");
        }
    }

    #[test]
    fn the_restored_alert_says_what_to_do() {
        let (title, body) = restored_alert();
        assert!(english(&title).contains("outside service hours"));
        assert!(
            english(&body).contains("Log out now") && french(&body).contains("Déconnectez-vous")
        );
    }
}
