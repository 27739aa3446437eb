//! Graphviz DOT and Mermaid export of the scenario graph.
//!
//! Nodes: attack steps (boxes; goals highlighted; OR joins marked) and defender tasks (ellipses).
//! Edges: step → step (required by), step → task (the task looks at an artefact the step leaves),
//! task → task (done after), task ⇢ step (blocks, dashed).

use std::fmt::Write as _;

use ismap_model::Lang;

use crate::doc::Join;
use crate::scenario::Scenario;

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;").replace('\n', " ")
}

/// Edges between steps and tasks: (from step, to task) where the task needs something the step
/// leaves; deduplicated, in order.
pub(crate) fn observes(s: &Scenario) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, st) in s.r.steps.iter().enumerate() {
        let mut tasks: Vec<usize> = st.leaves.iter().flat_map(|&a| s.r.consumers.get(a).iter().copied()).collect();
        tasks.sort_unstable();
        tasks.dedup();
        out.extend(tasks.into_iter().map(|t| (i, t)));
    }
    out
}

impl Scenario {
    /// The graph in Graphviz DOT.
    #[must_use]
    pub fn to_dot(&self, lang: Lang) -> String {
        let doc = self.document();
        let mut out = String::new();
        let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(doc.id.as_str()));
        let _ = writeln!(
            out,
            "  rankdir=LR;\n  label=\"{}\";\n  node [fontname=\"sans-serif\"];",
            dot_escape(doc.title.get(lang))
        );
        for st in &doc.attack_steps {
            let or = if st.join == Join::Any && st.requires.len() > 1 { " [OR]" } else { "" };
            let style = if st.goal {
                ", style=filled, fillcolor=\"#f8b4b4\", peripheries=2"
            } else {
                ", style=filled, fillcolor=\"#fde2e2\""
            };
            let _ = writeln!(
                out,
                "  \"s:{}\" [shape=box{style}, label=\"{}\\n{}{or}\"];",
                dot_escape(st.id.as_str()),
                dot_escape(st.name.get(lang)),
                dot_escape(&st.technique),
            );
        }
        for t in &doc.tasks {
            let _ = writeln!(
                out,
                "  \"t:{}\" [shape=ellipse, style=filled, fillcolor=\"#dbeafe\", label=\"{}\\n({})\"];",
                dot_escape(t.id.as_str()),
                dot_escape(t.name.get(lang)),
                dot_escape(t.kind.name().get(lang)),
            );
        }
        for st in &doc.attack_steps {
            for p in &st.requires {
                let _ = writeln!(out, "  \"s:{}\" -> \"s:{}\";", dot_escape(p.as_str()), dot_escape(st.id.as_str()));
            }
        }
        for (si, ti) in observes(self) {
            if let (Some(st), Some(t)) = (doc.attack_steps.get(si), doc.tasks.get(ti)) {
                let _ = writeln!(
                    out,
                    "  \"s:{}\" -> \"t:{}\" [style=dotted, color=gray40];",
                    dot_escape(st.id.as_str()),
                    dot_escape(t.id.as_str())
                );
            }
        }
        for t in &doc.tasks {
            for p in &t.after {
                let _ = writeln!(
                    out,
                    "  \"t:{}\" -> \"t:{}\" [color=\"#1d4ed8\"];",
                    dot_escape(p.as_str()),
                    dot_escape(t.id.as_str())
                );
            }
            for b in &t.blocks {
                let _ = writeln!(
                    out,
                    "  \"t:{}\" -> \"s:{}\" [style=dashed, color=\"#b91c1c\", label=\"blocks\", constraint=false];",
                    dot_escape(t.id.as_str()),
                    dot_escape(b.as_str())
                );
            }
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart.
    #[must_use]
    pub fn to_mermaid(&self, lang: Lang) -> String {
        let doc = self.document();
        let mut out = String::from("flowchart LR\n");
        for (i, st) in doc.attack_steps.iter().enumerate() {
            let or = if st.join == Join::Any && st.requires.len() > 1 { " [OR]" } else { "" };
            let _ = writeln!(
                out,
                "  s{i}[\"{}<br/>{}{or}\"]{}",
                mermaid_escape(st.name.get(lang)),
                mermaid_escape(&st.technique),
                if st.goal { ":::goal" } else { ":::step" }
            );
        }
        for (i, t) in doc.tasks.iter().enumerate() {
            let _ = writeln!(
                out,
                "  t{i}([\"{}<br/>({})\"]):::task",
                mermaid_escape(t.name.get(lang)),
                mermaid_escape(t.kind.name().get(lang))
            );
        }
        for (i, st) in self.r.steps.iter().enumerate() {
            for p in st.requires {
                let _ = writeln!(out, "  s{p} --> s{i}");
            }
        }
        for (si, ti) in observes(self) {
            let _ = writeln!(out, "  s{si} -.-> t{ti}");
        }
        for (i, t) in self.r.tasks.iter().enumerate() {
            for p in &t.after {
                let _ = writeln!(out, "  t{p} --> t{i}");
            }
            for b in &t.blocks {
                let _ = writeln!(out, "  t{i} -. blocks .-> s{b}");
            }
        }
        out.push_str("  classDef step fill:#fde2e2,stroke:#b91c1c\n");
        out.push_str("  classDef goal fill:#f8b4b4,stroke:#7f1d1d,stroke-width:3px\n");
        out.push_str("  classDef task fill:#dbeafe,stroke:#1d4ed8\n");
        out
    }
}
