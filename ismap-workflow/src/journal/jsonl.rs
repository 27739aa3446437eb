//! The JSON Lines store: one canonical entry per line, fsync on every append, an exclusive
//! advisory lock on the file (fs4 `flock`/`LockFileEx`) for the writer.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use super::{
    Digest, JournalEntry, JournalError, JournalStore, TornTail, VerifyReport, chain_line, io_error, verify_lines,
};
use crate::Event;

/// A JSON Lines journal open for appending.
///
/// ```
/// use ismap_workflow::{JournalStore, JsonlJournal};
/// # let dir = std::env::temp_dir().join(format!("ismap-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// let path = dir.join("registry.jsonl");
/// # let _ = std::fs::remove_file(&path);
/// let mut journal = JsonlJournal::open(&path)?;
/// for entry in ismap_workflow::sample_entries()?.iter().take(3) {
///     journal.append(&entry.event)?;
/// }
/// assert!(matches!(JsonlJournal::open(&path), Err(ismap_workflow::JournalError::Locked { .. })));
/// drop(journal);
/// assert_eq!(JsonlJournal::verify_path(&path)?.entries, 3);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonlJournal {
    path: PathBuf,
    file: File,
    len: u64,
    head: Digest,
    poisoned: bool,
}

fn lock(file: &File, path: &Path) -> Result<(), JournalError> {
    match fs4::FileExt::try_lock(file) {
        Ok(()) => Ok(()),
        Err(fs4::TryLockError::WouldBlock) => Err(JournalError::Locked { path: path.to_owned() }),
        Err(fs4::TryLockError::Error(e)) => Err(io_error(path, "lock")(e)),
    }
}

/// Makes a newly created file's directory entry durable.
fn sync_parent(path: &Path) -> Result<(), JournalError> {
    #[cfg(unix)]
    {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
        File::open(parent).and_then(|d| d.sync_all()).map_err(io_error(path, "sync the directory of"))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl JournalStore for JsonlJournal {
    const KIND: &'static str = "jsonl";

    fn open(path: &Path) -> Result<Self, JournalError> {
        let existed = path.exists();
        let file =
            OpenOptions::new().read(true).append(true).create(true).open(path).map_err(io_error(path, "open"))?;
        lock(&file, path)?;
        if !existed {
            sync_parent(path)?;
        }
        let report = verify_lines(BufReader::new(&file), |_| {}).map_err(io_error(path, "read"))?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        Ok(Self {
            path: path.to_owned(),
            file,
            len: report.entries,
            head: report.head.unwrap_or(Digest::ZERO),
            poisoned: false,
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn append(&mut self, event: &Event) -> Result<JournalEntry, JournalError> {
        if self.poisoned {
            return Err(JournalError::Poisoned { path: self.path.clone() });
        }
        let seq = self.len + 1;
        let (entry, line) = chain_line(seq, self.head, event.clone())
            .map_err(|e| JournalError::Serialize { message: e.to_string() })?;
        let line = line + "\n";
        // One write of the whole line, then fsync: the entry is acknowledged only once durable.
        let written = self.file.write_all(line.as_bytes()).and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            self.poisoned = true;
            return Err(io_error(&self.path, "append to")(e));
        }
        self.len = seq;
        self.head = entry.hash;
        Ok(entry)
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn head(&self) -> Option<Digest> {
        (self.len > 0).then_some(self.head)
    }

    fn verify_path(path: &Path) -> Result<VerifyReport, JournalError> {
        let file = File::open(path).map_err(io_error(path, "open"))?;
        verify_lines(BufReader::new(file), |_| {}).map_err(io_error(path, "read"))
    }

    fn read_path(path: &Path) -> Result<Vec<JournalEntry>, JournalError> {
        let file = File::open(path).map_err(io_error(path, "open"))?;
        let mut out = Vec::new();
        let report = verify_lines(BufReader::new(file), |e| out.push(e)).map_err(io_error(path, "read"))?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        Ok(out)
    }

    fn truncate_torn_tail(path: &Path) -> Result<Option<TornTail>, JournalError> {
        let file = OpenOptions::new().read(true).write(true).open(path).map_err(io_error(path, "open"))?;
        lock(&file, path)?;
        let report = verify_lines(BufReader::new(&file), |_| {}).map_err(io_error(path, "read"))?;
        let Some(tail) = report.torn_tail else { return Ok(None) };
        file.set_len(tail.offset).map_err(io_error(path, "truncate"))?;
        file.sync_all().map_err(io_error(path, "sync"))?;
        Ok(Some(tail))
    }
}
