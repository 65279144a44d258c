//! The dev server's rendered site: output path → bytes, cheap to copy.
//!
//! Every rebuild makes a new version of the site while the HTTP threads may
//! still be serving the previous one, so a version must be a snapshot. A
//! plain map would have to be copied whole for that (10,000 keys for a
//! one-page edit); here the entries are spread over a fixed number of
//! shared shards, and a new version copies only the shards it changes.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;

/// How many shards: with 10,000 files, about 40 entries are copied per
/// changed shard, and a snapshot is 256 pointer copies.
const SHARDS: usize = 256;

/// A snapshot of every output file. Cloning shares all shards.
#[derive(Clone)]
pub struct Files {
    shards: Vec<Arc<HashMap<String, Arc<[u8]>>>>,
}

/// Fixed keys, so a path lands in the same shard in every process (the
/// shard of a path is not observable, but stable behaviour is easier to
/// reason about).
type ShardHasher = BuildHasherDefault<DefaultHasher>;

impl Files {
    pub fn new() -> Self {
        Files {
            shards: (0..SHARDS).map(|_| Arc::default()).collect(),
        }
    }

    fn shard_of(path: &str) -> usize {
        let hash = ShardHasher::default().hash_one(path);
        (hash % SHARDS as u64) as usize
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.shards[Self::shard_of(path)].get(path)
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Adds or replaces a file. Only its shard is copied, and only if
    /// another snapshot still shares it.
    pub fn insert(&mut self, path: String, bytes: Arc<[u8]>) {
        let shard = &mut self.shards[Self::shard_of(&path)];
        Arc::make_mut(shard).insert(path, bytes);
    }

    /// Keeps the files for which `keep` is true; shards where nothing is
    /// removed stay shared.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        for shard in &mut self.shards {
            if shard.keys().all(|path| keep(path)) {
                continue;
            }
            Arc::make_mut(shard).retain(|path, _| keep(path));
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.is_empty())
    }

    /// Every file, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Arc<[u8]>)> {
        self.shards.iter().flat_map(|s| s.iter())
    }
}

impl Default for Files {
    fn default() -> Self {
        Files::new()
    }
}

impl Extend<(String, Arc<[u8]>)> for Files {
    fn extend<I: IntoIterator<Item = (String, Arc<[u8]>)>>(&mut self, files: I) {
        for (path, bytes) in files {
            self.insert(path, bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Arc<[u8]> {
        Arc::from(text.as_bytes())
    }

    #[test]
    fn a_snapshot_does_not_see_later_changes() {
        let mut files = Files::new();
        for i in 0..1000 {
            files.insert(format!("p{i}/index.html"), bytes("old"));
        }
        let snapshot = files.clone();
        files.insert("p7/index.html".into(), bytes("new"));
        files.insert("added.html".into(), bytes("added"));
        files.retain(|path| path != "p8/index.html");
        assert_eq!(&**snapshot.get("p7/index.html").unwrap(), b"old");
        assert!(snapshot.contains_key("p8/index.html"));
        assert!(!snapshot.contains_key("added.html"));
        assert_eq!(snapshot.len(), 1000);
        assert_eq!(&**files.get("p7/index.html").unwrap(), b"new");
        assert!(!files.contains_key("p8/index.html"));
        assert_eq!(files.len(), 1000);
        assert_eq!(files.iter().count(), 1000);
    }

    #[test]
    fn unchanged_shards_stay_shared() {
        let mut files = Files::new();
        for i in 0..1000 {
            files.insert(format!("p{i}/index.html"), bytes("x"));
        }
        let snapshot = files.clone();
        files.insert("p1/index.html".into(), bytes("y"));
        let shared = files
            .shards
            .iter()
            .zip(&snapshot.shards)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert_eq!(shared, SHARDS - 1);
    }
}
