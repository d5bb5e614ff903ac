//! Feature `closing-duties`: the last shift of the day closes the service. Before close,
//! a reminder to give visitors a heads-up; at close, the chats still open, each to get
//! the "Closing" canned message; after close, anyone else still in the contacts list,
//! with a one-click email to the service coordinator (who can disconnect them).
//!
//! Observes: the chat panes and the contacts list (snapshot), the shift context.
//! Decides: `leaving::closing_duties` (with `leaving::after_close_audit`).
//! Shows: notices in the leaving dock (`data-lh3-notice="leaving.closing_heads_up"`,
//! `"leaving.closing_chats"` with one `data-lh3-closing-chat` line per chat,
//! `"leaving.after_close_audit"` with a `mailto:` link). The popup gets the same
//! notices without guest ids.

use super::{Feature, FeatureId, PageView};
use crate::core::catalog::Said;
use crate::core::leaving::closing_duties;
use crate::core::messages::NoticeLevel;
use crate::core::wake::Wake;
use crate::page::notices::part;
use crate::page::panel::mail_link;

const HEADS_UP: &str = "leaving.closing_heads_up";
const CLOSING: &str = "leaving.closing_chats";
const AUDIT: &str = "leaving.after_close_audit";

#[derive(Default)]
pub struct ClosingDuties;

impl Feature for ClosingDuties {
    fn id(&self) -> FeatureId {
        FeatureId::ClosingDuties
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let me = page.settings.operator_name.as_str();
        let duties = closing_duties(
            page.snapshot,
            page.shift,
            page.settings,
            &crate::ext::catalog::current(),
            me,
        );

        if let (Some(_), Some(shift)) = (&duties.heads_up, &page.shift.shift) {
            // "Closes in 8 min": the close, like the shift end, falls on a whole minute.
            let end = shift.end;
            page.wake(Wake::MinutesFrom(end));
        }
        // In the leaving dock, next to who is still logged in.
        if let Some(text) = &duties.heads_up {
            page.show_in_dock(
                HEADS_UP,
                NoticeLevel::Warning,
                &crate::ext::say(text),
                Vec::new(),
            );
            page.notice(HEADS_UP, NoticeLevel::Warning, text.clone());
        }
        if let Some(text) = &duties.closing_text {
            // Guest ids stay in the page: the popup's copy only has the count.
            let chats: Vec<(String, String)> = duties
                .closing_chats
                .iter()
                .filter_map(|key| page.snapshot.chats.iter().find(|c| &c.key == key))
                .map(|c| {
                    let who = c
                        .guest
                        .clone()
                        .or_else(|| c.queue.clone())
                        .unwrap_or_else(|| c.key.clone());
                    (c.key.clone(), who)
                })
                .collect();
            let list = part("ul", "list").children(chats.iter().map(|(key, who)| {
                part("li", "item")
                    .attr("data-lh3-closing-chat", key)
                    .text(who)
            }));
            page.show_in_dock(
                CLOSING,
                NoticeLevel::Warning,
                &crate::ext::say(text),
                vec![list],
            );
            page.notice(CLOSING, NoticeLevel::Warning, text.clone());
        }
        if let Some(audit) = &duties.audit {
            let label = Said::new("closingEmailTheServiceCoordinator", &[]);
            let links = part("p", "links").child(mail_link(
                &audit.email,
                &crate::ext::say(&label),
                "audit",
            ));
            page.show_in_dock(
                AUDIT,
                NoticeLevel::Alert,
                &crate::ext::say(&audit.text),
                vec![links],
            );
            page.notice(AUDIT, NoticeLevel::Alert, audit.text.clone());
        }
        Ok(())
    }
}
