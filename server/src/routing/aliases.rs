//! Wildcard model aliases: `claude-sonnet-*` → `anthropic/claude-sonnet-4-5`. `*` matches any
//! run of characters (none included), `?` exactly one. An exact pattern (no wildcard) beats
//! every wildcard; among wildcards the most specific wins: more literal characters first,
//! then fewer `*`, then the order they were saved in.

use serde::{Deserialize, Serialize};

/// The longest accepted pattern or target.
pub const MAX_LEN: usize = 200;
/// How many aliases may be saved.
pub const MAX_ALIASES: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub pattern: String,
    pub target: String,
}

impl Alias {
    fn is_exact(&self) -> bool {
        !self.pattern.contains(['*', '?'])
    }

    /// Higher is more specific.
    fn specificity(&self) -> (bool, usize, std::cmp::Reverse<usize>) {
        let literal = self
            .pattern
            .chars()
            .filter(|c| *c != '*' && *c != '?')
            .count();
        let stars = self.pattern.chars().filter(|c| *c == '*').count();
        (self.is_exact(), literal, std::cmp::Reverse(stars))
    }
}

/// Aliases sorted most specific first, ready to match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AliasTable {
    /// In the order they were saved (what the API returns).
    saved: Vec<Alias>,
    /// Indexes into `saved`, most specific first.
    order: Vec<usize>,
}

impl AliasTable {
    pub fn new(saved: Vec<Alias>) -> AliasTable {
        let mut order: Vec<usize> = (0..saved.len()).collect();
        // stable: equal specificity keeps the saved order
        order.sort_by(|&a, &b| saved[b].specificity().cmp(&saved[a].specificity()));
        AliasTable { saved, order }
    }

    pub fn saved(&self) -> &[Alias] {
        &self.saved
    }

    pub fn is_empty(&self) -> bool {
        self.saved.is_empty()
    }

    /// The alias that applies to `model`, if any.
    pub fn lookup(&self, model: &str) -> Option<&Alias> {
        self.order
            .iter()
            .map(|&i| &self.saved[i])
            .find(|a| glob_match(&a.pattern, model))
    }
}

/// Checks one alias; the message names the problem.
pub fn validate(alias: &Alias) -> Result<(), String> {
    let p = alias.pattern.trim();
    let t = alias.target.trim();
    if p.is_empty() {
        return Err("pattern must not be empty".into());
    }
    if t.is_empty() {
        return Err(format!("the target of {p:?} must not be empty"));
    }
    if p.len() > MAX_LEN || t.len() > MAX_LEN {
        return Err(format!(
            "patterns and targets are at most {MAX_LEN} characters"
        ));
    }
    if p.chars().all(|c| c == '*' || c == '?') {
        return Err(format!(
            "pattern {p:?} would match every model; name at least one character"
        ));
    }
    if t.contains(['*', '?']) {
        return Err(format!(
            "target {t:?} must be a model or combo name, without wildcards"
        ));
    }
    if glob_match(p, t) {
        return Err(format!(
            "alias {p:?} → {t:?} would apply to its own target; choose a pattern that does not match it"
        ));
    }
    Ok(())
}

/// `*` any run (empty included), `?` one character; everything else literal, case-sensitive.
/// Iterative with one backtrack point: linear in practice, never exponential.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(p: &str, t: &str) -> Alias {
        Alias {
            pattern: p.into(),
            target: t.into(),
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("claude-sonnet-*", "claude-sonnet-4-5"));
        assert!(glob_match("claude-sonnet-*", "claude-sonnet-"));
        assert!(!glob_match("claude-sonnet-*", "claude-opus-4"));
        assert!(glob_match("gpt-?o", "gpt-4o"));
        assert!(!glob_match("gpt-?o", "gpt-40o"));
        assert!(glob_match("*mini*", "gpt-4o-mini-2024"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
    }

    #[test]
    fn exact_beats_wildcard_and_specific_beats_general() {
        let table = AliasTable::new(vec![
            a("claude-*", "anthropic/claude-haiku-4-5-20251001"),
            a("claude-sonnet-*", "anthropic/claude-sonnet-4-5-20250929"),
            a("claude-sonnet-4", "openai/gpt-4o"),
        ]);
        assert_eq!(
            table.lookup("claude-sonnet-4").unwrap().target,
            "openai/gpt-4o"
        );
        assert_eq!(
            table.lookup("claude-sonnet-4-5").unwrap().target,
            "anthropic/claude-sonnet-4-5-20250929"
        );
        assert_eq!(
            table.lookup("claude-opus").unwrap().target,
            "anthropic/claude-haiku-4-5-20251001"
        );
        assert!(table.lookup("gpt-4o").is_none());
    }

    #[test]
    fn validation_names_the_problem() {
        assert!(validate(&a("", "x")).is_err());
        assert!(validate(&a("*", "x")).unwrap_err().contains("every model"));
        assert!(validate(&a("gpt-*", "gpt-4o"))
            .unwrap_err()
            .contains("own target"));
        assert!(validate(&a("x", "y*")).unwrap_err().contains("wildcards"));
        assert!(validate(&a("claude-*", "anthropic/claude-sonnet-4-5")).is_ok());
    }
}
