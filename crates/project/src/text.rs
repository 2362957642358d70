//! Text for messages: name lists and shell-quoted arguments, shared by every command's output.

/// How many names a summary line lists before it says "and N more".
const LISTED_NAMES: usize = 8;

/// `arg` as a POSIX shell reads it back: as is when every character is plain, else in single
/// quotes (a `'` inside written `'\''`). The one quoter for every command lunora prints.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// `names` joined with ", " for a summary line; past [`LISTED_NAMES`], the first ones and
/// "… and N more" (a 1,000-container app printed every name on each run).
pub fn name_list(names: &[&str]) -> String {
    if names.len() <= LISTED_NAMES {
        return names.join(", ");
    }
    let shown = LISTED_NAMES - 1;
    format!(
        "{}, … and {} more",
        names[..shown].join(", "),
        names.len() - shown
    )
}

/// What a command says when a name is not a declared container: `no containers are declared`,
/// or `the declared containers are `a`, `b``.
pub fn declared_containers(declared: &[String]) -> String {
    if declared.is_empty() {
        return "no containers are declared".to_string();
    }
    let mut out = String::from("the declared containers are ");
    for (i, name) in declared.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_only_what_a_shell_would_read_differently() {
        assert_eq!(
            shell_quote("@lunora/container@0.1.0"),
            "@lunora/container@0.1.0"
        );
        assert_eq!(
            shell_quote("@lunora/container@^0.1.0"),
            "'@lunora/container@^0.1.0'"
        );
        assert_eq!(shell_quote("A:b c"), "'A:b c'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn long_name_lists_are_cut() {
        let names: Vec<String> = (0..1000).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(name_list(&refs[..8]), "c0, c1, c2, c3, c4, c5, c6, c7");
        assert_eq!(
            name_list(&refs[..9]),
            "c0, c1, c2, c3, c4, c5, c6, … and 2 more"
        );
        assert_eq!(
            name_list(&refs),
            "c0, c1, c2, c3, c4, c5, c6, … and 993 more"
        );
    }
}
