//! SVG pictures rendered in Rust, with no external program: the scenario graph in a simple
//! layered layout, and a Gantt-style exercise timeline.

use std::fmt::Write as _;

use ismap_model::Lang;

use crate::export::observes;
use crate::log::CheckedLog;
use crate::scenario::Scenario;

const NODE_W: u64 = 190;
const NODE_H: u64 = 46;
const COL_GAP: u64 = 70;
const ROW_GAP: u64 = 18;
const MARGIN: u64 = 24;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Cuts `s` to about `max` columns (CJK characters count double), adding `…`.
fn clip(s: &str, max: usize) -> String {
    let mut width = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if width + w > max {
            out.push('…');
            return out;
        }
        width += w;
        out.push(c);
    }
    out
}

#[derive(Clone, Copy)]
enum Node {
    Step(usize),
    Task(usize),
}

impl Scenario {
    /// Layer of every task: one right of the deepest step it observes or task it follows.
    fn task_layers(&self, step_layer: &[usize]) -> Vec<usize> {
        let mut layer = vec![0usize; self.r.tasks.len()];
        let obs = observes(self);
        let mut from_steps = vec![0usize; self.r.tasks.len()];
        for (s, t) in obs {
            if let Some(x) = from_steps.get_mut(t) {
                *x = (*x).max(step_layer.get(s).copied().unwrap_or(0) + 1);
            }
        }
        for &t in &self.task_topo {
            let base = from_steps.get(t).copied().unwrap_or(0);
            let l = self
                .r
                .tasks
                .get(t)
                .map_or(0, |x| x.after.iter().filter_map(|&p| layer.get(p)).map(|l| l + 1).max().unwrap_or(0))
                .max(base);
            if let Some(x) = layer.get_mut(t) {
                *x = l;
            }
        }
        layer
    }

    /// The scenario graph as a standalone SVG document: columns are topological layers (attack
    /// steps, then the tasks that look at them), rows ordered by the mean row of each node's
    /// predecessors to reduce crossings.
    #[must_use]
    pub fn to_svg(&self, lang: Lang) -> String {
        let doc = self.document();
        let step_layer = self.layer_of();
        let task_layer = self.task_layers(&step_layer);
        let depth = step_layer.iter().chain(&task_layer).max().map_or(1, |m| m + 1);
        let mut cols: Vec<Vec<Node>> = vec![Vec::new(); depth];
        for (i, &l) in step_layer.iter().enumerate() {
            if let Some(c) = cols.get_mut(l) {
                c.push(Node::Step(i));
            }
        }
        for (i, &l) in task_layer.iter().enumerate() {
            if let Some(c) = cols.get_mut(l) {
                c.push(Node::Task(i));
            }
        }
        let obs = observes(self);
        let mut task_preds: Vec<Vec<Node>> = vec![Vec::new(); self.r.tasks.len()];
        for &(s, t) in &obs {
            if let Some(v) = task_preds.get_mut(t) {
                v.push(Node::Step(s));
            }
        }
        for (t, task) in self.r.tasks.iter().enumerate() {
            if let Some(v) = task_preds.get_mut(t) {
                v.extend(task.after.iter().map(|&p| Node::Task(p)));
            }
        }
        // Rows: barycentre of predecessors' rows, column by column.
        let mut step_row = vec![0f64; self.r.steps.len()];
        let mut task_row = vec![0f64; self.r.tasks.len()];
        for col in &mut cols {
            let key = |n: &Node| -> f64 {
                let preds: Vec<Node> = match *n {
                    Node::Step(i) => self
                        .r
                        .steps
                        .get(i)
                        .map_or_else(Vec::new, |s| s.requires.iter().map(|&p| Node::Step(p)).collect()),
                    Node::Task(i) => task_preds.get(i).cloned().unwrap_or_default(),
                };
                if preds.is_empty() {
                    return f64::MAX;
                }
                let sum: f64 = preds
                    .iter()
                    .map(|p| match *p {
                        Node::Step(j) => step_row.get(j).copied().unwrap_or(0.0),
                        Node::Task(j) => task_row.get(j).copied().unwrap_or(0.0),
                    })
                    .sum();
                #[expect(clippy::cast_precision_loss, reason = "small counts")]
                let n = preds.len() as f64;
                sum / n
            };
            let mut keyed: Vec<(f64, usize, Node)> = col.iter().enumerate().map(|(k, n)| (key(n), k, *n)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *col = keyed.into_iter().map(|k| k.2).collect();
            for (r, n) in col.iter().enumerate() {
                #[expect(clippy::cast_precision_loss, reason = "row numbers are small")]
                let row = r as f64;
                match *n {
                    Node::Step(i) => {
                        if let Some(x) = step_row.get_mut(i) {
                            *x = row;
                        }
                    }
                    Node::Task(i) => {
                        if let Some(x) = task_row.get_mut(i) {
                            *x = row;
                        }
                    }
                }
            }
        }
        let rows = cols.iter().map(Vec::len).max().unwrap_or(1).max(1) as u64;
        let pos = |layer: usize, row: f64| -> (u64, u64) {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "rows are small and non-negative"
            )]
            let r = row as u64;
            (MARGIN + layer as u64 * (NODE_W + COL_GAP), MARGIN + 30 + r * (NODE_H + ROW_GAP))
        };
        let step_pos = |i: usize| pos(step_layer.get(i).copied().unwrap_or(0), step_row.get(i).copied().unwrap_or(0.0));
        let task_pos = |i: usize| pos(task_layer.get(i).copied().unwrap_or(0), task_row.get(i).copied().unwrap_or(0.0));
        let width = 2 * MARGIN + depth as u64 * (NODE_W + COL_GAP);
        let height = 2 * MARGIN + 30 + rows * (NODE_H + ROW_GAP) + 30;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">"
        );
        out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker>");
        out.push_str("<marker id=\"block\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b91c1c\"/></marker></defs>\n");
        let _ = writeln!(out, "<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\">{}</text>",
            MARGIN + 4,
            esc(doc.title.get(lang))
        );
        let curve = |out: &mut String, (x1, y1): (u64, u64), (x2, y2): (u64, u64), style: &str| {
            let (sx, sy, tx, ty) = (x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2);
            let mid = (sx + tx) / 2;
            let _ = writeln!(out, "<path d=\"M{sx},{sy} C{mid},{sy} {mid},{ty} {tx},{ty}\" fill=\"none\" {style}/>");
        };
        for (i, s) in self.r.steps.iter().enumerate() {
            for &p in s.requires {
                curve(
                    &mut out,
                    step_pos(p),
                    step_pos(i),
                    "stroke=\"#444\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"",
                );
            }
        }
        for &(s, t) in &obs {
            curve(
                &mut out,
                step_pos(s),
                task_pos(t),
                "stroke=\"#888\" stroke-dasharray=\"2,3\" marker-end=\"url(#arrow)\"",
            );
        }
        for (i, t) in self.r.tasks.iter().enumerate() {
            for &p in &t.after {
                curve(
                    &mut out,
                    task_pos(p),
                    task_pos(i),
                    "stroke=\"#1d4ed8\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"",
                );
            }
            for &b in &t.blocks {
                let ((x1, y1), (x2, y2)) = (task_pos(i), step_pos(b));
                let (sx, sy, tx, ty) = (x1 + NODE_W / 2, y1, x2 + NODE_W / 2, y2 + NODE_H);
                let _ = writeln!(
                    out,
                    "<path d=\"M{sx},{sy} C{sx},{} {tx},{} {tx},{ty}\" fill=\"none\" stroke=\"#b91c1c\" stroke-dasharray=\"6,4\" marker-end=\"url(#block)\"/>",
                    sy.saturating_sub(40),
                    ty + 40
                );
            }
        }
        for (i, st) in doc.attack_steps.iter().enumerate() {
            let (x, y) = step_pos(i);
            let (fill, stroke, sw) = if st.goal { ("#f8b4b4", "#7f1d1d", 3) } else { ("#fde2e2", "#b91c1c", 1) };
            let or = if st.join == crate::doc::Join::Any && st.requires.len() > 1 { " · OR" } else { "" };
            let _ = writeln!(
                out,
                "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/><text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" fill=\"#555\" font-size=\"11\">{}{or}</text></g>",
                esc(st.id.as_str()),
                x + 8,
                y + 19,
                esc(&clip(st.name.get(lang), 28)),
                x + 8,
                y + 36,
                esc(&format!("{} · {}", st.technique, st.tactic)),
            );
        }
        for (i, t) in doc.tasks.iter().enumerate() {
            let (x, y) = task_pos(i);
            let _ = writeln!(
                out,
                "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"22\" fill=\"#dbeafe\" stroke=\"#1d4ed8\"/><text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" fill=\"#555\" font-size=\"11\">{}</text></g>",
                esc(t.id.as_str()),
                x + 14,
                y + 19,
                esc(&clip(t.name.get(lang), 26)),
                x + 14,
                y + 36,
                esc(&clip(
                    &format!("{} · T+{}–{}", t.kind.name().get(lang), t.window.start_minute, t.window.end_minute),
                    30
                )),
            );
        }
        out.push_str("</svg>\n");
        out
    }

    /// The exercise timeline as a Gantt-style SVG: one bar per attack step (earliest start to
    /// finish), one band per task (its window) with its earliest possible finish, injects as
    /// diamonds, and, when a checked log is given, the team's actions as dots (green on time,
    /// orange late).
    #[must_use]
    pub fn to_timeline_svg(&self, lang: Lang, log: Option<&CheckedLog>) -> String {
        let doc = self.document();
        let label_w: u64 = 280;
        let chart_w: u64 = 760;
        let row_h: u64 = 22;
        let horizon = self
            .times
            .step_finish
            .iter()
            .copied()
            .chain(doc.tasks.iter().map(|t| u64::from(t.window.end_minute)))
            .chain(doc.injects.iter().map(|i| u64::from(i.at_minute)))
            .chain(log.into_iter().flat_map(|l| l.entries.iter().map(|e| e.0)))
            .chain(std::iter::once(u64::from(doc.duration_minutes)))
            .max()
            .unwrap_or(60)
            .max(1);
        let x = |m: u64| label_w + m.min(horizon) * chart_w / horizon;
        let rows = (doc.attack_steps.len() + doc.tasks.len() + 1) as u64;
        let top: u64 = 56;
        let height = top + rows * row_h + 40;
        let width = label_w + chart_w + 40;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">"
        );
        let _ = writeln!(out, "<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        let title = match lang {
            Lang::Ja => "演習タイムライン",
            Lang::En => "Exercise timeline",
        };
        let _ = writeln!(
            out,
            "<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\">{}: {}</text>",
            title,
            esc(doc.title.get(lang))
        );
        // Axis with a tick every 30 minutes (or coarser for long horizons).
        let step = [30u64, 60, 120, 240, 480, 960].into_iter().find(|s| horizon / s <= 16).unwrap_or(horizon.max(1));
        let mut m = 0;
        while m <= horizon {
            let xm = x(m);
            let _ = writeln!(
                out,
                "<line x1=\"{xm}\" y1=\"{}\" x2=\"{xm}\" y2=\"{}\" stroke=\"#e5e7eb\"/><text x=\"{xm}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">T+{m}</text>",
                top - 8,
                top + rows * row_h,
                top - 12
            );
            m += step;
        }
        let mut row: u64 = 0;
        for (i, st) in doc.attack_steps.iter().enumerate() {
            let y = top + row * row_h;
            let (s, f) = (
                self.times.step_start.get(i).copied().unwrap_or(0),
                self.times.step_finish.get(i).copied().unwrap_or(0),
            );
            let w = x(f).saturating_sub(x(s)).max(2);
            let fill = if st.goal { "#7f1d1d" } else { "#dc2626" };
            let _ = writeln!(
                out,
                "<text x=\"12\" y=\"{}\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{fill}\"><title>{} T+{s}–{f}</title></rect>",
                y + 15,
                esc(&clip(st.name.get(lang), 40)),
                x(s),
                y + 4,
                row_h - 8,
                esc(st.id.as_str())
            );
            row += 1;
        }
        for (i, t) in doc.tasks.iter().enumerate() {
            let y = top + row * row_h;
            let (ws, we) = (u64::from(t.window.start_minute), u64::from(t.window.end_minute));
            let w = x(we).saturating_sub(x(ws)).max(2);
            let _ = writeln!(
                out,
                "<text x=\"12\" y=\"{}\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#bfdbfe\" stroke=\"#1d4ed8\"><title>{} T+{ws}–{we}</title></rect>",
                y + 15,
                esc(&clip(t.name.get(lang), 40)),
                x(ws),
                y + 4,
                row_h - 8,
                esc(t.id.as_str())
            );
            if let Some(f) = self.times.task_finish.get(i).copied().flatten() {
                let _ = writeln!(
                    out,
                    "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#1e3a8a\" stroke-width=\"2\"/>",
                    x(f),
                    y + 2,
                    y + row_h - 2
                );
            }
            if let Some(l) = log
                && let Some(&(m, _, _)) = l.entries.iter().find(|e| e.1 == i)
            {
                let color = if m <= we { "#16a34a" } else { "#ea580c" };
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{color}\" stroke=\"#111\"><title>T+{m}</title></circle>",
                    x(m),
                    y + row_h / 2
                );
            }
            row += 1;
        }
        let y = top + row * row_h;
        let label = match lang {
            Lang::Ja => "インジェクト",
            Lang::En => "Injects",
        };
        let _ = writeln!(out, "<text x=\"12\" y=\"{}\" font-style=\"italic\">{label}</text>", y + 15);
        for inj in &doc.injects {
            let cx = x(inj.at_minute.into());
            let cy = y + row_h / 2;
            let _ = writeln!(
                out,
                "<path d=\"M{cx},{} L{},{cy} L{cx},{} L{},{cy} z\" fill=\"#f59e0b\" stroke=\"#92400e\"><title>{}: {}</title></path>",
                cy - 7,
                cx + 7,
                cy + 7,
                cx.saturating_sub(7),
                esc(inj.id.as_str()),
                esc(inj.message.get(lang))
            );
        }
        out.push_str("</svg>\n");
        out
    }
}
