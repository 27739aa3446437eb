//! Property tests on random DAGs.

use cyder_scenario::{AnalysisOptions, Join, Scenario, ScenarioDocument};
use proptest::prelude::*;

use crate::fixtures::{doc, step, task};

/// A random DAG: node i may require any earlier node; the last node is the goal.
fn dag(n: usize, edges: &[bool], durations: &[u32], any: &[bool], blocks: &[Vec<usize>]) -> ScenarioDocument {
    let mut steps = Vec::new();
    for i in 0..n {
        let name = format!("s{i}");
        let reqs: Vec<String> =
            (0..i).filter(|&j| edges[(i * 13 + j) % edges.len()]).map(|j| format!("s{j}")).collect();
        let reqs: Vec<&str> = reqs.iter().map(String::as_str).collect();
        let join = if any[i % any.len()] { Join::Any } else { Join::All };
        let mut s = step(&name, &reqs, join, durations[i % durations.len()]);
        s.goal = i == n - 1;
        steps.push(s);
    }
    let tasks = blocks
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let names: Vec<String> = b.iter().map(|&j| format!("s{}", j % n)).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            task(&format!("t{k}"), &[], &names)
        })
        .collect();
    doc(steps, tasks)
}

/// Every path from a step without preconditions, as (nodes, total duration).
fn all_paths(s: &Scenario) -> Vec<(Vec<usize>, u64)> {
    let d = s.document();
    let n = d.attack_steps.len();
    let succ: Vec<Vec<usize>> = (0..n)
        .map(|i| (0..n).filter(|&j| d.attack_steps[j].requires.contains(&d.attack_steps[i].id)).collect())
        .collect();
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<usize>, u64)> = (0..n)
        .filter(|&i| d.attack_steps[i].requires.is_empty())
        .map(|i| (vec![i], u64::from(d.attack_steps[i].duration_minutes)))
        .collect();
    while let Some((p, w)) = stack.pop() {
        let last = *p.last().unwrap();
        for &nx in &succ[last] {
            let mut q = p.clone();
            q.push(nx);
            stack.push((q, w + u64::from(d.attack_steps[nx].duration_minutes)));
        }
        out.push((p, w));
    }
    out
}

/// Size, edge bits, durations, OR flags, the steps each task blocks.
type Case = (usize, Vec<bool>, Vec<u32>, Vec<bool>, Vec<Vec<usize>>);

fn strategy() -> impl Strategy<Value = Case> {
    (
        2usize..9,
        prop::collection::vec(any::<bool>(), 13..40),
        prop::collection::vec(1u32..20, 1..9),
        prop::collection::vec(any::<bool>(), 1..9),
        prop::collection::vec(prop::collection::vec(0usize..9, 0..3), 0..6),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn critical_path_is_at_least_any_path((n, edges, durations, _any, _blocks) in strategy()) {
        let s = Scenario::new(dag(n, &edges, &durations, &[false], &[])).unwrap();
        let sch = s.schedule();
        for (_, w) in all_paths(&s) {
            prop_assert!(w <= sch.makespan, "path of {w} > makespan {}", sch.makespan);
        }
        // The critical path is a real path and its length is the makespan.
        let idx: Vec<usize> = sch.critical_path.iter().map(|id| s.step_index(id).unwrap()).collect();
        let total: u64 = idx.iter().map(|&i| u64::from(s.document().attack_steps[i].duration_minutes)).sum();
        prop_assert_eq!(total, sch.makespan);
        for w in idx.windows(2) {
            prop_assert!(s.document().attack_steps[w[1]].requires.contains(&s.document().attack_steps[w[0]].id));
        }
        prop_assert!(s.document().attack_steps[idx[0]].requires.is_empty());
        // Zero slack on the critical path.
        for &i in &idx {
            prop_assert_eq!(sch.steps[i].slack, 0);
        }
    }

    #[test]
    fn critical_path_sums_to_makespan_with_or_joins((n, edges, durations, any, _b) in strategy()) {
        let s = Scenario::new(dag(n, &edges, &durations, &any, &[])).unwrap();
        let sch = s.schedule();
        let total: u64 = sch.critical_path.iter()
            .map(|id| u64::from(s.document().attack_steps[s.step_index(id).unwrap()].duration_minutes)).sum();
        prop_assert_eq!(total, sch.makespan);
        prop_assert!(sch.steps.iter().all(|t| t.latest_start >= t.earliest_start));
    }

    #[test]
    fn removing_the_min_cut_disconnects_the_goal((n, edges, durations, any, blocks) in strategy()) {
        let s = Scenario::new(dag(n, &edges, &durations, &any, &blocks)).unwrap();
        let goal = n - 1;
        let all: Vec<usize> = (0..blocks.len()).collect();
        let preventable = !s.reachable_with(&all)[goal];
        let cut = s.min_cut_blocking_set();
        prop_assert_eq!(cut.preventable, preventable);
        let exact = s.blocking_set(&AnalysisOptions { exact_blocking_limit: 64, ..AnalysisOptions::default() });
        prop_assert_eq!(exact.preventable, preventable);
        if preventable {
            let chosen: Vec<usize> = cut.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
            prop_assert!(!s.reachable_with(&chosen)[goal]);
            // Irreducible: dropping any task lets the attacker through.
            for k in 0..chosen.len() {
                let mut fewer = chosen.clone();
                fewer.remove(k);
                prop_assert!(s.reachable_with(&fewer)[goal]);
            }
            let ex: Vec<usize> = exact.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
            prop_assert!(!s.reachable_with(&ex)[goal]);
            prop_assert!(ex.len() <= chosen.len());
        }
    }

    #[test]
    fn required_steps_are_exactly_the_steps_whose_removal_cuts_the_goal((n, edges, durations, any, _b) in strategy()) {
        // Task k blocks step k only, so `reachable_with(&[k])` is reachability without step k.
        let one_each: Vec<Vec<usize>> = (0..n).map(|k| vec![k]).collect();
        let s = Scenario::new(dag(n, &edges, &durations, &any, &one_each)).unwrap();
        let goal = n - 1;
        let req = s.required_steps(usize::MAX);
        prop_assert!(!req.truncated);
        if !s.reachable_with(&[])[goal] {
            prop_assert!(req.per_goal.is_empty());
            return Ok(());
        }
        let listed: Vec<usize> = req.per_goal[0].steps.iter().map(|id| s.step_index(id).unwrap()).collect();
        for k in (0..n).filter(|&k| k != goal) {
            let cuts = !s.reachable_with(&[k])[goal];
            prop_assert_eq!(listed.contains(&k), cuts, "step s{} required: {:?}", k, listed);
        }
        // The choke points (dominators) are required steps; with OR joins only, they are all of them.
        let dominators: Vec<usize> = s.choke_points().per_goal[0].steps.iter().map(|id| s.step_index(id).unwrap()).collect();
        prop_assert!(dominators.iter().all(|d| listed.contains(d)), "{:?} not within {:?}", dominators, listed);
        let or_only = Scenario::new(dag(n, &edges, &durations, &[true], &one_each)).unwrap();
        if or_only.reachable_with(&[])[goal] {
            let mut req: Vec<usize> = or_only.required_steps(usize::MAX).per_goal[0].steps.iter()
                .map(|id| or_only.step_index(id).unwrap()).collect();
            let mut dom: Vec<usize> = or_only.choke_points().per_goal[0].steps.iter()
                .map(|id| or_only.step_index(id).unwrap()).collect();
            req.sort_unstable();
            dom.sort_unstable();
            prop_assert_eq!(req, dom);
        }
    }

    /// Issue 13 item 10: attack paths respect AND joins. The listed derivations are exactly the
    /// minimal sets of steps within which the goal is reached (brute force over every subset),
    /// and the steps they all share are the required steps.
    #[test]
    fn derivations_are_exactly_the_minimal_sets_reaching_the_goal((n, edges, durations, any, _b) in strategy()) {
        let s = Scenario::new(dag(n, &edges, &durations, &any, &[])).unwrap();
        let goal = n - 1;
        let d = s.document();
        let reaches_within = |set: u32| {
            let mut ok = 0u32;
            loop {
                let before = ok;
                for i in (0..n).filter(|&i| set & (1 << i) != 0) {
                    let st = &d.attack_steps[i];
                    let met = |r: &cyder_scenario::StepId| ok & (1 << s.step_index(r).unwrap()) != 0;
                    let fine = st.requires.is_empty() || match st.join {
                        Join::All => st.requires.iter().all(met),
                        Join::Any => st.requires.iter().any(met),
                    };
                    if fine { ok |= 1 << i; }
                }
                if ok == before { return ok & (1 << goal) != 0; }
            }
        };
        let mut expected: Vec<Vec<usize>> = (0..1u32 << n)
            .filter(|&set| set & (1 << goal) != 0 && reaches_within(set))
            .filter(|&set| (0..n).filter(|&k| k != goal && set & (1 << k) != 0).all(|k| !reaches_within(set & !(1 << k))))
            .map(|set| (0..n).filter(|&i| set & (1 << i) != 0).collect())
            .collect();
        expected.sort();
        let found = s.attack_paths(10_000, 64);
        prop_assert!(!found.truncated);
        prop_assert_eq!(found.kind, cyder_scenario::PathKind::Derivations);
        let mut got: Vec<Vec<usize>> = found.paths.iter().map(|p| {
            prop_assert_eq!(p.last().and_then(|id| s.step_index(id)), Some(goal));
            let mut v: Vec<usize> = p.iter().map(|id| s.step_index(id).unwrap()).collect();
            v.sort_unstable();
            Ok(v)
        }).collect::<Result<_, _>>()?;
        got.sort();
        prop_assert_eq!(&got, &expected);
        if let Some(first) = got.first() {
            let common: Vec<usize> = first.iter().copied().filter(|i| *i != goal && got.iter().all(|g| g.contains(i))).collect();
            let mut req: Vec<usize> = s.required_steps(usize::MAX).per_goal[0].steps.iter().map(|id| s.step_index(id).unwrap()).collect();
            req.sort_unstable();
            prop_assert_eq!(common, req);
        }
    }

    /// The one-pass dominators agree with petgraph's `simple_fast` on the step graph plus a
    /// virtual entry.
    #[test]
    fn choke_points_match_petgraph_dominators((n, edges, durations, any, _b) in strategy()) {
        use petgraph::graph::NodeIndex;
        let s = Scenario::new(dag(n, &edges, &durations, &any, &[])).unwrap();
        let mut g: petgraph::graph::DiGraph<(), ()> = s.graph().map(|_, _| (), |_, _| ());
        let root = g.add_node(());
        for (i, st) in s.document().attack_steps.iter().enumerate() {
            if st.requires.is_empty() {
                g.add_edge(root, NodeIndex::new(i), ());
            }
        }
        let dom = petgraph::algo::dominators::simple_fast(&g, root);
        let goal = n - 1;
        let mut want: Vec<usize> = dom.strict_dominators(NodeIndex::new(goal)).unwrap()
            .map(NodeIndex::index).filter(|&d| d != root.index()).collect();
        want.reverse();
        let got: Vec<usize> = s.choke_points().per_goal[0].steps.iter().map(|id| s.step_index(id).unwrap()).collect();
        prop_assert_eq!(got, want);
    }

    /// The minimum cut is a true minimum where it can be: every join OR and each task blocking
    /// one step, the task count equals the exhaustive search's. With AND joins it still stops
    /// every goal, never needs more tasks than there are, and is never smaller than the exact
    /// minimum.
    #[test]
    fn min_cut_matches_the_exact_search((n, edges, durations, any, blocks) in strategy()) {
        let goal = n - 1;
        let single: Vec<Vec<usize>> = blocks.iter().map(|b| b.iter().take(1).copied().collect()).collect();
        for (joins, tasks) in [(vec![true], &single), (any.clone(), &blocks)] {
            let s = Scenario::new(dag(n, &edges, &durations, &joins, tasks)).unwrap();
            let cut = s.min_cut_blocking_set();
            let exact = s.blocking_set(&AnalysisOptions { exact_blocking_limit: 64, ..AnalysisOptions::default() });
            prop_assert_eq!(cut.preventable, exact.preventable);
            if !cut.preventable { continue; }
            let chosen: Vec<usize> = cut.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
            prop_assert!(!s.reachable_with(&chosen)[goal]);
            prop_assert!(cut.tasks.len() >= exact.tasks.len());
            if joins == [true] {
                prop_assert_eq!(cut.tasks.len(), exact.tasks.len(), "OR-only, one step per task");
            }
        }
    }

    #[test]
    fn any_yaml_never_panics(text in "\\PC{0,200}") {
        let _ = cyder_scenario::parse_document(&text, cyder_scenario::Format::Yaml);
        let _ = cyder_scenario::parse_document(&text, cyder_scenario::Format::Json);
    }

    #[test]
    fn mutated_default_never_panics(cut in 0usize..12000, insert in "[a-z:\\[\\]{}, -]{0,12}") {
        let base = cyder_scenario::DEFAULT_SCENARIO_YAML;
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        if let Ok(doc) = cyder_scenario::parse_document(&text, cyder_scenario::Format::Yaml) {
            let report = cyder_scenario::validate(&doc);
            if let Ok(s) = Scenario::new(doc) {
                prop_assert!(report.valid);
                let _ = s.analyze(&AnalysisOptions::default());
                let _ = s.to_svg(ismap_model::Lang::Ja);
            }
        }
    }
}

/// Issue 15: a chain of unblockable steps that every goal needs under an AND join. The min cut
/// keeps the AND edge that can be cut, so the goals are preventable with a finite flow (no
/// fallback), and the chosen tasks stop them.
#[test]
fn and_chain_scenarios_are_preventable_by_a_finite_cut() {
    for n in [10, 1000, 5000] {
        let s = Scenario::new(cyder_scenario::synthetic::and_chain(n, 7)).unwrap();
        let b = s.min_cut_blocking_set();
        assert!(b.preventable, "n={n}");
        assert!(b.max_flow.is_some_and(|f| f < 1_000), "n={n}: {:?}", b.max_flow);
        let chosen: Vec<usize> = b.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
        let reach = s.reachable_with(&chosen);
        let goals: Vec<usize> = (0..n).filter(|&i| s.document().attack_steps[i].goal).collect();
        assert!(!goals.is_empty() && goals.iter().all(|&g| !reach[g]));
        // The chain alone reaches the goals' other requirement: no task blocks a chain step.
        let last = s.document().attack_steps.len() - 1;
        assert!(s.reachable_with(&(0..s.document().tasks.len()).collect::<Vec<_>>())[last]);
    }
}

#[test]
fn synthetic_scenarios_are_valid() {
    for n in [2, 10, 1000] {
        let s = Scenario::new(cyder_scenario::synthetic::scenario(n, 7)).unwrap();
        let b = s.min_cut_blocking_set();
        assert!(b.preventable);
        let chosen: Vec<usize> = b.tasks.iter().map(|t| s.task_index(t).unwrap()).collect();
        let reach = s.reachable_with(&chosen);
        for (i, st) in s.document().attack_steps.iter().enumerate() {
            if st.goal {
                assert!(!reach[i]);
            }
        }
    }
}
