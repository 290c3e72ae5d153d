//! A line diff (longest common subsequence) for the "Apply" preview, with long runs of
//! unchanged lines folded away.

use app::api::preview_cli_config::DiffLine;

/// Lines of unchanged context kept around each change.
const CONTEXT: usize = 3;
/// Beyond this many cells the LCS table is skipped: the whole old file is shown removed
/// and the new one added (configuration files are far smaller).
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Op {
    Same,
    Add,
    Del,
}

fn ops<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<(Op, &'a str)> {
    let (n, m) = (old.len(), new.len());
    if n.saturating_mul(m) > MAX_CELLS {
        let mut out: Vec<(Op, &str)> = old.iter().map(|l| (Op::Del, *l)).collect();
        out.extend(new.iter().map(|l| (Op::Add, *l)));
        return out;
    }
    // lcs[i][j]: the LCS length of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push((Op::Same, old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Op::Del, old[i]));
            i += 1;
        } else {
            out.push((Op::Add, new[j]));
            j += 1;
        }
    }
    out
}

/// The diff of two texts, line by line, unchanged runs folded to [`CONTEXT`] lines around
/// each change.
pub(crate) fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let all = ops(&old, &new);
    let changed: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, (op, _))| *op != Op::Same)
        .map(|(i, _)| i)
        .collect();
    let near_change = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT);
    let mut out = Vec::new();
    let mut folded = 0usize;
    let flush = |out: &mut Vec<DiffLine>, folded: &mut usize| {
        if *folded > 0 {
            out.push(DiffLine {
                kind: "skip".into(),
                text: format!(
                    "… {} unchanged line{}",
                    folded,
                    if *folded == 1 { "" } else { "s" }
                ),
            });
            *folded = 0;
        }
    };
    for (i, (op, text)) in all.iter().enumerate() {
        let kind = match op {
            Op::Same if !near_change(i) => {
                folded += 1;
                continue;
            }
            Op::Same => "same",
            Op::Add => "add",
            Op::Del => "del",
        };
        flush(&mut out, &mut folded);
        out.push(DiffLine {
            kind: kind.into(),
            text: text.to_string(),
        });
    }
    flush(&mut out, &mut folded);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(d: &[DiffLine]) -> Vec<String> {
        d.iter()
            .map(|l| match l.kind.as_str() {
                "add" => format!("+{}", l.text),
                "del" => format!("-{}", l.text),
                "skip" => format!("~{}", l.text),
                _ => format!(" {}", l.text),
            })
            .collect()
    }

    #[test]
    fn shows_changes_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nb\nc\nd\ne\nF\ng\nh\ni\nj\nk\n";
        assert_eq!(
            render(&diff(old, new)),
            vec![
                "~… 2 unchanged lines",
                " c",
                " d",
                " e",
                "-f",
                "+F",
                " g",
                " h",
                " i",
                " j",
                "+k"
            ]
        );
        assert_eq!(render(&diff("", "x\n")), vec!["+x"]);
        assert_eq!(
            render(&diff("same\n", "same\n")),
            vec!["~… 1 unchanged line"]
        );
    }
}
