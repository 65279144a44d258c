//! What the conflict screen shows when a save finds the file changed on
//! disk: the lines that differ between the text on disk ("theirs") and the
//! text keeping "mine" would write, as hunks with a little context.
//!
//! The diff is `similar`'s (Myers, line by line): a well-kept crate, used by
//! `insta` and others, with a time limit so a huge file cannot stall the
//! server (past it the diff is coarser, never wrong).

use std::time::Duration;

use serde_json::{Value as Json, json};
use similar::{ChangeTag, TextDiff};

/// Unchanged lines shown around each change.
const CONTEXT: usize = 3;
/// After this the diff approximates (more lines marked changed than need be).
const TIME_LIMIT: Duration = Duration::from_millis(500);

/// `{same, hunks: [[{tag, old, new, text}]]}`: `tag` is `equal`, `delete`
/// (only on disk) or `insert` (only in mine); `old` and `new` are 1-based
/// line numbers on disk and in mine (null where the line is not there);
/// `text` has no line end.
pub fn lines(disk: &str, mine: &str) -> Json {
    let diff = TextDiff::configure()
        .timeout(TIME_LIMIT)
        .diff_lines(disk, mine);
    let hunks: Vec<Json> = diff
        .grouped_ops(CONTEXT)
        .iter()
        .map(|group| {
            let lines: Vec<Json> = group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|change| {
                    let tag = match change.tag() {
                        ChangeTag::Equal => "equal",
                        ChangeTag::Delete => "delete",
                        ChangeTag::Insert => "insert",
                    };
                    let text = change.value();
                    json!({
                        "tag": tag,
                        "old": change.old_index().map(|i| i + 1),
                        "new": change.new_index().map(|i| i + 1),
                        "text": text.strip_suffix('\n').unwrap_or(text),
                    })
                })
                .collect();
            Json::Array(lines)
        })
        .collect();
    json!({ "same": hunks.is_empty(), "hunks": hunks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_changed_lines_with_context_and_their_numbers() {
        let disk = "a\nb\nc\nd\ne\nf\ng\nh\ntheirs\n";
        let mine = "a\nb\nc\nd\ne\nf\ng\nh\nmine\nmore\n";
        let diff = lines(disk, mine);
        assert_eq!(diff["same"], false);
        let hunks = diff["hunks"].as_array().unwrap();
        assert_eq!(hunks.len(), 1);
        let rows: Vec<(String, Json, Json, String)> = hunks[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let text = |k: &str| l[k].as_str().unwrap().to_string();
                (
                    text("tag"),
                    l["old"].clone(),
                    l["new"].clone(),
                    text("text"),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("equal".into(), json!(6), json!(6), "f".into()),
                ("equal".into(), json!(7), json!(7), "g".into()),
                ("equal".into(), json!(8), json!(8), "h".into()),
                ("delete".into(), json!(9), Json::Null, "theirs".into()),
                ("insert".into(), Json::Null, json!(9), "mine".into()),
                ("insert".into(), Json::Null, json!(10), "more".into()),
            ]
        );
        assert_eq!(
            lines("same\n", "same\n"),
            json!({ "same": true, "hunks": [] })
        );
    }
}
