//! Link rows: the SQL of `links`.

use super::sql::{OptionalExtension, params};

use super::{Db, failed};
use crate::error::{Error, Result};
use crate::model::{AssetId, Link, Relation, Sanitization};

const SELECT_LINKS: &str = "SELECT from_id, relation, to_id, sanitization FROM links";

impl Db {
    /// A link's sanitization: `None` when there is no such link, `Some(None)`
    /// when it has none.
    #[expect(
        clippy::option_option,
        reason = "the link's absence and its lack of a sanitization differ"
    )]
    pub(crate) fn link_sanitization(
        &self,
        from: AssetId,
        relation: Relation,
        to: AssetId,
    ) -> Result<Option<Option<String>>> {
        self.conn
            .query_row(
                "SELECT sanitization FROM links WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                params![from, relation.code(), to],
                |row| row.get(0),
            )
            .optional()
            .map_err(failed("reading a link"))
    }

    /// Inserts a link; returns false when it exists already.
    pub(crate) fn insert_link(&self, link: &Link, created_at: &str) -> Result<bool> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO links (from_id, relation, to_id, sanitization, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    link.from,
                    link.relation.code(),
                    link.to,
                    link.sanitization.map(Sanitization::code),
                    created_at
                ])
            })
            .map_err(failed("adding a link"))?;
        Ok(inserted == 1)
    }

    /// Sets an existing link's sanitization.
    pub(crate) fn update_link(&self, link: &Link) -> Result<()> {
        self.conn
            .execute(
                "UPDATE links SET sanitization = ?4 WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                params![
                    link.from,
                    link.relation.code(),
                    link.to,
                    link.sanitization.map(Sanitization::code)
                ],
            )
            .map_err(failed("changing a link"))?;
        Ok(())
    }

    /// Deletes a link.
    pub(crate) fn delete_link(&self, from: AssetId, relation: Relation, to: AssetId) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM links WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                params![from, relation.code(), to],
            )
            .map_err(failed("removing a link"))?;
        Ok(())
    }

    /// Every link, or the links from or to one asset, ordered by source,
    /// relation and target.
    pub(crate) fn links(&self, of: Option<AssetId>) -> Result<Vec<Link>> {
        let sql = match of {
            None => format!("{SELECT_LINKS} ORDER BY from_id, relation, to_id"),
            Some(_) => format!(
                "{SELECT_LINKS} WHERE from_id = ?1 UNION {SELECT_LINKS} WHERE to_id = ?1 \
                 ORDER BY 1, 2, 3"
            ),
        };
        let failed = || failed("reading links");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(failed())?;
        let mut rows = match &of {
            None => stmt.query([]),
            Some(id) => stmt.query([id]),
        }
        .map_err(failed())?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(failed())? {
            let from: AssetId = row.get(0).map_err(failed())?;
            let relation: String = row.get(1).map_err(failed())?;
            let to: AssetId = row.get(2).map_err(failed())?;
            let sanitization: Option<String> = row.get(3).map_err(failed())?;
            let corrupt = |what: &str, value: &str| Error::Corrupt {
                what: format!("a link from `{from}` has {what} `{value}`"),
            };
            links.push(Link {
                from,
                relation: Relation::parse(&relation).map_err(|_| corrupt("relation", &relation))?,
                to,
                sanitization: sanitization
                    .map(|s| Sanitization::parse(&s).map_err(|_| corrupt("sanitization", &s)))
                    .transpose()?,
            });
        }
        Ok(links)
    }

    /// How many links there are.
    pub(crate) fn count_links(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM links", [], |row| row.get::<i64>(0))
            .map(|n| n as u64)
            .map_err(failed("counting links"))
    }
}
