//! The shared vocabulary of the `ismap` workspace: validated identifiers, bilingual text,
//! programs, services, assessment periods, Japanese era dates and fiscal years.
//!
//! Everything here is plain data with serde and JSON Schema support; this crate does no I/O.
//! Invalid values cannot be built: parsing (`FromStr`, serde) is where checks happen.
//!
//! ```
//! use ismap_model::{ControlId, ControlLevel, FiscalYear, Lang, Text};
//!
//! let id: ControlId = "8.1.2.7.PB".parse()?;
//! assert_eq!(id.level(), ControlLevel::Detailed);
//! assert!(id.is_basic_requirement() && id.is_cloud_specific());
//!
//! let fy: FiscalYear = "令和2年度".parse()?;
//! assert_eq!(fy.to_string(), "FY2020");
//!
//! let title = Text::new("資産の管理", "Asset management");
//! assert_eq!(title.get(Lang::En), "Asset management");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod effective;
pub mod era;
mod id;
mod limits;
mod period;
mod regno;
mod service;
pub mod strict;
mod string_id;
mod text;
mod version;
mod vocab;

pub use effective::{
    EffectiveRange, ISMAP_FIRST_LIST, ISMAP_REGULATIONS_EFFECTIVE, LIU_INCIDENT_REPORTING_FROM,
    LIU_PRE_APPLICATION_ABOLISHED_DEFAULT, LIU_SPECIAL_MEASURES_FROM, LIU_SPECIAL_MEASURES_UNTIL, LIU_START,
    MANAGEMENT_MULTI_YEAR_CYCLE_FROM,
};
pub use era::{Era, EraError, FiscalYear};
pub use id::{CONTROL_ID_PATTERN, ControlId, ControlIdError, ControlLevel, MAX_NUMBER, NumericPath, Suffix};
pub use limits::{LimitExceeded, LimitKind, Limits};
pub use period::{AssessmentPeriod, PeriodError, PeriodRule, months_end};
pub use regno::{REGISTRATION_NUMBER_PATTERN, RegistrationNumber, RegistrationNumberError};
pub use service::{CloudService, CorporateNumber, CorporateNumberError, Provider};
pub use string_id::{IdError, is_simple_id};
pub use text::{EmptyTextError, Lang, Text};
pub use version::DocumentVersion;
pub use vocab::{CriteriaPart, Program, ServiceModel};
