//! Leaving a shift (the logout procedure): stay until the shift ends or both
//! replacements are in; tell active chats you are leaving and transfer them; pick up
//! and transfer New chats; answer every offline text on the first shift; sign off in
//! backchat; then log out fully — closing the browser is not logging out. If a
//! replacement does not show up, email the coordinators (the missed-shift template).
//! The last shift checks that nobody is still logged in after close.
//!
//! The rules are here; `view.rs` turns them into what the leaving features show and
//! the popup gets.

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::canned::claimed_by_other;
use super::catalog::{Catalog, Said};
use super::guards::{is_off_hours, same_name};
use super::history::{classify, ChatState};
use super::settings::{Contact, Settings};
use super::shift::{Phase, ShiftContext};
use super::snapshot::{ChatPane, Snapshot, Status};

// What the page shows of these rules (the logout gate's list, the missed-shift steps,
// the last shift's duties, the shift history's events): one module, two files.
mod view;
pub use view::*;

/// What the page cannot show about the operator's own actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeavingFacts {
    /// The operator has signed off in backchat.
    pub said_sign_off: bool,
    /// The operator's own name as the contacts list shows it (may be empty).
    pub me: String,
}

/// One thing the procedure still asks before logging out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Outstanding {
    /// The shift runs this much longer and the replacements are not all in.
    ShiftNotOver { minutes_left: i64 },
    /// The replacements the schedule names who are not logged in.
    ReplacementsNotIn { missing: Vec<String> },
    /// The schedule names nobody: fewer other operators online than needed.
    TooFewOperatorsOnline { online: u32, needed: u32 },
    /// The contacts list could not be read: check the replacements by eye.
    ContactsUnreadable,
    /// Our chats still open (tell the guest, then transfer).
    ActiveChats { count: u32 },
    /// Transfers started and not yet accepted.
    TransfersInProgress { count: u32 },
    /// "New" chats nobody has picked up.
    NewChats { count: u32 },
    /// Chat History was not on the page in the last minutes (the real client draws only
    /// the view in front): New chats minimised under Current Guests cannot be counted.
    ChatHistoryNotChecked,
    /// First shift: offline texts not answered yet.
    OfflineTextsUnanswered { count: u32 },
    /// Sign off in backchat.
    BackchatSignOff,
}

/// The message `key` for one, `key` + `Many` for more, with `{count}`.
fn plural(key: &str, count: u32) -> Said {
    let key = if count == 1 {
        key.to_string()
    } else {
        format!("{key}Many")
    };
    Said::new(&key, &[("count", &count.to_string())])
}

impl Outstanding {
    /// Stable id for the popup and the tests.
    pub fn id(&self) -> &'static str {
        match self {
            Outstanding::ShiftNotOver { .. } => "leaving.shift_not_over",
            Outstanding::ReplacementsNotIn { .. } => "leaving.replacements_not_in",
            Outstanding::TooFewOperatorsOnline { .. } => "leaving.too_few_operators",
            Outstanding::ContactsUnreadable => "leaving.contacts_unreadable",
            Outstanding::ActiveChats { .. } => "leaving.active_chats",
            Outstanding::TransfersInProgress { .. } => "leaving.transfers_in_progress",
            Outstanding::NewChats { .. } => "leaving.new_chats",
            Outstanding::ChatHistoryNotChecked => "leaving.chat_history_not_checked",
            Outstanding::OfflineTextsUnanswered { .. } => "leaving.offline_texts",
            Outstanding::BackchatSignOff => "leaving.backchat_sign_off",
        }
    }

    /// What to do, short.
    pub fn text(&self) -> Said {
        match self {
            Outstanding::ShiftNotOver { minutes_left } => Said::new(
                "leavingYourShiftRunsMore",
                &[("minutes_left", &minutes_left.to_string())],
            ),
            Outstanding::ReplacementsNotIn { missing } => {
                let names = missing.join(", ");
                Said::new("leavingNotLoggedInYet", &[("names", &names)])
            }
            Outstanding::TooFewOperatorsOnline { online, needed } => Said::new(
                "leavingOnlyOfReplacementOperators",
                &[
                    ("online", &online.to_string()),
                    ("needed", &needed.to_string()),
                ],
            ),
            Outstanding::ContactsUnreadable => Said::new("leavingCheckInYourContacts", &[]),
            Outstanding::ActiveChats { count } => plural("leavingActiveChats", *count),
            Outstanding::TransfersInProgress { count } => {
                plural("leavingTransfersInProgress", *count)
            }
            Outstanding::NewChats { count } => plural("leavingNewChats", *count),
            Outstanding::ChatHistoryNotChecked => Said::new("leavingLookInChatHistory", &[]),
            Outstanding::OfflineTextsUnanswered { count } => {
                plural("leavingOfflineTextsUnanswered", *count)
            }
            Outstanding::BackchatSignOff => Said::new("leavingSignOffInBackchat", &[]),
        }
    }
}

/// What to show when the operator chooses Logout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateView {
    /// Ask "log out anyway?" — something the procedure asks is not done.
    pub must_confirm: bool,
    pub outstanding: Vec<Outstanding>,
    /// The shift is over and a replacement is missing: offer the missed-shift email.
    pub offer_missed_shift_email: bool,
    /// The named replacements not logged in (for the email's `{missing}`).
    pub missing_replacements: Vec<String>,
}

/// The operator's shift has started (`ctx.shift` can be the next one in the login window).
fn shift_started(ctx: &ShiftContext) -> bool {
    ctx.shift.as_ref().is_some_and(|s| s.start <= ctx.now)
}

fn shift_ended(ctx: &ShiftContext) -> bool {
    ctx.shift.as_ref().is_some_and(|s| s.end <= ctx.now)
}

/// Other operators online: trimmed, not me, once each.
fn others_online(online: &[String], me: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in online {
        let n = name.trim();
        if n.is_empty() || same_name(n, me) || out.iter().any(|o| same_name(o, n)) {
            continue;
        }
        out.push(n.to_string());
    }
    out
}

fn count(chats: &[ChatPane], keep: impl Fn(&ChatPane) -> bool) -> u32 {
    u32::try_from(chats.iter().filter(|c| keep(c)).count()).unwrap_or(u32::MAX)
}

/// Lists exactly what the logout procedure still asks. `must_confirm` is false when
/// nothing is outstanding: the shift has ended (or both replacements are in) and every
/// duty is done. With no shift (logging out during off hours) only open chats count.
pub fn logout_gate(
    snapshot: &Snapshot,
    ctx: &ShiftContext,
    settings: &Settings,
    facts: &LeavingFacts,
) -> GateView {
    let _ = settings;
    let mut out = Vec::new();
    let started = shift_started(ctx);
    let ended = shift_ended(ctx);
    let mut missing_replacements: Vec<String> = Vec::new();
    let mut replacement_missing = false;

    // 1–2. Replacements in, or stay until the end of the shift.
    if started && ctx.replacements_needed > 0 {
        let named: Vec<&str> = ctx
            .shift
            .iter()
            .flat_map(|s| s.replacements.iter())
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        match snapshot.operators_online.as_deref() {
            None => out.push(Outstanding::ContactsUnreadable),
            Some(online) => {
                let others = others_online(online, &facts.me);
                if named.is_empty() {
                    let online = u32::try_from(others.len()).unwrap_or(u32::MAX);
                    if online < ctx.replacements_needed {
                        replacement_missing = true;
                        out.push(Outstanding::TooFewOperatorsOnline {
                            online,
                            needed: ctx.replacements_needed,
                        });
                    }
                } else {
                    for name in named {
                        if !others.iter().any(|o| same_name(o, name))
                            && !missing_replacements.iter().any(|m| same_name(m, name))
                        {
                            missing_replacements.push(name.to_string());
                        }
                    }
                    if !missing_replacements.is_empty() {
                        replacement_missing = true;
                        out.push(Outstanding::ReplacementsNotIn {
                            missing: missing_replacements.clone(),
                        });
                    }
                }
            }
        }
    }
    let replacements_in = ctx.replacements_needed > 0 && out.is_empty();
    if started && !ended && !replacements_in && ctx.phase != Phase::AfterClose {
        let minutes_left = ctx
            .shift
            .as_ref()
            .map(|s| {
                let secs = (s.end - ctx.now).num_seconds();
                secs.div_euclid(60) + i64::from(secs.rem_euclid(60) > 0)
            })
            .unwrap_or(0);
        out.insert(0, Outstanding::ShiftNotOver { minutes_left });
    }

    // Our chats: tell the guest, transfer.
    let chats = &snapshot.chats;
    let is_patron = |c: &ChatPane| !c.is_backchat && !c.ended;
    let active = count(chats, |c| {
        is_patron(c)
            && !c.being_transferred
            && (c.operator_replied || c.transferred_to_me)
            && !claimed_by_other(c, &facts.me)
    });
    if active > 0 {
        out.push(Outstanding::ActiveChats { count: active });
    }
    let transferring = count(chats, |c| is_patron(c) && c.being_transferred);
    if transferring > 0 {
        out.push(Outstanding::TransfersInProgress {
            count: transferring,
        });
    }

    if started {
        // First shift: every offline text answered.
        let offline = if ctx.first_of_day {
            count(chats, |c| {
                !c.is_backchat
                    && c.is_offline_text
                    && !c.operator_replied
                    && !claimed_by_other(c, &facts.me)
            })
        } else {
            0
        };
        // New chats: from Chat History when it was read (offline texts listed above
        // are not counted twice), else the panes nobody has answered.
        let new = match snapshot.history.as_deref() {
            Some(rows) => {
                let n = rows
                    .iter()
                    .filter(|r| classify(r) == Ok(ChatState::New))
                    .count();
                u32::try_from(n).unwrap_or(u32::MAX).saturating_sub(offline)
            }
            None => count(chats, |c| {
                is_patron(c)
                    && !c.being_transferred
                    && !c.operator_replied
                    && !c.transferred_to_me
                    && (!c.is_offline_text || !ctx.first_of_day)
                    && !claimed_by_other(c, &facts.me)
            }),
        };
        if new > 0 {
            out.push(Outstanding::NewChats { count: new });
        }
        if offline > 0 {
            out.push(Outstanding::OfflineTextsUnanswered { count: offline });
        }
        if !facts.said_sign_off {
            out.push(Outstanding::BackchatSignOff);
        }
    }

    GateView {
        must_confirm: !out.is_empty(),
        outstanding: out,
        offer_missed_shift_email: ended && replacement_missing,
        missing_replacements,
    }
}

/// A ready email: the fields, and the same as a `mailto:` link (RFC 6068).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDraft {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub mailto: String,
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `@` when
/// `keep_at`, for addresses).
fn percent_encode(text: &str, keep_at: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_at && b == b'@')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Line ends as CRLF, as RFC 6068 asks of a body.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// A plausible address: one `@` with text on both sides, no spaces, commas or controls.
fn plausible_address(address: &str) -> bool {
    let a = address.trim();
    let mut parts = a.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(l), Some(d), None) if !l.is_empty() && !d.is_empty())
        && !a.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"')
        })
}

fn addresses(contacts: &[Contact], except: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in contacts {
        let a = c.email.trim();
        if plausible_address(a) && !out.iter().chain(except).any(|o| same_name(o, a)) {
            out.push(a.to_string());
        }
    }
    out
}

/// Builds a draft; unusable addresses are left out, subject kept on one line.
pub fn compose_mail(to: Vec<String>, cc: Vec<String>, subject: &str, body: &str) -> MailDraft {
    let subject = subject
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let body = body.replace("\r\n", "\n");
    let mut mailto = String::from("mailto:");
    mailto.push_str(
        &to.iter()
            .map(|a| percent_encode(a, true))
            .collect::<Vec<_>>()
            .join(","),
    );
    let mut params = Vec::new();
    if !cc.is_empty() {
        let cc_list: Vec<String> = cc.iter().map(|a| percent_encode(a, true)).collect();
        params.push(format!("cc={}", cc_list.join(",")));
    }
    params.push(format!("subject={}", percent_encode(&subject, false)));
    params.push(format!("body={}", percent_encode(&crlf(&body), false)));
    mailto.push('?');
    mailto.push_str(&params.join("&"));
    MailDraft {
        to,
        cc,
        subject,
        body,
        mailto,
    }
}

/// Replaces `{name}` placeholders in one pass (a filled value is never re-read, so a
/// name containing "{date}" stays as typed). Unknown placeholders are kept.
pub fn fill_template(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn local(settings: &Settings, at: DateTime<Utc>) -> DateTime<super::zone::Tz> {
    at.with_timezone(&settings.service.zone())
}

/// A date in the service's zone, the language's way ("Tuesday 10 March").
fn date_text(settings: &Settings, words: &Catalog, at: DateTime<Utc>) -> String {
    words.date(&local(settings, at))
}

/// A time in the service's zone, the language's way ("15:05", "15 h 05").
fn time_text(settings: &Settings, words: &Catalog, at: DateTime<Utc>) -> String {
    let d = local(settings, at);
    super::settings::time_of_day(words.language(), d.hour(), d.minute())
}

/// The missed-shift email (coordinators' template, `{operator} {date} {shift}
/// {missing} {stayed}`): site coordinators in To, the service coordinator in Cc.
/// The missed shift is the one starting when the operator's shift ends (`{shift}` =
/// "from 15:00"); with no shift known, today at `now`.
pub fn missed_shift_email(
    settings: &Settings,
    words: &Catalog,
    ctx: &ShiftContext,
    operator_name: &str,
    missing: &[String],
    staying: bool,
) -> MailDraft {
    let handover_at = ctx.shift.as_ref().map(|s| s.end);
    let date = date_text(settings, words, handover_at.unwrap_or(ctx.now));
    let shift = match handover_at {
        Some(end) => words.fill(
            "mailShiftFrom",
            &[("time", &time_text(settings, words, end))],
        ),
        None => String::new(),
    };
    let names: Vec<&str> = missing
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect();
    let missing = if names.is_empty() {
        words.get("mailMyReplacement")
    } else {
        names.join(", ")
    };
    let stayed = words.get(if staying {
        "mailStaying"
    } else {
        "mailNotStaying"
    });
    let operator = operator_name.trim();
    let values = [
        ("operator", operator),
        ("date", date.as_str()),
        ("shift", shift.as_str()),
        ("missing", missing.as_str()),
        ("stayed", stayed.as_str()),
    ];
    let co = &settings.coordinators;
    let to = addresses(&co.site, &[]);
    let cc = addresses(&co.service, &to);
    compose_mail(
        to,
        cc,
        &fill_template(&co.missed_shift_subject, &values),
        &fill_template(&co.missed_shift_body, &values),
    )
}

/// Confirm before ending an SMS / offline-text chat nobody has replied to ("Do not
/// close any texts without responding").
pub fn offline_text_close_needs_confirm(chat: &ChatPane) -> bool {
    (chat.is_text || chat.is_offline_text)
        && !chat.is_backchat
        && !chat.operator_replied
        && !claimed_by_other(chat, "")
}

/// Operators still online after close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub still_logged_in: Vec<String>,
    pub text: Said,
    /// To the service coordinator, who can disconnect them and turn the service off.
    pub email: MailDraft,
}

/// After close: anyone but me still in the contacts list may have forgotten to log
/// out and leave the service on — email the service coordinator. `None` before close,
/// when nobody else is online, or when the contacts list could not be read.
pub fn after_close_audit(
    snapshot: &Snapshot,
    ctx: &ShiftContext,
    settings: &Settings,
    words: &Catalog,
    me: &str,
) -> Option<Audit> {
    let closed = ctx.phase == Phase::AfterClose || (ctx.last_of_day && shift_ended(ctx));
    if !closed || ctx.service_open {
        return None;
    }
    let still = others_online(snapshot.operators_online.as_deref()?, me);
    if still.is_empty() {
        return None;
    }
    let names = still.join(", ");
    let date = date_text(settings, words, ctx.now);
    let time = time_text(settings, words, ctx.now);
    let values = [
        ("date", date.as_str()),
        ("time", time.as_str()),
        ("operators", names.as_str()),
        ("operator", me.trim()),
    ];
    let email = compose_mail(
        addresses(&settings.coordinators.service, &[]),
        Vec::new(),
        &fill_template(&words.get("mailAuditSubject"), &values),
        &fill_template(&words.get("mailAuditBody"), &values),
    );
    Some(Audit {
        text: Said::new("leavingStillLoggedInAfter", &[("names", &names)]),
        still_logged_in: still,
        email,
    })
}

/// Whether closing the tab should ask "leave anyway?": closing the browser does not log
/// out, and the client logs back in next time. Connected → block; logged out → don't.
/// Status unread: don't while the login dialog is shown (not connected yet), else
/// block — a connected client whose status menu was not found is the risky case.
pub fn tab_close_should_block(status: Option<&Status>, login_dialog_shown: bool) -> bool {
    match status {
        Some(s) => s.is_connected(),
        None => !login_dialog_shown,
    }
}

/// A restored tab (the client logged itself back in) is connected outside service
/// hours: the service is on; tell the operator to log out.
pub fn restored_connected_off_hours(ctx: &ShiftContext, status: Option<&Status>) -> bool {
    is_off_hours(ctx) && status.is_some_and(Status::is_connected)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};
    use crate::core::settings::Contact;
    use crate::core::settings::LanguageChoice;
    use crate::core::shift::ShiftInstance;
    use crate::core::test_support::{at_minute, edt, history_row, no_shift, t, weekly};

    /// 14:00–15:00 EDT; `now` in minutes after 14:00; Amy and Bo replace me.
    fn at(minutes: i64, phase: Phase) -> ShiftContext {
        let mut c = at_minute(minutes, phase);
        if let Some(s) = c.shift.as_mut() {
            s.replacements = vec!["Amy".into(), "Bo".into()];
        }
        c
    }

    fn unnamed(mut c: ShiftContext) -> ShiftContext {
        if let Some(s) = c.shift.as_mut() {
            s.replacements.clear();
        }
        c
    }

    fn last(mut c: ShiftContext) -> ShiftContext {
        c.last_of_day = true;
        c.replacements_needed = 0;
        unnamed(c)
    }

    fn first(mut c: ShiftContext) -> ShiftContext {
        c.first_of_day = true;
        c
    }

    fn online(names: &[&str]) -> Option<Vec<String>> {
        Some(names.iter().map(|s| s.to_string()).collect())
    }

    fn chat(f: impl FnOnce(&mut ChatPane)) -> ChatPane {
        let mut c = ChatPane {
            key: "k".into(),
            ..ChatPane::default()
        };
        f(&mut c);
        c
    }

    fn snap(ops: Option<Vec<String>>, chats: Vec<ChatPane>) -> Snapshot {
        Snapshot {
            status: Some(Status::Available),
            operators_online: ops,
            chats,
            history: Some(Vec::new()),
            ..Snapshot::default()
        }
    }

    fn signed_off() -> LeavingFacts {
        LeavingFacts {
            said_sign_off: true,
            me: "Me".into(),
        }
    }

    fn ids(v: &GateView) -> Vec<&'static str> {
        v.outstanding.iter().map(Outstanding::id).collect()
    }

    #[test]
    fn gate_cases() {
        let done = signed_off();
        let not_signed = LeavingFacts {
            said_sign_off: false,
            me: "Me".into(),
        };
        let both = online(&["amy ", "BO", "Me"]);
        let replied = chat(|c| c.operator_replied = true);
        let cases: Vec<(&str, Snapshot, ShiftContext, LeavingFacts, Vec<Outstanding>)> = vec![
            (
                "all done after the end",
                snap(both.clone(), vec![]),
                at(62, Phase::Handover),
                done.clone(),
                vec![],
            ),
            (
                "replacements in before the end: may leave",
                snap(both.clone(), vec![]),
                at(55, Phase::Handover),
                done.clone(),
                vec![],
            ),
            (
                "before the end, one replacement missing",
                snap(online(&["Amy", "Me"]), vec![]),
                at(50, Phase::Handover),
                done.clone(),
                vec![
                    Outstanding::ShiftNotOver { minutes_left: 10 },
                    Outstanding::ReplacementsNotIn {
                        missing: vec!["Bo".into()],
                    },
                ],
            ),
            (
                "after the end, both missing",
                snap(online(&["Cy"]), vec![]),
                at(65, Phase::Handover),
                done.clone(),
                vec![Outstanding::ReplacementsNotIn {
                    missing: vec!["Amy".into(), "Bo".into()],
                }],
            ),
            (
                "schedule names nobody: two others needed",
                snap(online(&["Cy", "Me"]), vec![]),
                unnamed(at(61, Phase::Handover)),
                done.clone(),
                vec![Outstanding::TooFewOperatorsOnline {
                    online: 1,
                    needed: 2,
                }],
            ),
            (
                "schedule names nobody: two others in",
                snap(online(&["Cy", "Di", "Me"]), vec![]),
                unnamed(at(61, Phase::Handover)),
                done.clone(),
                vec![],
            ),
            (
                "contacts not read",
                snap(None, vec![]),
                at(61, Phase::Handover),
                done.clone(),
                vec![Outstanding::ContactsUnreadable],
            ),
            (
                "backchat sign-off",
                snap(both.clone(), vec![]),
                at(61, Phase::Handover),
                not_signed.clone(),
                vec![Outstanding::BackchatSignOff],
            ),
            (
                "chats: active, transferring, someone else's, ended, backchat",
                snap(
                    both.clone(),
                    vec![
                        replied.clone(),
                        chat(|c| c.transferred_to_me = true),
                        chat(|c| {
                            c.operator_replied = true;
                            c.being_transferred = true;
                        }),
                        chat(|c| {
                            c.operator_replied = true;
                            c.answered_by = Some("Amy".into());
                        }),
                        chat(|c| {
                            c.operator_replied = true;
                            c.ended = true;
                        }),
                        chat(|c| c.is_backchat = true),
                    ],
                ),
                at(61, Phase::Handover),
                done.clone(),
                vec![
                    Outstanding::ActiveChats { count: 2 },
                    Outstanding::TransfersInProgress { count: 1 },
                ],
            ),
            (
                "New chats from Chat History",
                Snapshot {
                    history: Some(vec![
                        history_row(Some(""), Some("")),
                        history_row(Some("—"), Some("")),
                        history_row(Some("amy"), Some("")),
                        history_row(Some("amy"), Some("3:00")),
                        history_row(None, None),
                    ]),
                    ..snap(both.clone(), vec![])
                },
                at(61, Phase::Handover),
                done.clone(),
                vec![Outstanding::NewChats { count: 2 }],
            ),
            (
                "New chats from the panes when history was not read",
                Snapshot {
                    history: None,
                    ..snap(
                        both.clone(),
                        vec![
                            chat(|_| {}),
                            chat(|c| c.answered_by = Some("Amy".into())),
                            replied.clone(),
                        ],
                    )
                },
                at(61, Phase::Handover),
                done.clone(),
                vec![
                    Outstanding::ActiveChats { count: 1 },
                    Outstanding::NewChats { count: 1 },
                ],
            ),
            (
                "first shift: offline texts, not counted twice as New",
                Snapshot {
                    history: Some(vec![
                        history_row(Some(""), Some("")),
                        history_row(Some(""), Some("")),
                    ]),
                    ..snap(
                        both.clone(),
                        vec![
                            chat(|c| {
                                c.is_text = true;
                                c.is_offline_text = true;
                            }),
                            chat(|c| {
                                c.is_offline_text = true;
                                c.operator_replied = true;
                            }),
                        ],
                    )
                },
                first(at(61, Phase::Handover)),
                done.clone(),
                vec![
                    Outstanding::ActiveChats { count: 1 },
                    Outstanding::NewChats { count: 1 },
                    Outstanding::OfflineTextsUnanswered { count: 1 },
                ],
            ),
            (
                "offline texts are the first shift's duty only",
                snap(both.clone(), vec![chat(|c| c.is_offline_text = true)]),
                at(61, Phase::Handover),
                done.clone(),
                vec![],
            ),
            (
                "last shift: stay until close, no replacements",
                snap(online(&[]), vec![]),
                last(at(50, Phase::LastShiftClosing)),
                done.clone(),
                vec![Outstanding::ShiftNotOver { minutes_left: 10 }],
            ),
            (
                "last shift after close",
                snap(online(&[]), vec![]),
                last(at(61, Phase::AfterClose)),
                done.clone(),
                vec![],
            ),
            (
                "off hours: only open chats matter",
                snap(None, vec![replied.clone()]),
                no_shift("2025-06-04T03:00:00Z", Phase::OffHours),
                not_signed.clone(),
                vec![Outstanding::ActiveChats { count: 1 }],
            ),
            (
                "off hours, nothing open",
                snap(None, vec![]),
                no_shift("2025-06-04T03:00:00Z", Phase::OffHours),
                not_signed.clone(),
                vec![],
            ),
            (
                "login window: the shift has not started",
                snap(None, vec![]),
                at(-4, Phase::LoginWindow),
                not_signed,
                vec![],
            ),
        ];
        let settings = crate::core::test_support::askon();
        for (label, s, c, facts, want) in cases {
            let got = logout_gate(&s, &c, &settings, &facts);
            assert_eq!(got.outstanding, want, "{label}");
            assert_eq!(got.must_confirm, !want.is_empty(), "{label}");
        }
    }

    #[test]
    fn missed_shift_offer() {
        let settings = crate::core::test_support::askon();
        let s = snap(online(&["Amy"]), vec![]);
        let before = logout_gate(&s, &at(50, Phase::Handover), &settings, &signed_off());
        assert!(!before.offer_missed_shift_email);
        let after = logout_gate(&s, &at(61, Phase::Handover), &settings, &signed_off());
        assert!(after.offer_missed_shift_email);
        assert_eq!(after.missing_replacements, vec!["Bo".to_string()]);
        assert_eq!(ids(&after), vec!["leaving.replacements_not_in"]);
        let few = logout_gate(
            &s,
            &unnamed(at(61, Phase::Handover)),
            &settings,
            &signed_off(),
        );
        assert!(few.offer_missed_shift_email);
        assert!(few.missing_replacements.is_empty());
    }

    #[test]
    fn outstanding_texts_say_what_to_do() {
        let all = [
            Outstanding::ShiftNotOver { minutes_left: 10 },
            Outstanding::ReplacementsNotIn {
                missing: vec!["Amy".into()],
            },
            Outstanding::TooFewOperatorsOnline {
                online: 1,
                needed: 2,
            },
            Outstanding::ContactsUnreadable,
            Outstanding::ActiveChats { count: 1 },
            Outstanding::TransfersInProgress { count: 2 },
            Outstanding::NewChats { count: 3 },
            Outstanding::OfflineTextsUnanswered { count: 1 },
            Outstanding::BackchatSignOff,
        ];
        let mut seen = Vec::new();
        for o in &all {
            let text = o.text();
            assert!(
                !english(&text).is_empty() && !french(&text).is_empty(),
                "{o:?}"
            );
            assert!(english(&text).len() < 160, "{}", english(&text));
            assert!(!seen.contains(&o.id()));
            seen.push(o.id());
        }
        assert_eq!(english(&Outstanding::ActiveChats { count: 1 }.text()), "1 chat open. Tell the guest you are leaving, let your replacement know in backchat, then transfer.");
        assert!(english(&Outstanding::NewChats { count: 3 }.text()).starts_with("3 New chats"));
    }

    fn coordinators(settings: &mut Settings) {
        settings.coordinators.site = vec![
            Contact {
                name: "Site A".into(),
                email: "site.a@college.ca".into(),
            },
            Contact {
                name: "Blank".into(),
                email: " ".into(),
            },
            Contact {
                name: "Broken".into(),
                email: "not an address".into(),
            },
            Contact {
                name: "Site B".into(),
                email: "b+askon@college.ca".into(),
            },
        ];
    }

    #[test]
    fn missed_shift_mail() {
        let mut settings = crate::core::test_support::askon();
        coordinators(&mut settings);
        let c = at(62, Phase::Handover);
        let mail = missed_shift_email(
            &settings,
            &shipped(settings.language()),
            &c,
            "Jo Tremblay",
            &["Amy".into(), "Bo".into()],
            true,
        );
        assert_eq!(mail.to, vec!["site.a@college.ca", "b+askon@college.ca"]);
        assert_eq!(mail.cc, vec!["lrupert@ocls.ca"]);
        assert_eq!(
            mail.subject,
            "askON missed shift: Wednesday 4 June from 15:00"
        );
        assert_eq!(
            mail.body,
            "Hello,\n\nThe askON shift on Wednesday 4 June (from 15:00) was not picked up: Amy, Bo did not log in to take over from me (Jo Tremblay).\n\nI am staying on until a replacement arrives.\n\nThank you."
        );
        assert!(mail.mailto.starts_with("mailto:site.a@college.ca,b%2Baskon@college.ca?cc=lrupert@ocls.ca&subject=askON%20missed%20shift%3A%20Wednesday%204%20June%20from%2015%3A00&body=Hello%2C%0D%0A%0D%0AThe%20askON"), "{}", mail.mailto);
        assert!(!mail.mailto.contains('\n') && !mail.mailto.contains(' '));
        // Nobody named, not staying, in the settings' language.
        let unnamed =
            |s: &Settings| missed_shift_email(s, &shipped(s.language()), &c, "Jo", &[], false);
        let not_staying = unnamed(&settings);
        assert!(not_staying.body.contains("my replacement did not log in"));
        assert!(not_staying
            .body
            .contains("I could not stay past the end of my shift."));
        settings.language = LanguageChoice::Fr;
        let fr = unnamed(&settings);
        assert!(fr.body.contains("ma relève") && fr.body.contains("Je ne pouvais pas rester"));
        assert!(fr.subject.ends_with("à partir de 15 h"));
        // The date the French way, not ISO.
        assert!(fr.subject.contains("mercredi 4 juin"), "{}", fr.subject);
        assert!(fr.mailto.contains("%C3%A0%20partir"));
    }

    #[test]
    fn missed_shift_mail_across_midnight_and_odd_input() {
        let mut settings = crate::core::test_support::askon();
        settings.coordinators.missed_shift_subject = "{shift} {unknown} {date".into();
        settings.coordinators.missed_shift_body = "{operator}\r\nline".into();
        // shift ends 00:30 EDT on June 5
        let mut c = no_shift("2025-06-05T04:40:00Z", Phase::Handover);
        c.shift = Some(ShiftInstance {
            start: t("2025-06-05T03:00:00Z"),
            end: t("2025-06-05T04:30:00Z"),
            replacements: vec![],
        });
        let mail = missed_shift_email(
            &settings,
            &shipped(settings.language()),
            &c,
            "{date}\n&x=1",
            &[],
            false,
        );
        assert_eq!(mail.subject, "from 00:30 {unknown} {date");
        // the operator's name is not re-read as a placeholder, and cannot add parameters
        assert_eq!(mail.body, "{date}\n&x=1\nline");
        assert!(
            mail.mailto
                .ends_with("body=%7Bdate%7D%0D%0A%26x%3D1%0D%0Aline"),
            "{}",
            mail.mailto
        );
        assert!(mail.to.is_empty());
        assert!(mail
            .mailto
            .starts_with("mailto:?cc=lrupert@ocls.ca&subject="));
        let mut no_shift_ctx = no_shift("2025-06-05T04:40:00Z", Phase::OffHours);
        no_shift_ctx.shift = None;
        settings.coordinators.missed_shift_subject = "missed {date} {shift}".into();
        assert_eq!(
            missed_shift_email(
                &settings,
                &shipped(settings.language()),
                &no_shift_ctx,
                "",
                &[],
                true
            )
            .subject,
            "missed Thursday 5 June"
        );
    }

    #[test]
    fn templates() {
        let v = [("a", "1"), ("b", "{a}")];
        let cases = [
            ("{a}{b}", "1{a}"),
            ("{a", "{a"),
            ("{{a}}", "{1}"),
            ("}{", "}{"),
            ("x{c}y", "x{c}y"),
            ("é{a}é", "é1é"),
            ("", ""),
        ];
        for (tpl, want) in cases {
            assert_eq!(fill_template(tpl, &v), want, "{tpl}");
        }
    }

    #[test]
    fn closing_a_text() {
        let cases = [
            (chat(|c| c.is_text = true), true),
            (chat(|c| c.is_offline_text = true), true),
            (
                chat(|c| {
                    c.is_text = true;
                    c.operator_replied = true;
                }),
                false,
            ),
            (
                chat(|c| {
                    c.is_text = true;
                    c.answered_by = Some("Amy".into());
                }),
                false,
            ),
            (chat(|_| {}), false),
            (
                chat(|c| {
                    c.is_text = true;
                    c.ended = true;
                }),
                true,
            ),
        ];
        for (c, want) in cases {
            assert_eq!(offline_text_close_needs_confirm(&c), want, "{c:?}");
        }
    }

    #[test]
    fn audit_after_close() {
        let mut settings = crate::core::test_support::askon();
        coordinators(&mut settings);
        let closed = || {
            let mut c = last(at(65, Phase::AfterClose));
            c.service_open = false;
            c
        };
        let cases: Vec<(Snapshot, ShiftContext, Option<Vec<&str>>)> = vec![
            (
                snap(online(&["Me", "Cy", " cy "]), vec![]),
                closed(),
                Some(vec!["Cy"]),
            ),
            (snap(online(&["Me"]), vec![]), closed(), None),
            (snap(None, vec![]), closed(), None),
            // before close: not an audit
            (
                snap(online(&["Cy"]), vec![]),
                last(at(50, Phase::LastShiftClosing)),
                None,
            ),
            (snap(online(&["Cy"]), vec![]), at(65, Phase::Handover), None),
        ];
        for (s, c, want) in cases {
            let got = after_close_audit(&s, &c, &settings, &shipped(settings.language()), "me");
            assert_eq!(
                got.as_ref().map(|a| a
                    .still_logged_in
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()),
                want
            );
        }
        let audit = after_close_audit(
            &snap(online(&["Cy", "Di"]), vec![]),
            &closed(),
            &settings,
            &shipped(settings.language()),
            "Me",
        )
        .expect("audit");
        assert_eq!(audit.email.to, vec!["lrupert@ocls.ca"]);
        assert!(audit.email.cc.is_empty());
        assert_eq!(
            audit.email.subject,
            "Operators still logged in after close: Wednesday 4 June"
        );
        assert!(
            audit
                .email
                .body
                .contains("still logged in at 15:05: Cy, Di."),
            "{}",
            audit.email.body
        );
        assert!(audit.email.body.ends_with("Thank you.\nMe"));
        assert!(audit.email.mailto.contains("%0D%0A"));
        assert!(english(&audit.text).contains("Cy, Di"));
    }

    #[test]
    fn tab_close() {
        let cases = [
            (Some(Status::Available), false, true),
            (Some(Status::Away), false, true),
            (Some(Status::Busy), true, true),
            (Some(Status::Other("Lunch".into())), false, true),
            (Some(Status::Logout), false, false),
            (None, true, false),
            (None, false, true),
        ];
        for (status, dialog, want) in cases {
            assert_eq!(
                tab_close_should_block(status.as_ref(), dialog),
                want,
                "{status:?} {dialog}"
            );
        }
    }

    #[test]
    fn restored_tab_off_hours() {
        let off = no_shift("2025-06-04T03:00:00Z", Phase::OffHours);
        let on = at(20, Phase::OnShift);
        let cases = [
            (&off, Some(Status::Available), true),
            (&off, Some(Status::Away), true),
            (&off, Some(Status::Logout), false),
            (&off, None, false),
            (&on, Some(Status::Available), false),
        ];
        for (c, status, want) in cases {
            assert_eq!(
                restored_connected_off_hours(c, status.as_ref()),
                want,
                "{:?} {status:?}",
                c.phase
            );
        }
    }

    /// The whole leaving path through the real shift model: Wednesday 14:00–15:00 in
    /// Toronto, Amy and Bo take over; a Wednesday last shift 21:00–22:00.
    #[test]
    fn with_the_shift_model() {
        use crate::core::settings::WeeklyShift;
        use crate::core::shift::context;
        use crate::core::snapshot::TimerChoice;
        use crate::core::timer::{
            autologout_advice, check_timer, recommended_timer_minutes, Advice,
        };
        let mut settings = crate::core::test_support::askon();
        // Wednesdays 14–15 (Amy and Bo replace me) and 21–22 (the last shift).
        settings.shifts.weekly = vec![
            WeeklyShift {
                replacements: vec!["Amy".into(), "Bo".into()],
                ..weekly(2, "14:00", "15:00")
            },
            weekly(2, "21:00", "22:00"),
        ];
        // 13:55 EDT: log in now, timer 1 h 20 min
        let c = context(&settings, t("2025-06-04T17:55:00Z"));
        assert_eq!(c.phase, Phase::LoginWindow);
        assert_eq!(recommended_timer_minutes(&c, &settings.timing), Some(80));
        assert!(check_timer(
            &TimerChoice::Countdown { minutes: 80 },
            &c,
            &settings.timing,
            edt()
        )
        .is_empty());
        // 14:55: handover; Bo not in yet
        let c = context(&settings, t("2025-06-04T18:55:00Z"));
        assert_eq!(c.phase, Phase::Handover);
        assert_eq!(
            autologout_advice(&c, &settings.timing),
            Advice::RemainLoggedIn {
                new_timer_minutes: 20
            }
        );
        let s = snap(online(&["Amy"]), vec![]);
        let gate = logout_gate(&s, &c, &settings, &signed_off());
        assert_eq!(
            ids(&gate),
            vec!["leaving.shift_not_over", "leaving.replacements_not_in"]
        );
        // 15:10: shift over, Bo missing → missed-shift email offered
        let c = context(&settings, t("2025-06-04T19:10:00Z"));
        assert_eq!(autologout_advice(&c, &settings.timing), Advice::LogMeOut);
        let gate = logout_gate(&s, &c, &settings, &signed_off());
        assert!(gate.offer_missed_shift_email);
        let mail = missed_shift_email(
            &settings,
            &shipped(settings.language()),
            &c,
            "Jo",
            &gate.missing_replacements,
            false,
        );
        assert_eq!(
            mail.subject,
            "askON missed shift: Wednesday 4 June from 15:00"
        );
        // 22:05: after close, last shift: no replacements asked, the audit runs
        let c = context(&settings, t("2025-06-05T02:05:00Z"));
        assert_eq!(c.phase, Phase::AfterClose);
        let gate = logout_gate(&snap(online(&["Cy"]), vec![]), &c, &settings, &signed_off());
        assert!(!gate.must_confirm, "{gate:?}");
        let audit = after_close_audit(
            &snap(online(&["Cy"]), vec![]),
            &c,
            &settings,
            &shipped(settings.language()),
            "Jo",
        );
        assert_eq!(
            audit.map(|a| a.still_logged_in),
            Some(vec!["Cy".to_string()])
        );
    }

    proptest::proptest! {
        #[test]
        fn mailto_is_always_one_clean_line(name in ".{0,30}", body in ".{0,60}") {
            let mut settings = crate::core::test_support::askon();
            settings.coordinators.missed_shift_body = body;
            let mail = missed_shift_email(&settings, &shipped(settings.language()), &at(61, Phase::Handover), &name, std::slice::from_ref(&name), false);
            let rest = mail.mailto.trim_start_matches("mailto:");
            proptest::prop_assert!(rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%@,?=&".contains(&b)));
            proptest::prop_assert_eq!(rest.matches("&body=").count(), 1);
            let _ = fill_template(&name, &[("a", "b")]);
        }
    }
}
