//! Interprets the locator table (`core::locators`) on the live page, and remembers per
//! locator whether it was found, for the popup's page check.

use std::collections::BTreeMap;

use web_sys::{Document, Element};

use super::{accessible_name, query_all, role_of, text_of};
use crate::core::locators::{line_match, text_matches, Find, Locator};
use crate::core::messages::LocatorHealth;

/// Tags that may carry a role implicitly, so `[role=x]` alone would miss them.
fn implicit_tags(role: &str) -> &'static str {
    match role {
        "button" => "button, input[type=button], input[type=submit]",
        "link" => "a[href]",
        "navigation" => "nav",
        "dialog" => "dialog",
        "table" => "table",
        "textbox" => "textarea, input:not([type]), input[type=text]",
        "combobox" => "select",
        "option" => "option",
        "list" => "ul, ol",
        "listitem" => "li",
        "group" => "fieldset",
        "region" => "section[aria-label], section[aria-labelledby]",
        "heading" => "h1, h2, h3, h4, h5, h6",
        "checkbox" => "input[type=checkbox]",
        "radio" => "input[type=radio]",
        _ => "",
    }
}

const TEXT_CANDIDATES: &str =
    "button, a, [role=button], [role=link], [role=tab], [role=menuitem], \
     [role=option], h1, h2, h3, h4, h5, h6, [role=heading], label, summary, li";
const CONTROL_CANDIDATES: &str =
    "input, select, textarea, [role=checkbox], [role=radio], [role=textbox]";

/// The locator table in force on this page (defaults plus configured overrides).
pub struct Locate {
    table: Vec<Locator>,
    found: BTreeMap<String, bool>,
    /// Optional locators whose part of the page is shown now: a miss is a real miss.
    expected: std::collections::BTreeSet<String>,
    /// Document-scope results of this flush. A `Locate` lives for one flush, during
    /// which the page does not change (the extension's own UI is never matched), so a
    /// second feature asking for the same part costs nothing instead of a page walk.
    cache: std::collections::HashMap<String, Vec<Element>>,
    /// Document-wide query results of this flush, by selector: several locators share
    /// one candidate list (every `Label` locator searches the same form controls).
    queried: std::collections::HashMap<String, Vec<Element>>,
}

impl Locate {
    pub fn new(table: Vec<Locator>) -> Self {
        Locate {
            table,
            found: BTreeMap::new(),
            expected: Default::default(),
            cache: Default::default(),
            queried: Default::default(),
        }
    }

    fn entry(&self, id: &str) -> Option<&Locator> {
        self.table.iter().find(|l| l.id == id)
    }

    /// Every element the locator `id` finds (inside its `within` parent, if any).
    pub fn all(&mut self, doc: &Document, id: &str) -> Vec<Element> {
        if let Some(hit) = self.cache.get(id) {
            return hit.clone();
        }
        let Some(loc) = self.entry(id).cloned() else {
            return Vec::new();
        };
        let out = match &loc.within {
            Some(parent) => {
                let mut out = Vec::new();
                for scope in &self.all(doc, parent) {
                    out.extend(find_in(scope, &loc.find, &mut query_all));
                }
                out
            }
            None => match doc.document_element() {
                Some(root) => {
                    let queried = &mut self.queried;
                    find_in(&root, &loc.find, &mut |scope, selector| {
                        queried
                            .entry(selector.to_string())
                            .or_insert_with(|| query_all(scope, selector))
                            .clone()
                    })
                }
                None => Vec::new(),
            },
        };
        self.found.insert(loc.id.clone(), !out.is_empty());
        self.cache.insert(loc.id.clone(), out.clone());
        out
    }

    /// The locator's elements inside a given element (e.g. the typing area of one pane).
    pub fn all_in(&mut self, scope: &Element, id: &str) -> Vec<Element> {
        let Some(loc) = self.entry(id).cloned() else {
            return Vec::new();
        };
        let out = find_in(scope, &loc.find, &mut query_all);
        if !out.is_empty() {
            self.found.insert(loc.id.clone(), true);
        } else {
            self.found.entry(loc.id.clone()).or_insert(false);
        }
        out
    }

    pub fn first(&mut self, doc: &Document, id: &str) -> Option<Element> {
        self.all(doc, id).into_iter().next()
    }

    pub fn first_in(&mut self, scope: &Element, id: &str) -> Option<Element> {
        self.all_in(scope, id).into_iter().next()
    }

    /// The phrases of a `Line` locator.
    pub fn phrases(&self, id: &str) -> Vec<String> {
        match self.entry(id).map(|l| &l.find) {
            Some(Find::Line { any_of }) => any_of.clone(),
            _ => Vec::new(),
        }
    }

    /// The alternatives of a `Column` locator (the header names to look for).
    pub fn column_names(&self, id: &str) -> Vec<String> {
        match self.entry(id).map(|l| &l.find) {
            Some(Find::Column { any_of }) => any_of.clone(),
            _ => Vec::new(),
        }
    }

    /// Records the result of a lookup done outside `all` (e.g. a column by header).
    pub fn record(&mut self, id: &str, found: bool) {
        self.found.insert(id.to_string(), found);
    }

    /// An optional locator must be found now (its part of the page is shown, e.g. a
    /// Chat History table without an "Operator" column): the page check says "not found".
    pub fn expect(&mut self, id: &str) {
        self.expected.insert(id.to_string());
    }

    /// Every element a document-scope lookup found this flush.
    pub fn found_elements(&self) -> impl Iterator<Item = &Element> {
        self.cache.values().flatten()
    }

    /// Found / not found for every locator; those not looked up this time count as not found.
    pub fn health(&self) -> Vec<LocatorHealth> {
        self.table
            .iter()
            .map(|l| LocatorHealth {
                id: l.id.clone(),
                purpose: l.purpose.clone(),
                found: self.found.get(&l.id).copied().unwrap_or(false),
                optional: l.optional && !self.expected.contains(&l.id),
            })
            .collect()
    }
}

/// What the extension added (notices, suggestion strips) is never part of the page: a
/// warning that says "being transferred" must not read as the page saying it.
fn find_in(
    scope: &Element,
    find: &Find,
    query: &mut dyn FnMut(&Element, &str) -> Vec<Element>,
) -> Vec<Element> {
    let mut found = find_any(scope, find, query);
    found.retain(|el| !super::notices::is_own(el));
    found
}

/// `query(scope, selector)` runs the candidate query (a per-flush cache for the document).
fn find_any(
    scope: &Element,
    find: &Find,
    query: &mut dyn FnMut(&Element, &str) -> Vec<Element>,
) -> Vec<Element> {
    match find {
        Find::TableWithHeaders { headers } => query(scope, "table, [role=table], [role=grid]")
            .into_iter()
            .filter(|table| {
                let names = header_texts(table);
                headers.iter().all(|h| {
                    names
                        .iter()
                        .any(|n| text_matches(n, std::slice::from_ref(h)))
                })
            })
            .collect(),
        Find::Column { any_of } => header_cells(scope)
            .into_iter()
            .filter(|th| text_matches(&text_of(th), any_of))
            .collect(),
        Find::Role { role, any_of } => {
            let mut selector = format!("[role=\"{}\"]", role.replace('"', ""));
            let implied = implicit_tags(role);
            if !implied.is_empty() {
                selector.push_str(", ");
                selector.push_str(implied);
            }
            query(scope, &selector)
                .into_iter()
                .filter(|el| role_of(el) == *role)
                .filter(|el| any_of.is_empty() || text_matches(&accessible_name(el), any_of))
                .collect()
        }
        Find::Text { any_of } => query(scope, TEXT_CANDIDATES)
            .into_iter()
            .filter(|el| {
                text_matches(&text_of(el), any_of)
                    || el
                        .get_attribute("aria-label")
                        .is_some_and(|t| text_matches(&t, any_of))
                    || el
                        .get_attribute("title")
                        .is_some_and(|t| text_matches(&t, any_of))
            })
            .collect(),
        Find::Label { any_of } => query(scope, CONTROL_CANDIDATES)
            .into_iter()
            .filter(|el| text_matches(&accessible_name(el), any_of))
            .collect(),
        Find::Line { any_of } => query(scope, "*")
            .into_iter()
            .filter(|el| el.child_element_count() == 0)
            .filter(|el| line_match(&text_of(el), any_of).is_some())
            .collect(),
        Find::Css { selector } => query(scope, selector),
    }
}

/// Header cells of a table: `<th>` or `role=columnheader`, in the first header row.
pub fn header_cells(table: &Element) -> Vec<Element> {
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

fn header_texts(table: &Element) -> Vec<String> {
    header_cells(table).iter().map(text_of).collect()
}
