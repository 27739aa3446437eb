//! Human-facing renderings shared by the command-line tool and other front ends (bindings, a
//! server): self-contained HTML reports. The CLI parses arguments and does I/O; what a report
//! looks like is decided here.

pub mod html;
