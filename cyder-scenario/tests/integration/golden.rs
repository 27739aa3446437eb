//! The after-action report of the sample log, pinned as snapshots.

use cyder_scenario::{LinkStatus, TaskStatus, default_scenario, sample_log};
use ismap_model::Lang;

#[test]
fn sample_run_scores_as_checked_by_hand() {
    let s = default_scenario().unwrap();
    let log = sample_log().unwrap().check(&s).unwrap();
    let card = s.score(&log);
    // Missed: block-domain (10), find-cause (10). Late: escalate (10 → 5). Chain: report-leak came
    // before escalate, so 2 of 3 links are correct: 20 * 2 / 3 = 13.
    let status = |id: &str| card.tasks.iter().find(|t| t.task.as_str() == id).unwrap().status;
    assert_eq!(status("block-domain"), TaskStatus::Missed);
    assert_eq!(status("escalate"), TaskStatus::Late);
    assert_eq!(status("detect"), TaskStatus::OnTime);
    let chain: Vec<LinkStatus> = card.chain.iter().map(|c| c.status).collect();
    assert_eq!(chain, [LinkStatus::Correct, LinkStatus::Correct, LinkStatus::OutOfOrder]);
    assert_eq!(card.chain_points, 13);
    assert_eq!(card.max, 150 + 20);
    assert_eq!(card.total, 150 - 10 - 10 - 5 + 13);
    assert!(card.passed);
    // The lure lands at minute 30; detection logged at 101, isolation at 125.
    assert_eq!(card.attack_start, 30);
    assert_eq!(card.time_to_detect, Some(71));
    assert_eq!(card.time_to_contain, Some(95));
}

#[test]
fn after_action_report_golden() {
    let s = default_scenario().unwrap();
    let log = sample_log().unwrap().check(&s).unwrap();
    let report = s.after_action_report(&log);
    insta::assert_snapshot!("aar_en", report.to_markdown(Lang::En));
    insta::assert_snapshot!("aar_ja", report.to_markdown(Lang::Ja));
    insta::assert_json_snapshot!("aar_json", report);
}
