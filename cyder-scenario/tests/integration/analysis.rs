//! Each analysis on small graphs checked by hand.

use cyder_scenario::{AnalysisOptions, BlockingMethod, IrPhase, Join, Scenario, Tactic};
use ismap_model::Lang;

use crate::fixtures::{diamond, doc, step, task};

fn ids<T: ToString>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn layers_of_a_diamond() {
    let s = Scenario::new(diamond(Join::All)).unwrap();
    let layers: Vec<Vec<String>> = s.layers().iter().map(|l| ids(l)).collect();
    assert_eq!(layers, vec![vec!["a"], vec!["b", "c"], vec!["d"]]);
}

#[test]
fn critical_path_and_slack_with_and() {
    // a 0–10, b 10–15, c 10–30, d waits for both: 30–35.
    let s = Scenario::new(diamond(Join::All)).unwrap();
    let sch = s.schedule();
    assert_eq!(sch.makespan, 35);
    assert_eq!(ids(&sch.critical_path), ["a", "c", "d"]);
    let slack: Vec<u64> = sch.steps.iter().map(|t| t.slack).collect();
    assert_eq!(slack, [0, 15, 0, 0]);
    assert_eq!(sch.steps[3].earliest_start, 30);
    assert_eq!(sch.steps[1].latest_finish, 30);
}

#[test]
fn critical_path_and_slack_with_or() {
    // d starts when b ends (15) and ends at 20; c still runs to 30, which sets the makespan.
    let s = Scenario::new(diamond(Join::Any)).unwrap();
    let sch = s.schedule();
    assert_eq!(sch.makespan, 30);
    assert_eq!(ids(&sch.critical_path), ["a", "c"]);
    assert_eq!(sch.steps[3].earliest_start, 15);
    let slack: Vec<u64> = sch.steps.iter().map(|t| t.slack).collect();
    assert_eq!(slack, [0, 10, 0, 10]);
}

#[test]
fn not_before_delays_a_root() {
    let mut d = diamond(Join::All);
    d.attack_steps[0].not_before_minute = 7;
    let s = Scenario::new(d).unwrap();
    assert_eq!(s.schedule().makespan, 42);
}

#[test]
fn and_or_reachability_under_blocks() {
    let mut d = diamond(Join::All);
    d.tasks[1].blocks = vec!["b".parse().unwrap()];
    let and = Scenario::new(d.clone()).unwrap();
    let g = and.goal_reachability();
    assert!(g[0].reachable && !g[0].reachable_under_full_defence);
    d.attack_steps[3].join = Join::Any;
    let or = Scenario::new(d).unwrap();
    let g = or.goal_reachability();
    assert!(g[0].reachable && g[0].reachable_under_full_defence);
    assert_eq!(or.reachable_with(&[1]), [true, false, true, true]);
}

#[test]
fn earliest_detection_uses_delay_and_task_readiness() {
    let mut d = diamond(Join::All);
    d.artefacts[1].delay_minutes = 4; // b's trace shows at 15 + 4
    d.tasks[2].needs.push("a-d".parse().unwrap()); // watch-c now also waits for d (35)
    let s = Scenario::new(d).unwrap();
    let det = s.earliest_detection();
    assert_eq!(det[1].detected_at, Some(19));
    assert_eq!(det[1].latency, Some(9));
    assert_eq!(det[2].detected_at, Some(35));
    assert_eq!(det[2].task.as_ref().map(ToString::to_string).as_deref(), Some("watch-c"));
}

#[test]
fn choke_points_are_dominators() {
    // e → a; a → b, a → c; b, c → d (goal). Dominators of d: e, a.
    let mut d = diamond(Join::Any);
    d.attack_steps.insert(0, step("e", &[], Join::All, 1));
    d.attack_steps[1].requires = vec!["e".parse().unwrap()];
    d.artefacts.push(cyder_scenario::Artefact {
        id: "a-e".parse().unwrap(),
        name: ismap_model::Text::en("e"),
        kind: cyder_scenario::ArtefactKind::Log,
        host: None,
        delay_minutes: 0,
    });
    d.tasks.push(task("stop-a", &["a-e"], &["a"]));
    let s = Scenario::new(d).unwrap();
    let cp = s.choke_points();
    assert_eq!(ids(&cp.per_goal[0].steps), ["e", "a"]);
    assert_eq!(ids(&cp.common[1].blocked_by), ["stop-a"]);
}

#[test]
fn required_steps_follow_and_joins_where_dominators_cannot() {
    // a → b, a → c; b, c → d (goal). With AND at d both branches are needed; with OR neither is.
    let and = Scenario::new(diamond(Join::All)).unwrap();
    let req = and.required_steps(usize::MAX);
    assert_eq!(ids(&req.per_goal[0].steps), ["a", "b", "c"]);
    assert_eq!(ids(&and.choke_points().per_goal[0].steps), ["a"], "a dominator view sees only `a`");
    assert_eq!(req.common.iter().map(|c| c.step.to_string()).collect::<Vec<_>>(), ["a", "b", "c"]);
    let or = Scenario::new(diamond(Join::Any)).unwrap();
    assert_eq!(ids(&or.required_steps(usize::MAX).per_goal[0].steps), ["a"]);
    // A budget too small for the sets stops the computation and says so.
    let cut = and.required_steps(3);
    assert!(cut.truncated && cut.per_goal.is_empty());
    // `analyze` reports them.
    let a = and.analyze(&cyder_scenario::AnalysisOptions::default());
    assert_eq!(a.required_steps.as_ref().map(|r| r.per_goal.len()), Some(1));
}

/// Two routes to the goal g: x → y → g and x → z → g (OR at g).
fn two_routes() -> cyder_scenario::ScenarioDocument {
    let mut g = step("g", &["y", "z"], Join::Any, 1);
    g.goal = true;
    let steps = vec![step("x", &[], Join::All, 1), step("y", &["x"], Join::All, 1), step("z", &["x"], Join::All, 1), g];
    let tasks = vec![
        task("t-y", &["a-x"], &["y"]),
        task("t-z", &["a-x"], &["z"]),
        task("t-yz", &["a-x"], &["y", "z"]),
        task("watch", &["a-g"], &[]),
    ];
    doc(steps, tasks)
}

#[test]
fn minimum_blocking_set_exact_and_min_cut() {
    let s = Scenario::new(two_routes()).unwrap();
    let exact = s.blocking_set(&AnalysisOptions::default());
    assert_eq!(exact.method, BlockingMethod::Exact);
    assert!(exact.preventable);
    assert_eq!(ids(&exact.tasks), ["t-yz"]);
    assert_eq!(ids(&exact.cut_steps), ["y", "z"]);
    let cut = s.min_cut_blocking_set();
    assert_eq!(cut.method, BlockingMethod::MinCut);
    assert_eq!(cut.max_flow, Some(2));
    assert_eq!(ids(&cut.tasks), ["t-yz"]);
    // Removing the cut really disconnects the goal.
    let tasks: Vec<usize> = cut.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
    assert!(!s.reachable_with(&tasks)[3]);
}

#[test]
fn unpreventable_goal() {
    let mut d = two_routes();
    d.tasks[0].blocks.clear();
    d.tasks[2].blocks = vec!["z".parse().unwrap()];
    let s = Scenario::new(d).unwrap();
    for b in [s.blocking_set(&AnalysisOptions::default()), s.min_cut_blocking_set()] {
        assert!(!b.preventable);
        assert!(b.tasks.is_empty());
    }
}

#[test]
fn min_cut_relaxation_still_finds_a_set_under_and() {
    // g needs y AND z; y and z are not blockable on the path x → y → g, but z is: blocking z
    // alone stops g, although a chain of unblockable steps reaches g.
    let mut d = two_routes();
    d.attack_steps[3].join = Join::All;
    d.tasks[0].blocks.clear();
    d.tasks[2].blocks = vec!["z".parse().unwrap()];
    let s = Scenario::new(d).unwrap();
    let b = s.min_cut_blocking_set();
    assert!(b.preventable);
    assert_eq!(b.tasks.len(), 1);
}

#[test]
fn coverage_of_tactics_phases_objectives() {
    let mut d = diamond(Join::All);
    d.attack_steps[2].tactic = Tactic::LateralMovement;
    d.objectives
        .push(cyder_scenario::LearningObjective { id: "lo1".parse().unwrap(), text: ismap_model::Text::en("x") });
    d.objectives
        .push(cyder_scenario::LearningObjective { id: "lo2".parse().unwrap(), text: ismap_model::Text::en("y") });
    d.tasks[0].objectives = vec!["lo1".parse().unwrap()];
    d.tasks[3].kind = cyder_scenario::TaskKind::Review;
    let c = Scenario::new(d).unwrap().coverage();
    let used: Vec<(Tactic, usize)> = c.tactics.iter().filter(|t| t.steps > 0).map(|t| (t.tactic, t.steps)).collect();
    assert_eq!(used, [(Tactic::InitialAccess, 3), (Tactic::LateralMovement, 1)]);
    let phases: Vec<(IrPhase, usize)> = c.phases.iter().map(|p| (p.phase, p.tasks)).collect();
    assert_eq!(
        phases,
        [
            (IrPhase::Preparation, 0),
            (IrPhase::DetectionAnalysis, 3),
            (IrPhase::ContainmentEradicationRecovery, 0),
            (IrPhase::PostIncident, 1)
        ]
    );
    assert_eq!(ids(&c.uncovered_objectives), ["lo2"]);
}

#[test]
fn bounded_attack_paths() {
    // An OR goal: each branch alone reaches it, two derivations.
    let s = Scenario::new(diamond(Join::Any)).unwrap();
    let all = s.attack_paths(10, 10);
    let paths: Vec<Vec<String>> = all.paths.iter().map(|p| ids(p)).collect();
    assert_eq!(paths, vec![vec!["a", "b", "d"], vec!["a", "c", "d"]]);
    assert!(!all.truncated);
    let one = s.attack_paths(1, 10);
    assert_eq!(one.paths.len(), 1);
    assert!(one.truncated);
    let short = s.attack_paths(10, 2);
    assert!(short.paths.is_empty() && short.truncated);
}

/// Issue 13 item 10: an AND goal needs both branches, so its one derivation holds both; a chain
/// through one branch alone is not listed.
#[test]
fn attack_paths_respect_and_joins() {
    let s = Scenario::new(diamond(Join::All)).unwrap();
    let all = s.attack_paths(10, 10);
    let paths: Vec<Vec<String>> = all.paths.iter().map(|p| ids(p)).collect();
    assert_eq!(paths, vec![vec!["a", "b", "c", "d"]]);
    assert_eq!(all.kind, cyder_scenario::PathKind::Derivations);
    assert!(s.attack_paths(10, 3).truncated);
}

/// The embedded scenario: `exfiltrate` requires `archive` and `beacon` (AND), so no derivation is
/// `recon → lure → open-attachment → beacon → exfiltrate`; `collect` is an OR of the two lateral
/// movements, giving two derivations, and the steps both share are the required steps.
#[test]
fn default_scenario_paths_agree_with_required_steps() {
    let s = cyder_scenario::default_scenario().unwrap();
    let a = s.analyze(&AnalysisOptions::default());
    let paths: Vec<Vec<String>> = a.attack_paths.paths.iter().map(|p| ids(p)).collect();
    let base = ["recon", "lure", "open-attachment", "beacon", "steal-creds"];
    let tail = ["collect", "archive", "exfiltrate"];
    let with = |mid: &[&str]| base.iter().chain(mid).chain(&tail).map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(paths, vec![with(&["find-shares", "move-smb"]), with(&["move-rdp"])]);
    let required = ids(&a.required_steps.as_ref().unwrap().per_goal[0].steps);
    for p in &paths {
        assert!(required.iter().all(|r| p.contains(r)), "{p:?} lacks one of {required:?}");
        assert!(p.contains(&"archive".to_owned()));
    }
    let shared: Vec<&String> = paths[0].iter().filter(|x| paths[1].contains(x) && *x != "exfiltrate").collect();
    assert_eq!(shared, required.iter().collect::<Vec<_>>());
}

#[test]
fn default_scenario_analysis() {
    let s = cyder_scenario::default_scenario().unwrap();
    let a = s.analyze(&AnalysisOptions::default());
    assert_eq!(a.schedule.makespan, 175);
    assert_eq!(
        ids(&a.schedule.critical_path),
        ["lure", "open-attachment", "beacon", "steal-creds", "move-rdp", "collect", "archive", "exfiltrate"]
    );
    assert_eq!(ids(&a.choke_points.per_goal[0].steps), ["recon", "lure", "open-attachment", "beacon"]);
    // One task suffices; blocking the domain works in time, isolating the PC would too (for the
    // exfiltration), so the first in document order that works in time is chosen.
    assert_eq!(ids(&a.blocking_set.tasks), ["isolate-pc"]);
    assert!(a.blocking_set.in_time);
    assert_eq!(a.attack_paths.paths.len(), 2);
    assert!(a.coverage.uncovered_objectives.is_empty());
}

#[test]
fn exports_name_every_node() {
    let s = cyder_scenario::default_scenario().unwrap();
    let dot = s.to_dot(Lang::En);
    assert!(dot.starts_with("digraph \"minatogawa-b1\""));
    assert!(dot.contains("\"s:lure\" -> \"s:open-attachment\";"));
    assert!(dot.contains("\"t:isolate-pc\" -> \"s:exfiltrate\" [style=dashed"));
    let mermaid = s.to_mermaid(Lang::Ja);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("s1 --> s2"));
    assert!(mermaid.contains("t2 -. blocks .-> s10"));
    for svg in [s.to_svg(Lang::Ja), s.to_timeline_svg(Lang::En, None)] {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(!svg.contains("&&") && !svg.contains("<<"));
    }
    let graph = s.to_svg(Lang::En);
    assert_eq!(graph.matches("<g><title>").count(), 11 + 13);
}

/// Issue 15 item 3: one layer entry per technique and tactic, in order of first use; a technique
/// two steps share (T1021 sub-techniques differ, so two entries) keeps every step in its metadata;
/// the colour says whether a task needs something its steps leave.
#[test]
fn navigator_layer_of_the_default_scenario() {
    let s = cyder_scenario::default_scenario().unwrap();
    let layer = s.navigator_layer(Lang::En);
    assert_eq!((layer.versions.layer.as_str(), layer.versions.navigator.as_str()), ("4.5", "4.9.0"));
    let ids: Vec<&str> = layer.techniques.iter().map(|t| t.technique_id.as_str()).collect();
    assert_eq!(ids.len(), 11);
    assert_eq!(ids[0], "T1589.002");
    for t in &layer.techniques {
        assert!(t.technique_id.parse::<cyder_scenario::TechniqueId>().is_ok(), "{}", t.technique_id);
        let detected = t.color == cyder_scenario::DETECTED_COLOR;
        assert_eq!(detected, t.comment.starts_with("detected by: "), "{t:?}");
        assert!(t.metadata[0].value.split(", ").all(|step| s.step_index(&step.parse().unwrap()).is_some()));
    }
    let undetected: Vec<&str> = layer
        .techniques
        .iter()
        .filter(|t| t.color == cyder_scenario::UNDETECTED_COLOR)
        .map(|t| t.metadata[0].value.as_str())
        .collect();
    // The two steps validation warns about (`undetectable-step`).
    assert_eq!(undetected, ["recon", "steal-creds"]);
    let json = serde_json::to_value(&layer).unwrap();
    assert!(json["techniques"][0].get("techniqueID").is_some() && json.get("legendItems").is_some());
}
