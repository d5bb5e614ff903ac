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
use web_sys::{Document, Element, HtmlTableRowElement, MutationRecord, Node};

use super::{Feature, FeatureId, PageView};
use crate::core::history::{classify_all, ChatState, HistoryCounts};
use crate::core::locators::{ids, text_matches};
use crate::core::snapshot::HistoryRow;
use crate::page::locate::{header_cells, Locate};
use crate::page::marks::{set_attr, CHAT_STATE, UNREADABLE};
use crate::page::{elements, query_all, text_of};

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
    table: Option<Element>,
    columns: Option<Columns>,
    counted: js_sys::WeakMap,
    counts: HistoryCounts,
}

impl Default for NewChats {
    fn default() -> Self {
        NewChats {
            table: None,
            columns: None,
            counted: js_sys::WeakMap::new(),
            counts: HistoryCounts::default(),
        }
    }
}

/// The logical column index of each cell (a cell with colspan=2 covers two columns).
fn logical_starts(cells: &[Element]) -> Vec<usize> {
    let mut at = 0;
    cells
        .iter()
        .map(|c| {
            let start = at;
            let span = c
                .get_attribute("colspan")
                .and_then(|s| s.trim().parse::<usize>().ok())
                .filter(|&n| (1..=1000).contains(&n))
                .unwrap_or(1);
            at += span;
            start
        })
        .collect()
}

fn find_columns(locate: &mut Locate, table: &Element) -> Columns {
    let headers = header_cells(table);
    let starts = logical_starts(&headers);
    let mut column = |id: &str| {
        let names = locate.column_names(id);
        let at = headers
            .iter()
            .position(|th| text_matches(&text_of(th), &names))
            .map(|i| starts[i]);
        locate.record(id, at.is_some());
        at
    };
    Columns {
        operator: column(ids::HISTORY_OPERATOR),
        duration: column(ids::HISTORY_DURATION),
    }
}

/// A table that looks like Chat History (three or more of its known column names) when
/// the `history.table` locator found none: the page changed under our words.
fn history_like(locate: &Locate, doc: &Document) -> Option<Element> {
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
    let list = doc
        .query_selector_all("table, [role=table], [role=grid]")
        .ok()?;
    elements(list).find(|table| {
        let heads: Vec<String> = header_cells(table).iter().map(text_of).collect();
        columns
            .iter()
            .filter(|names| heads.iter().any(|h| text_matches(h, names)))
            .count()
            >= 3
    })
}

fn row_cells(row: &Element) -> Vec<Element> {
    if let Some(tr) = row.dyn_ref::<HtmlTableRowElement>() {
        let cells = tr.cells();
        return (0..cells.length()).filter_map(|i| cells.item(i)).collect();
    }
    query_all(row, ":scope > [role=cell], :scope > [role=gridcell]")
}

/// A data row of the table (not a header row).
fn is_data_row(row: &Element) -> bool {
    let is_row = row.is_instance_of::<HtmlTableRowElement>()
        || row.get_attribute("role").as_deref() == Some("row");
    is_row
        && row.closest("thead").ok().flatten().is_none()
        && row
            .query_selector(":scope > td, :scope > [role=cell], :scope > [role=gridcell]")
            .ok()
            .flatten()
            .is_some()
}

fn read_row(row: &Element, cols: Columns) -> HistoryRow {
    // The common case, a `<tr>` without spanning cells: two cells by index, without
    // reading every cell's colspan (a few calls into the page per row, not twenty).
    if let Some(tr) = row.dyn_ref::<HtmlTableRowElement>() {
        if row.query_selector("[colspan]").ok().flatten().is_none() {
            let cells = tr.cells();
            let at = |col: Option<usize>| -> Option<String> {
                let i = u32::try_from(col?).ok()?;
                cells.item(i).map(|c| text_of(&c))
            };
            return HistoryRow {
                operator: at(cols.operator),
                duration: at(cols.duration),
            };
        }
    }
    let cells = row_cells(row);
    let starts = logical_starts(&cells);
    let cell_at = |col: Option<usize>| -> Option<String> {
        let col = col?;
        let i = starts.iter().position(|&s| s == col)?;
        Some(text_of(&cells[i]))
    };
    HistoryRow {
        operator: cell_at(cols.operator),
        duration: cell_at(cols.duration),
    }
}

fn all_rows(table: &Element) -> Vec<Element> {
    query_all(table, "tr, [role=row]")
        .into_iter()
        .filter(is_data_row)
        .collect()
}

/// Takes our marks off every row under `root`.
fn clear_marks(root: &Element) {
    for el in query_all(root, &format!("[{CHAT_STATE}], [{UNREADABLE}]")) {
        set_attr(&el, CHAT_STATE, None);
        set_attr(&el, UNREADABLE, None);
    }
}

fn as_element(node: &Node) -> Option<Element> {
    match node.dyn_ref::<Element>() {
        Some(el) => Some(el.clone()),
        None => node.parent_element(),
    }
}

impl NewChats {
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

    /// Rows of `table` touched by this batch, and rows that left it.
    fn touched(
        &self,
        table: &Element,
        records: &[MutationRecord],
    ) -> (Vec<Element>, Vec<Element>, bool) {
        let mut touched = Vec::new();
        let mut removed = Vec::new();
        let mut headers_changed = false;
        let table_node: &Node = table.unchecked_ref();
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
            if !table_node.contains(Some(&target)) && !target.contains(Some(table_node)) {
                // Not in the table (rows removed from it are reported on their parent,
                // which is inside the table, so they are not lost here).
                continue;
            }
            if let Some(el) = as_element(&target) {
                if el
                    .closest("thead, th, [role=columnheader]")
                    .ok()
                    .flatten()
                    .is_some()
                {
                    headers_changed = true;
                }
                if let Some(row) = el.closest("tr, [role=row]").ok().flatten() {
                    if table_node.contains(Some(&row)) && is_data_row(&row) {
                        add(row, &mut touched, &seen_touched);
                    }
                }
            }
            let added = rec.added_nodes();
            for i in 0..added.length() {
                let Some(el) = added.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                // A data row (the usual case: rows added or re-rendered) holds no header
                // and no other rows: no need to search inside it.
                if el.is_instance_of::<HtmlTableRowElement>() && is_data_row(&el) {
                    add(el, &mut touched, &seen_touched);
                    continue;
                }
                if el
                    .matches("thead, th, [role=columnheader]")
                    .unwrap_or(false)
                    || el
                        .query_selector("th, [role=columnheader]")
                        .ok()
                        .flatten()
                        .is_some()
                {
                    headers_changed = true;
                }
                if is_data_row(&el) {
                    add(el.clone(), &mut touched, &seen_touched);
                }
                for row in all_rows(&el) {
                    add(row, &mut touched, &seen_touched);
                }
            }
            let gone = rec.removed_nodes();
            for i in 0..gone.length() {
                let Some(el) = gone.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                if el.is_instance_of::<HtmlTableRowElement>() {
                    add(el, &mut removed, &seen_removed);
                    continue;
                }
                let is_row = el.tag_name().eq_ignore_ascii_case("tr")
                    || el.get_attribute("role").as_deref() == Some("row");
                if is_row {
                    add(el.clone(), &mut removed, &seen_removed);
                }
                for r in query_all(&el, "tr, [role=row]") {
                    add(r, &mut removed, &seen_removed);
                }
                // A node of the table itself was replaced wholesale.
                if el.is_same_node(Some(table_node)) {
                    headers_changed = true;
                }
            }
        }
        (touched, removed, headers_changed)
    }

    fn mark(&mut self, rows: &[Element], cols: Columns) {
        let readings: Vec<HistoryRow> = rows.iter().map(|r| read_row(r, cols)).collect();
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
        // The table found last time is not searched for again while it stays in the page
        // with the same headers: a document-wide search walks every row of a 5,000-row
        // history on every flush, which made a one-row change cost O(rows).
        let kept = match &self.table {
            Some(t) if !page.full && t.is_connected() => {
                let (touched, removed, headers_changed) = self.touched(t, page.records);
                (!headers_changed).then(|| (t.clone(), touched, removed))
            }
            _ => None,
        };
        let (table, touched, removed, rescan) = match kept {
            Some((t, touched, removed)) => {
                page.locate.record(ids::HISTORY_TABLE, true);
                (t, touched, removed, false)
            }
            None => {
                let Some(table) = page.locate.first(page.doc, ids::HISTORY_TABLE) else {
                    // Not shown now (another view) or not readable (headers renamed):
                    // report it, count nothing, and take our marks off the table we had
                    // — a mark from before the change would be a guess now.
                    if let Some(old) = self.table.take() {
                        clear_marks(&old);
                    }
                    page.memory.history_table = None;
                    self.columns = None;
                    self.forget_all();
                    page.locate.record(ids::HISTORY_OPERATOR, false);
                    page.locate.record(ids::HISTORY_DURATION, false);
                    if let Some(like) = history_like(page.locate, page.doc) {
                        // A Chat History is shown but our words miss it (a renamed
                        // header): say exactly which locators failed, mark nothing.
                        page.locate.expect(ids::HISTORY_TABLE);
                        let cols = find_columns(page.locate, &like);
                        for (id, at) in [
                            (ids::HISTORY_OPERATOR, cols.operator),
                            (ids::HISTORY_DURATION, cols.duration),
                        ] {
                            if at.is_none() {
                                page.locate.expect(id);
                            }
                        }
                    }
                    page.report.history = None;
                    return Ok(());
                };
                if let Some(old) = &self.table {
                    if !old.is_same_node(Some(table.unchecked_ref())) {
                        clear_marks(old);
                    }
                }
                (table, Vec::new(), Vec::new(), true)
            }
        };
        page.memory.history_table = Some(table.clone());
        if rescan || self.columns.is_none() {
            let cols = find_columns(page.locate, &table);
            self.table = Some(table.clone());
            self.columns = Some(cols);
            self.forget_all();
            let rows = all_rows(&table);
            self.mark(&rows, cols);
        } else if let Some(cols) = self.columns {
            page.locate
                .record(ids::HISTORY_OPERATOR, cols.operator.is_some());
            page.locate
                .record(ids::HISTORY_DURATION, cols.duration.is_some());
            let table_node: &Node = table.unchecked_ref();
            // With one record, nothing moved after it: removed rows are gone (or also in
            // `touched`, which counts them again) and touched rows are in place.
            let single = page.records.len() <= 1;
            for row in &removed {
                if single || !table_node.contains(Some(row.unchecked_ref())) {
                    self.uncount(row);
                }
            }
            let live: Vec<Element> = touched
                .into_iter()
                .filter(|r| single || table_node.contains(Some(r.unchecked_ref())))
                .collect();
            self.mark(&live, cols);
        }
        page.report.history = Some(self.counts);
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        if let Some(root) = doc.document_element() {
            clear_marks(&root);
        }
        self.table = None;
        self.columns = None;
        self.forget_all();
    }
}
