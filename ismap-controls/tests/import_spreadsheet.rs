//! Spreadsheet import: CSV and XLSX files built here from a complete catalog import back to the
//! same catalog through the normal validation; problems name their row and column.
#![cfg(feature = "spreadsheet")]
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::collections::BTreeMap;

use ismap_controls::import::{ColumnMapping, ImportProblemKind, Origin, import_csv, import_xlsx};
use ismap_controls::{Catalog, CatalogDocument, Completeness};
use ismap_model::{ControlId, ControlLevel, Lang, Text};
use pretty_assertions::assert_eq;

/// The embedded structure, every item titled in both languages, with texts on some items.
fn complete() -> (Catalog, BTreeMap<ControlId, Text>) {
    let mut doc: CatalogDocument = Catalog::ismap_2022().to_document();
    doc.completeness = Completeness::Complete;
    let title = |id: &str| Some(Text::new(format!("項目 {id}"), format!("Item {id}, \"quoted\"")));
    for part in &mut doc.parts {
        for d in &mut part.domains {
            d.title = d.title.clone().or_else(|| title(&d.id));
            for c in &mut d.categories {
                c.title = c.title.clone().or_else(|| title(&c.id));
                for o in &mut c.objectives {
                    o.title = o.title.clone().or_else(|| title(&o.id));
                    for k in &mut o.controls {
                        k.title = title(&k.id);
                    }
                }
            }
        }
    }
    let (catalog, _) = Catalog::from_document(&doc).unwrap();
    let texts = catalog
        .nodes()
        .filter(|n| n.level >= ControlLevel::Objective)
        .step_by(3)
        .map(|n| (n.id, Text::new(format!("{}を実施する。\n二行目", n.id), format!("Do {}.", n.id))))
        .collect();
    (catalog, texts)
}

const HEADER: [&str; 9] = ["項番", "区分", "項目", "Item", "内容", "Text", "必須", "クラウド", "参照"];

/// One row per item, in reverse order (the import must not depend on order).
fn rows(catalog: &Catalog, texts: &BTreeMap<ControlId, Text>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = catalog
        .nodes()
        .map(|n| {
            let t = n.title.clone().unwrap();
            let text = texts.get(&n.id);
            let flag = |b: bool| if b { "○".to_owned() } else { String::new() };
            vec![
                n.id.to_string(),
                n.part.key().to_owned(),
                t.exactly(Lang::Ja).unwrap_or_default().to_owned(),
                t.exactly(Lang::En).unwrap_or_default().to_owned(),
                text.and_then(|x| x.exactly(Lang::Ja)).unwrap_or_default().to_owned(),
                text.and_then(|x| x.exactly(Lang::En)).unwrap_or_default().to_owned(),
                if n.level == ControlLevel::Detailed { flag(n.mandatory) } else { String::new() },
                if n.level == ControlLevel::Detailed { flag(n.cloud_specific) } else { String::new() },
                n.refs
                    .iter()
                    .map(|r| match &r.clause {
                        Some(c) => format!("{} | {c}", r.standard),
                        None => r.standard.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        })
        .collect();
    out.reverse();
    out
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("\u{feff}");
    out.push_str(&header.iter().map(|h| q(h)).collect::<Vec<_>>().join(","));
    out.push('\n');
    for r in rows {
        out.push_str(&r.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

const MAPPING_TOML: &str = r#"
version = 1
[catalog]
name = { ja = "ISMAP管理基準（2022年4月1日版、構造のみ）", en = "ISMAP control criteria (2022-04-01 revision, structure only)" }
version = "2022.4.1"
effective = "2022-04-01"
source = "SOURCE"
[columns]
id = "項番"
part = "区分"
title_ja = "項目"
title_en = "Item"
text_ja = "内容"
text_en = "Text"
mandatory = "必須"
cloud_specific = "クラウド"
refs = "参照"
"#;

fn mapping() -> ColumnMapping {
    let source = Catalog::ismap_2022().meta().source.clone().unwrap();
    ColumnMapping::from_toml_str(&MAPPING_TOML.replace("SOURCE", &source.replace('"', "\\\""))).unwrap()
}

#[test]
fn csv_round_trips_to_the_same_catalog() {
    let (catalog, texts) = complete();
    let text = csv(&HEADER, &rows(&catalog, &texts));
    let built = import_csv(&text, &mapping()).unwrap();
    assert_eq!(built.catalog.to_document(), catalog.to_document());
    assert_eq!(built.texts, texts);
    // The warnings are the catalog's own (numbering gaps), now each with a row number.
    let (_, own) = Catalog::from_document(&catalog.to_document()).unwrap();
    assert_eq!(built.warnings.len(), own.len());
    assert!(built.warnings.iter().all(|w| matches!(w.origin, Origin::Row { .. })));
}

#[test]
fn xlsx_round_trips_with_a_header_row_a_sheet_name_and_column_letters() {
    let (catalog, texts) = complete();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let other = wb.add_worksheet();
    other.set_name("表紙").unwrap();
    other.write_string(0, 0, "not this sheet").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("管理基準").unwrap();
    ws.write_string(0, 0, "ISMAP管理基準（合成データ）").unwrap();
    // Header on row 3, data from row 4, starting in column B.
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, u16::try_from(c + 1).unwrap(), *h).unwrap();
    }
    for (r, row) in rows(&catalog, &texts).iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(u32::try_from(r + 3).unwrap(), u16::try_from(c + 1).unwrap(), v).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let mut m = mapping();
    m.sheet = Some("管理基準".into());
    m.header_row = Some(3);
    m.columns.id = "B".into(); // by letter
    let built = import_xlsx(&bytes, &m).unwrap();
    assert_eq!(built.catalog.to_document(), catalog.to_document());
    assert_eq!(built.texts, texts);
}

#[test]
fn problems_name_their_row_and_column() {
    let (catalog, texts) = complete();
    let mut rs = rows(&catalog, &texts);
    rs.reverse(); // numeric order: row n+1 holds item n
    rs.push(vec![
        "8.1.x".into(),
        String::new(),
        "悪い".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    rs.push(vec![
        "8.99.1".into(),
        String::new(),
        "親なし".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let pb = rs.iter().position(|r| r[0] == "8.1.2.7.PB").unwrap();
    rs[pb][6] = "×".into(); // contradicts the .PB suffix
    let maybe = rs.iter().position(|r| r[0] == "9.2.1").unwrap();
    rs[maybe][7] = "たぶん".into(); // not a flag
    let text = csv(&HEADER, &rs);
    let problems = import_csv(&text, &mapping()).unwrap_err();
    let row = |i: usize| i + 2; // header is row 1
    let described: Vec<(String, String)> = problems
        .iter()
        .filter(|p| p.severity == ismap_controls::Severity::Error)
        .map(|p| (p.origin.to_string(), format!("{:?}", std::mem::discriminant(&p.kind))))
        .collect();
    let origins: Vec<&str> = described.iter().map(|(o, _)| o.as_str()).collect();
    assert!(origins.contains(&format!("row {}, column `クラウド`", row(maybe)).as_str()), "{origins:?}");
    assert!(origins.contains(&format!("row {}, column `項番`", row(rs.len() - 2)).as_str()), "{origins:?}");
    assert!(origins.contains(&format!("row {}, column `項番`", row(rs.len() - 1)).as_str()), "{origins:?}");
    assert!(origins.contains(&format!("row {}, column `項番`", row(pb)).as_str()), "{origins:?}");
    assert_eq!(described.len(), 4, "{described:?}");
    let kinds: Vec<&ImportProblemKind> = problems.iter().map(|p| &p.kind).collect();
    assert!(kinds.iter().any(|k| matches!(k, ImportProblemKind::BadFlag { value } if value == "たぶん")));
    assert!(kinds.iter().any(|k| matches!(k, ImportProblemKind::MissingParent { parent, .. } if parent == "8.99")));
    assert!(kinds.iter().any(|k| matches!(k, ImportProblemKind::InvalidId { value, .. } if value == "8.1.x")));
    assert!(kinds.iter().any(|k| matches!(k, ImportProblemKind::Catalog { .. })));
    // Messages are bilingual.
    assert!(problems.iter().all(|p| p.message().is_bilingual()));
}

#[test]
fn a_missing_column_and_a_bad_mapping_are_reported() {
    let mut m = mapping();
    m.columns.title_en = Some("Titel".into());
    let problems = import_csv("項番,区分\n3,governance\n", &m).unwrap_err();
    assert!(
        problems.iter().any(|p| matches!(&p.kind, ImportProblemKind::MissingColumn { column } if column == "Titel"))
    );
    let err = ColumnMapping::from_toml_str("version = 1\n[catalog]\nname = { ja = \"x\" }\nversion = \"1.0.0\"\neffective = \"2022-04-01\"\n[columns]\nidd = \"項番\"\n").unwrap_err();
    assert!(err[0].to_string().contains("idd"), "{}", err[0]);
    let err = ColumnMapping::from_json_str(r#"{"version": 2, "catalog": {"name": {"en": "x"}, "version": "1.0.0", "effective": "2022-04-01"}, "columns": {"id": "ID"}}"#).unwrap_err();
    assert!(err[0].to_string().contains("version 2"), "{}", err[0]);
    // A JSON mapping works like the TOML one; incomplete titles fail a complete catalog.
    let json = r#"{"version": 1, "catalog": {"name": {"en": "mini"}, "version": "1.0.0", "effective": "2022-04-01"},
                   "columns": {"id": "ID", "title_en": "Title"}}"#;
    let m = ColumnMapping::from_json_str(json).unwrap();
    let problems = import_csv("ID,Title\n3,Governance\n3.1,\n", &m).unwrap_err();
    assert_eq!(problems[0].origin.to_string(), "row 3, column `ID`");
    assert!(problems[0].message().get(Lang::En).contains("title"), "{}", problems[0]);
}
