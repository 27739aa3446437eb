//! The SQLite store: the same canonical lines as the JSON Lines store, one row per entry, one
//! transaction per append (`synchronous = FULL`), and an exclusive advisory lock on a sidecar
//! `<path>.lock` file for the writer (SQLite's own locks only serialize transactions, they do
//! not refuse a second writer).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    BadEntry, ChainVerifier, Digest, EntryProblem, JournalEntry, JournalError, JournalStore, TornTail, VerifyReport,
    chain_line, io_error,
};
use crate::Event;

/// A SQLite journal open for appending.
#[derive(Debug)]
pub struct SqliteJournal {
    path: PathBuf,
    conn: Connection,
    // Held for the life of the journal: the writer lock.
    _lock: File,
    len: u64,
    head: Digest,
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
    move |e| JournalError::Sqlite { path: path.to_owned(), message: e.to_string() }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

fn take_lock(path: &Path) -> Result<File, JournalError> {
    let lp = lock_path(path);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lp)
        .map_err(io_error(&lp, "open"))?;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(file),
        Err(fs4::TryLockError::WouldBlock) => Err(JournalError::Locked { path: path.to_owned() }),
        Err(fs4::TryLockError::Error(e)) => Err(io_error(&lp, "lock")(e)),
    }
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY NOT NULL,
    line TEXT NOT NULL
);";

/// Verifies every row in order; `each` receives the good entries.
fn verify_conn(
    conn: &Connection,
    path: &Path,
    mut each: impl FnMut(JournalEntry),
) -> Result<VerifyReport, JournalError> {
    let mut stmt = conn.prepare("SELECT seq, line FROM journal ORDER BY seq").map_err(sql(path))?;
    let mut rows = stmt.query([]).map_err(sql(path))?;
    let mut v = ChainVerifier::new();
    while let Some(row) = rows.next().map_err(sql(path))? {
        let seq: i64 = row.get(0).map_err(sql(path))?;
        let expected = v.count() + 1;
        let line: Result<String, _> = row.get(1);
        let checked = match line {
            Err(e) => Err(BadEntry { seq: expected, problem: EntryProblem::Unreadable { message: e.to_string() } }),
            Ok(_) if u64::try_from(seq).ok() != Some(expected) => Err(BadEntry {
                seq: expected,
                problem: EntryProblem::Sequence { expected, found: u64::try_from(seq).unwrap_or(0) },
            }),
            Ok(line) => v.check(line.as_bytes()),
        };
        match checked {
            Ok(e) => each(e),
            Err(bad) => {
                return Ok(v.report(Some(bad), None));
            }
        }
    }
    Ok(v.report(None, None))
}

fn open_read_only(path: &Path) -> Result<Connection, JournalError> {
    if !path.exists() {
        return Err(io_error(path, "open")(std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(sql(path))
}

impl JournalStore for SqliteJournal {
    const KIND: &'static str = "sqlite";

    fn open(path: &Path) -> Result<Self, JournalError> {
        let lock = take_lock(path)?;
        let conn = Connection::open(path).map_err(sql(path))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql(path))?;
        conn.execute_batch(SCHEMA).map_err(sql(path))?;
        let report = verify_conn(&conn, path, |_| {})?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        Ok(Self {
            path: path.to_owned(),
            conn,
            _lock: lock,
            len: report.entries,
            head: report.head.unwrap_or(Digest::ZERO),
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn append(&mut self, event: &Event) -> Result<JournalEntry, JournalError> {
        let path = self.path.clone();
        let seq = self.len + 1;
        let (entry, line) = chain_line(seq, self.head, event.clone())
            .map_err(|e| JournalError::Serialize { message: e.to_string() })?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql(&path))?;
        let last: Option<i64> =
            tx.query_row("SELECT max(seq) FROM journal", [], |r| r.get(0)).optional().map_err(sql(&path))?.flatten();
        if last.unwrap_or(0) != i64::try_from(self.len).unwrap_or(i64::MAX) {
            return Err(JournalError::Sqlite {
                path,
                message: format!("the journal changed behind the writer (last entry {last:?}, expected {})", self.len),
            });
        }
        let seq_i = i64::try_from(seq)
            .map_err(|_| JournalError::Sqlite { path: path.clone(), message: "journal full".to_owned() })?;
        tx.execute("INSERT INTO journal (seq, line) VALUES (?1, ?2)", params![seq_i, line]).map_err(sql(&path))?;
        tx.commit().map_err(sql(&path))?;
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
        let conn = open_read_only(path)?;
        verify_conn(&conn, path, |_| {})
    }

    fn read_path(path: &Path) -> Result<Vec<JournalEntry>, JournalError> {
        let conn = open_read_only(path)?;
        let mut out = Vec::new();
        let report = verify_conn(&conn, path, |e| out.push(e))?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        Ok(out)
    }

    /// Transactions never leave a partial entry, so there is never a torn tail to remove; the
    /// lock is still taken so that the call fails while a writer is active, like the JSON Lines
    /// store.
    fn truncate_torn_tail(path: &Path) -> Result<Option<TornTail>, JournalError> {
        let _lock = take_lock(path)?;
        let _ = open_read_only(path)?;
        Ok(None)
    }
}
