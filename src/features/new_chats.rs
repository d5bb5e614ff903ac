//! Feature `new-chats`: every Chat History row is marked new / ongoing / completed by
//! the procedure's rule (`core::history`), and the new ones are counted for the badge.
//!
//! Observes: the Chat History table (found by its header names, not position or class).
//! Decides: `core::history::classify_all`, once per flush, for the rows that changed.
//! Shows: `data-lh3-chat-state` on each row (styled by `content.css`); counts in the report.
//!
//! Only rows touched by a batch are re-read, so a one-row change costs the same on a
//! table of 100 or 5,000 rows. Which rows were counted, and as what, lives in a JS
//! `WeakMap` keyed by the row element: rows the page throws away are forgotten with it.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, MutationRecord, Node};

use super::{Feature, FeatureId, PageView};
use crate::core::history::{classify_all, ChatState, HistoryCounts};
use crate::core::locators::{ids, text_matches};
use crate::core::settings::Language;
use crate::core::snapshot::HistoryRow;
use crate::page::grid::{grids_showing, Grid};
use crate::page::locate::Locate;
use crate::page::marks::{set_attr, CHAT_STATE, UNREADABLE};
use crate::page::query_all;

/// What a row was counted as (the value kept in the WeakMap).
const COUNTED_UNREADABLE: f64 = 0.0;
const COUNTED_NEW: f64 = 1.0;
const COUNTED_ONGOING: f64 = 2.0;
const COUNTED_COMPLETED: f64 = 3.0;

/// Where the operator and duration cells are in a row (logical columns, colspan-aware).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Columns {
    operator: Option<usize>,
    duration: Option<usize>,
}

pub struct NewChats {
    /// The language the rows' labels were last set in.
    labelled: Option<Language>,
    grid: Option<Grid>,
    columns: Option<Columns>,
    counted: js_sys::WeakMap,
    counts: HistoryCounts,
}

impl Default for NewChats {
    fn default() -> Self {
        NewChats {
            labelled: None,
            grid: None,
            columns: None,
            counted: js_sys::WeakMap::new(),
            counts: HistoryCounts::default(),
        }
    }
}

fn find_columns(locate: &mut Locate, grid: &Grid) -> Columns {
    let headers = grid.header_texts();
    let starts = grid.header_starts();
    let mut column = |id: &str| {
        let names = locate.column_names(id);
        let at = headers
            .iter()
            .position(|h| text_matches(h, &names))
            .map(|i| starts[i]);
        locate.record(id, at.is_some());
        at
    };
    Columns {
        operator: column(ids::HISTORY_OPERATOR),
        duration: column(ids::HISTORY_DURATION),
    }
}

/// A grid that looks like Chat History (three or more of its known column names) when
/// the `history.table` locator found none: the page changed under our words.
fn history_like(locate: &Locate, doc: &Document) -> Option<Grid> {
    let columns: Vec<Vec<String>> = [
        ids::HISTORY_OPERATOR,
        ids::HISTORY_DURATION,
        ids::HISTORY_QUEUE,
        ids::HISTORY_GUEST,
        ids::HISTORY_STARTED,
    ]
    .iter()
    .map(|id| locate.column_names(id))
    .filter(|names| !names.is_empty())
    .collect();
    let root = doc.document_element()?;
    grids_showing(&root, &columns, 3).into_iter().next()
}

/// No Chat History found by our words. If one is shown all the same (a renamed
/// header), say exactly which locators failed: the table and the columns missing are
/// *not found*, not "not shown now".
fn expect_unread_history(locate: &mut Locate, doc: &Document) {
    locate.record(ids::HISTORY_OPERATOR, false);
    locate.record(ids::HISTORY_DURATION, false);
    if let Some(like) = history_like(locate, doc) {
        locate.expect(ids::HISTORY_TABLE);
        let cols = find_columns(locate, &like);
        for (id, at) in [
            (ids::HISTORY_OPERATOR, cols.operator),
            (ids::HISTORY_DURATION, cols.duration),
        ] {
            if at.is_none() {
                locate.expect(id);
            }
        }
    }
}

/// The page check's findings on Chat History, the same a pass makes (after a
/// `Locate::check_all`, whose plain lookups they refine).
pub fn check_history(locate: &mut Locate, doc: &Document) {
    match locate
        .first(doc, ids::HISTORY_TABLE)
        .and_then(|root| Grid::read(&root))
    {
        Some(grid) => {
            find_columns(locate, &grid);
        }
        None => expect_unread_history(locate, doc),
    }
}

fn read_row(grid: &Grid, row: &Element, cols: Columns) -> HistoryRow {
    HistoryRow {
        operator: cols.operator.and_then(|c| grid.cell_text(row, c)),
        duration: cols.duration.and_then(|c| grid.cell_text(row, c)),
    }
}

/// Takes our marks off every row under `root`.
fn clear_marks(root: &Element) {
    for el in query_all(root, &format!("[{CHAT_STATE}], [{UNREADABLE}]")) {
        set_attr(&el, CHAT_STATE, None);
        set_attr(&el, UNREADABLE, None);
    }
}

/// The words on new and ongoing rows (`content.css` shows them before the first cell).
/// The rows' labels: a custom property each, and its catalog key.
const LABELS: [(&str, &str); 2] = [
    ("--lh3-label-new", "newChatsLabelNew"),
    ("--lh3-label-ongoing", "newChatsLabelOngoing"),
];

impl NewChats {
    /// Puts the rows' labels in `language`: two custom properties on the page's root,
    /// set once per language rather than on each of thousands of rows.
    fn label(&mut self, doc: &Document, language: Language) {
        if self.labelled == Some(language) {
            return;
        }
        let Some(root) = doc
            .document_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        for (property, key) in LABELS {
            // A CSS string: the words hold no quote or backslash.
            let _ = root
                .style()
                .set_property(property, &format!("\"{}\"", crate::ext::t(key)));
        }
        self.labelled = Some(language);
    }

    fn forget_all(&mut self) {
        self.counted = js_sys::WeakMap::new();
        self.counts = HistoryCounts::default();
    }

    fn uncount(&mut self, row: &Element) {
        let key: &js_sys::Object = row.unchecked_ref();
        let Some(was) = self.counted.get(key).as_f64() else {
            return;
        };
        self.counted.delete(key);
        let c = &mut self.counts;
        let slot = match was {
            COUNTED_NEW => &mut c.new,
            COUNTED_ONGOING => &mut c.ongoing,
            COUNTED_COMPLETED => &mut c.completed,
            _ => &mut c.unreadable,
        };
        *slot = slot.saturating_sub(1);
    }

    fn count(&mut self, row: &Element, state: Option<ChatState>) {
        let (code, slot) = match state {
            Some(ChatState::New) => (COUNTED_NEW, &mut self.counts.new),
            Some(ChatState::Ongoing) => (COUNTED_ONGOING, &mut self.counts.ongoing),
            Some(ChatState::Completed) => (COUNTED_COMPLETED, &mut self.counts.completed),
            None => (COUNTED_UNREADABLE, &mut self.counts.unreadable),
        };
        *slot += 1;
        self.counted
            .set(row.unchecked_ref(), &JsValue::from_f64(code));
    }

    /// Rows of the grid touched by this batch, rows that left it, and whether the grid
    /// must be read again (its header changed, or the part holding its rows was
    /// replaced wholesale, as a React re-render does).
    fn touched(
        &self,
        grid: &Grid,
        records: &[MutationRecord],
    ) -> (Vec<Element>, Vec<Element>, bool) {
        let mut touched = Vec::new();
        let mut removed = Vec::new();
        let mut reread = false;
        let root: &Node = grid.root.unchecked_ref();
        // Dedupe by element identity with a JS Set (elements have no Rust-side hash).
        // One record never names a row twice: then no Set is needed.
        let many = records.len() > 1;
        let seen_touched = many.then(|| js_sys::Set::new(&JsValue::UNDEFINED));
        let seen_removed = many.then(|| js_sys::Set::new(&JsValue::UNDEFINED));
        let add = |row: Element, list: &mut Vec<Element>, seen: &Option<js_sys::Set>| {
            if let Some(seen) = seen {
                if seen.has(&row) {
                    return;
                }
                seen.add(&row);
            }
            list.push(row);
        };
        for rec in records {
            let Some(target) = rec.target() else { continue };
            if !root.contains(Some(&target)) && !target.contains(Some(root)) {
                // Not in the grid (rows removed from it are reported on their parent,
                // which is inside the grid, so they are not lost here).
                continue;
            }
            if !grid.knows_rows() || grid.in_header(&target) {
                reread = true;
            }
            if let Some(row) = grid.row_of(&target) {
                add(row, &mut touched, &seen_touched);
            }
            let added = rec.added_nodes();
            for i in 0..added.length() {
                let Some(el) = added.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                // A row (the usual case: rows added or re-rendered) holds no header and
                // no other rows: no need to search inside it.
                if grid.is_row(&el) {
                    add(el, &mut touched, &seen_touched);
                    continue;
                }
                if grid.is_structure(&el)
                    || el
                        .query_selector("th, [role=columnheader]")
                        .ok()
                        .flatten()
                        .is_some()
                {
                    reread = true;
                }
                for row in grid.rows_within(&el) {
                    if grid.is_row(&row) {
                        add(row, &mut touched, &seen_touched);
                    }
                }
            }
            let gone = rec.removed_nodes();
            for i in 0..gone.length() {
                let Some(el) = gone.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                if self.counted.has(el.unchecked_ref()) {
                    add(el, &mut removed, &seen_removed);
                    continue;
                }
                for r in grid.rows_within(&el) {
                    add(r, &mut removed, &seen_removed);
                }
                // A part of the grid itself was replaced wholesale.
                if el.is_same_node(Some(root)) || grid.is_structure(&el) {
                    reread = true;
                }
            }
        }
        (touched, removed, reread)
    }

    fn mark(&mut self, grid: &Grid, rows: &[Element], cols: Columns) {
        let readings: Vec<HistoryRow> = rows.iter().map(|r| read_row(grid, r, cols)).collect();
        // One call into the core per flush.
        let (states, _) = classify_all(&readings);
        for (row, state) in rows.iter().zip(states) {
            self.uncount(row);
            self.count(row, state);
            set_attr(row, CHAT_STATE, state.map(ChatState::as_str));
            if state.is_none() {
                set_attr(row, UNREADABLE, Some("true"));
            } else {
                // Removing an absent attribute changes nothing: no need to read it first.
                let _ = row.remove_attribute(UNREADABLE);
            }
        }
    }
}

impl Feature for NewChats {
    fn id(&self) -> FeatureId {
        FeatureId::NewChats
    }

    fn reads_history_rows(&self) -> bool {
        true
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        self.label(page.doc, crate::ext::catalog::current().language());
        // The grid found last time is not searched for again while it stays in the page
        // with the same headers: a document-wide search walks every row of a 5,000-row
        // history on every flush, which made a one-row change cost O(rows).
        let kept = match &self.grid {
            Some(g) if !page.full && g.root.is_connected() => {
                let (touched, removed, reread) = self.touched(g, page.records);
                (!reread).then(|| (g.clone(), touched, removed))
            }
            _ => None,
        };
        let (grid, touched, removed, rescan) = match kept {
            Some((g, touched, removed)) => {
                page.locate.record(ids::HISTORY_TABLE, true);
                (g, touched, removed, false)
            }
            None => {
                let found = page
                    .locate
                    .first(page.doc, ids::HISTORY_TABLE)
                    .and_then(|root| Grid::read(&root));
                let Some(grid) = found else {
                    // Not shown now (another view) or not readable (headers renamed):
                    // report it, count nothing, and take our marks off the grid we had
                    // — a mark from before the change would be a guess now.
                    if let Some(old) = self.grid.take() {
                        clear_marks(&old.root);
                    }
                    page.memory.history_table = None;
                    self.columns = None;
                    self.forget_all();
                    expect_unread_history(page.locate, page.doc);
                    page.report.history = None;
                    return Ok(());
                };
                if let Some(old) = &self.grid {
                    if !old.root.is_same_node(Some(grid.root.unchecked_ref())) {
                        clear_marks(&old.root);
                    }
                }
                (grid, Vec::new(), Vec::new(), true)
            }
        };
        page.memory.history_table = Some(grid.root.clone());
        if rescan || self.columns.is_none() {
            let cols = find_columns(page.locate, &grid);
            self.columns = Some(cols);
            self.forget_all();
            let rows = grid.rows();
            self.mark(&grid, &rows, cols);
            self.grid = Some(grid);
        } else if let Some(cols) = self.columns {
            page.locate
                .record(ids::HISTORY_OPERATOR, cols.operator.is_some());
            page.locate
                .record(ids::HISTORY_DURATION, cols.duration.is_some());
            let root: &Node = grid.root.unchecked_ref();
            // With one record, nothing moved after it: removed rows are gone (or also in
            // `touched`, which counts them again) and touched rows are in place.
            let single = page.records.len() <= 1;
            for row in &removed {
                if single || !root.contains(Some(row.unchecked_ref())) {
                    self.uncount(row);
                }
            }
            let live: Vec<Element> = touched
                .into_iter()
                .filter(|r| single || root.contains(Some(r.unchecked_ref())))
                .collect();
            self.mark(&grid, &live, cols);
        }
        page.report.history = Some(self.counts);
        page.memory.last_history = Some((self.counts, page.now));
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        if let Some(root) = doc.document_element() {
            clear_marks(&root);
        }
        self.grid = None;
        self.columns = None;
        self.forget_all();
    }
}
