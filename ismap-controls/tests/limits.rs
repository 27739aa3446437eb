//! Input limits on the catalog, statement and agency-additions loaders: inputs just under each
//! cap load, inputs just over get an error naming the limit, its value and the size found.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::{AgencyAdditions, Catalog, CatalogError, Statement};
use ismap_model::{LimitKind, Limits};

fn catalog_text() -> &'static str {
    Catalog::ismap_2022_json()
}

fn node_count() -> usize {
    Catalog::ismap_2022().nodes().len()
}

#[test]
fn catalog_input_bytes() {
    let len = catalog_text().len();
    assert!(Catalog::from_json_str_with(catalog_text(), &Limits::default().with_input_bytes(len)).is_ok());
    match Catalog::from_json_str_with(catalog_text(), &Limits::default().with_input_bytes(len - 1)) {
        Err(CatalogError::Limit(e)) => {
            assert_eq!((e.kind(), e.max(), e.actual()), (LimitKind::InputBytes, len - 1, len));
            assert!(e.to_string().contains("`input_bytes`"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn catalog_items() {
    let n = node_count();
    assert!(Catalog::from_json_str_with(catalog_text(), &Limits::default().with_items(n)).is_ok());
    let e = Catalog::from_json_str_with(catalog_text(), &Limits::default().with_items(n - 1)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Items && l.actual() == n), "{e}");
}

#[test]
fn catalog_depth_json_and_toml() {
    // The embedded catalog nests parts → domains → categories → objectives → controls → title:
    // measure its depth by finding the smallest limit that accepts it.
    let depth = (1..64)
        .find(|d| Catalog::from_json_str_with(catalog_text(), &Limits::default().with_depth(*d)).is_ok())
        .unwrap();
    let e = Catalog::from_json_str_with(catalog_text(), &Limits::default().with_depth(depth - 1)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Depth), "{e}");
    let deep = format!("name = {}", "[".repeat(100));
    let e = Catalog::from_toml_str_with(&deep, &Limits::default().with_depth(64)).unwrap_err();
    assert!(matches!(e, CatalogError::Limit(ref l) if l.kind() == LimitKind::Depth && l.max() == 64), "{e}");
}

#[test]
fn statement_limits() {
    let text = Statement::sample_json();
    let n = Statement::from_json_str(text).unwrap().selections.len();
    assert!(Statement::from_json_str_with(text, &Limits::default().with_items(n)).is_ok());
    let e = Statement::from_json_str_with(text, &Limits::default().with_items(n - 1)).unwrap_err();
    assert_eq!(e.path, "$");
    assert!(e.message.contains("`items`") && e.message.contains(&n.to_string()), "{e}");
    let e = Statement::from_json_str_with(text, &Limits::default().with_input_bytes(text.len() - 1)).unwrap_err();
    assert!(e.message.contains("`input_bytes`"), "{e}");
    assert!(Statement::from_json_str_with(text, &Limits::default().with_input_bytes(text.len())).is_ok());
    let e = Statement::from_toml_str_with("program = [[[[1]]]]", &Limits::default().with_depth(3)).unwrap_err();
    assert_eq!(e.format, "TOML");
    assert!(e.message.contains("`depth`"), "{e}");
}

#[test]
fn agency_additions_limits() {
    let text =
        r#"{"agency": {"en": "A"}, "require": ["8.1.2.1"], "requirements": [{"id": "A-1", "title": {"en": "x"}}]}"#;
    assert!(AgencyAdditions::from_json_str_with(text, &Limits::default().with_items(2)).is_ok());
    let e = AgencyAdditions::from_json_str_with(text, &Limits::default().with_items(1)).unwrap_err();
    assert!(e.message.contains("`items`"), "{e}");
}

/// The smallest value of `kind`'s limit that `ok` accepts (searching up from 1).
fn smallest_accepted(kind: LimitKind, ok: impl Fn(&Limits) -> bool) -> usize {
    let with = |n: usize| match kind {
        LimitKind::InputBytes => Limits::default().with_input_bytes(n),
        LimitKind::Depth => Limits::default().with_depth(n),
        LimitKind::Items => Limits::default().with_items(n),
        other => panic!("{other}"),
    };
    (1..10_000).find(|n| ok(&with(*n))).unwrap()
}

#[cfg(feature = "oscal")]
mod oscal {
    use std::fmt::Debug;
    use std::path::Path;

    use ismap_controls::oscal::mapping::{Map, Mapping, MappingCollection};
    use ismap_controls::oscal::model::{Catalog, Control, Group, Metadata};
    use ismap_controls::oscal::resolve::{Fetch, MemoryFetcher, ResolveError, ResolveOptions, Resolver};
    use ismap_controls::oscal::{self, CatalogFile, Document, LoadError, MappingFile};
    use ismap_model::{LimitExceeded, LimitKind, Limits};
    use serde_json::json;

    use super::smallest_accepted;

    type Loader<T> = fn(&str, &Limits) -> Result<T, LoadError>;

    fn metadata() -> Metadata {
        let mut m = Metadata::default();
        m.title = "limits".into();
        m.last_modified = "2026-01-01T00:00:00Z".into();
        m.version = "1".into();
        m.oscal_version = oscal::OSCAL_VERSION.into();
        m
    }

    /// A control with a chain of `depth - 1` nested controls below it.
    fn chain(id: &str, depth: usize) -> Control {
        let mut c = Control::new(format!("{id}-{depth}"), "nested");
        if depth > 1 {
            c.controls.push(chain(id, depth - 1));
        }
        c
    }

    /// A catalog of `groups` groups, each holding a sub-group with two controls, one of them with
    /// a nested control; one top-level control holding a chain `nesting` controls deep.
    /// Returns the text and the number of controls.
    fn catalog(groups: usize, nesting: usize) -> (String, usize) {
        let mut c = Catalog::new("u", metadata());
        c.controls.push(chain("top", nesting));
        for g in 0..groups {
            let mut sub = Group::new(Some(format!("g{g}-s")), "sub-group");
            let mut parent = Control::new(format!("g{g}-1"), "parent");
            parent.controls.push(Control::new(format!("g{g}-1.1"), "child"));
            sub.controls.push(parent);
            sub.controls.push(Control::new(format!("g{g}-2"), "sibling"));
            let mut group = Group::new(Some(format!("g{g}")), "group");
            group.groups.push(sub);
            c.groups.push(group);
        }
        (oscal::to_json(&CatalogFile::new(c)), nesting + 3 * groups)
    }

    fn profile(imports: usize, set_params: usize, alters: usize) -> (String, usize) {
        let text = json!({"profile": {
            "uuid": "u",
            "metadata": {"title": "p", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"},
            "imports": (0..imports).map(|i| json!({"href": format!("c{i}.json"), "include-all": {}})).collect::<Vec<_>>(),
            "modify": {
                "set-parameters": (0..set_params).map(|i| json!({"param-id": format!("p{i}"), "values": ["v"]})).collect::<Vec<_>>(),
                "alters": (0..alters).map(|i| json!({"control-id": format!("c-{i}"), "removes": [{"by-name": "x"}]})).collect::<Vec<_>>(),
            },
        }})
        .to_string();
        (text, imports + set_params + alters)
    }

    fn mapping_collection(maps_per_mapping: &[usize]) -> (String, usize) {
        let mut m = MappingCollection::default();
        m.uuid = "u".into();
        m.metadata = metadata();
        for (i, n) in maps_per_mapping.iter().enumerate() {
            let mut mapping = Mapping::default();
            mapping.uuid = format!("m{i}");
            mapping.maps = (0..*n).map(|_| Map::default()).collect();
            m.mappings.push(mapping);
        }
        (oscal::to_json(&MappingFile::new(m)), maps_per_mapping.iter().sum())
    }

    fn limit<T: Debug>(r: Result<T, LoadError>) -> LimitExceeded {
        match r {
            Err(LoadError::Limit(e)) => e,
            other => panic!("expected a limit error, got {other:?}"),
        }
    }

    fn exact(e: LimitExceeded) -> (LimitKind, usize, usize) {
        (e.kind(), e.max(), e.actual())
    }

    /// Just under and just over each cap: size, bracket depth (returned), items.
    fn caps<T: Debug>(text: &str, items: usize, load: Loader<T>) -> usize {
        let len = text.len();
        load(text, &Limits::default()).unwrap();
        load(text, &Limits::default().with_input_bytes(len)).unwrap();
        let e = limit(load(text, &Limits::default().with_input_bytes(len - 1)));
        assert_eq!(exact(e), (LimitKind::InputBytes, len - 1, len));
        load(text, &Limits::default().with_items(items)).unwrap();
        let e = limit(load(text, &Limits::default().with_items(items - 1)));
        assert_eq!(exact(e), (LimitKind::Items, items - 1, items));
        assert!(e.message().is_bilingual());
        let depth = smallest_accepted(LimitKind::Depth, |l| load(text, l).is_ok());
        let e = limit(load(text, &Limits::default().with_depth(depth - 1)));
        assert_eq!(exact(e), (LimitKind::Depth, depth - 1, depth));
        depth
    }

    /// A hostile file: deeply nested brackets, and deeply nested OSCAL groups. Rejected by the
    /// bracket check (default limit 64) before serde recurses, without overflowing the stack.
    fn hostile<T: Debug>(load: Loader<T>, root: &str) {
        let brackets = "[".repeat(100_000);
        assert_eq!(exact(limit(load(&brackets, &Limits::default()))), (LimitKind::Depth, 64, 65));
        let groups =
            format!(r#"{{"{root}": {{"uuid": "u", "groups": {}"#, r#"[{"title": "g", "groups": "#.repeat(50_000));
        assert_eq!(exact(limit(load(&groups, &Limits::default()))), (LimitKind::Depth, 64, 65));
    }

    #[test]
    fn catalog_caps_size_depth_and_controls_nested_ones_included() {
        let (text, n) = catalog(3, 4);
        assert_eq!(oscal::load_catalog_str(&text).unwrap().all_controls().len(), n);
        let depth = caps(&text, n, oscal::load_catalog_str_with);
        // Root and catalog objects, then an array and an object per level of controls: the
        // bracket check bounds OSCAL nesting to half the depth limit.
        assert_eq!(depth, 2 + 2 * 4);
        let deeper = catalog(3, 5).0;
        let e = limit(oscal::load_catalog_str_with(&deeper, &Limits::default().with_depth(depth)));
        assert_eq!(exact(e), (LimitKind::Depth, depth, depth + 1));
        hostile(oscal::load_catalog_str_with, "catalog");
        // The defaults take a catalog nested 31 controls deep, not 32.
        assert!(oscal::load_catalog_str(&catalog(0, 31).0).is_ok());
        assert_eq!(exact(limit(oscal::load_catalog_str(&catalog(0, 32).0))), (LimitKind::Depth, 64, 65));
    }

    #[test]
    fn profile_caps_size_depth_and_imports_set_parameters_and_alters() {
        let (text, n) = profile(2, 3, 4);
        assert_eq!(n, 9);
        let depth = caps(&text, n, oscal::load_profile_str_with);
        // {profile {modify {alters [ {alter {removes [ {remove
        assert_eq!(depth, 7);
        hostile(oscal::load_profile_str_with, "profile");
    }

    #[test]
    fn mapping_collection_caps_size_depth_and_maps() {
        let (text, n) = mapping_collection(&[2, 0, 3]);
        assert_eq!(n, 5);
        caps(&text, n, oscal::load_mapping_collection_str_with);
        hostile(oscal::load_mapping_collection_str_with, "mapping-collection");
    }

    #[test]
    fn load_document_caps_each_kind_as_its_own_loader() {
        let (text, n) = catalog(2, 3);
        let d = caps(&text, n, oscal::load_document_str_with);
        assert_eq!(d, caps(&text, n, oscal::load_catalog_str_with));
        let (text, n) = profile(1, 1, 1);
        let d = caps(&text, n, oscal::load_document_str_with);
        assert_eq!(d, caps(&text, n, oscal::load_profile_str_with));
        let (text, n) = mapping_collection(&[4]);
        let d = caps(&text, n, oscal::load_document_str_with);
        assert_eq!(d, caps(&text, n, oscal::load_mapping_collection_str_with));
        hostile(oscal::load_document_str_with, "catalog");
        hostile(oscal::load_document_str_with, "profile");
        hostile(oscal::load_document_str_with, "mapping-collection");
        // The plain loaders apply the defaults.
        assert_eq!(exact(limit(oscal::load_document_str(&"{".repeat(65)))), (LimitKind::Depth, 64, 65));
        assert!(matches!(oscal::load_document_str(&text), Ok(Document::MappingCollection(_))));
    }

    #[test]
    fn limit_errors_are_one_bilingual_line() {
        let e = LoadError::Limit(LimitExceeded::new(LimitKind::Items, 5, 6));
        assert_eq!(e.to_string(), "document of 6 items exceeds the limit of 5 items (`items`)");
        assert!(e.message().is_bilingual());
        assert!(!e.to_string().contains('\n'));
    }

    /// A fetcher that cannot tell sizes: the resolver still checks the text it reads.
    struct NoSize(MemoryFetcher);

    impl Fetch for NoSize {
        fn read(&self, path: &Path) -> std::io::Result<String> {
            self.0.read(path)
        }

        fn exists(&self, path: &Path) -> bool {
            self.0.exists(path)
        }
    }

    fn resolve(fetch: &dyn Fetch, limits: Limits) -> Result<usize, ResolveError> {
        Resolver::new(fetch)
            .with_limits(limits)
            .resolve_file(Path::new("p.json"), &ResolveOptions::fixed("2026-01-01T00:00:00Z", "u"))
            .map(|r| r.catalog.all_controls().len())
    }

    fn load_limit(r: Result<usize, ResolveError>) -> (String, LimitKind, usize, usize) {
        match r {
            Err(ResolveError::Load { path, error: LoadError::Limit(e) }) => {
                (path.display().to_string(), e.kind(), e.max(), e.actual())
            }
            other => panic!("expected a limit error, got {other:?}"),
        }
    }

    #[test]
    fn the_resolver_loads_every_document_within_its_limits() {
        let (cat, n) = catalog(2, 3);
        let chained = profile(1, 0, 0).0.replace("c0.json", "c.json");
        let top = profile(1, 0, 0).0.replace("c0.json", "q.json");
        let docs = MemoryFetcher::new().with("p.json", top.clone()).with("q.json", chained).with("c.json", cat.clone());
        assert_eq!(Resolver::new(&docs).limits(), &Limits::DEFAULT);
        assert_eq!(resolve(&docs, Limits::default()).unwrap(), n);
        // Items: the imported catalog, two levels down.
        assert_eq!(resolve(&docs, Limits::default().with_items(n)).unwrap(), n);
        assert_eq!(
            load_limit(resolve(&docs, Limits::default().with_items(n - 1))),
            ("c.json".into(), LimitKind::Items, n - 1, n)
        );
        // Size: told by the fetcher before reading, or found in the text read.
        let big = cat.len().max(top.len());
        assert_eq!(resolve(&docs, Limits::default().with_input_bytes(big)).unwrap(), n);
        let over = Limits::default().with_input_bytes(big - 1);
        let expected =
            (if cat.len() > top.len() { "c.json" } else { "p.json" }.to_owned(), LimitKind::InputBytes, big - 1, big);
        assert_eq!(load_limit(resolve(&docs, over)), expected);
        assert_eq!(load_limit(resolve(&NoSize(docs.clone()), over)), expected);
        // Depth: a hostile imported document.
        let hostile = docs.clone().with("c.json", "[".repeat(100_000));
        assert_eq!(load_limit(resolve(&hostile, Limits::default())), ("c.json".into(), LimitKind::Depth, 64, 65));
        let e = resolve(&hostile, Limits::default()).unwrap_err();
        assert!(e.message().is_bilingual());
        assert_eq!(e.to_string(), "`c.json`: nesting of 65 levels exceeds the limit of 64 levels (`depth`)");
    }
}

#[cfg(feature = "spreadsheet")]
mod spreadsheet {
    use std::fmt::Write as _;

    use ismap_controls::import::{
        ColumnMapping, ImportProblem, ImportProblemKind, import_csv, import_csv_with, import_file_with, import_xlsx,
        import_xlsx_with,
    };
    use ismap_model::{LimitKind, Limits};

    use super::smallest_accepted;

    const MAPPING: &str = r#"{"version": 1, "catalog": {"name": {"en": "mini"}, "version": "1.0.0", "effective": "2022-04-01"},
        "columns": {"id": "ID", "title_en": "Title"}}"#;

    fn mapping() -> ColumnMapping {
        ColumnMapping::from_json_str(MAPPING).unwrap()
    }

    /// Domain 3 and `n - 1` categories under it: `n` items, `n + 1` rows with the header.
    fn rows(n: usize) -> Vec<[String; 2]> {
        let mut out = vec![["ID".to_owned(), "Title".to_owned()], ["3".to_owned(), "Governance".to_owned()]];
        out.extend((1..n).map(|i| [format!("3.{i}"), format!("Category {i}")]));
        out
    }

    fn csv(n: usize) -> String {
        rows(n).iter().fold(String::new(), |mut s, [a, b]| {
            let _ = writeln!(s, "{a},{b}");
            s
        })
    }

    fn xlsx(n: usize) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows(n).iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    fn limit(problems: &[ImportProblem]) -> (LimitKind, usize, usize) {
        match problems {
            [ImportProblem { kind: ImportProblemKind::Limit(e), .. }] => (e.kind(), e.max(), e.actual()),
            other => panic!("expected one limit problem, got {other:?}"),
        }
    }

    #[test]
    fn csv_caps_size_and_rows() {
        let text = csv(5);
        let m = mapping();
        assert_eq!(import_csv(&text, &m).unwrap().catalog.nodes().len(), 5);
        let len = text.len();
        assert!(import_csv_with(&text, &m, &Limits::default().with_input_bytes(len)).is_ok());
        let p = import_csv_with(&text, &m, &Limits::default().with_input_bytes(len - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, len - 1, len));
        // Rows: the header row counts.
        assert!(import_csv_with(&text, &m, &Limits::default().with_items(6)).is_ok());
        let p = import_csv_with(&text, &m, &Limits::default().with_items(5)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Items, 5, 6));
        // Reading stops at the first row over the limit.
        let long = csv(200_000);
        let p = import_csv_with(&long, &m, &Limits::default().with_items(10)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Items, 10, 11));
        assert!(p[0].message().is_bilingual());
        assert_eq!(p[0].to_string(), "error at input: document of 11 items exceeds the limit of 10 items (`items`)");
        let json = serde_json::to_value(&p[0]).unwrap();
        assert_eq!(json["kind"], serde_json::json!({"kind": "limit", "limit": "items", "max": 10, "actual": 11}));
    }

    /// The sum of the sizes of a zip archive's members, inflated.
    fn inflated_size(bytes: &[u8]) -> usize {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len()).map(|i| usize::try_from(archive.by_index(i).unwrap().size()).unwrap()).sum()
    }

    #[test]
    fn xlsx_caps_size_and_declared_rows() {
        let bytes = xlsx(5);
        let m = mapping();
        assert_eq!(import_xlsx(&bytes, &m).unwrap().catalog.nodes().len(), 5);
        // Both the file and its inflated content are capped by `input_bytes`.
        let len = bytes.len();
        let inflated = inflated_size(&bytes);
        assert!(inflated > len, "{inflated} {len}");
        assert!(import_xlsx_with(&bytes, &m, &Limits::default().with_input_bytes(inflated)).is_ok());
        let p = import_xlsx_with(&bytes, &m, &Limits::default().with_input_bytes(inflated - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, inflated - 1, inflated));
        let p = import_xlsx_with(&bytes, &m, &Limits::default().with_input_bytes(len - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, len - 1, len));
        assert!(import_xlsx_with(&bytes, &m, &Limits::default().with_items(6)).is_ok());
        let p = import_xlsx_with(&bytes, &m, &Limits::default().with_items(5)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Items, 5, 6));
    }

    #[test]
    fn an_xlsx_zip_bomb_is_refused_before_it_is_inflated() {
        use std::io::Write as _;
        // A small workbook plus a member of 32 MiB of zeros that deflates to about 32 KiB.
        let small = xlsx(5);
        let mut source = zip::ZipArchive::new(std::io::Cursor::new(&small)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..source.len() {
            out.raw_copy_file(source.by_index_raw(i).unwrap()).unwrap();
        }
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file("xl/media/padding.bin", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..32 {
            out.write_all(&zeros).unwrap();
        }
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        let m = mapping();
        // Under the defaults (64 MiB) it is an ordinary workbook; under 8 MiB it is refused,
        // counting stops one byte past the limit.
        assert_eq!(import_xlsx(&bomb, &m).unwrap().catalog.nodes().len(), 5);
        let max = 8 << 20;
        let p = import_xlsx_with(&bomb, &m, &Limits::default().with_input_bytes(max)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, max, max + 1));
    }

    /// CRC-32 (IEEE), for the hand-made archives below.
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for b in data {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A zip archive of stored (uncompressed) files.
    fn zip(files: &[(&str, String)]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, body) in files {
            let offset = u32::try_from(out.len()).unwrap();
            let crc = crc32(body.as_bytes());
            let size = u32::try_from(body.len()).unwrap();
            let name_len = u16::try_from(name.len()).unwrap();
            out.extend(0x0403_4b50_u32.to_le_bytes());
            out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time, date
            for v in [crc, size, size] {
                out.extend(v.to_le_bytes());
            }
            out.extend(name_len.to_le_bytes());
            out.extend([0, 0]); // extra field length
            out.extend(name.as_bytes());
            out.extend(body.as_bytes());
            central.extend(0x0201_4b50_u32.to_le_bytes());
            central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // versions, flags, stored, time, date
            for v in [crc, size, size] {
                central.extend(v.to_le_bytes());
            }
            central.extend(name_len.to_le_bytes());
            central.extend([0; 12]); // extra, comment, disk, internal and external attributes
            central.extend(offset.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let directory_offset = u32::try_from(out.len()).unwrap();
        let count = u16::try_from(files.len()).unwrap();
        out.extend(&central);
        out.extend(0x0605_4b50_u32.to_le_bytes());
        out.extend([0; 4]); // disk numbers
        out.extend(count.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(u32::try_from(central.len()).unwrap().to_le_bytes());
        out.extend(directory_offset.to_le_bytes());
        out.extend([0, 0]); // comment length
        out
    }

    /// A workbook written by hand, so that its sheet can say what no spreadsheet program writes:
    /// a `dimension` element (or none) and the `sheetData` cells, with shared strings.
    fn workbook(dimension: &str, cells: &str, shared: &[String]) -> Vec<u8> {
        const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
        let strings: String = shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
        zip(&[
            (
                "_rels/.rels",
                format!(
                    r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            ("xl/sharedStrings.xml", format!(r#"<sst xmlns="{MAIN}">{strings}</sst>"#)),
            (
                "xl/worksheets/sheet1.xml",
                format!(r#"<worksheet xmlns="{MAIN}">{dimension}<sheetData>{cells}</sheetData></worksheet>"#),
            ),
        ])
    }

    /// `rows` as sheet XML: inline strings, or `#n` for shared string `n`.
    fn sheet_data(rows: &[Vec<String>]) -> String {
        let mut out = String::new();
        for (r, row) in rows.iter().enumerate() {
            let _ = write!(out, r#"<row r="{}">"#, r + 1);
            for (c, v) in row.iter().enumerate() {
                let at = format!("{}{}", char::from(b'A' + u8::try_from(c).unwrap()), r + 1);
                match v.strip_prefix('#') {
                    Some(n) => write!(out, r#"<c r="{at}" t="s"><v>{n}</v></c>"#),
                    None => write!(out, r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#),
                }
                .unwrap();
            }
            out.push_str("</row>");
        }
        out
    }

    #[test]
    fn xlsx_rows_are_checked_as_read_when_the_sheet_declares_fewer() {
        let data = sheet_data(&rows(5).iter().map(|r| r.to_vec()).collect::<Vec<_>>());
        let m = mapping();
        for dimension in [r#"<dimension ref="A1:B2"/>"#, ""] {
            let bytes = workbook(dimension, &data, &[]);
            assert_eq!(import_xlsx(&bytes, &m).unwrap().catalog.nodes().len(), 5);
            assert!(import_xlsx_with(&bytes, &m, &Limits::default().with_items(6)).is_ok());
            let p = import_xlsx_with(&bytes, &m, &Limits::default().with_items(5)).unwrap_err();
            assert_eq!(limit(&p), (LimitKind::Items, 5, 6));
        }
        // A declared dimension over the limit stops the import before any cell is read.
        let bytes = workbook(r#"<dimension ref="A1:B1048576"/>"#, &data, &[]);
        let p = import_xlsx_with(&bytes, &m, &Limits::default().with_items(1000)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Items, 1000, 1_048_576));
        // A cell beyond the XLSX sheet size is a malformed file.
        let bytes = workbook("", r#"<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>"#, &[]);
        let p = import_xlsx(&bytes, &m).unwrap_err();
        assert!(
            matches!(&p[..], [ImportProblem { kind: ImportProblemKind::Unreadable { reason }, .. }] if reason.contains("16384")),
            "{p:?}"
        );
    }

    #[test]
    fn xlsx_cell_text_kept_is_capped_by_input_bytes() {
        // Every title is the same 2,000-byte shared string: the text read from the sheet is
        // several times the file's size. Column C, not mapped, holds it too and is not kept.
        let long = "x".repeat(2_000);
        let mut table: Vec<Vec<String>> = rows(5).iter().map(|r| r.to_vec()).collect();
        for row in table.iter_mut().skip(1) {
            row[1] = "#0".into();
            row.push("#0".into());
        }
        table[0].push("Note".into());
        let bytes = workbook("", &sheet_data(&table), std::slice::from_ref(&long));
        // The header row is kept whole; below it, the mapped columns A and B.
        let kept: usize = "IDTitleNote".len() + table.iter().skip(1).map(|r| r[0].len() + long.len()).sum::<usize>();
        assert!(kept > 2 * bytes.len(), "{kept} {}", bytes.len());
        let m = mapping();
        assert!(import_xlsx_with(&bytes, &m, &Limits::default().with_input_bytes(kept)).is_ok());
        let p = import_xlsx_with(&bytes, &m, &Limits::default().with_input_bytes(kept - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, kept - 1, kept));
    }

    #[test]
    fn column_mapping_caps_size_and_depth() {
        let m = MAPPING;
        assert!(ColumnMapping::from_json_str_with(m, &Limits::default().with_input_bytes(m.len())).is_ok());
        let p = ColumnMapping::from_json_str_with(m, &Limits::default().with_input_bytes(m.len() - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, m.len() - 1, m.len()));
        let depth = smallest_accepted(LimitKind::Depth, |l| ColumnMapping::from_json_str_with(m, l).is_ok());
        assert_eq!(depth, 3); // {mapping {catalog {name
        let p = ColumnMapping::from_json_str_with(m, &Limits::default().with_depth(2)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Depth, 2, 3));
        let toml = "version = 1\ncolumns = { id = \"ID\" }\ncatalog = { name = { en = \"x\" }, version = \"1.0.0\", effective = \"2022-04-01\" }\n";
        assert!(ColumnMapping::from_toml_str_with(toml, &Limits::default().with_depth(2)).is_ok());
        let p = ColumnMapping::from_toml_str_with(toml, &Limits::default().with_depth(1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Depth, 1, 2));
        let p = ColumnMapping::from_toml_str_with(toml, &Limits::default().with_input_bytes(10)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, 10, toml.len()));
        // Hostile nesting, with the defaults.
        let hostile = format!("version = {}", "[".repeat(100_000));
        assert_eq!(limit(&ColumnMapping::from_toml_str(&hostile).unwrap_err()), (LimitKind::Depth, 64, 65));
        assert_eq!(limit(&ColumnMapping::from_json_str(&"[".repeat(100_000)).unwrap_err()), (LimitKind::Depth, 64, 65));
    }

    #[test]
    fn import_file_does_not_read_a_file_over_the_size_limit() {
        let dir = std::env::temp_dir().join(format!("ismap-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("items.csv");
        let text = csv(3);
        std::fs::write(&path, &text).unwrap();
        let m = mapping();
        assert!(import_file_with(&path, &m, &Limits::default().with_input_bytes(text.len())).is_ok());
        let p = import_file_with(&path, &m, &Limits::default().with_input_bytes(text.len() - 1)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::InputBytes, text.len() - 1, text.len()));
        let p = import_file_with(&path, &m, &Limits::default().with_items(3)).unwrap_err();
        assert_eq!(limit(&p), (LimitKind::Items, 3, 4));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
