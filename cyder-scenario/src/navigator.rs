//! The scenario as an ATT&CK Navigator layer (layer file format 4.5): its techniques, coloured by
//! whether a defender task detects them, with those tasks' names as comments.
//!
//! Format: MITRE ATT&CK Navigator, "Layer File Format Definition", version 4.5
//! (`layers/LAYERFORMATv4_5.md` in <https://github.com/mitre-attack/attack-navigator>): required
//! `name`, `domain` and `versions` (`layer` "4.5", `navigator` at least "4.9.0"); technique objects
//! with `techniqueID`, `tactic` (the tactic's shortname), `color`, `comment`, `enabled` and
//! `metadata`; `legendItems`. The layer is the Navigator's format, not one of this crate's
//! documents: it carries the Navigator's version fields, not a `format_version`.

use std::collections::BTreeSet;

use ismap_model::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::Tactic;
use crate::scenario::Scenario;

/// The layer file format written: 4.5.
pub const LAYER_FORMAT_VERSION: &str = "4.5";

/// The oldest Navigator release that reads layer format 4.5 (4.9.0, which introduced it).
pub const NAVIGATOR_VERSION: &str = "4.9.0";

/// Colour of a technique some defender task detects.
pub const DETECTED_COLOR: &str = "#8ec843";

/// Colour of a technique no defender task detects.
pub const UNDETECTED_COLOR: &str = "#ff6666";

/// An ATT&CK Navigator layer (format 4.5), as far as this crate writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NavigatorLayer {
    /// The layer's name: the scenario's title.
    pub name: String,
    /// Navigator and layer format versions.
    pub versions: LayerVersions,
    /// The ATT&CK domain: `enterprise-attack`.
    pub domain: String,
    /// What the layer shows.
    pub description: String,
    /// Whether disabled techniques are hidden (no technique is disabled here).
    pub hide_disabled: bool,
    /// One entry per technique and tactic the scenario uses, in the order the steps first use them.
    pub techniques: Vec<LayerTechnique>,
    /// What the two colours mean.
    pub legend_items: Vec<LegendItem>,
    /// The scenario's id.
    pub metadata: Vec<LayerMetadata>,
}

/// The `versions` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerVersions {
    /// Navigator version ([`NAVIGATOR_VERSION`]).
    pub navigator: String,
    /// Layer format version ([`LAYER_FORMAT_VERSION`]).
    pub layer: String,
}

/// One technique under one tactic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LayerTechnique {
    /// The technique or sub-technique id (`T1566.001`).
    #[serde(rename = "techniqueID")]
    pub technique_id: String,
    /// The tactic's shortname (`initial-access`).
    pub tactic: String,
    /// [`DETECTED_COLOR`] or [`UNDETECTED_COLOR`].
    pub color: String,
    /// The names of the tasks that detect it, or that none does.
    pub comment: String,
    /// Always true.
    pub enabled: bool,
    /// The steps using it, and the ids of the detecting tasks.
    pub metadata: Vec<LayerMetadata>,
}

/// A legend entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegendItem {
    /// What the colour means.
    pub label: String,
    /// The colour.
    pub color: String,
}

/// A name and a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerMetadata {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// A technique under a tactic, the steps using it and the tasks detecting them.
type Group = ((String, Tactic), Vec<usize>, BTreeSet<usize>);

fn meta(name: &str, value: String) -> LayerMetadata {
    LayerMetadata { name: name.to_owned(), value }
}

impl Scenario {
    /// The scenario's techniques as an ATT&CK Navigator layer (format 4.5). A technique is
    /// detected when a defender task needs something one of its steps leaves (the relation
    /// [`Scenario::earliest_detection`] uses); its comment names those tasks in `lang`.
    ///
    /// # Complexity
    /// O(steps + artefacts left + tasks needing them).
    #[must_use]
    pub fn navigator_layer(&self, lang: Lang) -> NavigatorLayer {
        let doc = self.document();
        // (technique, tactic) -> (steps, detecting tasks), in order of first use.
        let mut groups: Vec<Group> = Vec::new();
        let mut at: crate::fasthash::FastMap<(&str, Tactic), usize> = crate::fasthash::FastMap::default();
        for (i, s) in doc.attack_steps.iter().enumerate() {
            let key = (s.technique.as_str(), s.tactic);
            let k = *at.entry(key).or_insert_with(|| {
                groups.push(((s.technique.clone(), s.tactic), Vec::new(), BTreeSet::new()));
                groups.len() - 1
            });
            if let Some((_, steps, tasks)) = groups.get_mut(k) {
                steps.push(i);
                for &a in self.r.steps.leaves.get(i) {
                    tasks.extend(self.r.consumers.get(a).iter().copied());
                }
            }
        }
        let (detected_by, none, steps_label) = match lang {
            Lang::Ja => ("検知するタスク: ", "検知するタスクなし", "攻撃ステップ"),
            Lang::En => ("detected by: ", "no defender task detects it", "attack steps"),
        };
        let techniques = groups
            .into_iter()
            .map(|((technique, tactic), steps, tasks)| {
                let names: Vec<&str> =
                    tasks.iter().filter_map(|&t| doc.tasks.get(t)).map(|t| t.name.get(lang)).collect();
                let ids: Vec<&str> = tasks.iter().filter_map(|&t| doc.tasks.get(t)).map(|t| t.id.as_str()).collect();
                let step_ids: Vec<&str> =
                    steps.iter().filter_map(|&i| doc.attack_steps.get(i)).map(|s| s.id.as_str()).collect();
                let mut metadata = vec![meta(steps_label, step_ids.join(", "))];
                if !ids.is_empty() {
                    metadata.push(meta("tasks", ids.join(", ")));
                }
                LayerTechnique {
                    technique_id: technique,
                    tactic: tactic.shortname().to_owned(),
                    color: if names.is_empty() { UNDETECTED_COLOR } else { DETECTED_COLOR }.to_owned(),
                    comment: if names.is_empty() {
                        none.to_owned()
                    } else {
                        format!("{detected_by}{}", names.join(", "))
                    },
                    enabled: true,
                    metadata,
                }
            })
            .collect();
        let (description, legend) = match lang {
            Lang::Ja => (
                format!("CYDERシナリオ`{}`の攻撃技術。防御タスクが検知するものを緑、しないものを赤で示す", doc.id),
                ["防御タスクが検知する", "検知するタスクなし"],
            ),
            Lang::En => (
                format!(
                    "techniques of CYDER scenario `{}`: green where a defender task detects them, red where none does",
                    doc.id
                ),
                ["detected by a defender task", "no defender task detects it"],
            ),
        };
        NavigatorLayer {
            name: doc.title.get(lang).to_owned(),
            versions: LayerVersions { navigator: NAVIGATOR_VERSION.to_owned(), layer: LAYER_FORMAT_VERSION.to_owned() },
            domain: "enterprise-attack".to_owned(),
            description,
            hide_disabled: false,
            techniques,
            legend_items: vec![
                LegendItem { label: legend[0].to_owned(), color: DETECTED_COLOR.to_owned() },
                LegendItem { label: legend[1].to_owned(), color: UNDETECTED_COLOR.to_owned() },
            ],
            metadata: vec![meta("scenario", doc.id.to_string())],
        }
    }
}
