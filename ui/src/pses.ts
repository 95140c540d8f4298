// What a record's PSES decisions offer in its state, and why the others are not offered.
// The service refuses the same transitions (harbor-core's `pses::next_state`); saying so
// here spares a person a button that can only fail.

export type PsesChoices = {
  /** Promote to PSWP (through the preview). */
  promote: boolean;
  /** Drop out of the PSES with a reason. */
  dropOut: boolean;
  /** Put the record in a case packet. */
  send: boolean;
  /** Take the queued snapshot back (under Submissions). */
  unqueue: boolean;
  /** Why a drop-out is not offered, in words, when it is not. */
  note: string | null;
};

/** The PSES decisions a role that may take the actions `may` allows has on a record of
 * `kind` in PSES state `state`; null for an ePCR. */
export function psesChoices(kind: string, state: string, may: (action: string) => boolean = () => true): PsesChoices | null {
  const choices = choicesByState(kind, state);
  if (!choices) return null;
  const out = {
    ...choices,
    promote: choices.promote && may("pses.promote"),
    dropOut: choices.dropOut && may("pses.drop_out"),
    unqueue: choices.unqueue && may("pses.unqueue"),
    send: choices.send && may("packet.exchange"),
  };
  if (choices.dropOut && !out.dropOut) {
    out.note = "Dropping a record out of the PSES is for a quality officer or an administrator.";
  }
  return out;
}

function choicesByState(kind: string, state: string): PsesChoices | null {
  if (kind === "epcr" || state === "original_record") return null;
  const base = { promote: false, dropOut: false, send: state !== "dropped_out", unqueue: false, note: null };
  switch (state) {
    case "in_pses":
      return { ...base, promote: true, dropOut: true };
    case "queued":
      return {
        ...base,
        unqueue: true,
        note: "Queued for the PSO: a queued record cannot drop out of the PSES. Take it back out of the queue first (under Submissions, with a reason; that is logged), then drop it out.",
      };
    case "amendment_queued":
      return {
        ...base,
        unqueue: true,
        note: "An amendment is queued for the PSO. The record was reported, so it can no longer drop out of the PSES.",
      };
    case "reported":
      return {
        ...base,
        promote: true,
        note: "Reported to the PSO: it can no longer drop out of the PSES. A change is promoted as an amendment.",
      };
    case "dropped_out":
      return {
        ...base,
        note: "Dropped out of the PSES: it can no longer be changed, promoted or sent. When, by whom and why are in its PSES history.",
      };
    default:
      return { ...base, send: false };
  }
}
