//! Underlying services checked against the cloud service list.
//!
//! A statement may inherit controls from an underlying cloud service only if that service is
//! itself on the ISMAP cloud service list (Control Criteria §2.2.2, §2.2.4). A registration
//! number in the statement says which service is meant; whether it is listed *on a date* is the
//! registry's knowledge, which this crate does not hold: a registry (`ismap-workflow`) implements
//! [`ServiceListings`], and [`crate::Assessment::with_listings`] applies it.

use std::fmt;

use chrono::NaiveDate;
use ismap_model::{RegistrationNumber, Text};

use crate::Statement;
use crate::statement::{Selection, UnderlyingService};

/// Where a registration number stands on the cloud service list on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnderlyingListing {
    /// Validly listed.
    Listed,
    /// Known, but not validly listed: the status in both languages (expired, withdrawn, …).
    NotListed {
        /// The listing status.
        status: Text,
    },
    /// No service with that registration number is known.
    Unknown,
}

/// A source of cloud service list status on one date: a registry replayed from a journal.
pub trait ServiceListings: fmt::Debug {
    /// The date the statuses are for.
    fn date(&self) -> NaiveDate;

    /// Where the service registered as `number` stands on [`ServiceListings::date`].
    fn lookup(&self, number: &RegistrationNumber) -> UnderlyingListing;
}

impl Statement {
    /// The underlying services some selection inherits from, with their index in
    /// `service.underlying`, in that order.
    pub fn inherited_underlying(&self) -> impl Iterator<Item = (usize, &UnderlyingService)> + '_ {
        self.service.underlying.iter().enumerate().filter(|(_, u)| {
            self.selections.iter().any(|s| matches!(s, Selection::Inherited { from, .. } if *from == u.key))
        })
    }
}
