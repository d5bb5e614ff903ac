//! A stable sort for the short lists the core and the page order (a day's open spans,
//! the shifts around now, an element's attribute names).
//!
//! The standard library's stable sort is a few KB of code for every element type and
//! comparison it is used with, six times over in the content script's module (26 KB
//! before compression: docs/performance.md, Sizes). Insertion sort is a few dozen bytes
//! each, as fast for lists of a few dozen, and linear on a list already nearly in order
//! (the shifts come day by day); the same order as `sort_by` (stable).

/// Sorts `v` so that no element is `less` than the one before it, keeping equal
/// elements in their order. Quadratic: for short lists only.
pub fn sort_by<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties included.
        #[test]
        fn orders_as_the_stable_sort(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..60)) {
            let mut ours = v.clone();
            super::sort_by(&mut ours, |a, b| a.0 < b.0);
            let mut std = v;
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
        }
    }
}
