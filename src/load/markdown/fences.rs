//! Code fences that are never closed: CommonMark lets such a block run to
//! the end of the text, so one missing ``` silently turns the rest of a page
//! into code. The lint `W-FENCE-UNCLOSED` reports the opening line.

use crate::diagnostics::LineIndex;

/// Whether the fenced code block at `range` runs to the end of the text
/// without a closing fence (its last line is not a fence of its kind).
pub(super) fn unclosed(lines: &LineIndex, range: &std::ops::Range<usize>) -> bool {
    let text = lines.text();
    let Some(block) = text.get(range.clone()) else {
        return false;
    };
    if range.end < text.trim_end().len() {
        return false;
    }
    let opening = block.trim_start();
    let Some(c) = opening.chars().next() else {
        return false;
    };
    let n = opening.chars().take_while(|&x| x == c).count();
    let body = block.trim_end();
    let last = body.rsplit('\n').next().unwrap_or("").trim();
    let closes = body.contains('\n') && last.len() >= n && last.chars().all(|x| x == c);
    !closes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_block_that_runs_to_the_end_unclosed_counts() {
        let t = "```\ncode\n";
        assert!(unclosed(&LineIndex::new(t, 1), &(0..t.len())));
        let t = "```\ncode\n```\n";
        assert!(!unclosed(&LineIndex::new(t, 1), &(0..t.len())));
        let t = "````\ncode\n```\n";
        assert!(unclosed(&LineIndex::new(t, 1), &(0..t.len())));
        let t = "```\ncode\n```\nafter\n";
        assert!(!unclosed(&LineIndex::new(t, 1), &(0..14)));
    }
}
