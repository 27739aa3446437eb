//! Helpers shared by the end-to-end tests of the `ismap` binary (`tests/cli*.rs`).
#![allow(dead_code, reason = "each test file uses its own subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `ismap` with `args`.
pub(crate) fn ismap(args: &[&str]) -> Output {
    command().args(args).output().unwrap()
}

/// The `ismap` binary in a neutral locale (English unless `--lang` says otherwise).
pub(crate) fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ismap"));
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG");
    c
}

/// Standard output as text.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Standard output as JSON.
pub(crate) fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A JSON file.
pub(crate) fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// This test binary's scratch directory (one per process, so test binaries never collide).
fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("ismap-cli-tests-{}", std::process::id()))
}

/// A fresh, empty directory for one test.
pub(crate) fn temp_dir(test: &str) -> PathBuf {
    let dir = scratch().join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `content` to `name` in this binary's scratch directory (names are unique per test file).
pub(crate) fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = scratch().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, name, content)
}

/// Writes `content` to `dir/name`.
pub(crate) fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// A path as `&str`, for arguments.
pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The two lines of a bad-input error (exit 2, nothing on stdout): `error: …` and `hint: …`.
pub(crate) fn assert_one_line_error(o: &Output) -> (String, String) {
    assert_eq!(o.status.code(), Some(2), "{}", stdout(o));
    assert!(o.stdout.is_empty(), "never partial output: {}", stdout(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line and a hint:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[1].trim_start().starts_with("hint: "), "{err}");
    (lines[0].to_owned(), lines[1].to_owned())
}
