//! Feature `closing-duties`: the last shift of the day closes the service. Before close,
//! a reminder to give visitors a heads-up; at close, the chats still open, each to get
//! the "Closing" canned message; after close, anyone else still in the contacts list,
//! with a one-click email to the service coordinator (who can disconnect them).
//!
//! Observes: the chat panes and the contacts list (snapshot), the shift context.
//! Decides: `departure::closing_duties` (with `leaving::after_close_audit`).
//! Shows: notices in the leaving dock (`data-lh3-notice="leaving.closing_heads_up"`,
//! `"leaving.closing_chats"` with one `data-lh3-closing-chat` line per chat,
//! `"leaving.after_close_audit"` with a `mailto:` link). The popup gets the same
//! notices without guest ids.

use web_sys::Document;

use super::{Feature, FeatureId, PageView};
use crate::core::departure::closing_duties;
use crate::core::locators::ids;
use crate::core::messages::NoticeLevel;
use crate::core::settings::LocalText;
use crate::core::wake::Wake;
use crate::page::panel::{hide_block, mail_link, part, show_block};

const FEATURE: &str = "closing-duties";
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
        let duties = closing_duties(page.snapshot, page.shift, page.settings, me);
        let lang = page.settings.language;
        let shows =
            duties.heads_up.is_some() || duties.closing_text.is_some() || duties.audit.is_some();
        // The dock sits in the contacts list, next to who is still logged in.
        let home = if shows {
            page.locate.first(page.doc, ids::CONTACTS)
        } else {
            None
        };

        if let (Some(_), Some(shift)) = (&duties.heads_up, &page.shift.shift) {
            // "Closes in 8 min": the close, like the shift end, falls on a whole minute.
            let end = shift.end;
            page.wake(Wake::MinutesFrom(end));
        }
        match &duties.heads_up {
            Some(text) => {
                show_block(
                    page.doc,
                    home.as_ref(),
                    HEADS_UP,
                    NoticeLevel::Warning,
                    text.get(lang),
                    "",
                    |_| Vec::new(),
                );
                page.notice(FEATURE, HEADS_UP, NoticeLevel::Warning, text.clone());
            }
            None => hide_block(page.doc, HEADS_UP),
        }

        match &duties.closing_text {
            Some(text) => {
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
                let sig = format!("{chats:?}");
                show_block(
                    page.doc,
                    home.as_ref(),
                    CLOSING,
                    NoticeLevel::Warning,
                    text.get(lang),
                    &sig,
                    |doc| {
                        vec![part(doc, "ul", "list")
                            .children(chats.iter().map(|(key, who)| {
                                part(doc, "li", "item")
                                    .attr("data-lh3-closing-chat", key)
                                    .text(who)
                                    .into()
                            }))
                            .into()]
                    },
                );
                page.notice(FEATURE, CLOSING, NoticeLevel::Warning, text.clone());
            }
            None => hide_block(page.doc, CLOSING),
        }

        match &duties.audit {
            Some(audit) => {
                let label = LocalText::new(
                    "Email the service coordinator",
                    "Écrire à la coordination du service",
                );
                let sig = format!("{audit:?}");
                show_block(
                    page.doc,
                    home.as_ref(),
                    AUDIT,
                    NoticeLevel::Alert,
                    audit.text.get(lang),
                    &sig,
                    |doc| {
                        vec![part(doc, "p", "links")
                            .child(mail_link(doc, &audit.email, label.get(lang), "audit"))
                            .into()]
                    },
                );
                page.notice(FEATURE, AUDIT, NoticeLevel::Alert, audit.text.clone());
            }
            None => hide_block(page.doc, AUDIT),
        }
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        for id in [HEADS_UP, CLOSING, AUDIT] {
            hide_block(doc, id);
        }
    }
}
