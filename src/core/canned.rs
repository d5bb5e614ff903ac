//! Canned-message suggestions: at each moment the procedure names words to say
//! ("Accept new transfers using the canned message that says “I've reviewed your
//! transcript…”", "send visitors our “closing” canned message", say hello and sign off
//! in backchat…), the rules in `settings.canned` name the canned messages to offer.
//!
//! The page's own canned message is preferred when it offers one with the rule's name;
//! otherwise the configured text is used. Names the page does not offer are reported
//! ([`missing_canned`]), never guessed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::settings::{CannedRule, Moment, Settings, Timing};
use super::shift::{Phase, ShiftContext};
use super::snapshot::{CannedMessage, ChatPane};

/// What the rules need to know beyond the pane and the shift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFacts {
    /// The operator has said hello in backchat this shift.
    pub said_hello: bool,
    /// The operator has chosen Logout (or is otherwise leaving now).
    pub leaving: bool,
    /// This chat is winding down: answered and the guest quiet for a while
    /// (decided by the caller, who sees the messages' times).
    pub winding_down: bool,
}

/// Where a suggestion's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The web client's own canned message of that name.
    Page,
    /// The text in the settings (the page does not offer that message).
    Configured,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedSuggestion {
    /// The canned message's name as the rule spells it.
    pub name: String,
    /// The text to insert, `{hours}` filled in.
    pub text: String,
    pub source: Source,
    pub moment: Moment,
}

/// Another operator claimed this chat: the pane shows "answered by NAME" (the claimer
/// does not see it for themself). A transfer to us not yet greeted may still show the
/// previous operator's name; once we have replied, another name means it left us.
/// `me` (may be empty) is never "another".
pub(crate) fn claimed_by_other(chat: &ChatPane, me: &str) -> bool {
    let Some(name) = chat.answered_by.as_deref() else {
        return false;
    };
    let name = name.trim();
    if name.is_empty() || super::guards::same_name(name, me) {
        return false;
    }
    !chat.transferred_to_me || chat.operator_replied
}

/// The chat is ours to talk in: not ended, not being transferred (typing during a
/// transfer re-claims the chat), not claimed by another operator.
fn open_to_us(chat: &ChatPane) -> bool {
    !chat.ended && !chat.being_transferred && !claimed_by_other(chat, "")
}

/// The shift has ended (or there is none to speak of).
fn shift_over(ctx: &ShiftContext) -> bool {
    ctx.shift.as_ref().is_some_and(|s| ctx.now >= s.end)
}

/// At or after the close of the day's last shift.
fn at_close(ctx: &ShiftContext) -> bool {
    ctx.phase == Phase::AfterClose
        || (ctx.last_of_day && (shift_over(ctx) || ctx.minutes_to_close.is_some_and(|m| m <= 0)))
}

/// In the heads-up window before the close.
fn closing_soon(ctx: &ShiftContext, timing: &Timing) -> bool {
    ctx.phase == Phase::LastShiftClosing
        || (ctx.last_of_day
            && ctx
                .minutes_to_close
                .is_some_and(|m| m > 0 && m <= i64::from(timing.closing_heads_up_minutes)))
}

/// The moments that apply to this chat now, best first:
/// the first words owed to the guest (transfer accepted, offline text, welcome), then
/// closing, leaving, the closing heads-up, and winding down. Backchat panes get hello
/// (at login, until said) or sign-off (handover, after the shift, leaving).
pub fn chat_moments(
    chat: &ChatPane,
    ctx: &ShiftContext,
    timing: &Timing,
    facts: &ChatFacts,
) -> Vec<Moment> {
    let mut out = Vec::new();
    if chat.is_backchat {
        let signing_off = facts.leaving
            || shift_over(ctx)
            || matches!(ctx.phase, Phase::Handover | Phase::AfterClose);
        let starting = matches!(
            ctx.phase,
            Phase::LoginWindow | Phase::OnShift | Phase::LastShiftClosing
        );
        if signing_off {
            out.push(Moment::BackchatSignOff);
        } else if starting && !facts.said_hello {
            out.push(Moment::BackchatHello);
        }
        return out;
    }
    if !open_to_us(chat) {
        return out;
    }
    let unanswered = !chat.operator_replied;
    if unanswered && chat.transferred_to_me {
        out.push(Moment::TransferAccepted);
    } else if unanswered && chat.is_offline_text && ctx.first_of_day {
        out.push(Moment::OfflineTextFirstShift);
    } else if unanswered {
        out.push(Moment::ChatPickedUp);
    }
    let closing = at_close(ctx);
    if closing {
        out.push(Moment::AtClose);
    } else if facts.leaving || shift_over(ctx) || ctx.phase == Phase::Handover {
        out.push(Moment::LeavingWithActiveChats);
    } else if closing_soon(ctx, timing) {
        out.push(Moment::ClosingHeadsUp);
    }
    if facts.winding_down && chat.operator_replied && !closing {
        out.push(Moment::WindingDown);
    }
    out
}

/// Lower case, no white space, curly quotes straightened, a trailing "…" or "..."
/// dropped: "I’ve reviewed your transcript…" and "I've Reviewed your transcript"
/// compare equal.
pub fn canned_key(name: &str) -> String {
    let mut key: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    loop {
        let trimmed = key.trim_end_matches(['…', '.']);
        if trimmed.len() == key.len() {
            break;
        }
        key.truncate(trimmed.len());
    }
    key
}

fn all_rule_keys(rules: &[CannedRule]) -> Vec<String> {
    rules
        .iter()
        .flat_map(|r| r.suggestions.iter())
        .map(|s| canned_key(&s.name))
        .filter(|k| !k.is_empty())
        .collect()
}

/// The page's canned message for a rule's name: an exact match (case- and
/// space-insensitive), else the shortest whose name starts with it — but never one that
/// is exactly another rule's name ("Closing" must not take "Closing soon").
fn find_offered<'a>(
    name: &str,
    offered: &'a [CannedMessage],
    rule_keys: &[String],
) -> Option<&'a CannedMessage> {
    let key = canned_key(name);
    if key.is_empty() {
        return None;
    }
    let keyed = || offered.iter().map(|m| (canned_key(&m.name), m));
    if let Some((_, m)) = keyed().find(|(k, _)| *k == key) {
        return Some(m);
    }
    keyed()
        .filter(|(k, _)| k.starts_with(&key) && !rule_keys.contains(k))
        .min_by_key(|(k, _)| k.len())
        .map(|(_, m)| m)
}

/// Fills `{hours}` with today's hours; left as is when the hours are not known, so the
/// operator sees what to fill in.
fn fill_hours(text: &str, hours_today: &str) -> String {
    if hours_today.trim().is_empty() {
        text.to_string()
    } else {
        text.replace("{hours}", hours_today.trim())
    }
}

/// The suggestions for one chat, best first, without repeats. `offered` is the page's
/// list of canned messages (`None` when it could not be read).
pub fn suggest(
    chat: &ChatPane,
    ctx: &ShiftContext,
    settings: &Settings,
    offered: Option<&[CannedMessage]>,
    facts: &ChatFacts,
) -> Vec<RankedSuggestion> {
    let rules = &settings.canned.rules;
    let rule_keys = all_rule_keys(rules);
    let mut out: Vec<RankedSuggestion> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for moment in chat_moments(chat, ctx, &settings.timing, facts) {
        for suggestion in rules
            .iter()
            .filter(|r| r.moment == moment)
            .flat_map(|r| r.suggestions.iter())
        {
            let key = canned_key(&suggestion.name);
            if key.is_empty() || seen.contains(&key) {
                continue;
            }
            let page = offered.and_then(|o| find_offered(&suggestion.name, o, &rule_keys));
            let (raw, source) = match page {
                Some(m) if !m.text.trim().is_empty() => (m.text.as_str(), Source::Page),
                _ => (suggestion.text.get(settings.language()), Source::Configured),
            };
            if raw.trim().is_empty() {
                continue;
            }
            seen.push(key);
            out.push(RankedSuggestion {
                name: suggestion.name.trim().to_string(),
                text: fill_hours(raw, &ctx.hours_today),
                source,
                moment,
            });
        }
    }
    out
}

/// Names the rules use that the page does not offer, in rule order, once each (for
/// the page check). Call it with the list the page showed.
pub fn missing_canned(settings: &Settings, offered: &[CannedMessage]) -> Vec<String> {
    let rule_keys = all_rule_keys(&settings.canned.rules);
    let mut missing: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for suggestion in settings
        .canned
        .rules
        .iter()
        .flat_map(|r| r.suggestions.iter())
    {
        let key = canned_key(&suggestion.name);
        if key.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if find_offered(&suggestion.name, offered, &rule_keys).is_none() {
            missing.push(suggestion.name.trim().to_string());
        }
    }
    missing
}

/// How long the guest must stay quiet after the operator's last message before the chat
/// counts as winding down.
pub const WINDING_DOWN_QUIET_MINUTES: i64 = 2;
/// The page may take this long to show a message just sent: that change is the send's
/// own echo, not the guest talking.
const SEND_ECHO_SECONDS: i64 = 5;

/// [`ChatFacts::winding_down`]: the operator spoke last and the chat has been quiet for
/// [`WINDING_DOWN_QUIET_MINUTES`]. `last_sent` is the operator's last message in the
/// chat, `last_change` the last time the pane changed (a guest line, a system line).
pub fn winding_down(
    last_sent: Option<DateTime<Utc>>,
    last_change: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    winding_down_from(last_sent, last_change).is_some_and(|at| now >= at)
}

/// When the chat starts (or started) winding down if nothing else happens in it; `None`
/// when the operator did not speak last.
pub fn winding_down_from(
    last_sent: Option<DateTime<Utc>>,
    last_change: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let sent = last_sent?;
    let spoke_last =
        last_change.is_none_or(|c| c <= sent + chrono::Duration::seconds(SEND_ECHO_SECONDS));
    if !spoke_last {
        return None;
    }
    sent.checked_add_signed(chrono::Duration::minutes(WINDING_DOWN_QUIET_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::LanguageChoice;
    use crate::core::settings::{CannedSettings, LocalText, Suggestion};
    use crate::core::test_support::at_minute as at;

    fn first_shift(mut c: ShiftContext) -> ShiftContext {
        c.first_of_day = true;
        c
    }

    fn last_shift(mut c: ShiftContext) -> ShiftContext {
        c.last_of_day = true;
        c.minutes_to_close = c.minutes_to_shift_end;
        c
    }

    fn pane() -> ChatPane {
        ChatPane {
            key: "p1".into(),
            queue: Some("all_colleges".into()),
            guest: Some("Guest 6CYJ".into()),
            ..ChatPane::default()
        }
    }

    fn replied() -> ChatPane {
        ChatPane {
            operator_replied: true,
            ..pane()
        }
    }

    fn offered(items: &[(&str, &str)]) -> Vec<CannedMessage> {
        items
            .iter()
            .map(|(n, t)| CannedMessage {
                name: n.to_string(),
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn moments_for_every_rule() {
        use Moment::*;
        let timing = Timing::default();
        let none = ChatFacts::default();
        let hello_said = ChatFacts {
            said_hello: true,
            ..ChatFacts::default()
        };
        let leaving = ChatFacts {
            leaving: true,
            ..ChatFacts::default()
        };
        let winding = ChatFacts {
            winding_down: true,
            ..ChatFacts::default()
        };
        let backchat = ChatPane {
            is_backchat: true,
            ..pane()
        };
        let cases: Vec<(&str, ChatPane, ShiftContext, ChatFacts, Vec<Moment>)> = vec![
            (
                "new chat",
                pane(),
                at(20, Phase::OnShift),
                none,
                vec![ChatPickedUp],
            ),
            (
                "answered chat, nothing owed",
                replied(),
                at(20, Phase::OnShift),
                none,
                vec![],
            ),
            (
                "transfer accepted",
                ChatPane {
                    transferred_to_me: true,
                    answered_by: Some("amy".into()),
                    ..pane()
                },
                at(20, Phase::OnShift),
                none,
                vec![TransferAccepted],
            ),
            (
                "transfer already greeted",
                ChatPane {
                    transferred_to_me: true,
                    operator_replied: true,
                    ..pane()
                },
                at(20, Phase::OnShift),
                none,
                vec![],
            ),
            (
                "offline text, first shift",
                ChatPane {
                    is_text: true,
                    is_offline_text: true,
                    ..pane()
                },
                first_shift(at(5, Phase::OnShift)),
                none,
                vec![OfflineTextFirstShift],
            ),
            (
                "offline text, not the first shift: a plain welcome",
                ChatPane {
                    is_text: true,
                    is_offline_text: true,
                    ..pane()
                },
                at(5, Phase::OnShift),
                none,
                vec![ChatPickedUp],
            ),
            (
                "leaving at handover",
                replied(),
                at(55, Phase::Handover),
                none,
                vec![LeavingWithActiveChats],
            ),
            (
                "leaving after the shift end",
                replied(),
                at(65, Phase::OnShift),
                none,
                vec![LeavingWithActiveChats],
            ),
            (
                "leaving early (Logout chosen)",
                replied(),
                at(20, Phase::OnShift),
                leaving,
                vec![LeavingWithActiveChats],
            ),
            (
                "new chat at handover: greet, then say you are leaving",
                pane(),
                at(55, Phase::Handover),
                none,
                vec![ChatPickedUp, LeavingWithActiveChats],
            ),
            (
                "closing heads-up",
                replied(),
                last_shift(at(52, Phase::LastShiftClosing)),
                none,
                vec![ClosingHeadsUp],
            ),
            (
                "closing heads-up from the minutes alone",
                replied(),
                last_shift(at(51, Phase::OnShift)),
                none,
                vec![ClosingHeadsUp],
            ),
            (
                "too early for the heads-up",
                replied(),
                last_shift(at(40, Phase::OnShift)),
                none,
                vec![],
            ),
            (
                "at close",
                replied(),
                last_shift(at(60, Phase::AfterClose)),
                none,
                vec![AtClose],
            ),
            (
                "after close (last shift over)",
                replied(),
                last_shift(at(70, Phase::OnShift)),
                none,
                vec![AtClose],
            ),
            (
                "at close, leaving: still the closing message",
                replied(),
                last_shift(at(61, Phase::AfterClose)),
                leaving,
                vec![AtClose],
            ),
            (
                "winding down",
                replied(),
                at(30, Phase::OnShift),
                winding,
                vec![WindingDown],
            ),
            (
                "winding down needs a reply first",
                pane(),
                at(30, Phase::OnShift),
                winding,
                vec![ChatPickedUp],
            ),
            (
                "winding down at handover",
                replied(),
                at(55, Phase::Handover),
                winding,
                vec![LeavingWithActiveChats, WindingDown],
            ),
            (
                "winding down at close: closing only",
                replied(),
                last_shift(at(60, Phase::AfterClose)),
                winding,
                vec![AtClose],
            ),
            (
                "backchat at login",
                backchat.clone(),
                at(-4, Phase::LoginWindow),
                none,
                vec![BackchatHello],
            ),
            (
                "backchat on shift, hello not said",
                backchat.clone(),
                at(10, Phase::OnShift),
                none,
                vec![BackchatHello],
            ),
            (
                "backchat, hello said",
                backchat.clone(),
                at(10, Phase::OnShift),
                hello_said,
                vec![],
            ),
            (
                "backchat at handover",
                backchat.clone(),
                at(55, Phase::Handover),
                hello_said,
                vec![BackchatSignOff],
            ),
            (
                "backchat, leaving",
                backchat.clone(),
                at(20, Phase::OnShift),
                leaving,
                vec![BackchatSignOff],
            ),
            (
                "backchat after close",
                backchat.clone(),
                at(62, Phase::AfterClose),
                none,
                vec![BackchatSignOff],
            ),
            (
                "backchat off hours",
                backchat,
                at(-200, Phase::OffHours),
                none,
                vec![],
            ),
            // nothing to say into chats that are not ours to talk in
            (
                "ended",
                ChatPane {
                    ended: true,
                    ..pane()
                },
                at(20, Phase::OnShift),
                none,
                vec![],
            ),
            (
                "being transferred",
                ChatPane {
                    being_transferred: true,
                    ..replied()
                },
                at(55, Phase::Handover),
                none,
                vec![],
            ),
            (
                "claimed by another operator",
                ChatPane {
                    answered_by: Some("amy".into()),
                    ..pane()
                },
                at(20, Phase::OnShift),
                none,
                vec![],
            ),
            (
                "transferred on to a colleague",
                ChatPane {
                    answered_by: Some("amy".into()),
                    ..replied()
                },
                at(55, Phase::Handover),
                winding,
                vec![],
            ),
        ];
        for (label, chat, c, facts, want) in cases {
            assert_eq!(chat_moments(&chat, &c, &timing, &facts), want, "{label}");
        }
    }

    #[test]
    fn suggestions_use_the_configured_text_in_the_language() {
        let mut settings = Settings::default();
        let c = first_shift(at(5, Phase::OnShift));
        let text = ChatPane {
            is_text: true,
            is_offline_text: true,
            ..pane()
        };
        let got = suggest(&text, &c, &settings, None, &ChatFacts::default());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "Offline text greeting");
        assert_eq!(got[0].source, Source::Configured);
        assert_eq!(got[0].moment, Moment::OfflineTextFirstShift);
        assert!(
            got[0].text.contains("We're open today 10:00–22:00."),
            "{}",
            got[0].text
        );
        settings.language = LanguageChoice::Fr;
        let got = suggest(&text, &c, &settings, None, &ChatFacts::default());
        assert!(got[0].text.starts_with("Bonjour, merci pour votre texto"));
        assert!(got[0].text.contains("aujourd'hui 10:00–22:00."));
        // unknown hours: the placeholder stays visible for the operator to fill
        let mut unknown = c.clone();
        unknown.hours_today = String::new();
        let got = suggest(&text, &unknown, &settings, None, &ChatFacts::default());
        assert!(got[0].text.contains("{hours}"));
    }

    #[test]
    fn the_pages_own_message_is_preferred() {
        let settings = Settings::default();
        let page = offered(&[
            ("I’ve reviewed your transcript…", "PAGE: reviewed"),
            ("welcome - askON", "PAGE: welcome"),
            ("Closing soon", "PAGE: closing soon"),
            ("thank  you", "PAGE: thanks"),
        ]);
        let facts = ChatFacts::default();
        type Case<'a> = (ChatPane, ShiftContext, Vec<(&'a str, Source)>);
        let cases: Vec<Case> = vec![
            (
                ChatPane { transferred_to_me: true, ..pane() },
                at(10, Phase::OnShift),
                vec![("PAGE: reviewed", Source::Page)],
            ),
            // prefix match
            (pane(), at(10, Phase::OnShift), vec![("PAGE: welcome", Source::Page)]),
            (
                replied(),
                last_shift(at(52, Phase::LastShiftClosing)),
                vec![("PAGE: closing soon", Source::Page)],
            ),
            // "Closing" is not "Closing soon": the configured text is used
            (
                replied(),
                last_shift(at(60, Phase::AfterClose)),
                vec![(
                    "askON is now closing. Our hours are 10:00–22:00. Please come back with any other questions!",
                    Source::Configured,
                )],
            ),
        ];
        for (chat, c, want) in cases {
            let got = suggest(&chat, &c, &settings, Some(&page), &facts);
            let got: Vec<(&str, Source)> =
                got.iter().map(|s| (s.text.as_str(), s.source)).collect();
            assert_eq!(got, want);
        }
        // winding down: both suggestions, in the rule's order, the page's where offered
        let winding = ChatFacts {
            winding_down: true,
            ..facts
        };
        let got = suggest(
            &replied(),
            &at(30, Phase::OnShift),
            &settings,
            Some(&page),
            &winding,
        );
        let names: Vec<(&str, Source)> = got.iter().map(|s| (s.name.as_str(), s.source)).collect();
        assert_eq!(
            names,
            vec![
                ("Thank you", Source::Page),
                ("Save a copy", Source::Configured)
            ]
        );
    }

    #[test]
    fn ranking_and_no_repeats() {
        let mut settings = Settings::default();
        // the same message named by two moments is offered once, at the higher rank
        settings.canned.rules.push(CannedRule {
            moment: Moment::LeavingWithActiveChats,
            suggestions: vec![Suggestion {
                name: "welcome".into(),
                text: LocalText::new("dup", "dup"),
            }],
        });
        let got = suggest(
            &pane(),
            &at(55, Phase::Handover),
            &settings,
            None,
            &ChatFacts::default(),
        );
        let order: Vec<(&str, Moment)> = got.iter().map(|s| (s.name.as_str(), s.moment)).collect();
        assert_eq!(
            order,
            vec![
                ("Welcome", Moment::ChatPickedUp),
                ("Leaving: transfer", Moment::LeavingWithActiveChats)
            ]
        );
    }

    #[test]
    fn empty_or_odd_rules_never_break() {
        let settings = Settings {
            canned: CannedSettings {
                rules: vec![CannedRule {
                    moment: Moment::ChatPickedUp,
                    suggestions: vec![
                        Suggestion {
                            name: "  ".into(),
                            text: LocalText::new("x", "x"),
                        },
                        Suggestion {
                            name: "Empty".into(),
                            text: LocalText::new("", ""),
                        },
                        Suggestion {
                            name: "Hi".into(),
                            text: LocalText::new("Hello!", ""),
                        },
                    ],
                }],
            },
            language: crate::core::settings::LanguageChoice::Fr,
            ..Settings::default()
        };
        let got = suggest(
            &pane(),
            &at(10, Phase::OnShift),
            &settings,
            Some(&[]),
            &ChatFacts::default(),
        );
        assert_eq!(got.len(), 1);
        // French missing: English text
        assert_eq!(got[0].text, "Hello!");
        let none = Settings {
            canned: CannedSettings { rules: vec![] },
            ..Settings::default()
        };
        assert!(suggest(
            &pane(),
            &at(10, Phase::OnShift),
            &none,
            None,
            &ChatFacts::default()
        )
        .is_empty());
        assert!(missing_canned(&none, &[]).is_empty());
    }

    #[test]
    fn missing_names_are_reported() {
        let settings = Settings::default();
        let all: Vec<String> = settings
            .canned
            .rules
            .iter()
            .flat_map(|r| r.suggestions.iter().map(|s| s.name.clone()))
            .collect();
        assert_eq!(missing_canned(&settings, &[]), all);
        let page = offered(&[
            ("I've reviewed your transcript and I'll be helping you", "t"),
            ("WELCOME", "t"),
            ("Closing soon", "t"),
            ("Thank you", "t"),
            ("Save a copy", "t"),
            ("Backchat hello", "t"),
            ("Backchat sign-off", "t"),
        ]);
        assert_eq!(
            missing_canned(&settings, &page),
            vec!["Offline text greeting", "Leaving: transfer", "Closing"]
        );
    }

    #[test]
    fn keys() {
        let cases = [
            (
                "I’ve reviewed your transcript…",
                "i'vereviewedyourtranscript",
            ),
            (
                "  I've Reviewed  your transcript... ",
                "i'vereviewedyourtranscript",
            ),
            ("Thank you.", "thankyou"),
            ("…", ""),
            ("", ""),
        ];
        for (name, want) in cases {
            assert_eq!(canned_key(name), want, "{name:?}");
        }
    }

    #[test]
    fn winding_down_when_the_operator_spoke_last_and_the_guest_is_quiet() {
        let t = |s: &str| -> DateTime<Utc> { s.parse().unwrap() };
        let sent = Some(t("2025-06-04T18:10:00Z"));
        let cases = [
            ("never replied", None, None, "2025-06-04T18:30:00Z", false),
            (
                "quiet two minutes",
                sent,
                None,
                "2025-06-04T18:12:00Z",
                true,
            ),
            (
                "not yet two minutes",
                sent,
                None,
                "2025-06-04T18:11:59Z",
                false,
            ),
            (
                "only the send's own echo since",
                sent,
                Some(t("2025-06-04T18:10:03Z")),
                "2025-06-04T18:13:00Z",
                true,
            ),
            (
                "the guest wrote after",
                sent,
                Some(t("2025-06-04T18:11:00Z")),
                "2025-06-04T18:20:00Z",
                false,
            ),
            (
                "the guest wrote before",
                sent,
                Some(t("2025-06-04T18:09:00Z")),
                "2025-06-04T18:12:30Z",
                true,
            ),
        ];
        for (label, sent, change, now, want) in cases {
            assert_eq!(winding_down(sent, change, t(now)), want, "{label}");
        }
        // The instant the page looks again at, if nothing else happens in the chat.
        assert_eq!(
            winding_down_from(sent, None),
            Some(t("2025-06-04T18:12:00Z"))
        );
        assert_eq!(
            winding_down_from(sent, Some(t("2025-06-04T18:11:00Z"))),
            None
        );
        assert_eq!(winding_down_from(None, None), None);
    }

    proptest::proptest! {
        #[test]
        fn any_page_list_is_safe(names in proptest::collection::vec(".{0,12}", 0..6)) {
            let settings = Settings::default();
            let page: Vec<CannedMessage> = names
                .iter()
                .map(|n| CannedMessage { name: n.clone(), text: n.clone() })
                .collect();
            let _ = missing_canned(&settings, &page);
            let got = suggest(&pane(), &at(55, Phase::Handover), &settings, Some(&page), &ChatFacts::default());
            proptest::prop_assert!(!got.is_empty());
        }
    }
}
