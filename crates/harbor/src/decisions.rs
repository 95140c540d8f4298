//! What the signed-in user may decide on one record in the PSES, and why the rest are not
//! offered: the PSES state machine (`harbor_core::pses`) asked for each decision, then the
//! role. The faces show exactly this; every decision's method checks both again.

use crate::{Result, Session};
use harbor_core::{Action, PsesState, RecordKind, Role};
use schemars::JsonSchema;
use serde::Serialize;

/// The PSES decisions open to the signed-in user on one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RecordChoices {
    /// Promote to PSWP (through the preview).
    pub promote: bool,
    /// Drop out of the PSES with a reason.
    pub drop_out: bool,
    /// Put the record in a case packet.
    pub send: bool,
    /// Take the queued snapshot back (under Submissions).
    pub unqueue: bool,
    /// Why a decision is not offered, in words, when one is not.
    pub note: Option<String>,
}

/// The choices `role` has on a record of `kind` in `state`; `None` for an original record
/// (an imported ePCR), which no PSES decision applies to.
fn record_choices(kind: RecordKind, state: PsesState, role: Role) -> Option<RecordChoices> {
    if kind.is_original_record() || state == PsesState::OriginalRecord {
        return None;
    }
    let open = harbor_core::pses::decisions(state);
    let may = |a: Action| role.permits(a);
    let mut note = match state {
        PsesState::Queued => Some(
            "Queued for the PSO: a queued record cannot drop out of the PSES. Take it back out of the queue first (under Submissions, with a reason; that is logged), then drop it out.",
        ),
        PsesState::AmendmentQueued => Some(
            "An amendment is queued for the PSO. The record was reported, so it can no longer drop out of the PSES.",
        ),
        PsesState::Reported => Some(
            "Reported to the PSO: it can no longer drop out of the PSES. A change is promoted as an amendment.",
        ),
        PsesState::DroppedOut => Some(
            "Dropped out of the PSES: it can no longer be changed, promoted or sent. When, by whom and why are in its PSES history.",
        ),
        PsesState::InPses | PsesState::OriginalRecord => None,
    };
    if open.drop_out && !may(Action::DropOut) {
        note =
            Some("Dropping a record out of the PSES is for a quality officer or an administrator.");
    }
    Some(RecordChoices {
        promote: open.promote && may(Action::Promote),
        drop_out: open.drop_out && may(Action::DropOut),
        send: open.send && may(Action::PacketExchange),
        unqueue: open.unqueue && may(Action::Unqueue),
        note: note.map(str::to_owned),
    })
}

impl Session {
    /// The PSES decisions the signed-in user has on record `id` (`None` for an ePCR).
    pub fn record_choices(&mut self, id: &str) -> Result<Option<RecordChoices>> {
        self.require(Action::RecordRead)?;
        let meta = self.vault.record_meta(id)?;
        let state = PsesState::parse(&meta.pses_state).ok_or_else(|| {
            harbor_vault::VaultError::Corrupt("a record has an unknown PSES state".into())
        })?;
        Ok(record_choices(meta.kind, state, self.role()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PsesState as S;
    use RecordKind as K;

    #[test]
    fn drop_out_is_offered_only_inside_the_pses_and_the_note_says_why_not() {
        let qo = Role::QualityOfficer;
        let inside = record_choices(K::CallReview, S::InPses, qo).unwrap();
        assert_eq!(
            inside,
            RecordChoices {
                promote: true,
                drop_out: true,
                send: true,
                unqueue: false,
                note: None
            }
        );
        let queued = record_choices(K::Investigation, S::Queued, qo).unwrap();
        assert!(!queued.drop_out && !queued.promote && queued.unqueue && queued.send);
        let note = queued.note.unwrap();
        assert!(note.contains("cannot drop out"), "{note}");
        assert!(
            note.contains("Take it back out of the queue first"),
            "{note}"
        );
        let reported = record_choices(K::CallReview, S::Reported, qo).unwrap();
        assert!(reported.promote && !reported.drop_out && !reported.unqueue);
        assert!(reported.note.unwrap().contains("no longer drop out"));
        let amending = record_choices(K::CallReview, S::AmendmentQueued, qo).unwrap();
        assert!(!amending.drop_out && amending.unqueue);
    }

    #[test]
    fn only_what_the_role_may_do_is_offered_and_the_note_says_who_drops_out() {
        let md = Role::MedicalDirector;
        let inside = record_choices(K::CallReview, S::InPses, md).unwrap();
        assert!(!inside.promote && !inside.drop_out && inside.send && !inside.unqueue);
        assert!(
            inside
                .note
                .unwrap()
                .contains("quality officer or an administrator")
        );
        let queued = record_choices(K::CallReview, S::Queued, md).unwrap();
        assert!(!queued.unqueue && !queued.drop_out);
        let reviewer = record_choices(K::CallReview, S::InPses, Role::Reviewer).unwrap();
        assert!(
            !reviewer.promote && !reviewer.drop_out && !reviewer.send && !reviewer.unqueue,
            "{reviewer:?}"
        );
    }

    #[test]
    fn a_dropped_out_record_keeps_its_words_and_an_epcr_has_no_decisions() {
        let dropped = record_choices(K::CaseNote, S::DroppedOut, Role::Admin).unwrap();
        assert!(!dropped.promote && !dropped.drop_out && !dropped.send && !dropped.unqueue);
        assert!(dropped.note.unwrap().contains("Dropped out of the PSES"));
        assert_eq!(
            record_choices(K::Epcr, S::OriginalRecord, Role::Admin),
            None
        );
        assert_eq!(
            record_choices(K::CallReview, S::OriginalRecord, Role::Admin),
            None
        );
    }
}
