//! The register's stored policy, replaced by `policy set`.

use super::sql::params;

use super::{Db, failed};
use crate::error::Result;
use crate::policy::{Axis, Policy};

impl Db {
    /// Stores `policy` as the register's, and gives every asset's levels the
    /// ranks they have in it (a level's code stays; its rank may move).
    pub(crate) fn replace_policy(&self, policy: &Policy) -> Result<()> {
        for (key, value) in [
            ("policy_name", policy.name()),
            ("policy_toml", policy.to_toml()),
            ("policy_sha256", policy.sha256()),
        ] {
            self.conn
                .execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                     ON CONFLICT (key) DO UPDATE SET value = ?2",
                    params![key, value],
                )
                .map_err(failed("storing the policy"))?;
        }
        for axis in Axis::ALL {
            // Constant statements, one per axis: column names are not bound.
            let sql = match axis {
                Axis::Confidentiality => {
                    "UPDATE assets SET confidentiality_rank = ?1 \
                     WHERE confidentiality = ?2 AND confidentiality_rank <> ?1"
                }
                Axis::Integrity => {
                    "UPDATE assets SET integrity_rank = ?1 \
                     WHERE integrity = ?2 AND integrity_rank <> ?1"
                }
                Axis::Availability => {
                    "UPDATE assets SET availability_rank = ?1 \
                     WHERE availability = ?2 AND availability_rank <> ?1"
                }
            };
            for def in &policy.scale(axis).levels {
                self.conn
                    .execute(sql, params![def.level.rank(), def.level.code()])
                    .map_err(failed("storing the policy"))?;
            }
        }
        Ok(())
    }
}
