//! Human-facing renderings shared by the command-line tool and other front ends (bindings, a
//! server): terminal tables and Markdown ([`text`]) and self-contained HTML reports ([`html`]).
//! The CLI parses arguments and does I/O; what a report looks like is decided here. (Workbooks
//! and CSV are written by `ismap_controls::workbook`, beside the statement they hold.)

pub mod html;
pub mod text;
