//! The command-line contract every command keeps: output that cannot be written is an error
//! (exit 2, one line and a hint on stderr); a closed pipe ends output quietly.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, reason = "tests")]

mod common;

use std::process::{Command, Stdio};

/// Commands that print to standard output, with arguments that succeed or find non-conformance.
const PRINTING: &[&[&str]] = &[
    &["assess"],
    &["rules"],
    &["schema"],
    &["catalog", "list"],
    &["catalog", "show", "8.1.2"],
    &["registry", "list"],
    &["registry", "due"],
    &["cyder", "analyze"],
    &["cyder", "courses"],
    &["oscal", "export"],
    &["statement", "validate", "ismap-controls/data/sample-statement.json"],
];

#[test]
fn a_full_disk_is_an_error_in_every_command() {
    if !std::path::Path::new("/dev/full").exists() {
        return; // not Linux
    }
    for args in PRINTING {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_ismap")).args(*args).stdout(full).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "ismap {args:?} > /dev/full");
        let err = String::from_utf8(o.stderr).unwrap();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert!(lines[0].starts_with("error: cannot write to standard output"), "{err}");
        assert!(lines[1].trim_start().starts_with("hint: "), "{err}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in PRINTING {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ismap"))
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away at once, as `| head -0` would
        let o = child.wait_with_output().unwrap();
        assert!(matches!(o.status.code(), Some(0 | 1)), "ismap {args:?}: {:?}", o.status);
        assert!(o.stderr.is_empty(), "ismap {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn completions_and_manual_pages() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = common::ismap(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = common::stdout(&o);
        assert!(script.contains("statement") && script.contains("registry"), "{shell}: every command is completed");
    }
    let o = common::ismap(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is bad input");
    let dir = common::temp_dir("man");
    let o = common::ismap(&["man", "-o", common::s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    for page in ["ismap.1", "ismap-assess.1", "ismap-statement-template.1", "ismap-registry-verify.1"] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
}
