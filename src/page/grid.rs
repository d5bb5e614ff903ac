//! A table as a person sees one: a `<table>`, an ARIA table or grid, or boxes laid out
//! in rows under a row of header texts (a re-com `v-box` of `h-box`es). Found by its
//! header texts; read row by row with cells aligned to the headers.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTableRowElement, Node};

use super::find::with_text;
use super::{elements, query_all, text_of};
use crate::core::locators::text_matches;

const TABLES: &str = "table, [role=table], [role=grid], [role=treegrid]";

/// How the rows of a grid are built.
#[derive(Clone)]
enum Body {
    /// `<tr>` / `role=row` rows with `<td>` / `role=cell` cells.
    Table,
    /// Boxes: each row is a child of `rows` (its cells, its children); `None` while the
    /// grid has no row to tell where they go.
    Boxes { rows: Option<Element> },
}

/// One grid found on the page.
#[derive(Clone)]
pub struct Grid {
    /// The table, or the box holding the header row and the rows.
    pub root: Element,
    header: Option<Element>,
    headers: Vec<Element>,
    body: Body,
}

/// Header cells of a table: `<th>` or `role=columnheader`, in the first header row.
pub fn table_header_cells(table: &Element) -> Vec<Element> {
    let cells = query_all(table, "thead th, thead [role=columnheader]");
    if !cells.is_empty() {
        return cells;
    }
    // No <thead>: the first row whose cells are headers.
    for row in query_all(table, "tr, [role=row]") {
        let ths = query_all(&row, "th, [role=columnheader]");
        if !ths.is_empty() {
            return ths;
        }
    }
    Vec::new()
}

fn is_table(el: &Element) -> bool {
    el.matches(TABLES).unwrap_or(false)
}

/// How many of the column groups (each: alternative names of one column) stand among
/// the header texts.
fn columns_shown(texts: &[String], columns: &[Vec<String>]) -> usize {
    columns
        .iter()
        .filter(|names| texts.iter().any(|t| text_matches(t, names)))
        .count()
}

/// The child of `ancestor` that holds `el` (or `el` itself when it is one).
fn child_holding(ancestor: &Element, el: &Element) -> Option<Element> {
    let mut at = Some(el.clone());
    while let Some(e) = at {
        let parent = e.parent_element();
        if parent
            .as_ref()
            .is_some_and(|p| p.is_same_node(Some(ancestor.unchecked_ref())))
        {
            return Some(e);
        }
        at = parent;
    }
    None
}

/// Grids under `scope` whose header row shows every one of `headers`.
pub fn find_grids(scope: &Element, headers: &[String]) -> Vec<Grid> {
    let columns: Vec<Vec<String>> = headers.iter().map(|h| vec![h.clone()]).collect();
    grids_showing(scope, &columns, columns.len())
}

/// Grids under `scope` whose header row shows at least `min` of the columns (each
/// given by its alternative names): tables first, then grids of boxes, in page order.
/// One native text search for all the names.
pub fn grids_showing(scope: &Element, columns: &[Vec<String>], min: usize) -> Vec<Grid> {
    let min = min.max(1);
    let mut out: Vec<Grid> = query_all(scope, TABLES)
        .into_iter()
        .filter(|t| {
            let texts: Vec<String> = table_header_cells(t).iter().map(text_of).collect();
            columns_shown(&texts, columns) >= min
        })
        .filter_map(|t| Grid::read(&t))
        .collect();
    let all: Vec<String> = columns.concat();
    let hits: Vec<Element> = with_text(scope, &all)
        .into_iter()
        .filter(|h| h.closest(TABLES).ok().flatten().is_none())
        .collect();
    for hit in &hits {
        // The header row: the lowest box holding hits of `min` different columns, each
        // in a child of its own.
        let mut at = hit.parent_element();
        for _ in 0..5 {
            let Some(row) = at else { break };
            let cells: Vec<(usize, Element)> = hits
                .iter()
                .filter(|h| row.contains(Some(h.unchecked_ref())))
                .filter_map(|h| {
                    let t = text_of(h);
                    let col = columns.iter().position(|names| text_matches(&t, names))?;
                    Some((col, child_holding(&row, h)?))
                })
                .collect();
            let mut cols: Vec<usize> = cells.iter().map(|(c, _)| *c).collect();
            crate::core::short_sort::sort_by(&mut cols, |a, b| a < b);
            cols.dedup();
            let distinct = cells.iter().enumerate().all(|(i, (_, c))| {
                cells[..i]
                    .iter()
                    .all(|(_, d)| !d.is_same_node(Some(c.unchecked_ref())))
            });
            if cols.len() >= min && distinct {
                if let Some(root) = row.parent_element() {
                    if !out
                        .iter()
                        .any(|g| g.root.is_same_node(Some(root.unchecked_ref())))
                    {
                        out.push(Grid::boxes(root, row));
                    }
                }
                break;
            }
            if cols.len() >= min {
                break; // two names in one box: not a header row
            }
            at = row.parent_element();
        }
    }
    out
}

impl Grid {
    /// The grid whose root is `root`: a table, or boxes whose header row is the first
    /// child holding two or more boxes.
    pub fn read(root: &Element) -> Option<Grid> {
        if is_table(root) {
            return Some(Grid {
                root: root.clone(),
                header: None,
                headers: table_header_cells(root),
                body: Body::Table,
            });
        }
        let header = elements(root.child_nodes()).find(|c| c.child_element_count() >= 2)?;
        Some(Grid::boxes(root.clone(), header))
    }

    fn boxes(root: Element, header: Element) -> Grid {
        let headers: Vec<Element> = elements(header.child_nodes()).collect();
        let n = headers.len();
        // A row has about as many boxes as there are headers (an actions column more or
        // less); a box holding rows has mostly rows.
        let row_like = |el: &Element| {
            let c = el.child_element_count() as usize;
            c >= 2 && c + 1 >= n && c <= n + 1
        };
        let holds_rows = |el: &Element| {
            let kids: Vec<Element> = elements(el.child_nodes()).collect();
            let rows = kids.iter().filter(|k| row_like(k)).count();
            rows > 0 && rows * 2 >= kids.len()
        };
        let siblings: Vec<Element> = elements(root.child_nodes())
            .filter(|c| !c.is_same_node(Some(header.unchecked_ref())))
            .collect();
        // Rows inside the one box beside the header that holds them, or beside it.
        let rows = siblings
            .iter()
            .filter(|s| holds_rows(s))
            .max_by_key(|s| s.child_element_count())
            .cloned()
            .or_else(|| siblings.iter().any(row_like).then(|| root.clone()));
        Grid {
            root,
            header: Some(header),
            headers,
            body: Body::Boxes { rows },
        }
    }

    pub fn header_cells(&self) -> &[Element] {
        &self.headers
    }

    /// The header texts, in order.
    pub fn header_texts(&self) -> Vec<String> {
        self.headers.iter().map(text_of).collect()
    }

    /// Whether the grid knows where its rows are (a grid of boxes with no row yet does
    /// not: any change inside it is a reason to read it again).
    pub fn knows_rows(&self) -> bool {
        !matches!(self.body, Body::Boxes { rows: None })
    }

    /// Whether a node lies in the header (a change there means reading the grid again).
    pub fn in_header(&self, node: &Node) -> bool {
        match (&self.body, &self.header) {
            (Body::Boxes { .. }, Some(h)) => h.contains(Some(node)),
            _ => as_element(node).is_some_and(|el| {
                el.closest("thead, th, [role=columnheader]")
                    .ok()
                    .flatten()
                    .is_some()
            }),
        }
    }

    /// Whether `el` is one of the grid's data rows.
    pub fn is_row(&self, el: &Element) -> bool {
        match &self.body {
            Body::Table => is_data_row(el),
            Body::Boxes { rows: Some(rows) } => {
                el.parent_element()
                    .is_some_and(|p| p.is_same_node(Some(rows.unchecked_ref())))
                    && !self
                        .header
                        .as_ref()
                        .is_some_and(|h| h.is_same_node(Some(el.unchecked_ref())))
            }
            Body::Boxes { rows: None } => false,
        }
    }

    /// The data row a node of the page lies in, if any.
    pub fn row_of(&self, node: &Node) -> Option<Element> {
        let el = as_element(node)?;
        match &self.body {
            Body::Table => el
                .closest("tr, [role=row]")
                .ok()
                .flatten()
                .filter(|r| self.root.contains(Some(r.unchecked_ref())) && is_data_row(r)),
            Body::Boxes { rows: Some(rows) } => child_holding(rows, &el).filter(|r| self.is_row(r)),
            Body::Boxes { rows: None } => None,
        }
    }

    /// Whether a removed or added node was or held the part that holds the rows: the
    /// grid must be read again.
    pub fn is_structure(&self, el: &Element) -> bool {
        match &self.body {
            Body::Table => el.is_same_node(Some(self.root.unchecked_ref())),
            Body::Boxes { rows } => {
                let is = |x: &Option<Element>| {
                    x.as_ref().is_some_and(|r| {
                        el.is_same_node(Some(r.unchecked_ref()))
                            || el.contains(Some(r.unchecked_ref()))
                    })
                };
                is(rows) || is(&self.header)
            }
        }
    }

    /// Rows inside an element that was added or removed (not itself a row).
    pub fn rows_within(&self, el: &Element) -> Vec<Element> {
        match &self.body {
            Body::Table => query_all(el, "tr, [role=row]"),
            Body::Boxes { .. } => Vec::new(),
        }
    }

    /// Every data row, in order.
    pub fn rows(&self) -> Vec<Element> {
        match &self.body {
            Body::Table => query_all(&self.root, "tr, [role=row]")
                .into_iter()
                .filter(is_data_row)
                .collect(),
            Body::Boxes { rows: Some(rows) } => elements(rows.child_nodes())
                .filter(|r| self.is_row(r))
                .collect(),
            Body::Boxes { rows: None } => Vec::new(),
        }
    }

    /// The cells of a row, in order, and the logical column each starts at (a table
    /// cell with `colspan=2` covers two columns; boxes cover one each).
    pub fn cells(&self, row: &Element) -> (Vec<Element>, Vec<usize>) {
        match &self.body {
            Body::Table => {
                let cells: Vec<Element> = match row.dyn_ref::<HtmlTableRowElement>() {
                    Some(tr) => {
                        let c = tr.cells();
                        (0..c.length()).filter_map(|i| c.item(i)).collect()
                    }
                    None => query_all(row, ":scope > [role=cell], :scope > [role=gridcell]"),
                };
                let starts = logical_starts(&cells);
                (cells, starts)
            }
            Body::Boxes { .. } => {
                let cells: Vec<Element> = elements(row.child_nodes()).collect();
                let starts = (0..cells.len()).collect();
                (cells, starts)
            }
        }
    }

    /// The logical column each header starts at.
    pub fn header_starts(&self) -> Vec<usize> {
        match &self.body {
            Body::Table => logical_starts(&self.headers),
            Body::Boxes { .. } => (0..self.headers.len()).collect(),
        }
    }

    /// The text of one logical column of a row, if the row has a cell there.
    pub fn cell_text(&self, row: &Element, col: usize) -> Option<String> {
        // The common case, a `<tr>` without spanning cells: one cell by index, without
        // reading every cell's colspan (a few calls into the page per row, not twenty).
        if let Some(tr) = row.dyn_ref::<HtmlTableRowElement>() {
            if row.query_selector("[colspan]").ok().flatten().is_none() {
                let i = u32::try_from(col).ok()?;
                return tr.cells().item(i).map(|c| text_of(&c));
            }
        }
        if let Body::Boxes { .. } = self.body {
            return row
                .children()
                .item(u32::try_from(col).ok()?)
                .map(|c| text_of(&c));
        }
        let (cells, starts) = self.cells(row);
        let i = starts.iter().position(|&s| s == col)?;
        Some(text_of(&cells[i]))
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

/// A data row of a table (not a header row).
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

fn as_element(node: &Node) -> Option<Element> {
    match node.dyn_ref::<Element>() {
        Some(el) => Some(el.clone()),
        None => node.parent_element(),
    }
}
