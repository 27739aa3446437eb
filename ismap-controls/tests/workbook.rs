//! Statements as workbooks: the template, filled as a provider would, reads back through the
//! same validation; every problem is reported at once with its `sheet!cell`; statements survive
//! JSON -> XLSX -> JSON and JSON -> CSV -> JSON.
#![cfg(feature = "spreadsheet")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::io::Cursor;

use calamine_check::sheet_names;
use ismap_controls::statement::IndividualControl;
use ismap_controls::workbook::{AnswerRequirement, StatementMapping, StatementTemplate};
use ismap_controls::{Assessment, Baseline, Catalog, Rule, Selection, Statement, Verdict};
use ismap_model::{ControlLevel, Lang, Limits};
use pretty_assertions::assert_eq;
use rust_xlsxwriter::{Format, Workbook};

mod calamine_check {
    /// The sheet names of a workbook, read from its `xl/workbook.xml`.
    pub(crate) fn sheet_names(bytes: &[u8]) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut xml).unwrap();
        xml.split("<sheet ")
            .skip(1)
            .map(|s| s.split("name=\"").nth(1).unwrap().split('"').next().unwrap().to_owned())
            .collect()
    }
}

fn template() -> StatementTemplate {
    StatementTemplate::new(Catalog::ismap_2022(), &Baseline::ismap(), &[])
}

/// What a conformant provider writes: every item of the template selected with a control.
fn conformant() -> Statement {
    let mut st = Statement::try_sample().unwrap();
    st.selections = template()
        .items
        .iter()
        .map(|i| {
            let mut c = IndividualControl::new(format!("{} を実施する", i.id));
            c.reference = Some(format!("C-{}", i.id));
            Selection::Selected { id: i.id, controls: vec![c], changes: Vec::new() }
        })
        .collect();
    st.service.underlying.retain(|u| u.registration.is_some());
    st.agency_responses.clear();
    st
}

fn assess(st: &Statement) -> ismap_controls::AssessmentReport {
    Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(st)
}

fn read(bytes: &[u8]) -> ismap_controls::workbook::LoadedStatement {
    match Statement::from_xlsx_bytes(bytes, None, &Limits::DEFAULT) {
        Ok(l) => l,
        Err(p) => panic!("{:#?}", p.problems()),
    }
}

#[test]
fn the_template_lists_every_item_with_a_title_and_what_is_required() {
    let t = template();
    assert_eq!(t.items.len(), 6 + 18 + 21 + 64 + 121 + 31);
    assert!(t.items.iter().all(|i| i.title.exactly(Lang::Ja).is_some() && i.title.exactly(Lang::En).is_some()));
    let req = |id: &str| t.item(&id.parse().unwrap()).unwrap().requirement;
    assert_eq!(req("4.4.1.1"), AnswerRequirement::Mandatory);
    assert_eq!(req("8.1.2"), AnswerRequirement::MandatoryUnlessExcluded);
    assert_eq!(req("8.1.2.7.PB"), AnswerRequirement::MandatoryUnlessObjectiveExcluded);
    // An agency requiring an optional control the structure does not list adds its row.
    let adds = ismap_controls::AgencyAdditions::from_json_str(
        r#"{"agency": {"ja": "デジタル庁"}, "require": ["8.1.2.3"], "requirements": [{"id": "DA-01", "title": {"ja": "国内データセンター"}}]}"#,
    )
    .unwrap();
    let t = StatementTemplate::new(Catalog::ismap_2022(), &Baseline::ismap(), &[adds]);
    let item = t.item(&"8.1.2.3".parse().unwrap()).unwrap();
    assert_eq!(item.requirement, AnswerRequirement::AgencyRequired);
    assert_eq!(item.level, ControlLevel::Detailed);
    assert_eq!(t.agency_requirements.len(), 1);
}

#[test]
fn the_template_workbook_has_its_sheets_drop_down_and_protection() {
    for (lang, names) in [
        (Lang::Ja, ["表紙", "回答", "追加要件", "統制変更", "基盤サービス", "記入方法"]),
        (Lang::En, ["Cover", "Answers", "Agency requirements", "Changes", "Underlying services", "Columns"]),
    ] {
        let bytes = template().to_xlsx(lang).unwrap();
        assert_eq!(sheet_names(&bytes), names);
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("<dataValidation type=\"list\""), "status drop-down");
        assert!(xml.contains("sqref=\"F2:F"), "on the status column");
        assert!(xml.contains("<sheetProtection"), "fixed columns locked");
        assert!(xml.contains("<autoFilter"), "autofilter");
        assert!(xml.contains("<pane "), "frozen header");
    }
    // An empty template is not a statement: every blank cover field is named.
    let problems =
        Statement::from_xlsx_bytes(&template().to_xlsx(Lang::Ja).unwrap(), None, &Limits::DEFAULT).unwrap_err().0;
    assert!(problems.iter().any(|p| p.location == "表紙!B2"), "{problems:#?}");
    assert!(problems.iter().any(|p| p.location == "表紙!B11"), "{problems:#?}");
}

#[test]
fn a_filled_template_is_conformant_and_blank_answers_are_named_by_cell() {
    let st = conformant();
    assert_eq!(assess(&st).verdict, Verdict::Conformant, "{:#?}", assess(&st).findings);
    let t = template();
    for lang in [Lang::Ja, Lang::En] {
        let bytes = st.to_xlsx(&t, None, lang).unwrap();
        let loaded = read(&bytes);
        assert_eq!(loaded.statement, st);
        assert_eq!(assess(&loaded.statement).verdict, Verdict::Conformant);
    }
    // Blank three mandatory answers: three errors, each at the status cell of its row.
    let mut gaps = st.clone();
    let blank = ["4.4.2.1", "8.1.2", "9.4.2.2.B"];
    gaps.selections.retain(|s| !blank.contains(&s.id().to_string().as_str()));
    let loaded = read(&gaps.to_xlsx(&t, None, Lang::Ja).unwrap());
    let mut report = assess(&loaded.statement);
    let source = loaded.source.unwrap();
    source.relocate(&mut report);
    assert_eq!(report.verdict, Verdict::NotConformant);
    let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == ismap_controls::Severity::Error).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for id in blank {
        let cell = source.status_cell(&id.parse().unwrap()).unwrap().to_owned();
        assert!(cell.starts_with("回答!F"), "{cell}");
        assert!(errors.iter().any(|f| f.path.as_deref() == Some(cell.as_str())), "{id} at {cell}: {errors:#?}");
    }
}

#[test]
fn the_sample_survives_xlsx_and_csv() {
    // A workbook lists items in id order: the statement comes back with its selections in that
    // order (the sample lists `6.3.1.1.PB` after `6.3.1.3`), everything else the same.
    let mut st = Statement::try_sample().unwrap();
    st.selections.sort_by_key(|s| *s.id());
    let t = template();
    let back = read(&st.to_xlsx(&t, None, Lang::En).unwrap()).statement;
    assert_eq!(back, st);
    let csv = st.to_csv(&t, Lang::Ja).unwrap();
    let back = Statement::from_csv_str(&csv, None, &Limits::DEFAULT).unwrap().statement;
    assert_eq!(back, st);
    // Findings of the sample point at cells, in the CSV as line:column.
    let loaded = Statement::from_csv_str(&csv, None, &Limits::DEFAULT).unwrap();
    let mut report = assess(&loaded.statement);
    loaded.source.unwrap().relocate(&mut report);
    let f = report.findings.iter().find(|f| f.rule == Rule::BasicRequirementNotSelected).unwrap();
    let at = f.path.as_deref().unwrap();
    let (line, column) = at.split_once(':').unwrap();
    assert_eq!(column, "6");
    let line: usize = line.parse().unwrap();
    assert!(csv.lines().nth(line - 1).unwrap().starts_with("9.4.2.2.B,"), "{at}");
}

/// A workbook written the way people write them: our headers in another order, full-width ids,
/// trailing spaces, era dates and serial dates, empty rows, a formula with its cached value.
fn hand_made(answers: &[(&str, &str, &str)], extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("Cover").unwrap();
    let rows: [(&str, &str); 12] = [
        ("Service name (English)", "Tsubame Storage "),
        ("Provider name (Japanese)", "つばめ株式会社"),
        ("Service model", "ＩａａＳ"),
        ("Program", "ismap"),
        ("Criteria version", "2022.4.1"),
        ("Assessment period (first day)", "令和6年4月1日"),
        ("Assessment period (last day)", ""),
        ("Representative's name", "燕 花子"),
        ("Representative's position", "CISO"),
        ("Regions", "東京\n大阪"),
        ("", ""),
        ("Notes", "anything else is ignored"),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap();
        cover.write_string(r, 0, *label).unwrap();
        if !value.is_empty() {
            cover.write_string(r, 1, *value).unwrap();
        }
    }
    // The last day as a date-formatted serial number (2025-03-31).
    cover.write_number_with_format(7, 1, 45747.0, &Format::new().set_num_format("yyyy/mm/dd")).unwrap();
    let ws = wb.add_worksheet().set_name("回答").unwrap();
    for (c, h) in ["状態", "ID", "Individual controls"].iter().enumerate() {
        ws.write_string(2, u16::try_from(c).unwrap(), *h).unwrap();
    }
    for (i, (status, id, controls)) in answers.iter().enumerate() {
        let r = u32::try_from(i * 2 + 3).unwrap(); // an empty row after each answer
        ws.write_string(r, 0, *status).unwrap();
        ws.write_string(r, 1, *id).unwrap();
        ws.write_string(r, 2, *controls).unwrap();
    }
    extra(ws);
    wb.save_to_buffer().unwrap()
}

#[test]
fn excel_realities_are_read() {
    let bytes =
        hand_made(&[("選択 ", "８．１．２", "A-1: 台帳\n\nA-2: 棚卸"), ("excluded", "6.3.1.P ", "")], |ws| {
            ws.write_formula(20, 1, rust_xlsxwriter::Formula::new("=\"5.1.1\"").set_result("5.1.1")).unwrap();
            ws.write_string(20, 0, "selected").unwrap();
        });
    let st = read(&bytes).statement;
    assert_eq!(st.service.name.get(Lang::En), "Tsubame Storage");
    assert_eq!(st.period.start().to_string(), "2024-04-01");
    assert_eq!(st.period.end().to_string(), "2025-03-31");
    assert_eq!(st.service.regions, ["東京", "大阪"]);
    let ids: Vec<String> = st.selections.iter().map(|s| s.id().to_string()).collect();
    assert_eq!(ids, ["8.1.2", "6.3.1.P", "5.1.1"]);
    match &st.selections[0] {
        Selection::Selected { controls, .. } => assert_eq!(controls.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_problem_of_a_workbook_is_named_by_cell_at_once() {
    let bytes = hand_made(
        &[
            ("maybe", "8.1.2", ""),      // unknown status: 回答!A4
            ("選択", "8.1.2.7.PB", "x"), // fine
            ("選択", "", "orphan"),      // controls but no id: 回答!B8
            ("選択", "8.1.2.7.PB", "y"), // twice: 回答!B10
            ("選択", "99..1", ""),       // not an id: 回答!B12
        ],
        |ws| {
            ws.write_formula(13, 1, rust_xlsxwriter::Formula::new("=#REF!").set_result("#REF!")).unwrap();
            ws.write_string(13, 0, "選択").unwrap();
        },
    );
    let problems = Statement::from_xlsx_bytes(&bytes, None, &Limits::DEFAULT).unwrap_err().0;
    let at: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
    for cell in ["回答!A4", "回答!B8", "回答!B10", "回答!B12"] {
        assert!(at.contains(&cell), "{cell} in {at:?}");
    }
    let unknown = problems.iter().find(|p| p.location == "回答!A4").unwrap();
    assert_eq!(unknown.value.as_deref(), Some("maybe"));
}

#[test]
fn bad_workbooks_are_clear_errors() {
    let one = |bytes: &[u8]| {
        let p = Statement::from_xlsx_bytes(bytes, None, &Limits::DEFAULT).unwrap_err().0;
        (p[0].location.clone(), p[0].message.get(Lang::En).to_owned())
    };
    let (_, m) = one(b"PK\x03\x04 not really a zip");
    assert!(m.contains("not a readable XLSX workbook"), "{m}");
    // A CFB container (what an encrypted workbook is).
    let (_, m) = one(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]);
    assert!(m.contains("password"), "{m}");
    // No answers sheet.
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Sheet1").unwrap();
    let (_, m) = one(&wb.save_to_buffer().unwrap());
    assert!(m.contains("no answers sheet"), "{m}");
    // Merged cells name their range.
    let bytes = hand_made(&[("選択", "8.1.2", "")], |ws| {
        ws.merge_range(30, 0, 30, 2, "merged", &Format::new()).unwrap();
    });
    let p = Statement::from_xlsx_bytes(&bytes, None, &Limits::DEFAULT).unwrap_err().0;
    assert!(p.iter().any(|p| p.location == "回答!A31:C31"), "{p:#?}");
    // A sheet larger than the limit is refused before it is read.
    let small = Limits::DEFAULT.with_input_bytes(1024);
    let p = Statement::from_xlsx_bytes(&template().to_xlsx(Lang::Ja).unwrap(), None, &small).unwrap_err().0;
    assert_eq!(p.len(), 1);
    // Too many rows: the sheet that goes over the limit is named.
    let few = Limits::DEFAULT.with_items(50);
    let p = Statement::from_xlsx_bytes(&template().to_xlsx(Lang::Ja).unwrap(), None, &few).unwrap_err().0;
    assert_eq!(p.len(), 1);
    assert!(p[0].location.starts_with("回答!"), "{p:?}");
}

#[test]
fn a_providers_own_layout_reads_with_a_mapping() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Controls").unwrap();
    ws.write_string(0, 0, "Our control list").unwrap();
    for (c, h) in ["Control ID", "Done?", "How"].iter().enumerate() {
        ws.write_string(2, u16::try_from(c).unwrap(), *h).unwrap();
    }
    ws.write_string(3, 0, "8.1.2").unwrap();
    ws.write_string(3, 1, "Implemented").unwrap();
    ws.write_string(3, 2, "asset register").unwrap();
    ws.write_string(4, 0, "6.3.1.P").unwrap();
    ws.write_string(4, 1, "N/A").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let st = Statement::try_sample().unwrap();
    let cover = serde_json::json!({
        "service": st.service, "program": st.program, "catalog_version": st.catalog_version,
        "period": st.period, "representative": st.representative,
    });
    let mapping = format!(
        r#"{{"format_version": 1, "sheet": "Controls", "header_row": 3,
            "columns": {{"id": "Control ID", "status": "B", "controls": "How"}},
            "status_words": {{"Implemented": "selected", "N/A": "excluded"}}, "cover": {cover}}}"#
    );
    let mapping = StatementMapping::from_str_as(&mapping, false).unwrap();
    let loaded = Statement::from_xlsx_bytes(&bytes, Some(&mapping), &Limits::DEFAULT).unwrap();
    assert_eq!(loaded.statement.selections.len(), 2);
    let mut report = assess(&loaded.statement);
    loaded.source.unwrap().relocate(&mut report);
    // The excluded objective has no reason: the finding points at its status cell.
    assert!(report.findings.iter().any(|f| f.path.as_deref() == Some("Controls!B5")), "{:#?}", report.findings);
}

mod round_trip {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9あ-ん][A-Za-z0-9あ-ん ,.:()-]{0,30}[A-Za-z0-9あ-ん.)]".prop_map(|s| s)
    }

    fn control() -> impl Strategy<Value = IndividualControl> {
        (proptest::option::of("[A-Z]{1,3}-[0-9]{1,3}"), text()).prop_map(|(r, t)| {
            let mut c = IndividualControl::new(t);
            c.reference = r;
            c
        })
    }

    fn selection(id: ismap_model::ControlId) -> impl Strategy<Value = Selection> {
        prop_oneof![
            proptest::collection::vec(control(), 0..3).prop_map(move |controls| Selection::Selected {
                id,
                controls,
                changes: Vec::new()
            }),
            proptest::option::of(text())
                .prop_map(move |r| Selection::NotSelected { id, reason: r.unwrap_or_default() }),
            text().prop_map(move |reason| Selection::Excluded { id, reason }),
            (Just("hikari-iaas".to_owned()), proptest::collection::vec(control(), 0..2))
                .prop_map(move |(from, controls)| Selection::Inherited { id, from, controls }),
        ]
    }

    fn statement() -> impl Strategy<Value = Statement> {
        let items: Vec<ismap_model::ControlId> = template().items.iter().map(|i| i.id).collect();
        proptest::sample::subsequence(items, 0..40)
            .prop_flat_map(|ids| ids.into_iter().map(selection).collect::<Vec<_>>())
            .prop_map(|selections| {
                let mut st = Statement::try_sample().unwrap();
                st.selections = selections;
                st
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn json_xlsx_json_and_csv(st in statement()) {
            let t = template();
            let json = serde_json::to_string(&st).unwrap();
            let st = Statement::from_json_str(&json).unwrap();
            let back = read(&st.to_xlsx(&t, None, Lang::Ja).unwrap()).statement;
            prop_assert_eq!(&back, &st);
            let csv = st.to_csv(&t, Lang::En).unwrap();
            let back = Statement::from_csv_str(&csv, None, &Limits::DEFAULT).unwrap().statement;
            prop_assert_eq!(&back, &st);
        }
    }
}
