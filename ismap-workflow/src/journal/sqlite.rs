//! The SQLite store: the same canonical lines as the JSON Lines store, one row per entry, WAL
//! mode with `synchronous = FULL` (a batch is durable when its transaction commits), one
//! transaction per batch, and SQLite's own write lock as the writer lock: the journal holds a
//! write transaction (`BEGIN IMMEDIATE`) open between appends, so a second writer waits
//! (`busy_timeout`) or is refused, and no lock file is ever created.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::chain::ChainVerifier;
use super::jsonl::dedupe;
use super::{
    Appended, BadEntry, BatchPos, Digest, EntryProblem, EventId, JournalError, JournalStore, NewEvent, OpenOptions,
    Progress, ScanOptions, TornTail, VerifyReport,
};
use crate::journal::chain::chain_line;

/// A SQLite journal open for appending.
#[derive(Debug)]
pub struct SqliteJournal {
    path: PathBuf,
    conn: Connection,
    /// Whether this connection holds the write transaction (the writer lock) right now.
    holding: bool,
    len: u64,
    head: Digest,
    ids: HashMap<[u8; 32], u64>,
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
    move |e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            JournalError::Locked { path: path.to_owned() }
        }
        _ => JournalError::Sqlite { path: path.to_owned(), message: e.to_string() },
    }
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY NOT NULL,
    line TEXT NOT NULL
);";

/// Verifies every row in order, in one pass.
fn verify_conn(
    conn: &Connection,
    path: &Path,
    scan: &mut ScanOptions<'_>,
    mut ids: Option<super::chain::IdSink<'_>>,
) -> Result<VerifyReport, JournalError> {
    let total: i64 = if scan.progress.is_some() {
        conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0)).map_err(sql(path))?
    } else {
        0
    };
    let total = u64::try_from(total).unwrap_or(0);
    let mut stmt = conn.prepare("SELECT seq, line FROM journal ORDER BY seq").map_err(sql(path))?;
    let mut rows = stmt.query([]).map_err(sql(path))?;
    let mut v = ChainVerifier::new();
    let mut done = 0u64;
    while let Some(row) = rows.next().map_err(sql(path))? {
        let seq: i64 = row.get(0).map_err(sql(path))?;
        let expected = v.next_seq();
        let line = row.get_ref(1).map_err(sql(path))?;
        let checked = match line.as_bytes() {
            Err(e) => Err(BadEntry { seq: expected, problem: EntryProblem::Unreadable { message: e.to_string() } }),
            Ok(_) if u64::try_from(seq).ok() != Some(expected) => Err(BadEntry {
                seq: expected,
                problem: EntryProblem::Sequence { expected, found: u64::try_from(seq).unwrap_or(0) },
            }),
            Ok(line) => super::chain::accept(&mut v, line, 0, scan, &mut ids),
        };
        if let Err(bad) = checked {
            return Ok(v.report(Some(bad), None));
        }
        done += 1;
        if done.is_multiple_of(4096)
            && let Some(p) = scan.progress.as_mut()
        {
            p(Progress { done, total });
        }
    }
    if let Some(p) = scan.progress.as_mut() {
        p(Progress { done, total });
    }
    if let Some((from_seq, entries, _)) = v.open_batch() {
        // Only rows deleted by hand can leave an unfinished batch: transactions never do.
        let bytes_in_batch: i64 = conn
            .query_row(
                "SELECT coalesce(sum(length(CAST(line AS BLOB))), 0) FROM journal WHERE seq >= ?1",
                [i64::try_from(from_seq).unwrap_or(i64::MAX)],
                |r| r.get(0),
            )
            .map_err(sql(path))?;
        let tail = TornTail { offset: 0, bytes: u64::try_from(bytes_in_batch).unwrap_or(0), from_seq, entries };
        return Ok(v.report(None, Some(tail)));
    }
    Ok(v.report(None, None))
}

/// Opens the journal for reading. The connection is read-write when the file allows it (it only
/// reads), so that closing it removes SQLite's `-wal` and `-shm` files when it is the last one;
/// read-only otherwise.
fn open_read_only(path: &Path) -> Result<Connection, JournalError> {
    if !path.exists() {
        return Err(super::io_error(path, "open")(std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .or_else(|_| {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        })
        .map_err(sql(path))
}

/// Opens the journal for writing and takes the write lock (waiting up to `options.wait`).
fn open_writer(path: &Path, options: &OpenOptions, create: bool) -> Result<Connection, JournalError> {
    if !create && !path.exists() {
        return Err(super::io_error(path, "open")(std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    let conn = Connection::open(path).map_err(sql(path))?;
    conn.busy_timeout(options.wait).map_err(sql(path))?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(sql(path))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(sql(path))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(JournalError::Sqlite { path: path.to_owned(), message: format!("cannot use WAL mode ({mode})") });
    }
    let exists: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'", [], |r| r.get(0))
        .map_err(sql(path))?;
    if exists == 0 {
        // A new journal: its table is committed at once, so that readers see an empty journal.
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {SCHEMA} COMMIT;")).map_err(sql(path))?;
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sql(path))?;
    Ok(conn)
}

impl SqliteJournal {
    /// Takes the write lock again when an earlier commit let it go, and checks that nobody
    /// appended in between.
    fn hold(&mut self) -> Result<(), JournalError> {
        if self.holding {
            return Ok(());
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(sql(&self.path))?;
        self.holding = true;
        let last: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM journal", [], |r| r.get(0))
            .optional()
            .map_err(sql(&self.path))?
            .flatten();
        if u64::try_from(last.unwrap_or(0)).ok() != Some(self.len) {
            return Err(JournalError::Sqlite {
                path: self.path.clone(),
                message: format!(
                    "another writer appended since this journal was opened (last entry {}, expected {}); reopen it",
                    last.unwrap_or(0),
                    self.len
                ),
            });
        }
        Ok(())
    }

    fn insert(&mut self, rows: &[(u64, String)]) -> Result<(), JournalError> {
        let path = self.path.clone();
        let mut stmt =
            self.conn.prepare_cached("INSERT INTO journal (seq, line) VALUES (?1, ?2)").map_err(sql(&path))?;
        for (seq, line) in rows {
            let seq = i64::try_from(*seq)
                .map_err(|_| JournalError::Sqlite { path: path.clone(), message: "journal full".to_owned() })?;
            stmt.execute(params![seq, line]).map_err(sql(&path))?;
        }
        Ok(())
    }
}

impl JournalStore for SqliteJournal {
    const KIND: &'static str = "sqlite";

    fn open_with(path: &Path, options: &OpenOptions, scan: &mut ScanOptions<'_>) -> Result<Self, JournalError> {
        let conn = open_writer(path, options, true)?;
        let mut ids = HashMap::new();
        let mut sink = |id: &str, seq: u64| {
            ids.insert(EventId::key(id), seq);
        };
        let report = verify_conn(&conn, path, scan, Some(&mut sink))?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        Ok(Self {
            path: path.to_owned(),
            conn,
            holding: true,
            len: report.entries,
            head: report.head.unwrap_or(Digest::ZERO),
            ids,
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Appended, JournalError> {
        self.hold()?;
        let (keep, skipped) = dedupe(events, self.len, |k| self.ids.get(k).copied());
        if keep.is_empty() {
            return Ok(Appended { entries: Vec::new(), skipped });
        }
        let size = keep.len() as u64;
        let mut entries = Vec::with_capacity(keep.len());
        let mut rows = Vec::with_capacity(keep.len());
        let mut head = self.head;
        for (i, e) in keep.iter().enumerate() {
            let seq = self.len + i as u64 + 1;
            let (entry, line) = chain_line(seq, head, e.event.clone(), e.id.clone(), BatchPos::new(i as u64 + 1, size))
                .map_err(|e| JournalError::Serialize { message: e.to_string() })?;
            head = entry.hash;
            rows.push((seq, line));
            entries.push(entry);
        }
        // The whole batch in the open write transaction, then one commit (durable: WAL with
        // synchronous = FULL). A failure rolls the whole batch back.
        let written = self.insert(&rows).and_then(|()| self.conn.execute_batch("COMMIT").map_err(sql(&self.path)));
        if let Err(e) = written {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.holding = false;
            return Err(e);
        }
        self.holding = false;
        self.len += size;
        self.head = head;
        for e in &entries {
            if let Some(id) = &e.event_id {
                self.ids.insert(EventId::key(id.as_str()), e.seq);
            }
        }
        // Keep the writer lock until the next append (a waiting writer may take it first: the
        // next append then checks that nothing changed).
        if self.conn.execute_batch("BEGIN IMMEDIATE").is_ok() {
            self.holding = true;
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
        let conn = open_read_only(path)?;
        verify_conn(&conn, path, scan, None)
    }

    /// Transactions never leave a partial entry or batch; only rows removed by hand can leave an
    /// unfinished batch, whose rows are then removed.
    fn truncate_torn_tail_with(path: &Path, options: &OpenOptions) -> Result<Option<TornTail>, JournalError> {
        let conn = open_writer(path, options, false)?;
        let report = verify_conn(&conn, path, &mut ScanOptions::new(), None)?;
        let Some(tail) = report.torn_tail else { return Ok(None) };
        conn.execute("DELETE FROM journal WHERE seq >= ?1", [i64::try_from(tail.from_seq).unwrap_or(i64::MAX)])
            .map_err(sql(path))?;
        conn.execute_batch("COMMIT").map_err(sql(path))?;
        Ok(Some(tail))
    }

    /// Rows have no newline to lose: only checks the journal and takes the writer lock.
    fn repair_path(path: &Path, options: &OpenOptions) -> Result<bool, JournalError> {
        let conn = open_writer(path, options, false)?;
        let report = verify_conn(&conn, path, &mut ScanOptions::new(), None)?;
        if let Some(entry) = report.bad_entry {
            return Err(JournalError::Corrupt { path: path.to_owned(), entry });
        }
        if let Some(tail) = report.torn_tail {
            return Err(JournalError::Torn { path: path.to_owned(), tail });
        }
        Ok(false)
    }
}
