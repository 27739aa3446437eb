//! Scanning documents for references: `#id` fragments (links, markup links) and parameter
//! insertions (`{{ insert: param, id }}`), and small text helpers (glob, natural order).

use std::cmp::Ordering;
use std::collections::HashSet;

/// Characters an id or UUID can hold after `#` or in an insertion.
fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// Adds every `#id` fragment reference found in `s` to `out`.
pub(crate) fn fragment_refs(s: &str, out: &mut HashSet<String>) {
    let mut rest = s;
    while let Some(i) = rest.find('#') {
        let after = rest.get(i + 1..).unwrap_or("");
        let end = after.find(|c: char| !is_id_char(c)).unwrap_or(after.len());
        let id = after.get(..end).unwrap_or("").trim_end_matches('.');
        if !id.is_empty() {
            out.insert(id.to_owned());
        }
        rest = after;
    }
}

/// Adds every parameter id inserted with `{{ insert: param, id }}` in `s` to `out`.
pub(crate) fn param_inserts(s: &str, out: &mut HashSet<String>) {
    let mut rest = s;
    while let Some(i) = rest.find("insert:") {
        let after = rest.get(i + "insert:".len()..).unwrap_or("");
        rest = after;
        let t = after.trim_start();
        let Some(t) = t.strip_prefix("param") else { continue };
        let t = t.trim_start();
        let Some(t) = t.strip_prefix(',') else { continue };
        let t = t.trim_start();
        let end = t.find(|c: char| !is_id_char(c)).unwrap_or(t.len());
        if let Some(id) = t.get(..end).filter(|id| !id.is_empty()) {
            out.insert(id.to_owned());
        }
    }
}

/// Whether `text` matches the glob `pattern` (`*`: any run of characters, `?`: one character).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some('*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some('?'), Some(_)) => {
                pi += 1;
                ti += 1;
            }
            (Some(a), Some(b)) if a == b => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

/// Natural order: runs of digits compare as numbers (`ac-2` < `ac-10`), other characters as
/// characters; ties fall back to plain string order.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut ai = a.chars().peekable();
    let mut bi = b.chars().peekable();
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let mut na = String::new();
                while let Some(c) = ai.peek().copied().filter(char::is_ascii_digit) {
                    na.push(c);
                    ai.next();
                }
                let mut nb = String::new();
                while let Some(c) = bi.peek().copied().filter(char::is_ascii_digit) {
                    nb.push(c);
                    bi.next();
                }
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let ord = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                ai.next();
                bi.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("ac-*", "ac-1"));
        assert!(glob_match("ac-?", "ac-1"));
        assert!(!glob_match("ac-?", "ac-10"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*c*e", "abcde"));
        assert!(!glob_match("a*c*f", "abcde"));
        assert!(glob_match("ac-2.*", "ac-2.13"));
        assert!(!glob_match("ac-2", "ac-2.1"));
    }

    #[test]
    fn natural() {
        assert_eq!(natural_cmp("ac-2", "ac-10"), Ordering::Less);
        assert_eq!(natural_cmp("ac-10", "ac-2.1"), Ordering::Greater);
        assert_eq!(natural_cmp("b", "a1"), Ordering::Greater);
    }

    #[test]
    fn scans() {
        let mut f = HashSet::new();
        fragment_refs(r##"see [x](#abc-1) and "href":"#u-2", end #."##, &mut f);
        assert_eq!(f, HashSet::from(["abc-1".to_owned(), "u-2".to_owned()]));
        let mut p = HashSet::new();
        param_inserts("a {{ insert: param, ac-1_prm_1 }} b {{insert:param,x}} {{ insert: other, y }}", &mut p);
        assert_eq!(p, HashSet::from(["ac-1_prm_1".to_owned(), "x".to_owned()]));
    }
}
