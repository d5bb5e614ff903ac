//! Interprets the locator table (`core::locators`) on the live page (each kind of
//! locator in `find.rs`), caches what it found for one pass, and remembers per locator
//! how many elements it found, for the popup's page check.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use web_sys::{Document, Element};

use super::find::{find_in, root};
use crate::core::locators::{default_table, Find, Locator};
use crate::core::messages::{LocatorHealth, LocatorState};

/// The locator table in force on this page (defaults plus configured overrides).
pub struct Locate {
    table: Vec<Locator>,
    /// Ids replaced by a configured override.
    overridden: BTreeSet<String>,
    /// Elements found per locator this pass (summed over the scopes it was looked in).
    found: BTreeMap<String, u32>,
    /// Optional locators whose part of the page is shown now: a miss is a real miss.
    expected: BTreeSet<String>,
    /// Document-scope results of this pass. A `Locate` lives for one pass, during
    /// which the page does not change (the extension's own UI is never matched), so a
    /// second feature asking for the same part costs nothing instead of a page walk.
    cache: HashMap<String, Vec<Element>>,
}

impl Locate {
    pub fn new(table: Vec<Locator>) -> Self {
        let defaults = default_table();
        // Inserted one by one: `collect` into a set sorts first (core::short_sort).
        let mut overridden = BTreeSet::new();
        for l in table.iter().filter(|l| !defaults.contains(l)) {
            overridden.insert(l.id.clone());
        }
        Locate {
            table,
            overridden,
            found: BTreeMap::new(),
            expected: BTreeSet::new(),
            cache: HashMap::new(),
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
                for scope in self.all(doc, parent) {
                    out.extend(self.find(doc, &scope, &loc.find));
                }
                out
            }
            None => match root(doc) {
                Some(r) => self.find(doc, &r, &loc.find),
                None => Vec::new(),
            },
        };
        self.found.insert(loc.id.clone(), out.len() as u32);
        self.cache.insert(loc.id.clone(), out.clone());
        out
    }

    /// `find_in`, with a pane's neighbours resolved through this table.
    fn find(&mut self, doc: &Document, scope: &Element, find: &Find) -> Vec<Element> {
        find_in(scope, find, &mut |ids: &[String]| {
            ids.iter().flat_map(|id| self.all(doc, id)).collect()
        })
    }

    /// The locator's elements inside a given element (e.g. the typing area of one pane).
    pub fn all_in(&mut self, scope: &Element, id: &str) -> Vec<Element> {
        let Some(loc) = self.entry(id).cloned() else {
            return Vec::new();
        };
        let Some(doc) = scope.owner_document() else {
            return Vec::new();
        };
        let out = self.find(&doc, scope, &loc.find);
        *self.found.entry(loc.id.clone()).or_insert(0) += out.len() as u32;
        out
    }

    pub fn first(&mut self, doc: &Document, id: &str) -> Option<Element> {
        self.all(doc, id).into_iter().next()
    }

    pub fn first_in(&mut self, scope: &Element, id: &str) -> Option<Element> {
        self.all_in(scope, id).into_iter().next()
    }

    /// The locator's definition (a feature reads its words: phrases, column names).
    pub fn find_of(&self, id: &str) -> Option<&Find> {
        self.entry(id).map(|l| &l.find)
    }

    /// The phrases of a `Line` locator.
    pub fn phrases(&self, id: &str) -> Vec<String> {
        match self.find_of(id) {
            Some(Find::Line { any_of }) => any_of.clone(),
            _ => Vec::new(),
        }
    }

    /// The words of a locator (a `Column`'s header names, a `Status`'s words…).
    pub fn words(&self, id: &str) -> Vec<String> {
        self.find_of(id)
            .map(|f| f.words().into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The alternatives of a `Column` locator (the header names to look for).
    pub fn column_names(&self, id: &str) -> Vec<String> {
        match self.find_of(id) {
            Some(Find::Column { any_of }) => any_of.clone(),
            _ => Vec::new(),
        }
    }

    /// Records the result of a lookup done outside `all` (e.g. a column by header).
    pub fn record(&mut self, id: &str, found: bool) {
        self.found.insert(id.to_string(), u32::from(found));
    }

    /// An optional locator must be found now (its part of the page is shown, e.g. a
    /// Chat History table without an "Operator" column): the page check says "not found".
    pub fn expect(&mut self, id: &str) {
        self.expected.insert(id.to_string());
    }

    /// Every element a document-scope lookup found this pass.
    pub fn found_elements(&self) -> impl Iterator<Item = &Element> {
        self.cache.values().flatten()
    }

    /// Looks up every locator once — each document-wide, each scoped one inside what its
    /// parent found — for a page check that covers the whole table, not only what this
    /// view's features needed.
    pub fn check_all(&mut self, doc: &Document) {
        let ids: Vec<String> = self.table.iter().map(|l| l.id.clone()).collect();
        for id in ids {
            let _ = self.all(doc, &id);
        }
    }

    /// The state of every locator: found (how many), not shown now (an optional part,
    /// or a part inside one that is not shown), not checked in this view (not looked
    /// up this pass), or not found.
    pub fn health(&self) -> Vec<LocatorHealth> {
        self.table
            .iter()
            .map(|l| {
                let matches = self.found.get(&l.id).copied();
                let parent_missing = l
                    .within
                    .as_ref()
                    .is_some_and(|p| self.found.get(p).copied().unwrap_or(0) == 0);
                // A part whose own parts are on screen is shown, only not recognised
                // (Chat History with a renamed header: its Duration column is there).
                let parts_found = self.table.iter().any(|c| {
                    c.within.as_deref() == Some(l.id.as_str())
                        && self.found.get(&c.id).copied().unwrap_or(0) > 0
                });
                let expected = self.expected.contains(&l.id) || parts_found;
                let state = match matches {
                    Some(n) if n > 0 => LocatorState::Found,
                    Some(_) if l.optional && !expected => LocatorState::NotShownNow,
                    Some(_) if parent_missing && !expected => LocatorState::NotShownNow,
                    Some(_) => LocatorState::NotFound,
                    None if expected => LocatorState::NotFound,
                    None if parent_missing
                        && self
                            .found
                            .contains_key(l.within.as_deref().unwrap_or_default()) =>
                    {
                        LocatorState::NotShownNow
                    }
                    None => LocatorState::NotChecked,
                };
                LocatorHealth {
                    id: l.id.clone(),
                    purpose: l.purpose.clone(),
                    state,
                    matches: matches.unwrap_or(0),
                    fragile: l.find.fragile(),
                    overridden: self.overridden.contains(&l.id),
                }
            })
            .collect()
    }
}
