//! `ismap registry …` end to end: the cloud service lists, deadlines, status, replay, the
//! lifecycle diagram, journal verification (tampering, a torn tail, a refused event), appending
//! to JSON Lines and SQLite journals, and a second writer.
#![cfg(feature = "cli")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::*;

use std::process::{Command, Stdio};

use ismap_workflow::{Event, JournalStore, JsonlJournal, SqliteJournal};

const SAMPLE_JOURNAL: &str = include_str!("../ismap-workflow/data/sample-journal.jsonl");
const SAMPLE_EVENTS: &str = include_str!("../ismap-workflow/data/sample-events.json");

/// The first `n` events of the sample, as the JSON array `registry append` reads.
fn sample_events(n: usize) -> Vec<serde_json::Value> {
    let all: Vec<serde_json::Value> = serde_json::from_str(SAMPLE_EVENTS).unwrap();
    all.into_iter().take(n).collect()
}

/// The hash of entry `seq` of the sample journal.
fn sample_hash(seq: usize) -> String {
    let line = SAMPLE_JOURNAL.lines().nth(seq - 1).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["seq"], seq);
    v["hash"].as_str().unwrap().to_owned()
}

/// An event no state of a never-seen service allows (it must be accepted before anything else).
const ILLEGAL_EVENT: &str = r#"{"at":"2023-02-01T09:00:00+09:00","actor":{"role":"ipa"},
  "kind":{"type":"acceptancePassed","service":"never-seen"}}"#;

#[test]
fn list_shows_both_programs_and_filters_by_program() {
    let o = ismap(&["registry", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ISMAP cloud service list as of 2025-05-20 (2 service(s))"), "{out}");
    assert!(out.contains("ISMAP-LIU cloud service list as of 2025-05-20 (1 service(s))"), "{out}");
    for number in ["C23-0042-1", "C24-0101-1", "L24-0003-1"] {
        assert!(out.contains(number), "{number} missing:\n{out}");
    }
    // Expired and withdrawn services are not listed without --all.
    assert!(!out.contains("C22-0077-1"), "tsubame-mail expired in 2023:\n{out}");

    let o = ismap(&["registry", "list", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let lists = v.as_array().unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["format_version"], 1);
    assert_eq!(lists[0]["program"], "ISMAP");
    assert_eq!(lists[0]["asOf"], "2025-05-20");
    let services: Vec<&str> =
        lists[0]["entries"].as_array().unwrap().iter().map(|e| e["service"].as_str().unwrap()).collect();
    assert_eq!(services, ["kumo-base", "hoshizora-drive"]);
    assert_eq!(lists[0]["entries"][0]["name"]["en"], "Kumo Base IaaS");
    assert_eq!(lists[0]["entries"][0]["registrationNumber"], "C23-0042-1");
    assert_eq!(lists[1]["program"], "ISMAP-LIU");

    let o = ismap(&["registry", "list", "--program", "liu", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert!(v.is_object(), "one program gives one list, not an array: {v}");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["program"], "ISMAP-LIU");
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["service"], "sakura-forms");
    assert_eq!(entries[0]["model"], "SaaS");

    let o = ismap(&["registry", "list", "--program", "liu"]);
    let out = stdout(&o);
    assert!(out.contains("ISMAP-LIU cloud service list") && out.contains("L24-0003-1"), "{out}");
    assert!(!out.contains("C23-0042-1"), "the ISMAP list is left out:\n{out}");

    // --all brings back the expired registration.
    let o = ismap(&["registry", "list", "--all", "--program", "ismap", "--format", "json"]);
    let v = json(&o);
    assert!(v["entries"].as_array().unwrap().iter().any(|e| e["service"] == "tsubame-mail"), "{v}");
}

#[test]
fn list_in_japanese() {
    let o = ismap(&["registry", "list", "--lang", "ja", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("### ISMAP クラウドサービスリスト（2025-05-20 時点、2 件）"), "{out}");
    assert!(out.contains("雲ベース IaaS") && out.contains("雲ベース株式会社"), "{out}");
}

#[test]
fn due_lists_the_deadlines_in_the_window() {
    let o = ismap(&["registry", "due", "--on", "2025-06-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("deadlines from 2025-06-01 to 2025-08-30 (embedded sample journal):"), "{out}");
    assert!(out.contains("2025-06-19") && out.contains("in 18 day(s)"), "{out}");
    assert!(out.contains("final incident report `kumo-2025-001`"), "{out}");
    assert!(out.contains("final-after-preliminary") && out.contains("renewal-before-expiry"), "{out}");

    let o = ismap(&["registry", "due", "--on", "2025-06-01", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["format_version"], 1);
    assert_eq!((v["from"].as_str(), v["until"].as_str()), (Some("2025-06-01"), Some("2025-08-30")));
    let due: Vec<(&str, &str, &str)> = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["due"].as_str().unwrap(), d["service"].as_str().unwrap(), d["kind"]["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        due,
        [
            ("2025-06-19", "kumo-base", "finalIncidentReport"),
            ("2025-06-30", "kumo-base", "auditReport"),
            ("2025-08-01", "kumo-base", "renewalApplication"),
        ]
    );
    assert_eq!(v["deadlines"][0]["kind"]["incident"], "kumo-2025-001");
    assert!(v["deadlines"].as_array().unwrap().iter().all(|d| d["overdue"] == false));

    // A shorter window keeps only the first; a later date shows what is overdue.
    let o = ismap(&["registry", "due", "--on", "2025-06-01", "--days", "20", "--format", "json"]);
    assert_eq!(json(&o)["deadlines"].as_array().unwrap().len(), 1);
    let o = ismap(&["registry", "due", "--on", "2025-07-05", "--days", "30"]);
    let out = stdout(&o);
    assert!(out.contains("overdue by 16 day(s)") && out.contains("overdue by 5 day(s)"), "{out}");

    let o = ismap(&["registry", "due", "--on", "2025-06-01", "--lang", "ja"]);
    let out = stdout(&o);
    assert!(out.contains("あと18日") && out.contains("インシデント確報"), "{out}");
}

#[test]
fn status_of_a_known_and_an_unknown_service() {
    let o = ismap(&["registry", "status", "kumo-base", "--on", "2025-06-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("kumo-base on 2025-06-01\n"), "{out}");
    assert!(out.contains("registered, renewal audit engaged"), "{out}");
    assert!(out.contains("C23-0042-1") && out.contains("2025-08-01") && out.contains("kumo-2025-001"), "{out}");
    assert!(out.contains("incidentPreliminary") && out.contains("renewalRenewed"), "the history:\n{out}");

    let o = ismap(&["registry", "status", "kumo-base", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len(), 19);
    assert!(history.iter().all(|e| e["event"]["kind"]["service"] == "kumo-base"));
    assert_eq!(history.last().unwrap()["seq"], 73);

    // Before the registration, the same service is not yet registered.
    let o = ismap(&["registry", "status", "kumo-base", "--on", "2023-01-01"]);
    assert!(!stdout(&o).contains("C23-0042-1"), "{}", stdout(&o));

    let o = ismap(&["registry", "status", "kumo-base", "--lang", "ja"]);
    assert!(stdout(&o).contains("登録（更新監査中）"), "{}", stdout(&o));

    let o = ismap(&["registry", "status", "no-such-service"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("`no-such-service`"), "{err}");
    assert!(lines[1].trim_start().starts_with("hint: ") && lines[1].contains("kumo-base"), "{err}");
}

#[test]
fn replay_shows_every_service_on_a_date() {
    let o = ismap(&["registry", "replay"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "embedded sample journal as of 2025-05-20: 73 event(s), 5 service(s), 3 audit institution(s)\n"
        ),
        "{out}"
    );
    for id in ["hikari-analytics", "hoshizora-drive", "kumo-base", "sakura-forms", "tsubame-mail"] {
        assert!(out.contains(id), "{id}:\n{out}");
    }

    let o = ismap(&["registry", "replay", "--format", "json"]);
    let v = json(&o);
    let states: Vec<(&str, &str)> =
        v.as_array().unwrap().iter().map(|s| (s["id"].as_str().unwrap(), s["state"].as_str().unwrap())).collect();
    assert_eq!(states.len(), 5);
    assert!(states.contains(&("hikari-analytics", "withdrawn")), "{states:?}");
    assert!(states.contains(&("sakura-forms", "registered")), "{states:?}");

    let o = ismap(&["registry", "replay", "--on", "2022-01-01"]);
    let out = stdout(&o);
    assert!(out.contains("4 event(s), 1 service(s), 2 audit institution(s)"), "{out}");
    assert!(out.contains("tsubame-mail") && !out.contains("kumo-base"), "{out}");
}

#[test]
fn graph_as_mermaid_and_dot() {
    let o = ismap(&["registry", "graph"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("stateDiagram-v2\n"), "{out}");
    assert!(out.contains("[*] --> notStarted"), "{out}");
    assert!(out.contains("notStarted --> preConsulted: preConsultation"), "{out}");

    let o = ismap(&["registry", "graph", "--dot"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("digraph ismap_registration {"), "{out}");
    assert_eq!(out.trim_end().chars().last(), Some('}'), "{out}");
    assert!(out.contains("notStarted [label=\"notStarted\\n未着手\"]"), "{out}");
    assert!(out.contains("institutionListed -> institutionDelisted"), "{out}");
    assert_eq!(out.matches('{').count(), out.matches('}').count(), "balanced braces:\n{out}");
}

#[test]
fn verify_the_embedded_sample_and_a_copy() {
    let o = ismap(&["registry", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("ok: embedded sample journal: 73 entr(ies), hash chain verified"), "{out}");
    assert!(out.trim_end().ends_with(&sample_hash(73)), "{out}");

    let dir = temp_dir("verify-copy");
    let copy = dir.join("journal.jsonl");
    std::fs::write(&copy, SAMPLE_JOURNAL).unwrap();
    let o = ismap(&["registry", "verify", "-j", s(&copy), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["entries"], 73);
    assert_eq!(v["head"], sample_hash(73).as_str());
    assert!(v.get("badEntry").is_none() && v.get("tornTail").is_none() && v.get("refusedEntry").is_none(), "{v}");
}

/// The sample journal with one byte of entry `seq` changed (a digit of its date).
fn tampered(seq: usize) -> String {
    let mut lines: Vec<String> = SAMPLE_JOURNAL.lines().map(str::to_owned).collect();
    let line = &mut lines[seq - 1];
    let at = line.find("\"at\":\"").unwrap() + "\"at\":\"20".len();
    let old = line.as_bytes()[at];
    let new = if old == b'9' { '8' } else { char::from(old + 1) };
    line.replace_range(at..=at, &new.to_string());
    let mut out = lines.join("\n");
    out.push('\n');
    assert_eq!(out.len(), SAMPLE_JOURNAL.len());
    assert_eq!(out.bytes().zip(SAMPLE_JOURNAL.bytes()).filter(|(a, b)| a != b).count(), 1);
    out
}

#[test]
fn a_changed_byte_names_the_entry() {
    let dir = temp_dir("tampered");
    for seq in [1usize, 37, 73] {
        let path = dir.join(format!("tampered-{seq}.jsonl"));
        std::fs::write(&path, tampered(seq)).unwrap();
        let o = ismap(&["registry", "verify", "-j", s(&path)]);
        assert_eq!(o.status.code(), Some(1), "entry {seq}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "no `ok` line: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.starts_with("error: ") && err.contains(s(&path)), "{err}");
        assert!(err.contains(&format!("entry #{seq} does not verify")), "{err}");
        assert!(err.contains(&format!("({} entr(ies) before it verify)", seq - 1)), "{err}");
        assert!(err.contains("hint: "), "{err}");

        let o = ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]);
        assert_eq!(o.status.code(), Some(1));
        let v = json(&o);
        assert_eq!(v["badEntry"]["seq"], seq, "{v}");
        assert_eq!(v["badEntry"]["problem"]["type"], "hash", "{v}");
        assert_eq!(v["badEntry"]["problem"]["found"], sample_hash(seq).as_str());
        assert_eq!(v["entries"], seq - 1);
        if seq > 1 {
            assert_eq!(v["head"], sample_hash(seq - 1).as_str(), "the head is the last good entry");
        }

        let o = ismap(&["registry", "verify", "-j", s(&path), "--format", "markdown"]);
        assert_eq!(o.status.code(), Some(1));
        let out = stdout(&o);
        assert!(out.contains("| verdict | does not verify |"), "{out}");
        assert!(out.contains(&format!("| bad entry | #{seq}: ")), "{out}");
    }
    // Other commands refuse the tampered journal too.
    let path = dir.join("tampered-37.jsonl");
    let o = ismap(&["registry", "list", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hint: the journal was altered or damaged"), "{}", stderr(&o));
}

#[test]
fn a_torn_last_line_is_reported_and_truncated() {
    let dir = temp_dir("torn");
    let path = dir.join("journal.jsonl");
    let torn = r#"{"format_version":1,"seq":74,"prev":"f086"#;
    std::fs::write(&path, format!("{SAMPLE_JOURNAL}{torn}")).unwrap();

    let o = ismap(&["registry", "verify", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let offset = SAMPLE_JOURNAL.len();
    assert!(
        err.contains(&format!(
            "torn last entry ({} byte(s) at offset {offset}) after 73 verified entr(ies)",
            torn.len()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "hint: an append was interrupted; remove it with `ismap registry truncate-torn -j {}`",
            s(&path)
        )),
        "{err}"
    );
    let o = ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["tornTail"]["offset"], offset);
    assert_eq!(v["tornTail"]["bytes"], torn.len());
    assert_eq!(v["entries"], 73);

    // Reading commands refuse it with the same hint.
    let o = ismap(&["registry", "replay", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("truncate-torn"), "{}", stderr(&o));

    let o = ismap(&["registry", "truncate-torn", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("removed a torn entry of {} byte(s) at offset {offset} from {}\n", torn.len(), s(&path))
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SAMPLE_JOURNAL, "exactly the torn bytes removed");
    let o = ismap(&["registry", "verify", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("ok: {}: 73 entr(ies)", s(&path))), "{}", stdout(&o));
    // A second run has nothing to do.
    let o = ismap(&["registry", "truncate-torn", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no torn entry; nothing removed"), "{}", stdout(&o));
}

#[test]
fn a_valid_chain_with_a_refused_event_does_not_verify() {
    let dir = temp_dir("refused");
    let path = dir.join("journal.jsonl");
    // Written with the library, bypassing the lifecycle checks `registry append` makes.
    let mut events: Vec<Event> = sample_events(3).into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
    events.push(serde_json::from_str(ILLEGAL_EVENT).unwrap());
    let mut bytes = Vec::new();
    ismap_workflow::write_lines(&mut bytes, &events).unwrap();
    std::fs::write(&path, &bytes).unwrap();

    let o = ismap(&["registry", "verify", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("the hash chain verifies but entry #4"), "{err}");
    assert!(err.contains("never-seen") && err.contains("acceptancePassed") && err.contains("`transition`"), "{err}");
    assert!(err.contains("hint: the event was recorded without the lifecycle checks"), "{err}");

    let o = ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["entries"], 4, "every entry's hash verifies");
    assert!(v.get("badEntry").is_none(), "{v}");
    let r = &v["refusedEntry"];
    assert_eq!(r["seq"], 4, "{v}");
    assert_eq!(r["rule"], "transition", "{v}");
    assert_eq!(r["event"], "acceptancePassed", "{v}");
    assert_eq!(r["state"], "notStarted", "{v}");
    assert!(r["message"]["en"].as_str().unwrap().contains("never-seen"), "{v}");

    let o = ismap(&["registry", "verify", "-j", s(&path), "--lang", "ja"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("entry #4") && err.contains("規則 transition"), "{err}");

    // Reading the journal on a date replays it, and refuses the same event.
    let o = ismap(&["registry", "list", "-j", s(&path), "--on", "2025-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ismap registry verify"), "{}", stderr(&o));
}

#[test]
fn append_to_jsonl_and_sqlite_then_query() {
    let dir = temp_dir("append");
    let events = sample_events(13);
    let as_array = dir.join("events.json");
    std::fs::write(&as_array, serde_json::to_string(&events).unwrap()).unwrap();
    let as_lines = dir.join("events.jsonl");
    std::fs::write(&as_lines, events.iter().map(|e| format!("{e}\n")).collect::<String>()).unwrap();

    for (journal, input) in [(dir.join("journal.jsonl"), &as_array), (dir.join("journal.sqlite"), &as_lines)] {
        let o = ismap(&["registry", "append", "-j", s(&journal), s(input), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", journal.display(), stderr(&o));
        let written = json(&o);
        let written = written.as_array().unwrap();
        assert_eq!(written.len(), 13);
        assert_eq!(written[0]["seq"], 1);
        assert_eq!(written[12]["seq"], 13);
        assert_eq!(written[12]["event"]["kind"]["type"], "registered");
        // The same events give the same chain as the sample journal.
        assert_eq!(written[12]["hash"], sample_hash(13).as_str(), "{}", journal.display());

        let o = ismap(&["registry", "verify", "-j", s(&journal)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("13 entr(ies), hash chain verified"), "{}", stdout(&o));

        let o = ismap(&[
            "registry",
            "list",
            "-j",
            s(&journal),
            "--on",
            "2023-01-01",
            "--program",
            "ismap",
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v = json(&o);
        assert_eq!(v["asOf"], "2023-01-01");
        let entries = v["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{v}");
        assert_eq!(entries[0]["service"], "tsubame-mail");
        assert_eq!(entries[0]["registrationNumber"], "C22-0077-1");

        let o = ismap(&["registry", "status", "tsubame-mail", "-j", s(&journal), "--on", "2023-01-01"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with("tsubame-mail on 2023-01-01\n"), "{out}");
        assert!(out.contains("C22-0077-1") && out.contains("2023-11-01") && out.contains("registered"), "{out}");
        let o = ismap(&["registry", "status", "kumo-base", "-j", s(&journal), "--on", "2023-01-01"]);
        assert_eq!(o.status.code(), Some(0), "kumo-base declared a period in 2022: {}", stderr(&o));

        // One more legal event, from standard input: the expiry notice appears in `due`.
        let next = serde_json::to_string(&sample_events(14)[13]).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ismap"))
            .args(["registry", "append", "-j", s(&journal), "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), next.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains(&sample_hash(14)), "{}", stdout(&o));
        let o = ismap(&["registry", "verify", "-j", s(&journal), "--format", "json"]);
        assert_eq!(json(&o)["entries"], 14);
    }
}

#[test]
fn an_illegal_event_is_refused_and_nothing_is_appended() {
    let dir = temp_dir("illegal");
    for name in ["journal.jsonl", "journal.sqlite"] {
        let journal = dir.join(name);
        let first = dir.join("first.json");
        std::fs::write(&first, serde_json::to_string(&sample_events(2)).unwrap()).unwrap();
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&first)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let before = std::fs::read(&journal).unwrap();

        // A legal event followed by an illegal one: the batch is refused as a whole.
        let mut batch = vec![sample_events(3)[2].clone()];
        batch.push(serde_json::from_str(ILLEGAL_EVENT).unwrap());
        let bad = dir.join("batch.json");
        std::fs::write(&bad, serde_json::to_string(&batch).unwrap()).unwrap();
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&bad)]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        assert!(o.stdout.is_empty(), "{}", stdout(&o));
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert!(lines[0].starts_with("error: event 2 of 2: service `never-seen`"), "{err}");
        assert!(lines[0].contains("breaks rule `transition`"), "{err}");
        assert!(lines[1].contains("hint: rule `transition`") && lines[1].ends_with("nothing was appended"), "{err}");
        assert_eq!(std::fs::read(&journal).unwrap(), before, "{name}: nothing appended");
        let o = ismap(&["registry", "verify", "-j", s(&journal), "--format", "json"]);
        assert_eq!(json(&o)["entries"], 2, "{name}");

        let o = ismap(&["registry", "append", "-j", s(&journal), s(&bad), "--lang", "ja"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("規則 transition「"), "{}", stderr(&o));
    }
    // Not an event at all: bad input, with the schema as hint.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, r#"{"at": "yesterday"}"#).unwrap();
    let o = ismap(&["registry", "append", "-j", s(&dir.join("journal.jsonl")), s(&junk)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("registration-event.schema.json"), "{}", stderr(&o));
}

#[test]
fn a_second_writer_is_turned_away() {
    let dir = temp_dir("second-writer");
    let one = dir.join("one.json");
    std::fs::write(&one, serde_json::to_string(&sample_events(1)).unwrap()).unwrap();
    for name in ["journal.jsonl", "journal.sqlite"] {
        let journal = dir.join(name);
        // This process holds the writer lock (advisory, not inherited by the child).
        let held: Box<dyn std::any::Any> = if name.ends_with(".sqlite") {
            Box::new(SqliteJournal::open(&journal).unwrap())
        } else {
            Box::new(JsonlJournal::open(&journal).unwrap())
        };
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&one)]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("is locked by another writer"), "{err}");
        assert!(err.contains("hint: another `ismap registry append`"), "{err}");
        // Readers are not blocked.
        let o = ismap(&["registry", "verify", "-j", s(&journal)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        drop(held);
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&one)]);
        assert_eq!(o.status.code(), Some(0), "{name}: the lock is released: {}", stderr(&o));
    }
}
