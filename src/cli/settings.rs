//! `--settings FILE` (the unverified program facts as settings) and `--on DATE`, shared by
//! `assess`, `rules` and the `registry` commands.

use std::path::Path;

use ismap::workflow::Settings;
use ismap::workflow::chrono::NaiveDate;

use super::output::{self, CliError};

/// The hint for a settings file that does not load.
const HINT: &str = "the settings file must follow schemas/settings.schema.json; docs/settings.json holds the defaults";

/// Loads the settings file, or the defaults without one.
pub(crate) fn load(path: Option<&Path>) -> Result<Settings, CliError> {
    let Some(path) = path else { return Ok(Settings::default()) };
    let text = output::read_file(path)?;
    Settings::from_json_str(&text)
        .map_err(|e| CliError::new(format!("{}: {}: {}", path.display(), e.path, e.message), HINT))
}

/// Parses a `YYYY-MM-DD` date argument.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse().map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
}
