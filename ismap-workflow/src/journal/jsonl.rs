//! The JSON Lines store: one canonical entry per line, one write and one fsync per batch, and an
//! exclusive advisory lock on the journal file itself (fs4 `flock`/`LockFileEx`) for the writer.

use std::collections::HashMap;
use std::fs::{File, OpenOptions as FsOpenOptions};
use std::io::{BufReader, Read as _, Seek as _, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ismap_model::Limits;

use super::chain::{chain_line, scan_lines};
use super::{
    Appended, BatchPos, Digest, EventId, JournalError, JournalStore, NewEvent, OpenOptions, ScanOptions, Skipped,
    TornTail, VerifyReport, io_error,
};

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
    /// The last entry is complete but has no newline: the next append writes one first.
    needs_newline: bool,
    /// SHA-256 of each event id held, and the entry holding it.
    ids: HashMap<[u8; 32], u64>,
    poisoned: bool,
}

/// Takes the exclusive lock on `file`, polling until `wait` has passed.
pub(crate) fn lock(file: &File, path: &Path, wait: Duration) -> Result<(), JournalError> {
    let deadline = Instant::now() + wait;
    loop {
        match fs4::FileExt::try_lock(file) {
            Ok(()) => return Ok(()),
            Err(fs4::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs4::TryLockError::WouldBlock) => return Err(JournalError::Locked { path: path.to_owned() }),
            Err(fs4::TryLockError::Error(e)) => return Err(io_error(path, "lock")(e)),
        }
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

fn scan_file(
    file: &File,
    path: &Path,
    scan: &mut ScanOptions<'_>,
    ids: Option<super::chain::IdSink<'_>>,
) -> Result<VerifyReport, JournalError> {
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 18, file);
    reader.seek(SeekFrom::Start(0)).map_err(io_error(path, "read"))?;
    scan_lines(reader, &Limits::DEFAULT, total, scan, ids).map_err(io_error(path, "read"))
}

/// Opens and locks the journal for writing and verifies it.
fn open_locked(
    path: &Path,
    options: &OpenOptions,
    create: bool,
    scan: &mut ScanOptions<'_>,
    ids: Option<super::chain::IdSink<'_>>,
) -> Result<(File, VerifyReport), JournalError> {
    let existed = path.exists();
    let file = FsOpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(path)
        .map_err(io_error(path, "open"))?;
    lock(&file, path, options.wait)?;
    if !existed {
        sync_parent(path)?;
    }
    let report = scan_file(&file, path, scan, ids)?;
    Ok((file, report))
}

impl JsonlJournal {
    fn write_all_durably(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        // Appends go to the end whatever the cursor (the file is not opened in append mode so
        // that truncation can share the opening code).
        let written = self
            .file
            .seek(SeekFrom::End(0))
            .and_then(|_| self.file.write_all(bytes))
            .and_then(|()| self.file.sync_data());
        written.map_err(|e| {
            self.poisoned = true;
            io_error(&self.path, "append to")(e)
        })
    }
}

impl JournalStore for JsonlJournal {
    const KIND: &'static str = "jsonl";

    fn open_with(path: &Path, options: &OpenOptions, scan: &mut ScanOptions<'_>) -> Result<Self, JournalError> {
        let mut ids = HashMap::new();
        let mut sink = |id: &str, seq: u64| {
            ids.insert(EventId::key(id), seq);
        };
        let (file, report) = open_locked(path, options, true, scan, Some(&mut sink))?;
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
            needs_newline: report.missing_newline,
            ids,
            poisoned: false,
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Appended, JournalError> {
        if self.poisoned {
            return Err(JournalError::Poisoned { path: self.path.clone() });
        }
        let (keep, skipped) = dedupe(events, self.len, |k| self.ids.get(k).copied());
        let size = keep.len() as u64;
        let mut bytes = Vec::with_capacity(keep.len() * 512 + 1);
        if self.needs_newline && !keep.is_empty() {
            bytes.push(b'\n');
        }
        let mut entries = Vec::with_capacity(keep.len());
        let mut head = self.head;
        for (i, e) in keep.iter().enumerate() {
            let seq = self.len + i as u64 + 1;
            let batch = BatchPos::new(i as u64 + 1, size);
            let (entry, line) = chain_line(seq, head, e.event.clone(), e.id.clone(), batch)
                .map_err(|e| JournalError::Serialize { message: e.to_string() })?;
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
            head = entry.hash;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Ok(Appended { entries, skipped });
        }
        // One write of the whole batch, then fsync: acknowledged only once durable. A crash
        // part-way leaves an unfinished batch, which reads as a torn tail.
        self.write_all_durably(&bytes)?;
        self.needs_newline = false;
        self.len += size;
        self.head = head;
        for e in &entries {
            if let Some(id) = &e.event_id {
                self.ids.insert(EventId::key(id.as_str()), e.seq);
            }
        }
        Ok(Appended { entries, skipped })
    }

    fn find_event_id(&self, id: &EventId) -> Option<u64> {
        self.ids.get(&EventId::key(id.as_str())).copied()
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn head(&self) -> Option<Digest> {
        (self.len > 0).then_some(self.head)
    }

    fn scan_path(path: &Path, scan: &mut ScanOptions<'_>) -> Result<VerifyReport, JournalError> {
        let file = File::open(path).map_err(io_error(path, "open"))?;
        scan_file(&file, path, scan, None)
    }

    fn truncate_torn_tail_with(path: &Path, options: &OpenOptions) -> Result<Option<TornTail>, JournalError> {
        let (file, report) = open_locked(path, options, false, &mut ScanOptions::new(), None)?;
        let Some(tail) = report.torn_tail else { return Ok(None) };
        file.set_len(tail.offset).map_err(io_error(path, "truncate"))?;
        file.sync_all().map_err(io_error(path, "sync"))?;
        Ok(Some(tail))
    }

    fn repair_path(path: &Path, options: &OpenOptions) -> Result<bool, JournalError> {
        let (mut file, report) = open_locked(path, options, false, &mut ScanOptions::new(), None)?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        if !report.missing_newline {
            return Ok(false);
        }
        // Re-check the last byte under the lock before writing.
        let mut last = [0u8; 1];
        file.seek(SeekFrom::End(-1)).and_then(|_| file.read_exact(&mut last)).map_err(io_error(path, "read"))?;
        if last != *b"\n" {
            file.seek(SeekFrom::End(0))
                .and_then(|_| file.write_all(b"\n"))
                .and_then(|()| file.sync_data())
                .map_err(io_error(path, "repair"))?;
        }
        Ok(true)
    }
}

/// Splits a batch into the events to append and those whose id is already present (in the
/// journal, by `held`, or earlier in the batch); `len` is the journal's length.
pub(crate) fn dedupe(
    events: &[NewEvent],
    len: u64,
    held: impl Fn(&[u8; 32]) -> Option<u64>,
) -> (Vec<&NewEvent>, Vec<Skipped>) {
    let mut keep = Vec::with_capacity(events.len());
    let mut skipped = Vec::new();
    let mut in_batch: HashMap<[u8; 32], u64> = HashMap::new();
    for (index, e) in events.iter().enumerate() {
        if let Some(id) = &e.id {
            let key = EventId::key(id.as_str());
            if let Some(seq) = held(&key).or_else(|| in_batch.get(&key).copied()) {
                skipped.push(Skipped { index, id: id.clone(), seq });
                continue;
            }
            in_batch.insert(key, len + keep.len() as u64 + 1);
        }
        keep.push(e);
    }
    (keep, skipped)
}
