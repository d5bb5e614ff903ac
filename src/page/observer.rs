//! The one `MutationObserver`. Its callback only queues the records and schedules a
//! flush; the flush runs once per animation frame — or after a short timeout when the
//! tab is in the background, where animation frames do not fire — and calls the
//! features (and through them the core) once per batch, never once per record.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MutationObserver, MutationObserverInit, MutationRecord};

/// How long a background tab may wait for its flush.
const BACKGROUND_FLUSH_MS: u32 = 250;

/// Receives a batch: its records, and whether a flush was also asked for explicitly.
/// A plain function: nothing is taken out of the observer to call it, so nothing is
/// left missing should it fail.
type FlushFn = fn(Vec<MutationRecord>, bool);

/// What the observer has cost this page so far: callbacks, flushes, and the main-thread
/// time spent in them. Two `performance.now()` reads per callback; read by the benchmark
/// (`content_stats`) to measure the extension's own work apart from the page's.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// MutationObserver callbacks (each only queues its records).
    pub callbacks: u32,
    /// Mutation records queued.
    pub records: u32,
    /// Flushes run (one per batch, nudge or clock wake-up).
    pub flushes: u32,
    /// Main-thread milliseconds spent in callbacks and flushes together.
    pub busy_ms: f64,
}

thread_local! {
    static STATS: Cell<Stats> = Cell::new(Stats::default());
}

/// The counters so far.
pub fn stats() -> Stats {
    STATS.with(Cell::get)
}

fn clock_ms() -> f64 {
    thread_local! {
        static PERF: Option<web_sys::Performance> = web_sys::window().and_then(|w| w.performance());
    }
    PERF.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// Runs `f`, adding its duration to the counters.
fn timed<T>(count: impl FnOnce(&mut Stats, &T), f: impl FnOnce() -> T) -> T {
    let start = clock_ms();
    let out = f();
    let spent = clock_ms() - start;
    STATS.with(|s| {
        let mut v = s.get();
        count(&mut v, &out);
        v.busy_ms += spent.max(0.0);
        s.set(v);
    });
    out
}

struct Inner {
    queue: Vec<MutationRecord>,
    scheduled: bool,
    /// A flush was asked for explicitly (an event, a setting, the clock).
    requested: bool,
    timeout: Option<Timeout>,
    raf_id: Option<i32>,
    on_flush: FlushFn,
}

/// Keeps the observer and its closures alive for the life of the page.
pub struct Observer {
    inner: Rc<RefCell<Inner>>,
    _observer: MutationObserver,
    _callback: Closure<dyn FnMut(js_sys::Array, MutationObserver)>,
}

fn flush(inner: &Rc<RefCell<Inner>>) {
    // Timed as a whole: sorting out our own records is part of the cost.
    timed(
        |s, ran| {
            if *ran {
                s.flushes += 1;
            }
        },
        || run_flush(inner),
    );
}

/// One flush; false when there was nothing to do.
fn run_flush(inner: &Rc<RefCell<Inner>>) -> bool {
    let (records, requested, cb) = {
        let mut s = inner.borrow_mut();
        if !s.scheduled {
            return false;
        }
        s.scheduled = false;
        if let Some(t) = s.timeout.take() {
            t.cancel();
        }
        if let (Some(id), Some(w)) = (s.raf_id.take(), web_sys::window()) {
            let _ = w.cancel_animation_frame(id);
        }
        let records: Vec<MutationRecord> = std::mem::take(&mut s.queue)
            .into_iter()
            .filter(|r| !is_own_record(r))
            .collect();
        let requested = std::mem::take(&mut s.requested);
        if records.is_empty() && !requested {
            // Only our own marks and notices changed: nothing to do.
            return false;
        }
        (records, requested, s.on_flush)
    };
    // Called with the borrow let go: the pass may ask for another.
    cb(records, requested);
    true
}

/// A change made by the extension itself (inside a notice, or adding/removing one).
fn is_own_record(r: &MutationRecord) -> bool {
    use crate::page::notices::is_own;
    let Some(target) = r.target() else {
        return false;
    };
    if is_own(&target) {
        return true;
    }
    // The tab title: nothing is read from it, and the auto-logout alert flashes it.
    let in_title = match target.dyn_ref::<web_sys::Element>() {
        Some(e) => e.tag_name().eq_ignore_ascii_case("title"),
        None => target
            .parent_element()
            .is_some_and(|p| p.tag_name().eq_ignore_ascii_case("title")),
    };
    if in_title {
        return true;
    }
    let added = r.added_nodes();
    let removed = r.removed_nodes();
    let total = added.length() + removed.length();
    total > 0
        && (0..added.length())
            .filter_map(|i| added.item(i))
            .chain((0..removed.length()).filter_map(|i| removed.item(i)))
            .all(|n| {
                n.dyn_ref::<web_sys::Element>()
                    .is_some_and(|e| e.has_attribute(crate::page::notices::UI_ATTR))
            })
}

fn schedule(inner: &Rc<RefCell<Inner>>) {
    if inner.borrow().scheduled {
        return;
    }
    inner.borrow_mut().scheduled = true;
    let for_timeout = inner.clone();
    let timeout = Timeout::new(BACKGROUND_FLUSH_MS, move || flush(&for_timeout));
    let for_raf = inner.clone();
    let raf = Closure::once_into_js(move || flush(&for_raf));
    let raf_id =
        web_sys::window().and_then(|w| w.request_animation_frame(raf.unchecked_ref()).ok());
    let mut s = inner.borrow_mut();
    s.timeout = Some(timeout);
    s.raf_id = raf_id;
}

/// Starts observing the whole document. `on_flush` receives each batch of records;
/// it is also called once at once with an empty batch (the initial pass).
pub fn start(on_flush: FlushFn) -> Result<Observer, JsValue> {
    let inner = Rc::new(RefCell::new(Inner {
        queue: Vec::new(),
        scheduled: false,
        requested: false,
        timeout: None,
        raf_id: None,
        on_flush,
    }));
    let for_cb = inner.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(
        move |records: js_sys::Array, _obs: MutationObserver| {
            let n = records.length();
            timed(
                |s, _| {
                    s.callbacks += 1;
                    s.records = s.records.saturating_add(n);
                },
                || {
                    {
                        let mut s = for_cb.borrow_mut();
                        for r in records.iter() {
                            s.queue.push(r.unchecked_into());
                        }
                    }
                    schedule(&for_cb);
                },
            );
        },
    );
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_character_data(true);
    // Only attributes that show or hide parts of the page: our own `data-lh3-*`
    // marks must not wake us.
    options.set_attribute_filter(&js_sys::Array::of5(
        &"hidden".into(),
        &"open".into(),
        &"class".into(),
        &"aria-hidden".into(),
        &"disabled".into(),
    ));
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    observer.observe_with_options(&root, &options)?;
    {
        let mut s = inner.borrow_mut();
        s.scheduled = true;
        s.requested = true;
    }
    flush(&inner);
    Ok(Observer {
        inner,
        _observer: observer,
        _callback: callback,
    })
}

impl Observer {
    /// Asks for a flush with no new records (a form control changed — it changes no
    /// DOM —, settings changed, or the clock reached a rule's next change): the same
    /// batching applies.
    pub fn request_flush(&self) {
        self.inner.borrow_mut().requested = true;
        schedule(&self.inner);
    }
}
