//! The line memo: each code line's parse, by the grammar state it starts in.
//!
//! Input: a line and the parse state before it. Output: syntect's scope operations for the
//! line and the state after it, parsed once and then remembered. Code repeats itself across
//! a book (a listing grows step by step through a chapter; `}` and `fn main() {` are
//! everywhere), and parsing the line is almost all of highlighting's cost. Parse states hold
//! Oniguruma regions, which may not cross threads, so each rendering job keeps a memo of
//! its own (rayon's `map_init`) rather than all of them sharing one.

use std::collections::HashMap;
use std::rc::Rc;

use syntect::parsing::{ParseState, ScopeStackOp, SyntaxSet};
use xxhash_rust::xxh3::xxh3_64;

/// One line's scope operations, shared between the memo and its readers.
pub(super) type Ops = Rc<[(usize, ScopeStackOp)]>;

/// Lines longer than this are parsed every time: they rarely repeat, and would weigh.
const LONGEST_LINE: usize = 400;

/// Lines a memo holds before it forgets them all, so that a book of code that never
/// repeats does not grow it without bound (this many lines is a few tens of MB).
const LIMIT: usize = 100_000;

/// States remembered per line text: a line seen in more states than this is parsed anew.
const STATES_PER_LINE: usize = 8;

struct Remembered {
    line: Box<str>,
    before: ParseState,
    after: ParseState,
    ops: Ops,
}

/// Parsed lines by the hash of their text.
#[derive(Default)]
pub(crate) struct LineMemo {
    lines: HashMap<u64, Vec<Remembered>>,
}

impl LineMemo {
    /// Parses `line` from `state` (which it moves past the line), or takes what an earlier
    /// parse of the same line from the same state gave. `None` when the grammar fails.
    pub(super) fn parse(
        &mut self,
        state: &mut ParseState,
        line: &str,
        syntaxes: &SyntaxSet,
    ) -> Option<Ops> {
        if line.len() > LONGEST_LINE {
            return state.parse_line(line, syntaxes).ok().map(Ops::from);
        }
        let hash = xxh3_64(line.as_bytes());
        if let Some(entries) = self.lines.get(&hash)
            && let Some(found) = entries
                .iter()
                .find(|entry| &*entry.line == line && entry.before == *state)
        {
            state.clone_from(&found.after);
            return Some(Rc::clone(&found.ops));
        }
        let before = state.clone();
        let ops: Ops = state.parse_line(line, syntaxes).ok()?.into();
        if self.lines.len() >= LIMIT {
            self.lines.clear();
        }
        let entries = self.lines.entry(hash).or_default();
        if entries.len() < STATES_PER_LINE {
            entries.push(Remembered {
                line: line.into(),
                before,
                after: state.clone(),
                ops: Rc::clone(&ops),
            });
        }
        Some(ops)
    }

    /// How many line texts are remembered.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lines.len()
    }
}
