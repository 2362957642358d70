//! Just enough of npm's semver ranges for `engines` and `peerDependencies`: `||`, space-joined
//! comparators (`>=`, `>`, `<=`, `<`, `=`), `^`, `~`, `x` / `*` wildcards and hyphen ranges.
//! Pre-release tags compare below their release.

/// major, minor, patch, is a pre-release.
type V = (u64, u64, u64, bool);
/// A version whose parts may be wildcards (`1.x`).
type Partial = (Option<u64>, Option<u64>, Option<u64>, bool);

fn parse(v: &str) -> Option<Partial> {
    let v = v.trim().trim_start_matches(['v', '=']);
    let (core, pre) = match v.split_once('-') {
        Some((c, _)) => (c, true),
        None => (v.split('+').next().unwrap_or(v), false),
    };
    let mut it = core.split('.');
    let mut part = || -> Option<Option<u64>> {
        match it.next() {
            None | Some("x" | "X" | "*" | "") => Some(None),
            Some(n) => n.parse().ok().map(Some),
        }
    };
    Some((part()?, part()?, part()?, pre))
}

fn full(v: &str) -> Option<V> {
    let (a, b, c, pre) = parse(v)?;
    Some((a?, b.unwrap_or(0), c.unwrap_or(0), pre))
}

fn cmp(a: &V, b: &V) -> std::cmp::Ordering {
    (a.0, a.1, a.2)
        .cmp(&(b.0, b.1, b.2))
        // A pre-release sorts before its release.
        .then((!a.3).cmp(&!b.3))
}

/// `[lo, hi)` bounds for a partial version (`1.2` → `>=1.2.0 <1.3.0`).
fn partial(v: &str) -> Option<(Option<V>, Option<V>)> {
    let (a, b, c, pre) = parse(v)?;
    Some(match (a, b, c) {
        (None, _, _) => (None, None),
        (Some(a), None, _) => (Some((a, 0, 0, false)), Some((a + 1, 0, 0, true))),
        (Some(a), Some(b), None) => (Some((a, b, 0, false)), Some((a, b + 1, 0, true))),
        (Some(a), Some(b), Some(c)) => (Some((a, b, c, pre)), Some((a, b, c + 1, true))),
    })
}

fn comparator(c: &str, v: &V) -> Option<bool> {
    use std::cmp::Ordering::*;
    let c = c.trim();
    if c.is_empty() || c == "*" || c == "x" {
        return Some(true);
    }
    if let Some(rest) = c.strip_prefix(">=") {
        let (lo, _) = partial(rest)?;
        return Some(lo.is_none_or(|lo| cmp(v, &lo) != Less));
    }
    if let Some(rest) = c.strip_prefix("<=") {
        let (_, hi) = partial(rest)?;
        return Some(hi.is_none_or(|hi| cmp(v, &hi) == Less));
    }
    // `>1.2` means at least the first version past every 1.2.x; `<1.2` means below 1.2.0.
    if let Some(rest) = c.strip_prefix('>') {
        let (_, hi) = partial(rest)?;
        return Some(hi.is_some_and(|hi| cmp(v, &hi) != Less));
    }
    if let Some(rest) = c.strip_prefix('<') {
        let (lo, _) = partial(rest)?;
        return Some(lo.is_some_and(|lo| cmp(v, &lo) == Less));
    }
    if let Some(rest) = c.strip_prefix('^') {
        let (a, b, cc, _) = parse(rest)?;
        let lo = full(rest)?;
        let hi = match (a?, b, cc) {
            (a, _, _) if a > 0 => (a + 1, 0, 0, true),
            (_, None, _) => (1, 0, 0, true),
            (_, Some(b), _) if b > 0 => (0, b + 1, 0, true),
            (_, Some(_), None) => (0, 1, 0, true),
            (_, Some(_), Some(c)) => (0, 0, c + 1, true),
        };
        return Some(cmp(v, &lo) != Less && cmp(v, &hi) == Less);
    }
    if let Some(rest) = c.strip_prefix('~') {
        let (a, b, _, _) = parse(rest.trim_start_matches('>'))?;
        let lo = full(rest.trim_start_matches('>'))?;
        let hi = match b {
            Some(b) => (a?, b + 1, 0, true),
            None => (a? + 1, 0, 0, true),
        };
        return Some(cmp(v, &lo) != Less && cmp(v, &hi) == Less);
    }
    let (lo, hi) = partial(c.trim_start_matches('='))?;
    Some(lo.is_none_or(|lo| cmp(v, &lo) != Less) && hi.is_none_or(|hi| cmp(v, &hi) == Less))
}

/// Whether `version` is in `range`; `None` when either cannot be read.
pub fn satisfies(version: &str, range: &str) -> Option<bool> {
    let v = full(version)?;
    let mut any = false;
    for set in range.split("||") {
        let set = set.trim();
        let ok = if let Some((lo, hi)) = set.split_once(" - ") {
            comparator(&format!(">={}", lo.trim()), &v)?
                && comparator(&format!("<={}", hi.trim()), &v)?
        } else {
            // `>= 1.2` is written with a space sometimes: glue operators to their version.
            let mut glued: Vec<String> = Vec::new();
            for tok in set.split_whitespace() {
                match glued.last_mut() {
                    Some(last)
                        if matches!(last.as_str(), ">" | ">=" | "<" | "<=" | "=" | "^" | "~") =>
                    {
                        last.push_str(tok)
                    }
                    _ => glued.push(tok.to_string()),
                }
            }
            let mut ok = true;
            for c in &glued {
                ok &= comparator(c, &v)?;
            }
            ok
        };
        any |= ok;
    }
    Some(any)
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn ranges_npm_writes() {
        for (v, r, want) in [
            ("0.3.7", ">=0.3.7 <0.4", true),
            ("0.3.12", ">=0.3.7 <0.4", true),
            ("0.4.0", ">=0.3.7 <0.4", false),
            ("0.3.6", ">=0.3.7 <0.4", false),
            ("20.3.0", ">=20.3.0", true),
            ("20.2.9", ">=20.3.0", false),
            ("22.1.0", ">=20.3.0", true),
            ("18.20.0", "^18.18.0 || ^20.9.0 || >=21.1.0", true),
            ("19.0.0", "^18.18.0 || ^20.9.0 || >=21.1.0", false),
            ("0.3.9", "^0.3.7", true),
            ("0.4.0", "^0.3.7", false),
            ("1.9.0", "^1.2.3", true),
            ("2.0.0", "^1.2.3", false),
            ("1.2.9", "~1.2.3", true),
            ("1.3.0", "~1.2.3", false),
            ("1.4.2", "1.x", true),
            ("2.0.0", "1.x", false),
            ("5.0.0", "*", true),
            ("1.5.0", "1.2.3 - 1.6", true),
            ("1.7.0", "1.2.3 - 1.6", false),
            ("4.0.0-beta.1", ">=4.0.0", false),
            ("1.3.0", ">1.2", true),
            ("1.2.5", ">1.2", false),
            ("1.2.5", ">1.2.4", true),
            ("1.2.4", ">1.2.4", false),
            ("1.2.9", "<=1.2", true),
            ("1.3.0", "<=1.2", false),
            ("20.3.0", ">= 20.3.0", true),
        ] {
            assert_eq!(satisfies(v, r), Some(want), "{v} in {r}");
        }
        assert_eq!(satisfies("x.y", ">=1"), None);
    }
}
