//! Every validation problem, each with its code and JSON path.

use cyder_scenario::{
    ActionLog, Format, IssueCode, Join, Member, Scenario, Severity, TeamRole, load_scenario, parse_document,
    sample_log, validate,
};

use crate::fixtures::{diamond, doc, step, task};

fn codes(report: &cyder_scenario::ValidationReport) -> Vec<(IssueCode, String)> {
    report.issues.iter().map(|i| (i.code(), i.path().to_owned())).collect()
}

#[test]
fn the_default_scenario_and_sample_log_are_valid() {
    let s = cyder_scenario::default_scenario().unwrap();
    let codes: Vec<_> = s.warnings().iter().map(|w| (w.code(), w.subjects().to_vec())).collect();
    // Two steps leave nothing any task looks at; that is part of the exercise.
    assert_eq!(
        codes,
        vec![
            (IssueCode::UndetectableStep, vec!["recon".to_owned()]),
            (IssueCode::UndetectableStep, vec!["steal-creds".to_owned()])
        ]
    );
    let log = sample_log().unwrap().check(&s).unwrap();
    assert_eq!(log.log().entries.len(), 11);
}

#[test]
fn cycle_of_three_and_a_misspelt_reference_are_both_reported() {
    let yaml = include_str!("../fixtures/cycle-and-misspelt-reference.yaml");
    let err = load_scenario(yaml, Format::Yaml).unwrap_err();
    let issues = err.issues();
    let unresolved = issues.iter().find(|i| i.code() == IssueCode::UnresolvedReference).unwrap();
    assert_eq!(unresolved.path(), "$.attackSteps[3].requires[1]");
    assert_eq!(unresolved.subjects(), ["entyr"]);
    let cycle = issues.iter().find(|i| i.code() == IssueCode::Cycle).unwrap();
    assert_eq!(cycle.subjects(), ["p", "q", "r"]);
    assert_eq!(cycle.path(), "$.attackSteps[1]");
    // The cycle's real edges in dependency order, closing the loop: q requires p, r requires q,
    // p requires r (issue 13 item 10).
    assert!(cycle.message().get(ismap_model::Lang::En).contains("`p` → `q` → `r` → `p`"));
    assert!(issues.iter().all(|i| i.severity() == Severity::Error || i.code() == IssueCode::UndetectableStep));
}

#[test]
fn every_cycle_is_reported_with_all_members() {
    let steps = vec![
        step("a", &["b"], Join::All, 1),
        step("b", &["a"], Join::All, 1),
        step("c", &["c"], Join::All, 1),
        step("d", &[], Join::All, 1),
    ];
    let r = validate(&doc(steps, vec![]));
    let cycles: Vec<Vec<String>> =
        r.issues.iter().filter(|i| i.code() == IssueCode::Cycle).map(|i| i.subjects().to_vec()).collect();
    assert_eq!(cycles, vec![vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]]);
}

#[test]
fn task_cycles_and_unreachable_tasks() {
    let mut d = diamond(Join::All);
    d.tasks[0].after = vec!["watch-b".parse().unwrap()];
    d.tasks[1].after = vec!["watch-a".parse().unwrap()];
    d.tasks[2].needs.push("a-zzz".parse().unwrap());
    let r = validate(&d);
    let c = codes(&r);
    assert!(c.contains(&(IssueCode::Cycle, "$.tasks[0]".into())));
    assert!(c.contains(&(IssueCode::UnresolvedReference, "$.tasks[2].needs[1]".into())));
    // The cycle is the one error about those tasks: it does not cascade into `unreachable-task`.
    assert!(!c.iter().any(|(code, _)| *code == IssueCode::UnreachableTask), "{c:?}");
    let cycle = r.issues.iter().find(|i| i.code() == IssueCode::Cycle).unwrap();
    assert!(cycle.message().get(ismap_model::Lang::En).contains("`watch-a` → `watch-b` → `watch-a`"));
}

/// Issue 13 item 10: one cycle does not cascade into a dozen `unreachable-task` errors. A 2-cycle
/// feeds a chain of twelve steps, each watched by a task: one error, the cycle, naming its edges.
#[test]
fn one_cycle_does_not_cascade_into_unreachable_tasks() {
    let mut steps = vec![step("x", &["y"], Join::All, 1), step("y", &["x"], Join::All, 1)];
    let names: Vec<String> = (0..12).map(|k| format!("c{k}")).collect();
    for (k, name) in names.iter().enumerate() {
        let prev = if k == 0 { "y".to_owned() } else { names[k - 1].clone() };
        steps.push(step(name, &[prev.as_str()], Join::All, 1));
    }
    steps.last_mut().unwrap().goal = true;
    let tasks = names.iter().map(|n| task(&format!("watch-{n}"), &[format!("a-{n}").as_str()], &[])).collect();
    let mut d = doc(steps, tasks);
    d.scoring.pass_score = 100;
    let r = validate(&d);
    let errors: Vec<_> = r.issues.iter().filter(|i| i.severity() == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code(), IssueCode::Cycle);
    assert_eq!(errors[0].subjects(), ["x", "y"]);
    assert!(errors[0].message().get(ismap_model::Lang::En).contains("`x` → `y` → `x`"));
    // A task that is unreachable for another reason is still reported.
    let mut d2 = d.clone();
    d2.tasks[0].needs.push("a-orphan".parse().unwrap());
    d2.artefacts.push(cyder_scenario::Artefact {
        id: "a-orphan".parse().unwrap(),
        name: ismap_model::Text::en("orphan"),
        kind: cyder_scenario::ArtefactKind::File,
        host: None,
        delay_minutes: 0,
    });
    let c = codes(&validate(&d2));
    assert!(c.contains(&(IssueCode::UnreachableTask, "$.tasks[0]".into())), "{c:?}");
}

/// The walk follows real edges only: in the component {a, b, c} with edges a → b, b → a, b → c,
/// c → a, the cycle through `a` is `a` → `b` → `a`, and `c` is named as caught in these cycles too.
#[test]
fn cycle_walk_uses_real_edges_and_names_the_rest_of_the_component() {
    let steps =
        vec![step("a", &["b", "c"], Join::All, 1), step("b", &["a"], Join::All, 1), step("c", &["b"], Join::All, 1)];
    let r = validate(&doc(steps, vec![]));
    let cycle = r.issues.iter().find(|i| i.code() == IssueCode::Cycle).unwrap();
    let en = cycle.message().get(ismap_model::Lang::En);
    assert!(en.contains("`a` → `b` → `a`"), "{en}");
    assert!(en.contains("also caught in these cycles: `c`"), "{en}");
    assert_eq!(cycle.subjects(), ["a", "b", "c"]);
}

#[test]
fn a_task_needing_an_artefact_nobody_produces_is_unreachable() {
    let mut d = diamond(Join::All);
    d.artefacts.push(cyder_scenario::Artefact {
        id: "orphan".parse().unwrap(),
        name: ismap_model::Text::en("orphan"),
        kind: cyder_scenario::ArtefactKind::File,
        host: None,
        delay_minutes: 0,
    });
    d.tasks.push(task("never", &["orphan"], &[]));
    let r = validate(&d);
    let i = r.issues.iter().find(|i| i.code() == IssueCode::UnreachableTask).unwrap();
    assert_eq!(i.path(), "$.tasks[4]");
    assert_eq!(i.subjects(), ["never", "orphan"]);
    assert!(!r.valid);
}

#[test]
fn duplicate_ids_bad_techniques_windows_and_values() {
    let mut d = diamond(Join::All);
    d.attack_steps[1].id = "a".parse().unwrap();
    d.attack_steps[2].technique = "T15".into();
    d.tasks[0].window.start_minute = 50;
    d.tasks[0].window.end_minute = 10;
    d.scoring.late_percent = 150;
    let c = codes(&validate(&d));
    assert!(c.contains(&(IssueCode::DuplicateId, "$.attackSteps[1].id".into())));
    assert!(c.contains(&(IssueCode::InvalidTechniqueId, "$.attackSteps[2].technique".into())));
    assert!(c.contains(&(IssueCode::InvalidWindow, "$.tasks[0].window".into())));
    assert!(c.contains(&(IssueCode::InvalidValue, "$.scoring.latePercent".into())));
}

#[test]
fn warnings_do_not_reject() {
    let mut d = diamond(Join::All);
    d.attack_steps[3].goal = false;
    d.tasks.remove(1); // nobody looks at b
    d.tasks[0].window.end_minute = 5; // watch-a can finish at 10 at the earliest
    let r = validate(&d);
    assert!(r.valid, "{:?}", r.issues);
    let c = codes(&r);
    assert_eq!(
        c,
        vec![
            (IssueCode::NoGoal, "$.attackSteps".into()),
            (IssueCode::UndetectableStep, "$.attackSteps[1].leaves".into()),
            (IssueCode::WindowUnattainable, "$.tasks[0].window".into()),
        ]
    );
    assert!(r.issues.iter().all(|i| i.severity() == Severity::Warning));
}

#[test]
fn pass_score_that_cannot_be_reached() {
    let mut d = diamond(Join::All);
    // 4 tasks × 10 points; watch-a cannot be on time, so it is worth 5 at best: 35.
    d.tasks[0].window.end_minute = 5;
    d.scoring.pass_score = 36;
    let r = validate(&d);
    let i = r.issues.iter().find(|i| i.code() == IssueCode::PassScoreUnreachable).unwrap();
    assert_eq!(i.path(), "$.scoring.passScore");
    assert_eq!(i.subjects(), ["36", "35"]);
    d.scoring.pass_score = 35;
    assert!(validate(&d).valid);
}

#[test]
fn chain_needs_recipients_and_no_repeats() {
    let mut d = diamond(Join::All);
    d.tasks[1].to = Some("ciso".parse().unwrap());
    d.scoring.chain = vec!["watch-a".parse().unwrap(), "watch-b".parse().unwrap(), "watch-b".parse().unwrap()];
    let c = codes(&validate(&d));
    assert!(c.contains(&(IssueCode::ChainWithoutRecipient, "$.scoring.chain[0]".into())));
    assert!(c.contains(&(IssueCode::DuplicateChainTask, "$.scoring.chain[2]".into())));
}

#[test]
fn parse_errors_carry_the_path_and_unknown_fields_are_rejected() {
    let yaml =
        cyder_scenario::DEFAULT_SCENARIO_YAML.replace("durationMinutes: 300", "durationMinutes: 300\nduration: 5");
    let e = parse_document(&yaml, Format::Yaml).unwrap_err();
    assert_eq!(e.issues()[0].code(), IssueCode::Parse);
    assert!(e.issues()[0].message().get(ismap_model::Lang::En).contains("unknown field `duration`"));
    let e =
        parse_document(r#"{"version": 1, "id": "x", "title": {"en": "x"}, "course": "Z"}"#, Format::Json).unwrap_err();
    assert_eq!(e.issues()[0].path(), "$.course");
    assert!(parse_document("", Format::Yaml).is_err());
    assert!(parse_document("[", Format::Json).is_err());
    assert!(parse_document("version: 2", Format::Yaml).is_err());
}

#[test]
fn json_and_yaml_load_the_same_document() {
    let s = cyder_scenario::default_scenario().unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let again = load_scenario(&json, Format::Json).unwrap();
    assert_eq!(again.document(), s.document());
    let via_serde: Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(via_serde.document(), s.document());
}

#[test]
fn action_log_problems_are_all_reported() {
    let s = cyder_scenario::default_scenario().unwrap();
    let mut log: ActionLog = sample_log().unwrap();
    log.scenario = "other".parse().unwrap();
    for k in 0..2 {
        log.team.members.push(Member { name: format!("extra{k}"), organisation: "x".into(), role: TeamRole::Analyst });
    }
    log.entries[0].task = "detecc".parse().unwrap();
    log.entries[1].to = Some("mayor".parse().unwrap());
    log.entries[2].by = Some("Nobody".into());
    log.entries[3].at = log.started_at - chrono::Duration::minutes(1);
    let e = log.check(&s).unwrap_err();
    let c: Vec<_> = e.issues().iter().map(|i| (i.code(), i.path().to_owned())).collect();
    assert_eq!(
        c,
        vec![
            (IssueCode::ScenarioMismatch, "$.scenario".into()),
            (IssueCode::TeamTooLarge, "$.team.members".into()),
            (IssueCode::UnresolvedReference, "$.entries[0].task".into()),
            (IssueCode::UnresolvedReference, "$.entries[1].to".into()),
            (IssueCode::UnknownMember, "$.entries[2].by".into()),
            (IssueCode::EntryBeforeStart, "$.entries[3].at".into()),
        ]
    );
}
