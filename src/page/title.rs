//! The tab title, flashing while a feature asks (the auto-logout popup waits for an
//! answer): it alternates with the page's own title, which is put back afterwards. The
//! page layer owns the timer; a feature only says, each pass, what should flash.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;

/// How often the tab title alternates.
const FLASH_MS: u32 = 1000;

struct Flash {
    _interval: Interval,
    /// The page's own title (it may change it meanwhile: the latest is kept).
    original: Rc<RefCell<String>>,
    text: String,
}

thread_local! {
    static FLASH: RefCell<Option<Flash>> = const { RefCell::new(None) };
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Flashes `text` in the tab title, or stops flashing (`None`).
pub fn flash(text: Option<&str>) {
    FLASH.with(|f| {
        let mut f = f.borrow_mut();
        if f.as_ref().map(|x| x.text.as_str()) == text {
            return;
        }
        if let Some(old) = f.take() {
            if let Some(doc) = document() {
                if doc.title() == old.text {
                    doc.set_title(&old.original.borrow());
                }
            }
        }
        let (Some(text), Some(doc)) = (text, document()) else {
            return;
        };
        let original = Rc::new(RefCell::new(doc.title()));
        let (o, t) = (original.clone(), text.to_string());
        let interval = Interval::new(FLASH_MS, move || {
            let Some(doc) = document() else { return };
            let now = doc.title();
            if now == t {
                doc.set_title(&o.borrow());
            } else {
                // The page may have changed its own title meanwhile: keep that one.
                *o.borrow_mut() = now;
                doc.set_title(&t);
            }
        });
        doc.set_title(text);
        *f = Some(Flash {
            _interval: interval,
            original,
            text: text.to_string(),
        });
    });
}
