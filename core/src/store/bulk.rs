//! The fast path of a first import into an empty register: into a file, a
//! rollback journal instead of WAL, secondary indexes dropped and rebuilt
//! after, and a writer that binds prepared rows without looking statements
//! up; on PostgreSQL, the rows go in through `COPY`.

use super::sql::Statement;

use super::assets::ASSET_VALUES;
use super::audit::{ENTRY_VALUES, insert_entry_values};
use super::{Db, Row, failed};
use crate::error::Result;

/// Writes rows of new assets, each with its audit entry: the asset's
/// [`asset_values`](super::asset_values), then its entry's
/// [`entry_values`](super::entry_values). [`BulkWriter::finish`] writes the
/// last ones.
#[derive(Debug)]
pub(crate) struct BulkWriter<'db> {
    insert_asset: Statement<'db>,
    insert_entry: Statement<'db>,
    #[cfg(feature = "postgres")]
    copy: Option<copy::Copies<'db>>,
}

impl BulkWriter<'_> {
    /// The number of values of a row.
    pub(crate) const ROW_VALUES: usize = ASSET_VALUES + ENTRY_VALUES;

    /// Inserts one row and its entry (on PostgreSQL, perhaps later: by
    /// [`BulkWriter::finish`] at the latest).
    pub(crate) fn write(&mut self, row: Row<'_>) -> Result<()> {
        let asset = row.array::<ASSET_VALUES>(0);
        let entry = row.array::<ENTRY_VALUES>(ASSET_VALUES);
        #[cfg(feature = "postgres")]
        if let Some(copy) = &mut self.copy {
            return copy.write(&asset, &entry);
        }
        super::assets::bind(&mut self.insert_asset, &asset)
            .and_then(|()| self.insert_asset.raw_execute())
            .map_err(|source| super::assets::insert_failed(&id_of(&asset))(source))?;
        insert_entry_values(&mut self.insert_entry, &entry)
    }

    /// Writes the rows still held.
    #[cfg_attr(
        not(feature = "postgres"),
        expect(
            clippy::unused_self,
            clippy::unnecessary_wraps,
            reason = "only PostgreSQL's rows wait"
        )
    )]
    pub(crate) fn finish(self) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let Some(mut copy) = self.copy {
            return copy.send();
        }
        Ok(())
    }
}

/// The id of an asset's row, as text; empty if it is not one.
fn id_of(asset: &[super::Value<'_>]) -> String {
    match asset.first() {
        Some(super::Value::Blob(bytes)) => crate::model::AssetId::from_bytes(bytes)
            .map(|id| id.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Rows through `COPY … FROM STDIN (FORMAT binary)`, a server round trip per
/// megabyte instead of per row.
///
/// One connection has one `COPY` open at a time, and the entries must
/// follow their assets (in `rowid` order, and for the server's checks), so
/// the rows of each table are encoded into a bounded buffer, and when one
/// fills, the assets' are sent in one `COPY`, then the entries'. Memory
/// stays flat however long the sheet, without a temporary file; a failure
/// aborts the import's transaction, which then leaves nothing.
#[cfg(feature = "postgres")]
mod copy {
    use super::super::Value;
    use super::super::sql::SqlError;
    use super::super::sql::pg::{CopyIn, PgConn};
    use super::{Statement, failed, id_of};
    use crate::error::Result;

    pub(super) struct Copies<'db> {
        conn: &'db PgConn,
        assets: CopyIn,
        entries: CopyIn,
    }

    impl std::fmt::Debug for Copies<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Copies")
                .field("assets", &self.assets)
                .field("entries", &self.entries)
                .finish_non_exhaustive()
        }
    }

    impl<'db> Copies<'db> {
        /// The `COPY`s of the two inserts, on PostgreSQL.
        pub(super) fn new(
            conn: Option<&'db PgConn>,
            insert_asset: &Statement<'_>,
            insert_entry: &Statement<'_>,
        ) -> Option<Copies<'db>> {
            match (conn, insert_asset, insert_entry) {
                (Some(conn), Statement::Postgres(asset), Statement::Postgres(entry)) => {
                    Some(Copies {
                        conn,
                        assets: asset.copy_in()?,
                        entries: entry.copy_in()?,
                    })
                }
                _ => None,
            }
        }

        pub(super) fn write(&mut self, asset: &[Value<'_>], entry: &[Value<'_>]) -> Result<()> {
            self.assets
                .push(asset)
                .map_err(|source| asset_failed(asset, source))?;
            self.entries
                .push(entry)
                .map_err(failed("writing the audit log"))?;
            if self.assets.is_full() || self.entries.is_full() {
                self.send()?;
            }
            Ok(())
        }

        /// Sends the assets held, then their entries.
        pub(super) fn send(&mut self) -> Result<()> {
            self.conn.copy_in(&mut self.assets).map_err(|source| {
                let id = taken_id(&source).unwrap_or_default();
                super::super::assets::insert_failed(&id)(source)
            })?;
            self.conn
                .copy_in(&mut self.entries)
                .map_err(failed("writing the audit log"))
        }
    }

    fn asset_failed(asset: &[Value<'_>], source: SqlError) -> crate::error::Error {
        super::super::assets::insert_failed(&id_of(asset))(source)
    }

    /// The id a unique violation of `COPY assets` names: the server says
    /// which row it was only in the error's detail, `Key (id)=(\x…)`.
    fn taken_id(error: &SqlError) -> Option<String> {
        let SqlError::Postgres(e) = error else {
            return None;
        };
        let detail = e.as_db_error()?.detail()?;
        let hex = detail.strip_prefix("Key (id)=(\\x")?.split(')').next()?;
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        crate::model::AssetId::from_bytes(&bytes?).map(|id| id.to_string())
    }
}

impl Db {
    /// A writer of new assets' rows, its statements prepared once.
    pub(crate) fn bulk_writer(&self) -> Result<BulkWriter<'_>> {
        let insert_asset = self.prepare_insert_asset()?;
        let insert_entry = self.prepare_insert_entry()?;
        Ok(BulkWriter {
            #[cfg(feature = "postgres")]
            copy: copy::Copies::new(self.conn.postgres(), &insert_asset, &insert_entry),
            insert_asset,
            insert_entry,
        })
    }

    /// Before a bulk import into an empty register file: switches from WAL to
    /// a rollback journal with full syncs, if no other connection is open.
    ///
    /// In WAL mode every page is written twice (to the log, then by the
    /// checkpoint into the file). With a rollback journal, pages added past
    /// the end of the file are written once and need no journal, and a crash
    /// or an error still rolls the whole import back. Returns false, changing
    /// nothing, when the switch is not possible.
    pub(crate) fn enter_bulk_mode(&self) -> bool {
        let Some(conn) = self.conn.sqlite() else {
            return false;
        };
        let mode: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0));
        match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
                if conn.pragma_update(None, "synchronous", "FULL").is_ok() {
                    true
                } else {
                    self.leave_bulk_mode();
                    false
                }
            }
            _ => false,
        }
    }

    /// Returns to WAL after a bulk import. A failure leaves the file in
    /// rollback mode, which is sound; the next open switches it back to WAL.
    pub(crate) fn leave_bulk_mode(&self) {
        let Some(conn) = self.conn.sqlite() else {
            return;
        };
        let _ = conn.pragma_update(None, "synchronous", "NORMAL");
        let _: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0));
    }

    /// Drops the secondary indexes of `assets` (not the id's), returning the
    /// SQL to make them again ([`Db::recreate_indexes`]). Filling an empty
    /// table and then indexing it is much faster than keeping the indexes up
    /// to date row by row.
    ///
    /// The audit log's index on `asset_id` stays: new ids grow, so keeping it
    /// up to date appends to it, which costs less than reading the whole log
    /// again to rebuild it (measured).
    ///
    /// On PostgreSQL the indexes stay: only the tables' owner may drop them,
    /// and the writer role is not (docs/postgres-roles.sql).
    pub(crate) fn drop_secondary_indexes(&self) -> Result<Vec<String>> {
        if self.conn.sqlite().is_none() {
            return Ok(Vec::new());
        }
        let failed = || failed("preparing a bulk import");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema \
                 WHERE type = 'index' AND tbl_name = 'assets' AND sql IS NOT NULL",
            )
            .map_err(failed())?;
        let indexes: Vec<(String, String)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(failed())?;
        for (name, _) in &indexes {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            self.conn
                .execute(&format!("DROP INDEX {quoted}"), [])
                .map_err(failed())?;
        }
        Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
    }

    /// Makes again the indexes [`Db::drop_secondary_indexes`] dropped.
    ///
    /// SQLite sorts the entries on this thread alone: its helper threads
    /// (`PRAGMA threads = 2`, used until issue 17's second pass) cost 6–10 %
    /// more CPU over the whole import at 100,000–200,000 rows on two cores,
    /// for no shorter wall time (BENCHMARKS.md, issue 17, item 2).
    pub(crate) fn recreate_indexes(&self, indexes: &[String]) -> Result<()> {
        indexes.iter().try_for_each(|sql| {
            self.conn
                .execute(sql, [])
                .map(drop)
                .map_err(failed("rebuilding the indexes after an import"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::model::{Asset, AssetFields, AssetId, AssetName, Classification, Kind};
    use crate::policy::Policy;
    use crate::store::audit::EntryRow;
    use crate::store::{Batch, asset_values, entry_values};

    fn asset(policy: &Policy, id: AssetId, name: &str) -> Asset {
        let mut fields = AssetFields::new(
            Kind::NetworkSystem,
            AssetName::new(name).unwrap(),
            policy.organization("水道局").unwrap().code.clone(),
            Classification::parse(policy, "3C", "2", "2").unwrap(),
        );
        fields.department = "料金課".to_owned();
        fields.notes = Some("備考\n二行目".to_owned());
        fields.record_count = Some(12_345);
        fields.extra.insert("系統", "A");
        let at = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        Asset {
            id,
            fields,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    /// Writes `assets` through a bulk writer in one transaction, each with
    /// an entry numbered after the log's head.
    fn write_all(db: &mut Db, assets: &[Asset]) -> Result<()> {
        db.write(|db| {
            let first = db.audit_head()?.map_or(1, |(seq, _)| seq + 1);
            let at = "2023-11-14T22:13:20Z";
            let mut batch = Batch::default();
            for (n, asset) in (first..).zip(assets) {
                asset_values(asset, at, at, |value| batch.push(value));
                batch.extend(entry_values(&EntryRow {
                    seq: n,
                    at,
                    actor: "tester",
                    action: "create",
                    asset_id: Some(&asset.id),
                    related_id: None,
                    before: None,
                    after: Some("{}"),
                    hash: &[7; 32],
                    format: 1,
                    payload_digest: None,
                }));
            }
            let mut writer = db.bulk_writer()?;
            #[cfg(feature = "postgres")]
            assert_eq!(writer.copy.is_some(), crate::test_backend::on_postgres());
            for row in batch.rows(BulkWriter::ROW_VALUES) {
                writer.write(row)?;
            }
            writer.finish()
        })
    }

    #[test]
    fn written_rows_read_back_as_they_were() -> Result<()> {
        let policy = Policy::niigata();
        let mut register = crate::test_backend::register(&policy)?;
        let head = register.db().audit_head()?;
        let assets: Vec<Asset> = (0..3)
            .map(|n| asset(&policy, AssetId::generate(), &format!("台帳{n}")))
            .collect();
        write_all(register.db_mut(), &assets)?;
        let db = register.db();
        assert_eq!(db.count_assets()?, 3);
        for original in &assets {
            let stored = db.asset(&policy, original.id)?.unwrap();
            assert_eq!(stored.fields, original.fields);
            assert_eq!(db.entries_about(original.id)?.len(), 1);
        }
        let (seq, _) = db.audit_head()?.unwrap();
        assert_eq!(seq, head.map_or(0, |(seq, _)| seq) + 3);
        Ok(())
    }

    /// On PostgreSQL the duplicate is found by the server when the `COPY`
    /// ends, not at its row: the error must still be the id's, and the
    /// rows before it must go with the transaction.
    #[test]
    fn a_taken_id_fails_the_whole_write_with_the_ids_error() -> Result<()> {
        let policy = Policy::niigata();
        let mut register = crate::test_backend::register(&policy)?;
        let head = register.db().audit_head()?;
        let taken = AssetId::generate();
        let assets = [
            asset(&policy, taken, "一"),
            asset(&policy, AssetId::generate(), "二"),
            asset(&policy, taken, "三"),
            asset(&policy, AssetId::generate(), "四"),
        ];
        let err = write_all(register.db_mut(), &assets).unwrap_err();
        match err {
            Error::Invalid { field, value, .. } => {
                assert_eq!((field, value), ("id", taken.to_string()));
            }
            other => panic!("{other:?}"),
        }
        let db = register.db();
        assert_eq!(db.count_assets()?, 0);
        assert_eq!(
            db.audit_head()?.map(|(seq, _)| seq),
            head.map(|(seq, _)| seq)
        );
        Ok(())
    }
}
