//! Which outputs a rebuild through the model must render again: the
//! comparison of the previous model with the new one, page by page (the
//! rules are in `dev.rs`'s module documentation).

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{self, Site};
use crate::render;

/// The outputs whose inputs differ between `old` and `new` (see the module
/// documentation for the rules).
pub(super) fn affected(
    old: &Site,
    new: &Site,
    outputs: &[render::Output],
    changed_templates: &BTreeSet<String>,
    deps: &HashMap<String, BTreeSet<String>>,
    (site_wide, content_readers): (&HashSet<String>, &HashSet<String>),
) -> HashSet<String> {
    let mut wanted = HashSet::new();
    let mut dirty_sections: BTreeSet<String> = BTreeSet::new();
    let old_pages: HashMap<&str, &model::Page> =
        old.pages.iter().map(|p| (p.source.as_str(), p)).collect();
    let new_sources: HashSet<&str> = new.pages.iter().map(|p| p.source.as_str()).collect();
    let mut content_changed = false;
    for page in &new.pages {
        let section = &new.sections[page.section].dir;
        match old_pages.get(page.source.as_str()) {
            None => {
                dirty_sections.insert(section.clone());
            }
            Some(before) => {
                let before_section = &old.sections[before.section].dir;
                if before.front != page.front
                    || before.path != page.path
                    || before_section != section
                {
                    dirty_sections.insert(section.clone());
                    dirty_sections.insert(before_section.clone());
                }
                if before.content != page.content
                    || before.toc != page.toc
                    || before.word_count != page.word_count
                {
                    wanted.insert(crate::model::urls::output_file(&page.path));
                    content_changed = true;
                }
            }
        }
    }
    for before in old
        .pages
        .iter()
        .filter(|p| !new_sources.contains(p.source.as_str()))
    {
        dirty_sections.insert(old.sections[before.section].dir.clone());
    }
    let old_sections: HashMap<&str, &model::Section> = old
        .sections
        .iter()
        .map(|s| (s.source.as_str(), s))
        .collect();
    for section in &new.sections {
        let same = old_sections
            .get(section.source.as_str())
            .is_some_and(|before| {
                before.front == section.front
                    && before.content == section.content
                    && before.path == section.path
            });
        if !same {
            dirty_sections.insert(section.dir.clone());
        }
    }
    if old.sections.len() != new.sections.len() {
        dirty_sections.insert(String::new());
    }

    let summaries_changed = !dirty_sections.is_empty();
    // A folder has a section in each language it is translated into, and
    // each lists the others' pages where it lacks its own: all are dirty.
    for dir in &dirty_sections {
        for (id, section) in new
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| &s.dir == dir)
        {
            wanted.insert(crate::model::urls::output_file(&section.path));
            for &p in &section.pages {
                wanted.insert(crate::model::urls::output_file(&new.pages[p].path));
            }
            let mut parent = new.sections[id].parent;
            while let Some(p) = parent {
                wanted.insert(crate::model::urls::output_file(&new.sections[p].path));
                parent = new.sections[p].parent;
            }
        }
    }
    if summaries_changed {
        for (term, lang) in new.tag_pages() {
            wanted.insert(crate::model::urls::output_file(&new.tag_path(term, lang)));
        }
    }
    for render::Output { file, template, .. } in outputs {
        let chain = deps.get(template);
        let uses = |name: &String| name == template || chain.is_some_and(|c| c.contains(name));
        if changed_templates.iter().any(uses) {
            wanted.insert(file.clone());
        }
        // Site-wide data can show any page's summary, `get_page` its content.
        if (summaries_changed && site_wide.contains(template))
            || (content_changed && content_readers.contains(template))
        {
            wanted.insert(file.clone());
        }
    }
    if summaries_changed || content_changed {
        wanted.extend(render::generated_files(new));
    }
    wanted
}
