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
        format!(
            "removed a torn entry of {} byte(s) at offset {offset} from {} (an incomplete entry #74); 73 complete entr(ies) kept\n",
            torn.len(),
            s(&path)
        )
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
        // One batch of 13, each event with the id derived from its content.
        for (i, w) in written.iter().enumerate() {
            assert_eq!(w["batch"], serde_json::json!({"index": i + 1, "size": 13}), "{w}");
            assert!(w["eventId"].as_str().unwrap().starts_with("sha256:"), "{w}");
            let mut event = events[i].clone();
            event["format_version"] = 1.into();
            assert_eq!(w["event"], event);
        }

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
        assert!(stdout(&o).contains("│ 14 "), "{}", stdout(&o));
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

/// A legal event after the whole sample journal.
const NEW_INSTITUTION: &str = r#"{"at":"2025-06-01T09:00:00+09:00","actor":{"role":"steeringCommittee"},
  "kind":{"type":"auditInstitutionListed","institution":"minato-audit","name":{"ja":"湊監査法人","en":"Minato Audit"},"kind":"auditFirm"}}"#;

#[test]
fn a_complete_last_entry_without_newline_keeps_all_73_entries() {
    let dir = temp_dir("no-newline");
    let path = dir.join("journal.jsonl");
    let unterminated = SAMPLE_JOURNAL.strip_suffix('\n').unwrap();
    std::fs::write(&path, unterminated).unwrap();

    // Valid, with a warning (and the warning in Japanese with --lang ja).
    let o = ismap(&["registry", "verify", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("ok: {}: 73 entr(ies)", s(&path))), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: ") && err.contains("(#73) is complete and verifies but has no final newline"),
        "{err}"
    );
    assert!(err.contains(&format!("`ismap registry repair -j {}`", s(&path))), "{err}");
    let o = ismap(&["registry", "verify", "-j", s(&path), "--lang", "ja"]);
    assert!(stderr(&o).contains("警告: ") && stderr(&o).contains("末尾の改行がない"), "{}", stderr(&o));
    let v = json(&ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]));
    assert_eq!(
        (v["valid"].as_bool(), v["entries"].as_u64(), v["missingNewline"].as_bool()),
        (Some(true), Some(73), Some(true))
    );
    assert_eq!(v["head"], sample_hash(73).as_str());
    // Reading commands accept it.
    let o = ismap(&["registry", "replay", "-j", s(&path), "--on", "2025-05-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // truncate-torn has nothing to remove.
    let o = ismap(&["registry", "truncate-torn", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("no torn entry; nothing removed"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), unterminated, "not one byte removed");

    // repair adds the newline and nothing else; a second repair has nothing to do.
    let o = ismap(&["registry", "repair", "-j", s(&path)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("added the missing newline"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SAMPLE_JOURNAL);
    let o = ismap(&["registry", "repair", "-j", s(&path)]);
    assert!(stdout(&o).contains("nothing to repair"), "{}", stdout(&o));
    let o = ismap(&["registry", "verify", "-j", s(&path)]);
    assert!(o.stderr.is_empty(), "no warning left: {}", stderr(&o));

    // The next append adds the newline before its own entries.
    std::fs::write(&path, unterminated).unwrap();
    let next = write(&dir, "next.json", NEW_INSTITUTION);
    let o = ismap(&["registry", "append", "-j", s(&path), s(&next), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)[0]["seq"], 74);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(SAMPLE_JOURNAL) && text.ends_with('\n') && text.lines().count() == 74);
    let v = json(&ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]));
    assert_eq!((v["valid"].as_bool(), v["entries"].as_u64()), (Some(true), Some(74)));
    assert!(v.get("missingNewline").is_none(), "{v}");
}

#[test]
fn every_cut_of_the_last_entry_keeps_the_complete_entries() {
    let dir = temp_dir("every-cut");
    let path = dir.join("journal.jsonl");
    let last_start = SAMPLE_JOURNAL.trim_end_matches('\n').rfind('\n').unwrap() + 1;
    // Every 16th byte length through the CLI (the library test covers every single one).
    for cut in (last_start..=SAMPLE_JOURNAL.len()).step_by(16).chain([SAMPLE_JOURNAL.len() - 1]) {
        std::fs::write(&path, &SAMPLE_JOURNAL.as_bytes()[..cut]).unwrap();
        let o = ismap(&["registry", "truncate-torn", "-j", s(&path)]);
        assert_eq!(o.status.code(), Some(0), "cut {cut}: {}", stderr(&o));
        let after = std::fs::read(&path).unwrap();
        let expected = if cut >= SAMPLE_JOURNAL.len() - 1 { cut } else { last_start };
        assert_eq!(after.len(), expected, "cut {cut}: {}", stdout(&o));
        let v = json(&ismap(&["registry", "verify", "-j", s(&path), "--format", "json"]));
        let entries = if expected == last_start { 72 } else { 73 };
        assert_eq!((v["valid"].as_bool(), v["entries"].as_u64()), (Some(true), Some(entries)), "cut {cut}: {v}");
    }
}

#[test]
fn re_running_a_batch_appends_nothing_twice() {
    let dir = temp_dir("exactly-once");
    let events = sample_events(13);
    let file = write(&dir, "events.json", &serde_json::to_string(&events).unwrap());
    for name in ["journal.jsonl", "journal.sqlite"] {
        let journal = dir.join(name);
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&file)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let before = std::fs::read(&journal).unwrap();
        // The same file again: every event is already present.
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&file), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(json(&o), serde_json::json!([]));
        let err = stderr(&o);
        assert_eq!(err.matches("is already present as entry #").count(), 13, "{err}");
        assert!(err.contains("note: event 13 of 13 (id sha256:") && err.contains("as entry #13; skipped"), "{err}");
        assert!(err.contains("note: all 13 event(s) already present; nothing appended"), "{err}");
        if name.ends_with(".jsonl") {
            assert_eq!(std::fs::read(&journal).unwrap(), before, "{name}: unchanged");
        }
        // Two old events and a new one: only the new one is appended.
        let mixed = write(&dir, "mixed.json", &serde_json::to_string(&sample_events(14)[11..]).unwrap());
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&mixed), "--format", "json", "--lang", "ja"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v[0]["seq"], 14);
        assert_eq!(stderr(&o).matches("は既にある（エントリ #").count(), 2, "{}", stderr(&o));
        // Client-chosen ids: the id decides, not the content.
        let mut a = sample_events(15)[14].clone();
        a["eventId"] = "client-0015".into();
        let with_id = write(&dir, "with-id.json", &serde_json::to_string(&[&a, &a]).unwrap());
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&with_id), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(json(&o)[0]["eventId"], "client-0015");
        assert!(stderr(&o).contains("(id client-0015) is already present as event 1 of this batch"), "{}", stderr(&o));
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&with_id)]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stderr(&o).contains("as entry #15; skipped"), "{}", stderr(&o));
        let v = json(&ismap(&["registry", "verify", "-j", s(&journal), "--format", "json"]));
        assert_eq!((v["valid"].as_bool(), v["entries"].as_u64()), (Some(true), Some(15)), "{name}: {v}");
        // A malformed id is bad input naming the event.
        a["eventId"] = "not an id".into();
        let bad = write(&dir, "bad-id.json", &serde_json::to_string(&[&a]).unwrap());
        let (line, _) = assert_one_line_error(&ismap(&["registry", "append", "-j", s(&journal), s(&bad)]));
        assert!(line.contains("event 1: `not an id` is not an event id"), "{line}");
    }
}

/// Removes the last `k` entries of a journal (lines or rows).
fn drop_last(journal: &std::path::Path, k: usize) {
    if journal.extension().unwrap() == "sqlite" {
        let conn = rusqlite::Connection::open(journal).unwrap();
        conn.execute("DELETE FROM journal WHERE seq > (SELECT max(seq) FROM journal) - ?1", [k]).unwrap();
    } else {
        let text = std::fs::read_to_string(journal).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let kept: String = lines[..lines.len() - k].iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(journal, kept).unwrap();
    }
}

#[test]
fn removing_the_last_entries_is_detected() {
    let dir = temp_dir("tail");
    let events = sample_events(16);
    for name in ["journal.jsonl", "journal.sqlite"] {
        let journal = dir.join(name);
        let batch = write(&dir, "batch.json", &serde_json::to_string(&events[..10]).unwrap());
        assert_eq!(ismap(&["registry", "append", "-j", s(&journal), s(&batch)]).status.code(), Some(0));
        for e in &events[10..] {
            let one = write(&dir, "one.json", &e.to_string());
            assert_eq!(ismap(&["registry", "append", "-j", s(&journal), s(&one)]).status.code(), Some(0));
        }
        let o = ismap(&["registry", "checkpoint", "-j", s(&journal)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let checkpoint = dir.join(format!("{name}.checkpoint"));
        assert!(stdout(&o).starts_with(&format!("checkpoint {}: entry #16, head ", s(&checkpoint))), "{}", stdout(&o));
        let cp = read_json(&checkpoint);
        assert_eq!((cp["format_version"].as_u64(), cp["entries"].as_u64()), (Some(1), Some(16)));
        let head = cp["head"].as_str().unwrap().to_owned();

        // The checkpoint is checked when present; the head and count can be given too.
        let o = ismap(&["registry", "verify", "-j", s(&journal)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains(&format!("; matches {}", s(&checkpoint))), "{}", stdout(&o));
        let o = ismap(&["registry", "verify", "-j", s(&journal), "--expect-head", &head, "--expect-count", "16"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

        // The journal grows: the checkpoint still holds, an exact expectation does not.
        let more = write(&dir, "more.json", &sample_events(17)[16].to_string());
        assert_eq!(ismap(&["registry", "append", "-j", s(&journal), s(&more)]).status.code(), Some(0));
        assert_eq!(ismap(&["registry", "verify", "-j", s(&journal)]).status.code(), Some(0));
        let o = ismap(&["registry", "verify", "-j", s(&journal), "--expect-count", "16", "--checkpoint", "/dev/null"]);
        assert_eq!(o.status.code(), Some(2), "an unreadable checkpoint is bad input: {}", stderr(&o));

        // Remove the last k entries: the chain still verifies, the checkpoint does not.
        for k in [2usize, 1] {
            drop_last(&journal, k);
            let o = ismap(&["registry", "verify", "-j", s(&journal), "--chain-only"]);
            assert_eq!(o.status.code(), Some(1), "{name}, k={k}: {}", stdout(&o));
            let err = stderr(&o);
            assert!(err.contains(&format!("{} expects entry #16 with hash {head}", s(&checkpoint))), "{err}");
            assert!(err.contains("hint: entries were removed from the end of the journal"), "{err}");
            let v = json(&ismap(&["registry", "verify", "-j", s(&journal), "--format", "json"]));
            assert_eq!(v["valid"], false, "{v}");
            assert_eq!(v["tailCheck"]["ok"], false, "{v}");
            assert!(v.get("badEntry").is_none() && v.get("tornTail").is_none(), "the chain itself verifies: {v}");
            // Without the checkpoint file, only --expect-* can tell.
            std::fs::rename(&checkpoint, dir.join("kept-elsewhere")).unwrap();
            assert_eq!(ismap(&["registry", "verify", "-j", s(&journal)]).status.code(), Some(0));
            let o = ismap(&["registry", "verify", "-j", s(&journal), "--expect-head", &head]);
            assert_eq!(o.status.code(), Some(1));
            let o = ismap(&["registry", "verify", "-j", s(&journal), "--expect-count", "16", "--lang", "ja"]);
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("ジャーナル末尾のエントリが削除された"), "{}", stderr(&o));
            let o = ismap(&["registry", "verify", "-j", s(&journal), "--checkpoint", s(&dir.join("kept-elsewhere"))]);
            assert_eq!(o.status.code(), Some(1));
            std::fs::rename(dir.join("kept-elsewhere"), &checkpoint).unwrap();
        }
        std::fs::remove_file(&checkpoint).unwrap();
    }
}

#[test]
fn a_waiting_writer_gets_the_lock_and_no_lock_file_is_left() {
    let dir = temp_dir("wait");
    let one = dir.join("one.json");
    std::fs::write(&one, serde_json::to_string(&sample_events(1)).unwrap()).unwrap();
    for name in ["journal.jsonl", "journal.sqlite"] {
        let journal = dir.join(name);
        let held: Box<dyn std::any::Any + Send> = if name.ends_with(".sqlite") {
            Box::new(SqliteJournal::open(&journal).unwrap())
        } else {
            Box::new(JsonlJournal::open(&journal).unwrap())
        };
        let child = Command::new(env!("CARGO_BIN_EXE_ismap"))
            .args(["registry", "append", "-j", s(&journal), s(&one), "--wait", "20"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(600));
        drop(held);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let o = ismap(&["registry", "verify", "-j", s(&journal), "--format", "json"]);
        assert_eq!(json(&o)["entries"], 1, "{name}");
        // A bad --wait is refused by the argument parser.
        let o = ismap(&["registry", "append", "-j", s(&journal), s(&one), "--wait", "soon"]);
        assert_eq!(o.status.code(), Some(2));
    }
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["journal.jsonl", "journal.sqlite", "one.json"], "no lock file, no WAL left behind");
}
