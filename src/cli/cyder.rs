//! `ismap cyder courses | validate | analyze | graph | navigator-layer | score | report`: CYDER
//! exercise scenarios.

use std::path::{Path, PathBuf};

use ismap::cyder_scenario::StepId;
use ismap::cyder_scenario::{
    ActionLog, AnalysisOptions, BlockingMethod, CheckedLog, Course, CourseInfo, CourseSessions, FlowStage,
    Format as FileFormat, InvalidDocumentError, Scenario, ValidationReport, YEARLY_FIGURES, YearlyFigures,
    default_scenario, load_scenario, parse_document, parse_log, sample_log, validate,
};
use ismap::model::{Lang, Text};
use serde::Serialize;

use super::output::{self, CliError, CmdResult, Format, exit, print};
use super::{Common, ReportFormat};

/// Subcommands of `ismap cyder`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CyderCommand {
    /// The CYDER courses, the yearly figures and the exercise flow.
    Courses {
        #[command(flatten)]
        common: Common,
    },
    /// Validate a scenario file and list every problem with its code and JSON path.
    Validate {
        /// Scenario file (`.json` is JSON, anything else YAML); the embedded scenario when omitted.
        file: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Critical path, choke points, minimum blocking set, detection, coverage and attack paths.
    Analyze {
        /// Scenario file; the embedded scenario when omitted.
        file: Option<PathBuf>,
        /// Most attack paths to list.
        #[arg(long, default_value_t = 20)]
        max_paths: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Draw the scenario as Graphviz DOT, Mermaid, an SVG graph or an SVG timeline.
    Graph {
        /// Scenario file; the embedded scenario when omitted.
        file: Option<PathBuf>,
        /// What to draw.
        #[arg(long = "as", value_enum, default_value_t = GraphKind::Dot)]
        kind: GraphKind,
        /// An action log to overlay on the timeline (`--as timeline-svg`).
        #[arg(long)]
        log: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Language of the labels.
        #[arg(long, value_parser = parse_lang, default_value = super::lang_default())]
        lang: Lang,
    },
    /// Write the scenario's techniques as an ATT&CK Navigator layer (format 4.5), coloured by
    /// whether a defender task detects them, with the tasks' names as comments.
    NavigatorLayer {
        /// Scenario file; the embedded scenario when omitted.
        file: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Language of the names and comments.
        #[arg(long, value_parser = parse_lang, default_value = "en")]
        lang: Lang,
    },
    /// Score a team's action log against the scenario.
    Score(RunArgs),
    /// Write the after-action report of a team's run (Markdown for table/markdown, or JSON).
    Report(RunArgs),
}

/// Arguments of `score` and `report`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario file; the embedded scenario when omitted.
    scenario: Option<PathBuf>,
    /// The team's action log (JSON or YAML); the embedded sample log when omitted.
    #[arg(long)]
    log: Option<PathBuf>,
    #[command(flatten)]
    report: super::ReportArgs,
}

/// A picture kind.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum GraphKind {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// SVG of the graph.
    Svg,
    /// SVG Gantt-style timeline.
    TimelineSvg,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

pub(crate) fn run(cmd: CyderCommand) -> CmdResult {
    match cmd {
        CyderCommand::Courses { common } => courses(&common),
        CyderCommand::Validate { file, common } => validate_cmd(file.as_deref(), &common),
        CyderCommand::Analyze { file, max_paths, common } => analyze(file.as_deref(), max_paths, &common),
        CyderCommand::Graph { file, kind, log, output, lang } => {
            graph(file.as_deref(), kind, log.as_deref(), output.as_deref(), lang)
        }
        CyderCommand::NavigatorLayer { file, output, lang } => {
            navigator_layer(file.as_deref(), output.as_deref(), lang)
        }
        CyderCommand::Score(a) => score(&a),
        CyderCommand::Report(a) => report(&a),
    }
}

fn invalid(what: &str, path: Option<&Path>, e: &InvalidDocumentError, lang: Lang) -> CliError {
    let name = path.map_or_else(|| "embedded".to_owned(), |p| p.display().to_string());
    let first = e.issues().first().map(|i| i.line(lang)).unwrap_or_default();
    let hint = match path {
        Some(p) if what == "scenario" => format!("run `ismap cyder validate {}` to list every problem", p.display()),
        _ => format!("{} problem(s) in all; fix the {what} file", e.issues().len()),
    };
    CliError::new(format!("{name} {what}: {first}"), hint)
}

fn load(path: Option<&Path>, lang: Lang) -> Result<Scenario, CliError> {
    match path {
        None => default_scenario().map_err(|e| invalid("scenario", None, &e, lang)),
        Some(p) => {
            let text = output::read_file(p)?;
            load_scenario(&text, FileFormat::from_path(p)).map_err(|e| invalid("scenario", Some(p), &e, lang))
        }
    }
}

fn load_log(path: Option<&Path>, scenario: &Scenario, lang: Lang) -> Result<CheckedLog, CliError> {
    let log: ActionLog = match path {
        None => sample_log().map_err(|e| invalid("log", None, &e, lang))?,
        Some(p) => {
            let text = output::read_file(p)?;
            parse_log(&text, FileFormat::from_path(p)).map_err(|e| invalid("log", Some(p), &e, lang))?
        }
    };
    log.check(scenario).map_err(|e| invalid("log", path, &e, lang))
}

fn l(lang: Lang, ja: &str, en: &str) -> String {
    if lang == Lang::Ja { ja.to_owned() } else { en.to_owned() }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CoursesOut {
    courses: Vec<CourseInfo>,
    yearly_figures: Vec<YearlyFigures>,
    /// FY2019 sessions per course (MIC overview slides, 2020-05-13).
    sessions: Vec<CourseSessions>,
    flow: Vec<FlowOut>,
}

#[derive(Serialize)]
struct FlowOut {
    stage: FlowStage,
    name: Text,
    activities: Text,
}

fn courses(c: &Common) -> CmdResult {
    let infos: Vec<CourseInfo> = Course::ALL.iter().map(|c| c.info()).collect();
    let flow: Vec<FlowOut> =
        FlowStage::ALL.iter().map(|s| FlowOut { stage: *s, name: s.name(), activities: s.activities() }).collect();
    if c.format == Format::Json {
        let sessions = CourseSessions::fy2019();
        print(&output::to_json(&CoursesOut {
            courses: infos,
            yearly_figures: YEARLY_FIGURES.to_vec(),
            sessions,
            flow,
        })?);
        return Ok(exit::OK);
    }
    let lang = c.lang;
    let rows = infos
        .iter()
        .map(|i| {
            vec![
                i.course.code().to_owned(),
                i.level.name().get(lang).to_owned(),
                i.target.get(lang).to_owned(),
                i.locations.get(lang).to_owned(),
                i.days.to_string(),
                if i.group_work { l(lang, "あり", "yes") } else { l(lang, "なし", "no") },
                i.since.map_or_else(|| "-".to_owned(), |f| f.to_string()),
            ]
        })
        .collect();
    let heads = if lang == Lang::Ja {
        ["コース", "レベル", "対象", "開催地", "日数", "グループワーク", "開始"]
    } else {
        ["course", "level", "target", "locations", "days", "group work", "since"]
    };
    print(&output::rows(c.format, &heads, rows));
    print("\n");
    let fig = YEARLY_FIGURES
        .iter()
        .map(|y| vec![y.fiscal_year.to_string(), y.sessions.to_string(), y.trainees.to_string()])
        .collect();
    let heads = if lang == Lang::Ja {
        ["年度", "開催回数", "受講者数"]
    } else {
        ["fiscal year", "sessions", "trainees"]
    };
    print(&output::rows(c.format, &heads, fig));
    print("\n");
    // Per course in FY2019 (令和元年度の実施状況, MIC overview slides of 2020-05-13).
    let per_course = CourseSessions::fy2019()
        .iter()
        .map(|r| {
            let year = match lang {
                Lang::Ja => r.fiscal_year.to_japanese().unwrap_or_else(|| r.fiscal_year.to_string()),
                _ => r.fiscal_year.to_string(),
            };
            vec![
                year,
                r.course.code().to_owned(),
                r.sessions.to_string(),
                r.period().get(lang).to_owned(),
                r.locations.get(lang).to_owned(),
            ]
        })
        .collect();
    let heads = if lang == Lang::Ja {
        ["年度", "コース", "開催回数", "開催時期", "開催地"]
    } else {
        ["fiscal year", "course", "sessions", "period", "locations"]
    };
    print(&output::rows(c.format, &heads, per_course));
    print("\n");
    let stages = flow.iter().map(|f| vec![f.name.get(lang).to_owned(), f.activities.get(lang).to_owned()]).collect();
    let heads = if lang == Lang::Ja { ["段階", "内容"] } else { ["stage", "activities"] };
    print(&output::rows(c.format, &heads, stages));
    Ok(exit::OK)
}

fn validate_cmd(path: Option<&Path>, c: &Common) -> CmdResult {
    let report: ValidationReport = match path {
        None => match default_scenario() {
            Ok(s) => ValidationReport::new(s.warnings().to_vec()),
            Err(e) => e.report(),
        },
        Some(p) => {
            let text = output::read_file(p)?;
            match parse_document(&text, FileFormat::from_path(p)) {
                Ok(doc) => validate(&doc),
                Err(e) => e.report(),
            }
        }
    };
    if c.format == Format::Json {
        print(&output::to_json(&report)?);
    } else {
        let lang = c.lang;
        let rows = report
            .issues
            .iter()
            .map(|i| {
                vec![
                    format!("{:?}", i.severity()).to_lowercase(),
                    i.code().to_string(),
                    i.path().to_owned(),
                    i.message().get(lang).to_owned(),
                ]
            })
            .collect::<Vec<_>>();
        if !rows.is_empty() {
            print(&output::rows(c.format, &["severity", "code", "path", "message"], rows));
            if c.format == Format::Markdown {
                // Otherwise the summary line would continue the table as one more row.
                print("\n");
            }
        }
        let name = path.map_or_else(|| "embedded scenario".to_owned(), |p| p.display().to_string());
        print(&if lang == Lang::Ja {
            format!(
                "{name}: {}(エラー{}件、警告{}件)\n",
                if report.valid { "有効" } else { "無効" },
                report.errors,
                report.warnings
            )
        } else {
            format!(
                "{name}: {} ({} error(s), {} warning(s))\n",
                if report.valid { "valid" } else { "invalid" },
                report.errors,
                report.warnings
            )
        });
    }
    Ok(if report.valid { exit::OK } else { exit::not_conformant() })
}

fn analyze(path: Option<&Path>, max_paths: usize, c: &Common) -> CmdResult {
    let lang = c.lang;
    let s = load(path, lang)?;
    let a = s.analyze(&AnalysisOptions { max_paths, ..AnalysisOptions::default() });
    if c.format == Format::Json {
        print(&output::to_json(&a)?);
        return Ok(exit::OK);
    }
    let md = c.format == Format::Markdown;
    let head = |t: String| if md { format!("## {t}\n\n") } else { format!("{t}\n") };
    let name = |id: &StepId| {
        s.step_index(id)
            .and_then(|i| s.document().attack_steps.get(i))
            .map_or_else(|| id.to_string(), |st| format!("{id} ({})", st.name.get(lang)))
    };
    let mut out = String::new();
    out.push_str(&head(l(lang, "クリティカルパス", "Critical path")));
    out.push_str(&format!(
        "{} {} {}\n",
        l(lang, "攻撃完了まで", "makespan"),
        a.schedule.makespan,
        l(lang, "分", "min")
    ));
    if md {
        // A table does not interrupt a paragraph in every Markdown renderer.
        out.push('\n');
    }
    let cp_rows = a
        .schedule
        .critical_path
        .iter()
        .map(|id| {
            let t = s.step_index(id).and_then(|i| a.schedule.steps.get(i));
            vec![
                name(id),
                t.map_or_else(String::new, |t| format!("T+{}", t.earliest_start)),
                t.map_or_else(String::new, |t| format!("T+{}", t.earliest_finish)),
            ]
        })
        .collect();
    out.push_str(&output::rows(c.format, &["step", "start", "finish"], cp_rows));
    out.push('\n');
    let blockers = |p: &cyder_scenario::ChokePoint| {
        vec![
            name(&p.step),
            if p.blocked_by.is_empty() {
                "-".to_owned()
            } else {
                p.blocked_by.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            },
        ]
    };
    out.push_str(&head(l(lang, "チョークポイント(支配点)", "Choke points (dominators)")));
    let choke = a.choke_points.common.iter().map(blockers).collect();
    out.push_str(&output::rows(c.format, &["step", "blocked by"], choke));
    out.push('\n');
    if let Some(req) = &a.required_steps {
        out.push_str(&head(l(lang, "必要ステップ(AND/OR)", "Required steps (AND/OR)")));
        if req.truncated {
            out.push_str(&l(
                lang,
                "計算量の上限に達したため省略 (--format json の requiredSteps.truncated)\n",
                "not computed: the work budget was reached (requiredSteps.truncated in --format json)\n",
            ));
        } else {
            let rows = req.common.iter().map(blockers).collect();
            out.push_str(&output::rows(c.format, &["step", "blocked by"], rows));
        }
        out.push('\n');
    }
    out.push_str(&head(l(lang, "最小阻止タスク集合", "Minimum blocking set")));
    let b = &a.blocking_set;
    out.push_str(&if b.preventable {
        format!(
            "{}: {} ({}: {}; {}: {}; {}: {})\n",
            l(lang, "タスク", "tasks"),
            b.tasks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            l(lang, "遮断するステップ", "cut steps"),
            b.cut_steps.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            l(lang, "手法", "method"),
            match b.method {
                BlockingMethod::Exact => l(lang, "厳密探索", "exact search"),
                BlockingMethod::MinCut => l(lang, "最小カット", "minimum cut"),
            },
            l(lang, "間に合う", "in time"),
            b.in_time
        )
    } else {
        l(
            lang,
            "防御タスクでは攻撃者の目標を阻止できない\n",
            "the defender tasks cannot keep the attacker from the goal\n",
        )
    });
    out.push('\n');
    out.push_str(&head(l(lang, "目標", "Goals")));
    let goals = a
        .goals
        .iter()
        .map(|g| {
            vec![
                name(&g.goal),
                g.reachable.to_string(),
                format!("T+{}", g.earliest_finish),
                g.reachable_under_full_defence.to_string(),
            ]
        })
        .collect();
    out.push_str(&output::rows(c.format, &["goal", "reachable", "reached at", "reachable under full defence"], goals));
    out.push('\n');
    out.push_str(&head(l(lang, "最早検知", "Earliest detection")));
    let det = a
        .detection
        .iter()
        .map(|d| {
            vec![
                name(&d.step),
                format!("T+{}", d.step_start),
                d.detected_at.map_or_else(|| l(lang, "検知不可", "undetectable"), |m| format!("T+{m}")),
                d.task.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string),
                d.artefact.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string),
            ]
        })
        .collect();
    out.push_str(&output::rows(c.format, &["step", "starts", "detected", "task", "artefact"], det));
    out.push('\n');
    out.push_str(&head(l(lang, "網羅性", "Coverage")));
    let tactics = a
        .coverage
        .tactics
        .iter()
        .map(|t| vec![t.tactic.attack_id().to_owned(), t.tactic.name().get(lang).to_owned(), t.steps.to_string()])
        .collect();
    out.push_str(&output::rows(c.format, &["id", "tactic", "steps"], tactics));
    // A blank line between tables: in Markdown, adjacent tables would merge into one.
    out.push('\n');
    let phases =
        a.coverage.phases.iter().map(|p| vec![p.phase.name().get(lang).to_owned(), p.tasks.to_string()]).collect();
    out.push_str(&output::rows(c.format, &["phase", "tasks"], phases));
    out.push('\n');
    let objectives = a
        .coverage
        .objectives
        .iter()
        .map(|o| {
            vec![
                o.objective.to_string(),
                o.tasks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                o.injects.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            ]
        })
        .collect();
    out.push_str(&output::rows(c.format, &["objective", "tasks", "injects"], objectives));
    out.push('\n');
    out.push_str(&head(l(lang, "攻撃経路", "Attack paths")));
    out.push_str(&l(
        lang,
        "目標に至るステップの組(AND結合の前提をすべて含む)。`+` は同じ層で並行できるステップ\n",
        "sets of steps that together reach a goal (every step an AND join needs included); `+` joins steps of one layer\n",
    ));
    if md {
        out.push('\n');
    }
    let layer_of = |id: &StepId| s.step_index(id).and_then(|i| a.schedule.steps.get(i)).map_or(0, |t| t.layer);
    for p in &a.attack_paths.paths {
        let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
        for id in p {
            let layer = layer_of(id);
            match groups.last_mut() {
                Some((l, g)) if *l == layer => g.push(id.to_string()),
                _ => groups.push((layer, vec![id.to_string()])),
            }
        }
        let text = groups.iter().map(|(_, g)| g.join(" + ")).collect::<Vec<_>>().join(" → ");
        out.push_str(&format!("- {text}\n"));
    }
    if a.attack_paths.truncated {
        out.push_str(&l(lang, "(上限で打ち切り)\n", "(truncated at the limit)\n"));
    }
    print(&out);
    Ok(exit::OK)
}

fn graph(path: Option<&Path>, kind: GraphKind, log: Option<&Path>, to: Option<&Path>, lang: Lang) -> CmdResult {
    let s = load(path, lang)?;
    let text = match kind {
        GraphKind::Dot => s.to_dot(lang),
        GraphKind::Mermaid => s.to_mermaid(lang),
        GraphKind::Svg => s.to_svg(lang),
        GraphKind::TimelineSvg => {
            let checked = match log {
                Some(p) => Some(load_log(Some(p), &s, lang)?),
                None => None,
            };
            s.to_timeline_svg(lang, checked.as_ref())
        }
    };
    match to {
        None => print(&text),
        Some(p) => std::fs::write(p, text).map_err(|e| {
            CliError::new(format!("cannot write {}: {e}", p.display()), "check the path and permissions")
        })?,
    }
    Ok(exit::OK)
}

fn navigator_layer(path: Option<&Path>, to: Option<&Path>, lang: Lang) -> CmdResult {
    let s = load(path, lang)?;
    let text = output::to_json(&s.navigator_layer(lang))?;
    match to {
        None => print(&text),
        Some(p) => std::fs::write(p, text).map_err(|e| {
            CliError::new(format!("cannot write {}: {e}", p.display()), "check the path and permissions")
        })?,
    }
    Ok(exit::OK)
}

fn score(a: &RunArgs) -> CmdResult {
    let lang = a.report.lang;
    let s = load(a.scenario.as_deref(), lang)?;
    let log = load_log(a.log.as_deref(), &s, lang)?;
    let card = s.score(&log);
    let mut text = String::new();
    let mut print = |t: &str| text.push_str(t);
    match a.report.format.text() {
        None => {
            let report = s.after_action_report(&log);
            print(&ismap::render::html::after_action(&report, &s.to_timeline_svg(lang, Some(&log)), lang));
        }
        Some(Format::Json) => print(&output::to_json(&card)?),
        Some(format) => {
            let rows = card
                .tasks
                .iter()
                .map(|t| {
                    vec![
                        t.task.to_string(),
                        t.name.get(lang).to_owned(),
                        t.status.name().get(lang).to_owned(),
                        t.done_at.map_or_else(|| "-".to_owned(), |m| format!("T+{m}")),
                        format!("T+{}–T+{}", t.window.start_minute, t.window.end_minute),
                        format!("{}/{}", t.points, t.max_points),
                    ]
                })
                .collect();
            print(&output::rows(format, &["task", "name", "status", "done", "window", "points"], rows));
            let chain = card
                .chain
                .iter()
                .map(|c| {
                    vec![
                        c.task.to_string(),
                        c.expected_to.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string),
                        c.actual_to.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string),
                        c.status.name().get(lang).to_owned(),
                    ]
                })
                .collect();
            print("\n");
            print(&output::rows(format, &["chain task", "expected to", "actual to", "status"], chain));
            let mins = |m: Option<u64>| m.map_or_else(|| "-".to_owned(), |m| format!("{m} {}", l(lang, "分", "min")));
            print(&format!(
                "\n{}: {}/{} ({} {}) {}\n{}: {}, {}: {}\n",
                l(lang, "得点", "score"),
                card.total,
                card.max,
                l(lang, "合格点", "pass mark"),
                card.pass_score,
                if card.passed { l(lang, "合格", "PASSED") } else { l(lang, "不合格", "NOT PASSED") },
                l(lang, "検知まで", "time to detect"),
                mins(card.time_to_detect),
                l(lang, "封じ込めまで", "time to contain"),
                mins(card.time_to_contain)
            ));
        }
    }
    output::emit(a.report.output.as_deref(), text.as_bytes())?;
    Ok(if card.passed { exit::OK } else { exit::not_conformant() })
}

fn report(a: &RunArgs) -> CmdResult {
    let lang = a.report.lang;
    let s = load(a.scenario.as_deref(), lang)?;
    let log = load_log(a.log.as_deref(), &s, lang)?;
    let r = s.after_action_report(&log);
    let text = match a.report.format {
        ReportFormat::Json => output::to_json(&r)?,
        ReportFormat::Markdown | ReportFormat::Table => r.to_markdown(lang),
        ReportFormat::Html => ismap::render::html::after_action(&r, &s.to_timeline_svg(lang, Some(&log)), lang),
    };
    output::emit(a.report.output.as_deref(), text.as_bytes())?;
    Ok(exit::OK)
}
