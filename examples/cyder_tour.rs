//! A tour of `cyder-scenario` on the embedded B-1-style scenario: validation warnings, the
//! critical path, choke points, the minimum blocking set, and the sample team's score.
//!
//! Run: `cargo run --example cyder_tour`.

use ismap::cyder_scenario::{AnalysisOptions, Course, YEARLY_FIGURES, default_scenario, sample_log};
use ismap::model::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for y in YEARLY_FIGURES {
        println!("{}: {} sessions, {} trainees", y.fiscal_year, y.sessions, y.trainees);
    }
    let b1 = Course::B1.info();
    println!(
        "{}: {} for {}\n",
        Course::B1.name().get(Lang::En),
        b1.level.name().get(Lang::En),
        b1.target.get(Lang::En)
    );

    let scenario = default_scenario()?;
    println!("scenario `{}`: {}", scenario.document().id, scenario.document().title.get(Lang::En));
    for w in scenario.warnings() {
        println!("  {w}");
    }
    let a = scenario.analyze(&AnalysisOptions::default());
    let join = |v: &[ismap::cyder_scenario::StepId]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(" → ");
    println!("critical path ({} min): {}", a.schedule.makespan, join(&a.schedule.critical_path));
    println!(
        "choke points: {}",
        a.choke_points.common.iter().map(|c| c.step.to_string()).collect::<Vec<_>>().join(", ")
    );
    println!(
        "minimum blocking set: {} (in time: {})",
        a.blocking_set.tasks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        a.blocking_set.in_time
    );

    let log = sample_log()?.check(&scenario)?;
    let card = scenario.score(&log);
    println!(
        "\nteam {}: {}/{} ({}), time to detect {:?} min",
        card.team,
        card.total,
        card.max,
        if card.passed { "passed" } else { "not passed" },
        card.time_to_detect
    );
    Ok(())
}
