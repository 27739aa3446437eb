//! (c) Differential: mutate valid documents at random (drop a field, add an unknown field, change
//! a type, change an enum string, change an id, change a number, repeat an array item, empty an
//! array) and check that serde accepts the
//! result exactly when the schema does.
//!
//! The only permitted disagreement is serde rejecting, for a reason listed in
//! `ismap::schema::SEMANTIC_CHECKS` (rules JSON Schema cannot express), a document the schema
//! accepts. [`FRAGMENTS`] ties each listed check to the serde message that names it, and
//! `each_semantic_check_is_real` shows each one happening.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

use crate::samples::{self, Sample};
use crate::support::{kind, validator};

/// For each semantic check: the documents it is shown on, a JSON pointer and a value that
/// violates it there, and a fragment of serde's message.
pub(crate) const FRAGMENTS: &[(&str, &str, &str, &str, &str)] = &[
    // (check id, kind, pointer, replacement JSON, serde message fragment)
    ("period-order", "statement", "/period/start", r#""2099-01-01""#, "after its end"),
    (
        "corporate-number-check-digit",
        "statement",
        "/service/provider/corporate_number",
        r#""1234567890123""#,
        "check digit",
    ),
    ("calendar-date", "cyder-action-log", "/startedAt", r#""2027-02-29T10:00:00""#, "out of range"),
    ("integer-without-fraction", "workflow-rules", "/finalIncidentReportDays", "30.0", "invalid type: floating point"),
];

fn seeds() -> &'static Vec<Sample> {
    static SEEDS: OnceLock<Vec<Sample>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut all = samples::embedded();
        all.extend(samples::golden());
        all.retain(|s| kind(s.kind).read.is_some());
        // A few events and journal entries are enough: they share one schema each.
        let mut per_kind = std::collections::BTreeMap::<&str, usize>::new();
        all.retain(|s| {
            let n = per_kind.entry(s.kind).or_default();
            *n += 1;
            *n <= 6
        });
        all
    })
}

/// A path into a JSON value.
type Path = Vec<Step>;

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

fn paths(v: &Value, here: &mut Path, out: &mut Vec<Path>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Item(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &Path) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Item(i) => &mut v[*i],
    })
}

/// Every string and every key in a document: the pool enum and id mutations draw from, so that
/// a mutation often swaps in a value valid *somewhere else* in the same document.
fn pool(v: &Value, strings: &mut Vec<String>, keys: &mut Vec<String>) {
    match v {
        Value::String(s) => strings.push(s.clone()),
        Value::Object(m) => {
            for (k, c) in m {
                keys.push(k.clone());
                pool(c, strings, keys);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| pool(c, strings, keys)),
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    DropField(Index),
    AddField(Index, Index),
    ChangeType(u8),
    OtherString(Index),
    EditString(u8),
    Number(u8),
    /// Repeat an item of an array (uniqueness, maximum lengths).
    RepeatItem(Index),
    /// Empty an array (minimum lengths).
    EmptyArray,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DropField),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::AddField(a, b)),
        (0u8..12).prop_map(Mutation::ChangeType),
        any::<Index>().prop_map(Mutation::OtherString),
        (0u8..12).prop_map(Mutation::EditString),
        (0u8..8).prop_map(Mutation::Number),
        any::<Index>().prop_map(Mutation::RepeatItem),
        Just(Mutation::EmptyArray),
    ]
}

fn other_type(n: u8) -> Value {
    match n {
        0 => Value::Null,
        1 => true.into(),
        2 => 0.into(),
        3 => (-1).into(),
        4 => 1.5.into(),
        5 => 4_294_967_296u64.into(),
        6 => "".into(),
        7 => "x".into(),
        8 => Value::Array(Vec::new()),
        9 => Value::Object(Map::new()),
        10 => serde_json::json!(["x"]),
        _ => serde_json::json!({"ja": "x"}),
    }
}

fn edit(s: &str, n: u8) -> String {
    match n {
        0 => format!("{s}!"),
        1 => format!(" {s}"),
        2 => s.to_uppercase(),
        3 => {
            let mut c = s.chars();
            c.next_back();
            c.as_str().to_owned()
        }
        4 => format!("{s}{s}"),
        5 => format!("{s}.1"),
        6 => String::new(),
        7 => s.replace('-', "_"),
        8 => format!("{s}.B"),
        9 => s.replace('0', "9"),
        10 => format!("{s}\u{3000}"),
        _ => s.chars().rev().collect(),
    }
}

/// Applies `m` at the `target`-th location; `None` when it does not apply there.
fn apply(doc: &Value, target: Index, m: &Mutation) -> Option<Mutated> {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = target.get(&all).clone();
    let (mut strings, mut keys) = (Vec::new(), Vec::new());
    pool(doc, &mut strings, &mut keys);
    let mut out = doc.clone();
    let mut struct_as_array = false;
    let slot = at(&mut out, &path);
    let what = match (m, &mut *slot) {
        (Mutation::DropField(i), Value::Object(map)) if !map.is_empty() => {
            let key = i.get(&map.keys().cloned().collect::<Vec<_>>()).clone();
            map.remove(&key);
            format!("drop `{key}`")
        }
        (Mutation::AddField(k, v), Value::Object(map)) => {
            let mut names = keys.clone();
            names.push("unknownField".to_owned());
            let key = k.get(&names).clone();
            if map.contains_key(&key) {
                return None;
            }
            let value = v.get(&strings).clone();
            map.insert(key.clone(), value.clone().into());
            format!("add `{key}`: {value:?}")
        }
        (Mutation::ChangeType(n), _) => {
            let was_object = slot.is_object();
            *slot = other_type(*n);
            if was_object && slot.is_array() {
                struct_as_array = true;
            }
            format!("replace with {slot}")
        }
        (Mutation::OtherString(i), Value::String(s)) => {
            *s = i.get(&strings).clone();
            format!("replace with {s:?}")
        }
        (Mutation::EditString(n), Value::String(s)) => {
            *s = edit(s, *n);
            format!("edit into {s:?}")
        }
        (Mutation::Number(n), Value::Number(x)) => {
            let v = x.as_i64().unwrap_or(i64::MAX);
            *slot = match n {
                0 => v.saturating_add(1).into(),
                1 => v.saturating_sub(1).into(),
                2 => serde_json::json!(-1),
                3 => serde_json::json!(101),
                4 => serde_json::json!(0),
                5 => serde_json::json!(u64::MAX),
                6 => serde_json::json!(65_536),
                _ => serde_json::json!(256),
            };
            format!("number into {slot}")
        }
        (Mutation::RepeatItem(i), Value::Array(items)) if !items.is_empty() => {
            let item = i.get(items).clone();
            items.push(item);
            "repeat an item".to_owned()
        }
        (Mutation::EmptyArray, Value::Array(items)) if !items.is_empty() => {
            items.clear();
            "empty the array".to_owned()
        }
        _ => return None,
    };
    let pointer: String = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{k}"),
            Step::Item(i) => format!("/{i}"),
        })
        .collect();
    Some(Mutated { doc: out, what: format!("{what} at `{pointer}`"), struct_as_array })
}

/// A mutated document.
struct Mutated {
    doc: Value,
    what: String,
    /// An object was replaced by an array: serde's derived `Deserialize` reads a struct from a
    /// positional array (`["x"]` as `{"ja": "x"}`), which no schema of ours allows. This is the
    /// one known reader leniency, see [`struct_as_array_is_a_known_reader_leniency`].
    struct_as_array: bool,
}

#[derive(Debug, PartialEq)]
enum Disagreement {
    SerdeAccepts(Vec<String>),
    SchemaAccepts(String),
}

/// `Ok(check)` when serde and the schema agree (or disagree for the listed semantic `check`).
fn compare(kind_name: &str, doc: &Value) -> Result<Option<&'static str>, Disagreement> {
    let read = kind(kind_name).read.unwrap();
    let serde = read(doc);
    let schema_ok = validator(kind_name).is_valid(doc);
    match (&serde, schema_ok) {
        (Ok(()), true) | (Err(_), false) => Ok(None),
        (Ok(()), false) => Err(Disagreement::SerdeAccepts(crate::support::schema_errors(kind_name, doc))),
        (Err(e), true) => {
            let serde_level = ismap::schema::SEMANTIC_CHECKS.iter().filter(|c| c.layer == ismap::schema::Layer::Serde);
            for check in serde_level.filter(|c| c.documents.contains(&kind_name)) {
                let fragment = FRAGMENTS.iter().find(|f| f.0 == check.id).map(|f| f.4).unwrap();
                if e.contains(fragment) {
                    return Ok(Some(check.id));
                }
            }
            Err(Disagreement::SchemaAccepts(e.clone()))
        }
    }
}

proptest! {
    // `AGREEMENT_CASES=100000` for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("AGREEMENT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2048),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn serde_and_schema_agree_on_mutated_documents(
        seed in any::<Index>(),
        target in any::<Index>(),
        m in mutation(),
    ) {
        let s = seed.get(seeds());
        if let Some(m) = apply(&s.value, target, &m) {
            match compare(s.kind, &m.doc) {
                Ok(_) => {}
                Err(Disagreement::SerdeAccepts(_)) if m.struct_as_array => {}
                Err(d) => prop_assert!(false, "{} ({}), {}: {d:?}", s.origin, s.kind, m.what),
            }
        }
    }
}

#[test]
fn the_seeds_themselves_agree() {
    for s in seeds() {
        assert_eq!(compare(s.kind, &s.value), Ok(None), "{}", s.origin);
    }
}

#[test]
fn each_semantic_check_is_real_and_listed_in_its_schemas() {
    let checks = ismap::schema::SEMANTIC_CHECKS;
    let ids: Vec<&str> = checks.iter().filter(|c| c.layer == ismap::schema::Layer::Serde).map(|c| c.id).collect();
    let shown: Vec<&str> = FRAGMENTS.iter().map(|f| f.0).collect();
    assert_eq!(ids, shown, "every serde-level semantic check is demonstrated here, in order");
    for &(id, kind_name, pointer, replacement, fragment) in FRAGMENTS {
        let check = checks.iter().find(|c| c.id == id).unwrap();
        assert!(check.documents.contains(&kind_name), "{id}");
        let seed = seeds().iter().find(|s| s.kind == kind_name).unwrap();
        let mut doc = seed.value.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        doc.pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{id}: no object at `{parent}` in {}", seed.origin))
            .insert(key.to_owned(), serde_json::from_str(replacement).unwrap());
        assert!(validator(kind_name).is_valid(&doc), "{id}: JSON Schema can express it after all");
        let e = kind(kind_name).read.unwrap()(&doc).unwrap_err();
        assert!(e.contains(fragment), "{id}: serde says {e}");
        assert_eq!(compare(kind_name, &doc), Ok(Some(id)));
        // Each schema the check applies to lists it in its description.
        for doc_name in check.documents {
            let schema = crate::support::schema(doc_name);
            let description = schema["description"].as_str().unwrap_or_default();
            assert!(description.contains(id), "{doc_name}.schema.json does not list `{id}`");
        }
    }
}

#[test]
fn struct_as_array_is_a_known_reader_leniency() {
    // serde-derive's `visit_seq` lets a struct be written as a positional array; the schemas
    // require objects. The differential tolerates exactly this case (an object replaced by an
    // array); when serde stops accepting it, this test fails and the exception must go.
    let mut doc: Value = serde_json::from_str(ismap::controls::Statement::sample_json()).unwrap();
    doc["representative"] = serde_json::json!(["Name", "CISO"]);
    assert!(matches!(compare("statement", &doc), Err(Disagreement::SerdeAccepts(_))));
}
