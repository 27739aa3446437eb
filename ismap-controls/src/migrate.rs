//! Migrating a statement to a newer criteria revision: what the revision asks of it (new items
//! to answer), with ids renumbered where the revision renumbers, and the new items marked
//! unanswered ([`Selection::Unanswered`]) so that the assessment reports each until answered.

use ismap_model::ControlId;
use schemars::JsonSchema;
use serde::Serialize;

use crate::catalog::{CatalogDiff, DiffItem, Renumbered, Renumbering};
use crate::statement::Selection;
use crate::{Catalog, Requirement, Statement};

/// The result of [`Statement::migrate`].
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct StatementMigration {
    /// The migrated statement: the new `catalog_version`, renumbered ids, and an `unanswered`
    /// entry for every new item to answer. Nothing of the original is dropped.
    pub statement: Statement,
    /// Everything that changed between the two revisions.
    pub diff: CatalogDiff,
    /// The new items the statement must answer, in id order.
    pub to_answer: Vec<DiffItem>,
    /// Entries of the statement whose ids were renumbered.
    pub renumbered: Vec<Renumbered>,
    /// Entries of the statement about items the newer revision no longer has: kept, to review.
    pub orphaned: Vec<ControlId>,
}

impl Statement {
    /// Migrates the statement from catalog `from` to catalog `to` (ids mapped by `renumbering`,
    /// e.g. [`Catalog::renumbering_between`]).
    ///
    /// ```
    /// use ismap_controls::{Catalog, Statement};
    /// let st = Statement::try_sample()?;
    /// let (from, to) = (Catalog::ismap_2022(), Catalog::ismap_2024());
    /// let m = st.migrate(from, to, &Catalog::renumbering_between(&from.meta().version, &to.meta().version));
    /// assert_eq!(m.statement.catalog_version.to_string(), "2024.7.1");
    /// let ids: Vec<String> = m.to_answer.iter().map(|i| i.id.to_string()).collect();
    /// assert_eq!(ids, ["8.1.5.4.P", "12.2.1.15", "13.2.3.7.P", "16.1.5.10"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn migrate(&self, from: &Catalog, to: &Catalog, renumbering: &Renumbering) -> StatementMigration {
        let diff = CatalogDiff::between(from, to, renumbering);
        let mut statement = self.clone();
        statement.catalog_version = to.meta().version.clone();
        let mut renumbered = Vec::new();
        let mut orphaned = Vec::new();
        for sel in &mut statement.selections {
            let old = *sel.id();
            let new = renumbering.apply(&old);
            if new != old {
                *sel = sel.with_id(new);
                renumbered.push(Renumbered { from: old, to: new });
            }
            if to.get_by_path(&new.path()).is_none() && from.get_by_path(&old.path()).is_some() {
                orphaned.push(new);
            }
        }
        let mut to_answer = Vec::new();
        for item in diff.added.iter().filter(|i| i.requirement != Requirement::Structural) {
            if statement.selections.iter().any(|s| s.id().path() == item.id.path()) {
                continue;
            }
            // Keep the statement in id order: before the first entry that sorts after the item.
            let at = statement.selections.iter().position(|s| s.id().path() > item.id.path());
            let entry = Selection::Unanswered { id: item.id };
            match at {
                Some(i) => statement.selections.insert(i, entry),
                None => statement.selections.push(entry),
            }
            to_answer.push(item.clone());
        }
        StatementMigration { statement, diff, to_answer, renumbered, orphaned }
    }
}

impl Selection {
    /// The same entry about another item (a renumbering).
    #[must_use]
    pub fn with_id(&self, new: ControlId) -> Self {
        let mut s = self.clone();
        match &mut s {
            Self::Selected { id, .. }
            | Self::NotSelected { id, .. }
            | Self::Excluded { id, .. }
            | Self::Inherited { id, .. }
            | Self::Unanswered { id } => *id = new,
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Assessment, Baseline, Rule, Severity};

    /// Issue 13 item 7: the 2024-07 revision added four optional detailed controls (KPMG Japan,
    /// 2024-09): migrating the sample statement asks for exactly those, each reported by the
    /// assessment against 2024.7.1 until answered.
    #[test]
    fn migrating_the_sample_to_2024_asks_for_the_four_new_controls() {
        let st = Statement::try_sample().unwrap();
        let (from, to) = (Catalog::ismap_2022(), Catalog::ismap_2024());
        let m = st.migrate(from, to, &Renumbering::default());
        assert_eq!(m.statement.selections.len(), st.selections.len() + 4);
        assert!(m.renumbered.is_empty() && m.orphaned.is_empty());
        let report = Assessment::new(to, &Baseline::ismap()).assess(&m.statement);
        let unanswered: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule == Rule::ItemUnanswered)
            .map(|f| f.control.map(|c| c.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(unanswered, ["8.1.5.4.P", "12.2.1.15", "13.2.3.7.P", "16.1.5.10"]);
        assert!(report.findings.iter().all(|f| f.rule != Rule::CatalogVersionMismatch));
        assert!(
            report.findings.iter().filter(|f| f.rule == Rule::ItemUnanswered).all(|f| f.severity == Severity::Error)
        );
        // The entries sit in id order: 8.1.5.4.P right after the entries of objective 8.1.5.P.
        let pos = |id: &str| m.statement.selections.iter().position(|s| s.id().to_string() == id).unwrap();
        assert!(pos("8.1.5.P") < pos("8.1.5.4.P") && pos("8.1.5.4.P") < pos("8.2.1"));
        // Migrating twice asks nothing more.
        let again = m.statement.migrate(to, to, &Renumbering::default());
        assert!(again.to_answer.is_empty() && again.diff.is_empty());
    }

    /// A renumbering revision (old ids → new ids) fits the same diff and migration: here a
    /// made-up revision that moves objective 5.1.2 to 5.1.3, as the unpublished 2025 draft may.
    #[test]
    fn a_renumbering_revision_fits_the_same_diff_and_migration() {
        let from = Catalog::ismap_2024();
        let mut doc: serde_json::Value = serde_json::from_str(Catalog::ismap_2024_json()).unwrap();
        doc["version"] = "2099.1.1".into();
        let objective = &mut doc["parts"][2]["domains"][0]["categories"][0]["objectives"][1];
        assert_eq!(objective["id"], "5.1.2");
        objective["id"] = "5.1.3".into();
        let (to, _) = Catalog::from_json_str(&doc.to_string()).unwrap();
        let renumbering = Renumbering::new([("5.1.2".parse().unwrap(), "5.1.3".parse().unwrap())]);
        let diff = CatalogDiff::between(from, &to, &renumbering);
        assert_eq!(diff.renumbered, [Renumbered { from: "5.1.2".parse().unwrap(), to: "5.1.3".parse().unwrap() }]);
        assert!(diff.added.is_empty() && diff.removed.is_empty(), "{diff}");
        // Without the mapping the same change reads as one removal and one addition.
        let plain = CatalogDiff::between(from, &to, &Renumbering::default());
        assert_eq!((plain.added.len(), plain.removed.len()), (1, 1));
        let mut st = Statement::try_sample().unwrap();
        st.catalog_version = "2024.7.1".parse().unwrap();
        let m = st.migrate(from, &to, &renumbering);
        assert_eq!(m.renumbered.len(), 1);
        assert!(m.statement.selections.iter().any(|s| s.id().to_string() == "5.1.3"));
        assert!(m.to_answer.is_empty());
    }
}
