//! Catalog loading and statement assessment on a synthetic complete catalog of about 1,200
//! controls and 1,000 statements.
//!
//! Target (issue 2): assessing a full statement costs no more than deserializing it from JSON.
//! Compare `statement/deserialize_json` with `statement/assess`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ismap::controls::{Assessment, Baseline, Catalog, Statement};

/// (domain, categories, objectives per category, detailed per objective, part)
const SHAPE: &[(u16, u16, u16, u16, &str)] = &[
    (3, 1, 6, 3, "governance"),
    (4, 6, 4, 3, "management"),
    (5, 2, 2, 8, "controls"),
    (6, 3, 3, 8, "controls"),
    (7, 3, 2, 8, "controls"),
    (8, 3, 4, 8, "controls"),
    (9, 5, 4, 8, "controls"),
    (10, 1, 2, 8, "controls"),
    (11, 2, 6, 8, "controls"),
    (12, 7, 3, 8, "controls"),
    (13, 2, 4, 8, "controls"),
    (14, 3, 4, 8, "controls"),
    (15, 2, 2, 8, "controls"),
    (16, 1, 7, 8, "controls"),
    (17, 2, 2, 8, "controls"),
    (18, 2, 4, 8, "controls"),
];

/// Every objective and detailed id of the synthetic catalog; every 9th detailed control is `.B`.
fn items() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (d, cats, objs, dets, part) in SHAPE {
        for c in 1..=*cats {
            for o in 1..=*objs {
                let oid = format!("{d}.{c}.{o}");
                let details =
                    (1..=*dets)
                        .map(|k| {
                            if *part == "controls" && k % 9 == 0 {
                                format!("{oid}.{k}.B")
                            } else {
                                format!("{oid}.{k}")
                            }
                        })
                        .collect();
                out.push((oid, details));
            }
        }
    }
    out
}

fn catalog_json() -> String {
    let t = |s: &str| format!(r#"{{"ja":"{s}の管理","en":"Management of {s}"}}"#);
    let mut parts = Vec::new();
    for part in ["governance", "management", "controls"] {
        let mut domains = Vec::new();
        for (d, cats, objs, dets, p) in SHAPE.iter().filter(|s| s.4 == part) {
            let mut categories = Vec::new();
            for c in 1..=*cats {
                let mut objectives = Vec::new();
                for o in 1..=*objs {
                    let oid = format!("{d}.{c}.{o}");
                    let controls: Vec<String> = (1..=*dets)
                        .map(|k| {
                            let id = if *p == "controls" && k % 9 == 0 { format!("{oid}.{k}.B") } else { format!("{oid}.{k}") };
                            format!(r#"{{"id":"{id}","title":{},"refs":[{{"standard":"ISO/IEC 27002:2013","clause":"{oid}"}}]}}"#, t(&id))
                        })
                        .collect();
                    objectives.push(format!(
                        r#"{{"id":"{oid}","title":{},"controls":[{}]}}"#,
                        t(&oid),
                        controls.join(",")
                    ));
                }
                categories.push(format!(
                    r#"{{"id":"{d}.{c}","title":{},"objectives":[{}]}}"#,
                    t(&format!("{d}.{c}")),
                    objectives.join(",")
                ));
            }
            domains.push(format!(
                r#"{{"id":"{d}","title":{},"categories":[{}]}}"#,
                t(&d.to_string()),
                categories.join(",")
            ));
        }
        parts.push(format!(r#"{{"part":"{part}","domains":[{}]}}"#, domains.join(",")));
    }
    format!(
        r#"{{"name":{},"version":"1.0.0","effective":"2022-04-01","completeness":"complete","parts":[{}]}}"#,
        t("synthetic"),
        parts.join(",")
    )
}

/// Statement `n`: everything addressed, with a few variations that produce findings.
fn statement_json(items: &[(String, Vec<String>)], n: usize) -> String {
    let mut sels = String::new();
    for (i, (oid, details)) in items.iter().enumerate() {
        let excluded = !oid.starts_with("3.") && !oid.starts_with("4.") && (i + n).is_multiple_of(37);
        if excluded {
            write!(sels, r#"{{"id":"{oid}","status":"excluded","reason":"サービスの性質上適用できないため"}},"#)
                .unwrap();
            continue;
        }
        write!(sels, r#"{{"id":"{oid}","status":"selected"}},"#).unwrap();
        for (k, id) in details.iter().enumerate() {
            if (i * 7 + k + n).is_multiple_of(5)
                && !id.ends_with(".B")
                && !oid.starts_with("3.")
                && !oid.starts_with("4.")
            {
                write!(sels, r#"{{"id":"{id}","status":"not_selected","reason":"該当する業務がないため"}},"#).unwrap();
            } else if (i + k + n).is_multiple_of(101) {
                continue; // a forgotten item: a finding
            } else {
                write!(
                    sels,
                    r#"{{"id":"{id}","status":"selected","controls":[{{"ref":"KM-{i}-{k}","text":"{id} に対応する手順を運用手順書に定め、担当部署が月次で実施記録を残し、情報セキュリティ委員会が四半期ごとに確認する"}}]}},"#
                )
                .unwrap();
            }
        }
    }
    sels.pop();
    format!(
        r#"{{"service":{{"name":{{"ja":"合成サービス{n}","en":"Synthetic service {n}"}},"provider":{{"name":{{"en":"Provider"}}}},"model":"SaaS","regions":["東京"]}},
        "program":"ISMAP","catalog_version":"1.0.0","period":{{"start":"2024-04-01","end":"2025-03-31"}},
        "representative":{{"name":"代表","title":"CISO"}},"selections":[{sels}]}}"#
    )
}

fn benches(c: &mut Criterion) {
    let items = items();
    let catalog_text = catalog_json();
    let (catalog, _) = Catalog::from_json_str(&catalog_text).expect("synthetic catalog is valid");
    let size = catalog.nodes().len();

    let mut g = c.benchmark_group("catalog");
    g.throughput(Throughput::Elements(size as u64));
    g.bench_function(BenchmarkId::new("load_validate_json", size), |b| {
        b.iter(|| Catalog::from_json_str(black_box(&catalog_text)).unwrap())
    });
    g.bench_function(BenchmarkId::new("load_validate_embedded", "2022"), |b| {
        b.iter(|| Catalog::from_json_str(black_box(Catalog::ismap_2022_json())).unwrap())
    });
    g.finish();

    let baseline = Baseline::ismap();
    let assessment = Assessment::new(&catalog, &baseline);
    let one_text = statement_json(&items, 0);
    let one = Statement::from_json_str(&one_text).unwrap();
    let mut g = c.benchmark_group("statement");
    g.throughput(Throughput::Elements(one.selections.len() as u64));
    g.bench_function("deserialize_json", |b| b.iter(|| Statement::from_json_str(black_box(&one_text)).unwrap()));
    g.bench_function("assess", |b| b.iter(|| assessment.assess(black_box(&one))));
    g.finish();

    let texts: Vec<String> = (0..1000).map(|n| statement_json(&items, n)).collect();
    let statements: Vec<Statement> = texts.iter().map(|t| Statement::from_json_str(t).unwrap()).collect();
    let mut g = c.benchmark_group("statements_1000");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("deserialize_json", |b| {
        b.iter(|| texts.iter().map(|t| Statement::from_json_str(t).unwrap().selections.len()).sum::<usize>())
    });
    g.bench_function("assess", |b| {
        b.iter(|| statements.iter().map(|s| assessment.assess(s).findings.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(assess, benches);
criterion_main!(assess);
