//! The schema, as numbered migrations. Each runs once, in order, all in one transaction;
//! `PRAGMA user_version` records the last one applied.

/// The migrations; the schema version is their count.
pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE users (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        created_by  TEXT,
        disabled_at TEXT,
        disabled_by TEXT
    ) STRICT;

    CREATE TABLE records (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        status      TEXT,
        pses_state  TEXT NOT NULL,
        title       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        current_rev INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX records_by_kind   ON records(kind, id);
    CREATE INDEX records_by_state  ON records(pses_state, id);
    CREATE INDEX records_by_status ON records(status, id);

    CREATE TABLE revisions (
        record_id TEXT NOT NULL REFERENCES records(id),
        rev       INTEGER NOT NULL,
        author    TEXT NOT NULL,
        at        TEXT NOT NULL,
        body      TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL,
        PRIMARY KEY (record_id, rev)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE pses_events (
        seq       INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL REFERENCES records(id),
        event     TEXT NOT NULL,
        at        TEXT NOT NULL,
        by_user   TEXT NOT NULL,
        detail    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pses_events_by_record ON pses_events(record_id, seq);

    CREATE TABLE attachments (
        id         TEXT PRIMARY KEY,
        record_id  TEXT NOT NULL REFERENCES records(id),
        name       TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size       INTEGER NOT NULL,
        sha256     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    ) STRICT;
    CREATE INDEX attachments_by_record ON attachments(record_id);

    CREATE TABLE attachment_chunks (
        attachment_id TEXT NOT NULL REFERENCES attachments(id),
        idx           INTEGER NOT NULL,
        data          BLOB NOT NULL,
        PRIMARY KEY (attachment_id, idx)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        target    TEXT,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

    CREATE VIRTUAL TABLE records_fts USING fts5(
        record_id UNINDEXED,
        text,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    "#,
    // 2: imported ePCRs: their identity for de-duplication, and the original XML.
    r#"
    CREATE TABLE epcr_refs (
        record_id    TEXT PRIMARY KEY REFERENCES records(id),
        report_uuid  TEXT UNIQUE,
        agency_pcr   TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        review_id    TEXT REFERENCES records(id)
    ) STRICT;

    CREATE TABLE epcr_sources (
        record_id TEXT NOT NULL REFERENCES records(id),
        rev       INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        xml       TEXT NOT NULL,
        PRIMARY KEY (record_id, rev)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 3: the outbox: frozen PSWP snapshots waiting for (or sent in) a PSO submission.
    r#"
    CREATE TABLE outbox (
        id            TEXT PRIMARY KEY,
        record_id     TEXT NOT NULL REFERENCES records(id),
        revision      INTEGER NOT NULL,
        profile       TEXT NOT NULL,
        snapshot      TEXT NOT NULL,
        snapshot_hash TEXT NOT NULL,
        amends        TEXT REFERENCES outbox(id),
        state         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX outbox_by_record ON outbox(record_id, created_at);
    CREATE INDEX outbox_by_state ON outbox(state, id);
    "#,
    // 4: submissions to the PSO: the manifest, the sealed items (so a resumed upload
    // sends the same bytes), the receipt.
    r#"
    ALTER TABLE outbox ADD COLUMN submission_id TEXT;
    CREATE TABLE submissions (
        id           TEXT PRIMARY KEY,
        state        TEXT NOT NULL,
        manifest     TEXT NOT NULL,
        receipt      TEXT,
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL,
        committed_at TEXT
    ) STRICT;
    CREATE TABLE submission_items (
        submission_id TEXT NOT NULL REFERENCES submissions(id),
        item_id       TEXT NOT NULL REFERENCES outbox(id),
        sealed        BLOB NOT NULL,
        PRIMARY KEY (submission_id, item_id)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 5: drafts: a form's unsaved input, per user, saved as the person types (the desktop
    // app), so that a lock or a crash loses nothing. Not a revision: saving the form makes
    // one and discards the draft.
    r#"
    CREATE TABLE drafts (
        user_id    TEXT NOT NULL REFERENCES users(id),
        key        TEXT NOT NULL,
        body       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 6: attachment blobs of a submission: the sealer's secret (inside the encrypted
    // vault), so a resumed upload re-seals the attachment's chunks into identical bytes
    // without a sealed copy of a large file.
    r#"
    CREATE TABLE submission_blobs (
        submission_id TEXT NOT NULL REFERENCES submissions(id),
        blob_id       TEXT NOT NULL,
        item_id       TEXT NOT NULL REFERENCES outbox(id),
        attachment_id TEXT NOT NULL REFERENCES attachments(id),
        secret        BLOB NOT NULL,
        PRIMARY KEY (submission_id, blob_id)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 7: large rows move to rowid tables. A WITHOUT ROWID table keeps rows in an index
    // b-tree, where every key comparison of a lookup reads the whole row, overflow pages
    // and all: fetching one 256 KiB attachment chunk read several. A rowid table looks
    // rows up through a small separate index and reads each payload once.
    r#"
    CREATE TABLE attachment_chunks_v7 (
        attachment_id TEXT NOT NULL REFERENCES attachments(id),
        idx           INTEGER NOT NULL,
        data          BLOB NOT NULL,
        PRIMARY KEY (attachment_id, idx)
    ) STRICT;
    INSERT INTO attachment_chunks_v7 (attachment_id, idx, data)
        SELECT attachment_id, idx, data FROM attachment_chunks ORDER BY attachment_id, idx;
    DROP TABLE attachment_chunks;
    ALTER TABLE attachment_chunks_v7 RENAME TO attachment_chunks;

    CREATE TABLE epcr_sources_v7 (
        record_id TEXT NOT NULL REFERENCES records(id),
        rev       INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        xml       TEXT NOT NULL,
        PRIMARY KEY (record_id, rev)
    ) STRICT;
    INSERT INTO epcr_sources_v7 (record_id, rev, file_name, xml)
        SELECT record_id, rev, file_name, xml FROM epcr_sources ORDER BY record_id, rev;
    DROP TABLE epcr_sources;
    ALTER TABLE epcr_sources_v7 RENAME TO epcr_sources;
    "#,
    // 8: contacts: the vaults this one exchanges case packets with, by their public device
    // identity (the device's own key pairs are a document inside the vault).
    r#"
    CREATE TABLE contacts (
        name         TEXT PRIMARY KEY,
        signing_key  TEXT NOT NULL UNIQUE,
        receive_key  TEXT NOT NULL,
        fingerprint  TEXT NOT NULL,
        added_at     TEXT NOT NULL,
        added_by     TEXT NOT NULL
    ) STRICT;
    "#,
    // 9: case packets: every packet sent or received (a replay is recognised and changes
    // nothing), where received records came from, and edits that arrived on an older
    // revision, kept beside the current one until a person resolves them.
    r#"
    CREATE TABLE packets (
        packet_id  TEXT PRIMARY KEY,
        direction  TEXT NOT NULL,
        peer       TEXT NOT NULL,
        at         TEXT NOT NULL,
        by_user    TEXT NOT NULL,
        records    INTEGER NOT NULL,
        sha256     TEXT NOT NULL
    ) STRICT;
    CREATE TABLE record_origins (
        record_id            TEXT PRIMARY KEY REFERENCES records(id),
        origin_contact       TEXT NOT NULL,
        origin_revision_hash TEXT NOT NULL,
        local_revision_hash  TEXT NOT NULL,
        packet_id            TEXT NOT NULL,
        received_at          TEXT NOT NULL
    ) STRICT;
    CREATE TABLE conflicts (
        id                    TEXT PRIMARY KEY,
        record_id             TEXT NOT NULL REFERENCES records(id),
        base_revision_hash    TEXT NOT NULL,
        current_revision_hash TEXT NOT NULL,
        author                TEXT NOT NULL,
        body                  TEXT NOT NULL,
        from_contact          TEXT NOT NULL,
        packet_id             TEXT NOT NULL,
        at                    TEXT NOT NULL,
        resolved_at           TEXT,
        resolved_by           TEXT,
        resolution            TEXT
    ) STRICT;
    CREATE INDEX conflicts_open ON conflicts(resolved_at, record_id);
    "#,
    // 10: the coded fields the dashboard counts (month of the call or event, event type,
    // harm, EMS categories) of every call review's and investigation's current revision,
    // kept with each revision written, so the trends need no pass over every body; and an
    // index that counts reviews by status without reading the records.
    r#"
    CREATE TABLE record_codes (
        record_id  TEXT PRIMARY KEY REFERENCES records(id),
        kind       TEXT NOT NULL,
        month      TEXT NOT NULL,
        event_type TEXT,
        harm       TEXT,
        categories TEXT
    ) STRICT;
    CREATE INDEX record_codes_month ON record_codes(month);
    -- Reviews by status, counted from the index alone.
    CREATE INDEX records_by_kind_status ON records(kind, status);
    INSERT INTO record_codes (record_id, kind, month, event_type, harm, categories)
        SELECT r.id, r.kind,
               substr(coalesce(json_extract(v.body, '$.call.call_date'),
                               json_extract(v.body, '$.event_date'), r.created_at), 1, 7),
               json_extract(v.body, '$.event_type'),
               json_extract(v.body, '$.harm.level'),
               json_extract(v.body, '$.ems_categories')
        FROM records r JOIN revisions v ON v.record_id = r.id AND v.rev = r.current_rev
        WHERE r.kind IN ('call_review', 'investigation');
    "#,
    // 11: the pseudonymous ids of nonidentifiable snapshots, one per record and PSO (the
    // PSO's pinned key, or '' when none was enrolled), so that an amendment carries the
    // id of the first report (see `pseudonyms.rs`).
    r#"
    CREATE TABLE pseudonyms (
        record_id TEXT NOT NULL REFERENCES records(id),
        pso       TEXT NOT NULL,
        item_id   TEXT NOT NULL UNIQUE,
        PRIMARY KEY (record_id, pso)
    ) STRICT;
    "#,
    // 12: the PSES policy's adopted versions, append-only: a court asks for the policy in
    // force when a record entered the PSES (see `policy.rs`).
    r#"
    CREATE TABLE pses_policy (
        version    INTEGER PRIMARY KEY,
        text       TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        adopted_at TEXT NOT NULL,
        adopted_by TEXT NOT NULL,
        template   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX pses_policy_by_date ON pses_policy(adopted_at, version);
    CREATE TRIGGER pses_policy_is_append_only_update BEFORE UPDATE ON pses_policy
        BEGIN SELECT RAISE(ABORT, 'PSES policy versions are append-only'); END;
    CREATE TRIGGER pses_policy_is_append_only_delete BEFORE DELETE ON pses_policy
        BEGIN SELECT RAISE(ABORT, 'PSES policy versions are append-only'); END;
    -- INSERT OR REPLACE deletes without firing a delete trigger: a version is only ever
    -- added after the last.
    CREATE TRIGGER pses_policy_is_append_only_insert BEFORE INSERT ON pses_policy
        WHEN NEW.version <= (SELECT coalesce(max(version), 0) FROM pses_policy)
        BEGIN SELECT RAISE(ABORT, 'PSES policy versions are append-only'); END;
    "#,
    // 13: the disclosure log: every disclosure in one append-only list (see
    // `disclosures.rs`), filled from what earlier versions recorded elsewhere: packets sent,
    // submissions the PSO acknowledged, attachments written out, backups.
    r#"
    CREATE TABLE disclosures (
        seq          INTEGER PRIMARY KEY,
        disclosed_at TEXT NOT NULL,
        recorded_at  TEXT NOT NULL,
        recorded_by  TEXT NOT NULL,
        channel      TEXT NOT NULL,
        recipient    TEXT NOT NULL,
        permission   TEXT NOT NULL,
        reference    TEXT,
        note         TEXT,
        all_records  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX disclosures_by_date ON disclosures(disclosed_at, seq);
    CREATE TABLE disclosure_records (
        disclosure_seq INTEGER NOT NULL REFERENCES disclosures(seq),
        record_id      TEXT NOT NULL REFERENCES records(id),
        PRIMARY KEY (disclosure_seq, record_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX disclosure_records_by_record ON disclosure_records(record_id, disclosure_seq);

    INSERT INTO disclosures (disclosed_at, recorded_at, recorded_by, channel, recipient,
                             permission, reference, note, all_records)
    SELECT at, at, by_user, channel, recipient, permission, reference, note, all_records FROM (
        SELECT p.at, p.by_user, 'packet' AS channel, p.peer AS recipient,
               'within_pses' AS permission, p.packet_id AS reference,
               (SELECT json_extract(e.detail, '$.purpose') FROM pses_events e
                 WHERE e.event = 'disclosed_in_pses'
                   AND json_extract(e.detail, '$.packet_id') = p.packet_id LIMIT 1) AS note,
               0 AS all_records
          FROM packets p WHERE p.direction = 'out'
        UNION ALL
        SELECT s.committed_at, s.created_by, 'pso_submission',
               coalesce((SELECT json_extract(a.detail, '$.recipient') FROM audit a
                          WHERE a.action = 'pso.reported' AND a.target = s.id LIMIT 1), 'the PSO'),
               'pso', s.id, NULL, 0
          FROM submissions s WHERE s.state = 'committed'
        UNION ALL
        SELECT a.at, a.actor, 'attachment_export', 'a file written out of the vault',
               'within_pses', json_extract(a.detail, '$.attachment'), NULL, 0
          FROM audit a WHERE a.action = 'attachment.export'
        UNION ALL
        SELECT a.at, a.actor, 'backup', 'an encrypted backup file', 'within_pses', NULL, NULL, 1
          FROM audit a WHERE a.action = 'vault.backup'
    ) ORDER BY at;

    INSERT OR IGNORE INTO disclosure_records (disclosure_seq, record_id)
    SELECT d.seq, e.record_id FROM disclosures d
      JOIN pses_events e ON e.event = 'disclosed_in_pses'
                        AND json_extract(e.detail, '$.packet_id') = d.reference
     WHERE d.channel = 'packet'
    UNION ALL
    SELECT d.seq, o.record_id FROM disclosures d
      JOIN outbox o ON o.submission_id = d.reference
     WHERE d.channel = 'pso_submission'
    UNION ALL
    SELECT d.seq, t.record_id FROM disclosures d
      JOIN attachments t ON t.id = d.reference
     WHERE d.channel = 'attachment_export';

    CREATE TRIGGER disclosures_are_append_only_update BEFORE UPDATE ON disclosures
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosures_are_append_only_delete BEFORE DELETE ON disclosures
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_records_are_append_only_update BEFORE UPDATE ON disclosure_records
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_records_are_append_only_delete BEFORE DELETE ON disclosure_records
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    -- INSERT OR REPLACE deletes without firing a delete trigger: a disclosure is only ever
    -- added after the last, and its records only while it is the last.
    CREATE TRIGGER disclosures_are_append_only_insert BEFORE INSERT ON disclosures
        WHEN NEW.seq IS NULL OR NEW.seq <= (SELECT coalesce(max(seq), 0) FROM disclosures)
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_records_are_append_only_insert BEFORE INSERT ON disclosure_records
        WHEN NEW.disclosure_seq < (SELECT max(seq) FROM disclosures)
          OR EXISTS (SELECT 1 FROM disclosure_records
                     WHERE disclosure_seq = NEW.disclosure_seq AND record_id = NEW.record_id)
        BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    "#,
];
