//! Statements as workbooks and reports as pages: writing the template, reading a filled
//! 1,300-row statement workbook, the HTML report of its assessment.
//!
//! Targets (issue 10): reading a filled 1,300-row workbook into a `Statement` costs at most 1.5x
//! what calamine takes just to read the same cells (`workbook/read_statement` vs
//! `workbook/calamine_cells`); writing the template takes under 100 ms; the HTML report of a
//! 1,300-item assessment under 20 ms (`workbook/html_report`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use criterion::{Criterion, criterion_group, criterion_main};
use ismap::controls::statement::IndividualControl;
use ismap::controls::workbook::StatementTemplate;
use ismap::controls::{Assessment, Baseline, Catalog, Selection, Statement};
use ismap::model::{ControlId, ControlLevel, Lang, Limits};

/// The sample statement with every template item answered, plus optional detailed controls under
/// the objectives (`.1` to `.n`) until it holds 1,300 answers, each with two individual controls.
fn filled(template: &StatementTemplate) -> Statement {
    let mut st = Statement::try_sample().unwrap();
    let controls = |id: &ControlId| {
        vec![
            IndividualControl::new(format!("{id} の手順を規程に定め、四半期ごとに記録を確認する")),
            IndividualControl::new(format!("Owner reviews {id} evidence every quarter")),
        ]
    };
    let mut selections: Vec<Selection> = template
        .items
        .iter()
        .map(|i| Selection::Selected { id: i.id, controls: controls(&i.id), changes: Vec::new() })
        .collect();
    let objectives: Vec<ControlId> = template
        .items
        .iter()
        .filter(|i| i.level == ControlLevel::Objective && i.id.domain() >= 5)
        .map(|i| i.id)
        .collect();
    'fill: for n in 1..=20u16 {
        for o in &objectives {
            if selections.len() >= 1_300 {
                break 'fill;
            }
            let id: ControlId = format!("{}.{n}", o.path()).parse().unwrap();
            if template.item(&id).is_none() {
                selections.push(Selection::Selected { id, controls: controls(&id), changes: Vec::new() });
            }
        }
    }
    selections.sort_by_key(|s| *s.id());
    st.selections = selections;
    st
}

fn bench(c: &mut Criterion) {
    let template = StatementTemplate::new(Catalog::ismap_2022(), &Baseline::ismap(), &[]);
    let st = filled(&template);
    assert_eq!(st.selections.len(), 1_300);
    let bytes = st.to_xlsx(&template, None, Lang::Ja).unwrap();
    let mut g = c.benchmark_group("workbook");
    g.bench_function("write_template", |b| b.iter(|| black_box(template.to_xlsx(Lang::Ja).unwrap())));
    g.bench_function("calamine_cells", |b| {
        b.iter(|| {
            let mut wb = Xlsx::new(Cursor::new(&bytes)).unwrap();
            let mut cells = 0usize;
            for name in ["表紙", "回答", "追加要件", "統制変更", "基盤サービス"] {
                let range = wb.worksheet_range(name).unwrap();
                cells += range.used_cells().count();
            }
            black_box(cells)
        });
    });
    g.bench_function("read_statement", |b| {
        b.iter(|| black_box(Statement::from_xlsx_bytes(&bytes, None, &Limits::DEFAULT).unwrap()));
    });
    let report = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&st);
    assert!(report.findings.len() > 1_000, "a finding per added optional control, at least");
    g.bench_function("html_report", |b| b.iter(|| black_box(ismap::render::html::assessment(&report, Lang::Ja))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
