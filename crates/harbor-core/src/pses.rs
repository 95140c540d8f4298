//! The PSES state machine: where a record stands in the Patient Safety Evaluation System.
//!
//! ```text
//!  in_pses ──promote──► queued ──report──► reported ◄──report / unqueue──┐
//!     │  ▲                 │                  │                          │
//!     │  └────unqueue──────┘                  └──(changed) promote──► amendment_queued
//!     └──drop_out──► dropped_out        (drop-out is refused once queued or reported)
//!  original_record: every transition refused (an ePCR is never PSWP)
//! ```
//!
//! Pure logic: the vault records the ledger events and asks this module whether a
//! transition is allowed.

use serde::{Deserialize, Serialize};

/// Where a record stands in the PSES.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PsesState {
    /// Entered the PSES (dated), not yet promoted.
    InPses,
    /// Promoted to PSWP: a frozen snapshot waits in the outbox.
    Queued,
    /// Reported before, and a changed snapshot waits in the outbox as an amendment.
    AmendmentQueued,
    /// Reported to the PSO: final; a later change becomes an amendment.
    Reported,
    /// Removed from the PSES before reporting (dated, with a reason); no longer PSWP.
    DroppedOut,
    /// An original record (imported ePCR): outside the PSES, never PSWP.
    OriginalRecord,
}

impl PsesState {
    /// Every state.
    pub const ALL: [PsesState; 6] = [
        PsesState::InPses,
        PsesState::Queued,
        PsesState::AmendmentQueued,
        PsesState::Reported,
        PsesState::DroppedOut,
        PsesState::OriginalRecord,
    ];

    /// The state as written in the database and in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            PsesState::InPses => "in_pses",
            PsesState::Queued => "queued",
            PsesState::AmendmentQueued => "amendment_queued",
            PsesState::Reported => "reported",
            PsesState::DroppedOut => "dropped_out",
            PsesState::OriginalRecord => "original_record",
        }
    }

    /// Parses a state name.
    pub fn parse(s: &str) -> Option<PsesState> {
        PsesState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the record's content may be edited (a new revision) in this state.
    pub fn allows_edit(self) -> Result<(), PsesError> {
        match self {
            PsesState::InPses
            | PsesState::Queued
            | PsesState::AmendmentQueued
            | PsesState::Reported => Ok(()),
            PsesState::DroppedOut => Err(PsesError::DroppedOut),
            PsesState::OriginalRecord => Err(PsesError::OriginalRecord),
        }
    }
}

impl std::fmt::Display for PsesState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change of PSES state that a person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PsesTransition {
    /// Remove from the PSES before reporting.
    DropOut,
    /// Promote to PSWP and queue for the PSO.
    Promote {
        /// Whether the record changed since it was last reported (only read when reported).
        changed_since_report: bool,
    },
    /// Take a queued snapshot back out of the outbox.
    Unqueue,
    /// The PSO's receipt arrived for the queued snapshot.
    Report,
}

/// Why a PSES transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PsesError {
    /// An original record (ePCR) cannot enter the PSES, be promoted or dropped out.
    #[error(
        "an imported ePCR is an original record: it stays outside the PSES and can never be promoted, dropped out or edited by hand"
    )]
    OriginalRecord,
    /// Reported information cannot drop out, and a reported snapshot is final.
    #[error(
        "the record has been reported to the PSO: it can no longer drop out of the PSES (a change can be promoted as an amendment)"
    )]
    AlreadyReported,
    /// The record is queued for the PSO: un-queue it first.
    #[error(
        "the record is queued for the PSO: take it out of the queue first (that is logged), then drop it out"
    )]
    Queued,
    /// The record already waits in the outbox.
    #[error("the record is already promoted and queued for the PSO")]
    AlreadyQueued,
    /// The record was reported and has not changed since.
    #[error("the record was reported and has not changed since: there is nothing to amend")]
    ReportedUnchanged,
    /// The record dropped out of the PSES; it cannot come back or change.
    #[error(
        "the record dropped out of the PSES: it can no longer be changed, promoted or reported"
    )]
    DroppedOut,
    /// Only a queued record can be un-queued or reported.
    #[error("the record is not queued for the PSO")]
    NotQueued,
}

impl PsesError {
    /// The failure's stable code.
    pub fn code(self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            PsesError::OriginalRecord => C::OriginalRecord,
            PsesError::AlreadyReported => C::AlreadyReported,
            PsesError::Queued => C::QueuedForPso,
            PsesError::AlreadyQueued => C::AlreadyQueued,
            PsesError::ReportedUnchanged => C::ReportedUnchanged,
            PsesError::DroppedOut => C::DroppedOut,
            PsesError::NotQueued => C::NotQueued,
        }
    }
}

/// The state after `transition` from `state`, or why it is refused.
pub fn next_state(state: PsesState, transition: PsesTransition) -> Result<PsesState, PsesError> {
    use PsesState as S;
    use PsesTransition as T;
    match (state, transition) {
        (S::OriginalRecord, _) => Err(PsesError::OriginalRecord),
        (S::DroppedOut, _) => Err(PsesError::DroppedOut),

        (S::InPses, T::DropOut) => Ok(S::DroppedOut),
        (S::InPses, T::Promote { .. }) => Ok(S::Queued),
        (S::InPses, T::Unqueue | T::Report) => Err(PsesError::NotQueued),

        (S::Queued, T::DropOut) => Err(PsesError::Queued),
        (S::Queued, T::Promote { .. }) => Err(PsesError::AlreadyQueued),
        (S::Queued, T::Unqueue) => Ok(S::InPses),
        (S::Queued, T::Report) => Ok(S::Reported),

        // An amendment taken back out of the queue leaves the record reported, as before.
        (S::AmendmentQueued, T::DropOut) => Err(PsesError::AlreadyReported),
        (S::AmendmentQueued, T::Promote { .. }) => Err(PsesError::AlreadyQueued),
        (S::AmendmentQueued, T::Unqueue | T::Report) => Ok(S::Reported),

        (S::Reported, T::DropOut) => Err(PsesError::AlreadyReported),
        (
            S::Reported,
            T::Promote {
                changed_since_report: true,
            },
        ) => Ok(S::AmendmentQueued),
        (
            S::Reported,
            T::Promote {
                changed_since_report: false,
            },
        ) => Err(PsesError::ReportedUnchanged),
        (S::Reported, T::Unqueue | T::Report) => Err(PsesError::NotQueued),
    }
}

/// The state a new record of `kind` starts in.
pub fn initial_state(kind: crate::RecordKind) -> PsesState {
    if kind.is_original_record() {
        PsesState::OriginalRecord
    } else {
        PsesState::InPses
    }
}

/// The PSES decisions a record in `state` allows, before the role is asked: each is
/// exactly what [`next_state`] accepts (sending in a case packet is allowed to every
/// record still in the PSES).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decisions {
    /// Promote to PSWP (a first report, or an amendment of a changed reported record).
    pub promote: bool,
    /// Drop out of the PSES.
    pub drop_out: bool,
    /// Take the queued snapshot back.
    pub unqueue: bool,
    /// Send in a case packet to another vault of the agency.
    pub send: bool,
}

/// The decisions `state` allows.
pub fn decisions(state: PsesState) -> Decisions {
    let ok = |t| next_state(state, t).is_ok();
    Decisions {
        promote: ok(PsesTransition::Promote {
            changed_since_report: true,
        }),
        drop_out: ok(PsesTransition::DropOut),
        unqueue: ok(PsesTransition::Unqueue),
        send: !matches!(state, PsesState::OriginalRecord | PsesState::DroppedOut),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PsesState as S;
    use PsesTransition as T;

    const TRANSITIONS: [PsesTransition; 5] = [
        T::DropOut,
        T::Promote {
            changed_since_report: false,
        },
        T::Promote {
            changed_since_report: true,
        },
        T::Unqueue,
        T::Report,
    ];

    /// The whole table, written out: every state against every transition.
    #[test]
    fn every_transition_from_every_state() {
        let promote_same = T::Promote {
            changed_since_report: false,
        };
        let promote_changed = T::Promote {
            changed_since_report: true,
        };
        let expected: &[(PsesState, PsesTransition, Result<PsesState, PsesError>)] = &[
            (S::InPses, T::DropOut, Ok(S::DroppedOut)),
            (S::InPses, promote_same, Ok(S::Queued)),
            (S::InPses, promote_changed, Ok(S::Queued)),
            (S::InPses, T::Unqueue, Err(PsesError::NotQueued)),
            (S::InPses, T::Report, Err(PsesError::NotQueued)),
            (S::Queued, T::DropOut, Err(PsesError::Queued)),
            (S::Queued, promote_same, Err(PsesError::AlreadyQueued)),
            (S::Queued, promote_changed, Err(PsesError::AlreadyQueued)),
            (S::Queued, T::Unqueue, Ok(S::InPses)),
            (S::Queued, T::Report, Ok(S::Reported)),
            (S::Reported, T::DropOut, Err(PsesError::AlreadyReported)),
            (S::Reported, promote_same, Err(PsesError::ReportedUnchanged)),
            (S::Reported, promote_changed, Ok(S::AmendmentQueued)),
            (
                S::AmendmentQueued,
                T::DropOut,
                Err(PsesError::AlreadyReported),
            ),
            (
                S::AmendmentQueued,
                promote_same,
                Err(PsesError::AlreadyQueued),
            ),
            (
                S::AmendmentQueued,
                promote_changed,
                Err(PsesError::AlreadyQueued),
            ),
            (S::AmendmentQueued, T::Unqueue, Ok(S::Reported)),
            (S::AmendmentQueued, T::Report, Ok(S::Reported)),
            (S::Reported, T::Unqueue, Err(PsesError::NotQueued)),
            (S::Reported, T::Report, Err(PsesError::NotQueued)),
        ];
        for (state, transition, result) in expected {
            assert_eq!(
                next_state(*state, *transition),
                *result,
                "{state:?} --{transition:?}-->"
            );
        }
        for transition in TRANSITIONS {
            assert_eq!(
                next_state(S::DroppedOut, transition),
                Err(PsesError::DroppedOut)
            );
            assert_eq!(
                next_state(S::OriginalRecord, transition),
                Err(PsesError::OriginalRecord)
            );
        }
        assert_eq!(
            expected.len() + 2 * TRANSITIONS.len(),
            PsesState::ALL.len() * TRANSITIONS.len()
        );
    }

    /// Walks many random sequences of transitions: once reported, a record never drops
    /// out; an original record never leaves its state; dropped out is terminal.
    #[test]
    fn no_sequence_reaches_a_forbidden_state() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for start in [S::InPses, S::OriginalRecord] {
            for _ in 0..2000 {
                let mut state = start;
                let mut ever_reported = false;
                for _ in 0..12 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let t = TRANSITIONS[(seed % TRANSITIONS.len() as u64) as usize];
                    if let Ok(next) = next_state(state, t) {
                        assert!(
                            !(ever_reported && next == S::DroppedOut),
                            "reported record dropped out"
                        );
                        assert_ne!(start, S::OriginalRecord, "original record moved");
                        assert_ne!(state, S::DroppedOut, "dropped-out record moved");
                        state = next;
                        ever_reported |= state == S::Reported;
                    }
                }
            }
        }
    }

    #[test]
    fn epcr_starts_outside_the_pses_and_cannot_be_edited() {
        assert_eq!(
            initial_state(crate::RecordKind::Epcr),
            PsesState::OriginalRecord
        );
        assert_eq!(
            initial_state(crate::RecordKind::CaseNote),
            PsesState::InPses
        );
        assert_eq!(
            PsesState::OriginalRecord.allows_edit(),
            Err(PsesError::OriginalRecord)
        );
        assert_eq!(
            PsesState::DroppedOut.allows_edit(),
            Err(PsesError::DroppedOut)
        );
        assert!(PsesState::Reported.allows_edit().is_ok());
    }
}
