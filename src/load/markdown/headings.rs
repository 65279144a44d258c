//! Heading ids and the table of contents.
//!
//! Every heading gets an id: its `{#id}` attribute, or a slug of its text.
//! Ids must be unique within a page, so repeats get `-1`, `-2`… The
//! obvious way (try `base`, `base-1`, `base-2`… until one is free) is
//! quadratic in the number of repeats: a changelog with 20,000 `## Changes`
//! headings took 27 s. [`IdAllocator`] remembers, per base, the last suffix
//! it handed out, so each heading costs O(1) expected time and the ids are
//! exactly the ones the obvious way gives.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::plain_text;

/// A heading of the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

pub(super) struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Hands out unique ids. Invariant: every id in `used` stays used, so the
/// search for a free `base-N` can resume where the last search for `base`
/// stopped: the suffixes skipped then are still taken.
struct IdAllocator {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl IdAllocator {
    fn new(reserved: HashSet<String>) -> Self {
        IdAllocator {
            used: reserved,
            next_suffix: HashMap::new(),
        }
    }

    /// `base` if free, else the first free `base-N`, N counting from 1.
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(0);
        loop {
            *n += 1;
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Gives every heading an id: its `{#id}` attribute, or a slug of its text;
/// repeats get `-1`, `-2`… so ids are unique within the page.
pub(super) fn assign_heading_ids(events: &mut [(Event, std::ops::Range<usize>)]) -> Vec<Heading> {
    // Explicit `{#id}`s are reserved first, so an automatic id never takes
    // one an editor chose and links to.
    let reserved: HashSet<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut ids = IdAllocator::new(reserved);
    let mut explicit_seen = HashSet::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i].0 {
            let level = *level as u8;
            let end = events[i..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let title = plain_text(events[i + 1..end].iter().map(|(e, _)| e));
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                let chosen = match id {
                    // The first heading to claim an explicit id keeps it.
                    Some(explicit) if explicit_seen.insert(explicit.to_string()) => {
                        explicit.to_string()
                    }
                    Some(explicit) => ids.unique(explicit.to_string()),
                    None => ids.unique(slug_or(&title, "section")),
                };
                *id = Some(CowStr::from(chosen.clone()));
                headings.push(Heading {
                    level,
                    id: chosen,
                    title,
                });
            }
            i = end;
        }
        i += 1;
    }
    headings
}

/// A URL-safe slug of `text`, or `fallback` when nothing is left.
pub fn slug_or(text: &str, fallback: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// Turns the flat heading list into a tree: each heading holds the deeper
/// headings that follow it. Heading levels go to 6, so the descent is at
/// most six deep.
pub(super) fn nest(headings: Vec<Heading>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            level: h.level,
            id: h.id,
            title: h.title,
            children: Vec::new(),
        };
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious quadratic allocator, as the reference.
    fn reference(bases: &[&str], reserved: &[&str]) -> Vec<String> {
        let mut used: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        bases
            .iter()
            .map(|base| {
                let mut candidate = base.to_string();
                let mut n = 0;
                while !used.insert(candidate.clone()) {
                    n += 1;
                    candidate = format!("{base}-{n}");
                }
                candidate
            })
            .collect()
    }

    #[test]
    fn ids_match_the_obvious_allocation() {
        // Bases that collide with each other's suffixed forms on purpose.
        let bases = [
            "a", "a", "a-1", "a", "a-2", "a-1", "b", "a", "a-1-1", "a-1", "b", "b-1",
        ];
        let reserved = ["a-3", "b-2"];
        let mut ids = IdAllocator::new(reserved.iter().map(|s| s.to_string()).collect());
        let got: Vec<String> = bases.iter().map(|b| ids.unique(b.to_string())).collect();
        assert_eq!(got, reference(&bases, &reserved));
    }

    #[test]
    fn many_repeats_take_the_next_free_suffix() {
        let mut ids = IdAllocator::new(HashSet::new());
        let last = (0..50_000)
            .map(|_| ids.unique("changes".into()))
            .last()
            .unwrap();
        assert_eq!(last, "changes-49999");
    }
}
