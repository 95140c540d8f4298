//! Aggregate feedback to an agency: its own stored items counted by kind, event type,
//! harm level and EMS category, beside the same counts for the *other* agencies, with
//! small-cell suppression so that no other agency's counts can be recovered.
//!
//! The rules, in order:
//! 1. The other agencies' counts exclude the caller, so subtracting its own from them
//!    reveals nothing.
//! 2. With fewer than [`MIN_AGENCIES`] other agencies, nothing of theirs is shown (with one
//!    or two, "the others" is a named agency or a pair).
//! 3. A cell (one group and value) is suppressed when it counts fewer than [`MIN_CELL`]
//!    items (the CMS cell-size rule) or items of fewer than [`MIN_AGENCIES`] agencies.
//! 4. Complementary suppression: a group (kind, event type, harm, EMS category) in which
//!    exactly one cell is suppressed also suppresses its smallest shown cell, so that the
//!    group's total (known from another group) minus the shown cells cannot reveal it.

use harbor_protocol::{Feedback, FeedbackCounts};
use std::collections::{BTreeMap, BTreeSet};

/// The smallest count of other agencies' items shown (the CMS cell-size rule).
pub const MIN_CELL: u64 = 11;

/// The fewest agencies a shown cell counts, and the fewest other agencies for anything of
/// theirs to be shown.
pub const MIN_AGENCIES: u64 = 3;

/// The cells (group, value) a stored item of `kind` with the opened `body` counts in.
pub fn cells(kind: &str, body: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = vec![("kind".to_owned(), kind.to_owned())];
    if let Some(t) = body["event_type"].as_str() {
        out.push(("event_type".into(), t.to_owned()));
    }
    if let Some(h) = body["harm"]["level"].as_str() {
        out.push(("harm".into(), h.to_owned()));
    }
    let categories: BTreeSet<&str> = body["ems_categories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str())
        .collect();
    for c in categories {
        out.push(("ems_category".into(), c.to_owned()));
    }
    out
}

#[derive(Default)]
struct Cell {
    items: u64,
    agencies: BTreeSet<String>,
}

/// The feedback for `caller` over every stored item, given as (agency id, its cells).
pub fn feedback(
    caller: &str,
    items: impl IntoIterator<Item = (String, Vec<(String, String)>)>,
) -> Feedback {
    let mut mine: FeedbackCounts<u64> = BTreeMap::new();
    let mut others: BTreeMap<String, BTreeMap<String, Cell>> = BTreeMap::new();
    let mut other_agencies = BTreeSet::new();
    for (agency, cells) in items {
        for (group, value) in cells {
            if agency == caller {
                *mine.entry(group).or_default().entry(value).or_default() += 1;
            } else {
                let cell = others.entry(group).or_default().entry(value).or_default();
                cell.items += 1;
                cell.agencies.insert(agency.clone());
            }
        }
        if agency != caller {
            other_agencies.insert(agency);
        }
    }
    let reporting = other_agencies.len() as u64;
    let enough_agencies = reporting >= MIN_AGENCIES;
    let other_agencies = if enough_agencies {
        others
            .iter()
            .map(|(g, c)| (g.clone(), suppress(c)))
            .collect()
    } else {
        BTreeMap::new()
    };
    Feedback {
        agency: mine,
        other_agencies,
        other_agencies_reporting: enough_agencies.then_some(reporting),
        min_cell: MIN_CELL,
        min_agencies: MIN_AGENCIES,
    }
}

/// One group's cells as shown: primary suppression, then complementary.
fn suppress(cells: &BTreeMap<String, Cell>) -> BTreeMap<String, Option<u64>> {
    let mut shown: BTreeMap<String, Option<u64>> = cells
        .iter()
        .map(|(value, c)| {
            let ok = c.items >= MIN_CELL && c.agencies.len() as u64 >= MIN_AGENCIES;
            (value.clone(), ok.then_some(c.items))
        })
        .collect();
    let suppressed = shown.values().filter(|n| n.is_none()).count();
    if suppressed == 1 {
        let smallest = shown
            .iter()
            .filter_map(|(v, n)| n.map(|n| (n, v.clone())))
            .min();
        if let Some((_, value)) = smallest {
            shown.insert(value, None);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` items of agency `a`, each in the cells `kind:call_review` and `event_type:t`.
    fn items(a: &str, t: &str, n: usize) -> Vec<(String, Vec<(String, String)>)> {
        (0..n)
            .map(|_| {
                (
                    a.to_owned(),
                    vec![
                        ("kind".to_owned(), "call_review".to_owned()),
                        ("event_type".to_owned(), t.to_owned()),
                    ],
                )
            })
            .collect()
    }

    fn all(parts: &[(&str, &str, usize)]) -> Vec<(String, Vec<(String, String)>)> {
        parts.iter().flat_map(|(a, t, n)| items(a, t, *n)).collect()
    }

    #[test]
    fn the_caller_is_not_among_the_other_agencies() {
        let f = feedback(
            "me",
            all(&[
                ("me", "near_miss", 50),
                ("a", "near_miss", 20),
                ("b", "near_miss", 20),
                ("c", "near_miss", 20),
            ]),
        );
        assert_eq!(f.agency["event_type"]["near_miss"], 50);
        assert_eq!(f.other_agencies["event_type"]["near_miss"], Some(60));
        assert_eq!(f.other_agencies["kind"]["call_review"], Some(60));
        assert_eq!(f.other_agencies_reporting, Some(3));
    }

    #[test]
    fn with_fewer_than_three_other_agencies_nothing_of_theirs_is_shown() {
        for others in [
            vec![("a", "incident", 500)],
            vec![("a", "incident", 500), ("b", "incident", 500)],
        ] {
            let mut parts = vec![("me", "near_miss", 5)];
            parts.extend(others);
            let f = feedback("me", all(&parts));
            assert!(f.other_agencies.is_empty(), "{:?}", f.other_agencies);
            assert_eq!(f.other_agencies_reporting, None);
            assert_eq!(f.agency["event_type"]["near_miss"], 5);
        }
    }

    #[test]
    fn a_cell_under_the_threshold_or_from_fewer_than_three_agencies_is_suppressed() {
        let f = feedback(
            "me",
            all(&[
                ("a", "near_miss", 30),
                ("b", "near_miss", 30),
                ("c", "near_miss", 30),
                // 10 items from three agencies: under 11.
                ("a", "incident", 4),
                ("b", "incident", 3),
                ("c", "incident", 3),
                // 40 items, all from two agencies.
                ("a", "unsafe_condition", 20),
                ("b", "unsafe_condition", 20),
            ]),
        );
        let e = &f.other_agencies["event_type"];
        assert_eq!(e["near_miss"], Some(90));
        assert_eq!(e["incident"], None);
        assert_eq!(e["unsafe_condition"], None);
    }

    #[test]
    fn a_lone_suppressed_cell_takes_the_smallest_shown_one_with_it() {
        let f = feedback(
            "me",
            all(&[
                ("a", "near_miss", 30),
                ("b", "near_miss", 30),
                ("c", "near_miss", 30),
                ("a", "unsafe_condition", 5),
                ("b", "unsafe_condition", 5),
                ("c", "unsafe_condition", 5),
                ("a", "incident", 2),
            ]),
        );
        // The kind total (107) is shown; incident alone would be 107 - 90 - 15.
        assert_eq!(f.other_agencies["kind"]["call_review"], Some(107));
        let e = &f.other_agencies["event_type"];
        assert_eq!(e["incident"], None);
        assert_eq!(e["unsafe_condition"], None, "complementary suppression");
        assert_eq!(e["near_miss"], Some(90));
        let shown: u64 = e.values().flatten().sum();
        assert_ne!(
            107 - shown,
            2,
            "the suppressed cell is not recovered by difference"
        );
    }

    #[test]
    fn cells_count_each_category_once_per_item() {
        let body = serde_json::json!({"event_type": "incident", "harm": {"level": "no_harm"},
                                      "ems_categories": ["airway", "airway", "medication"]});
        let c = cells("call_review", &body);
        assert_eq!(c.len(), 5, "{c:?}");
    }
}
