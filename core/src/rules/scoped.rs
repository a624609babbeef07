//! One part of the register's self-inspection: the findings, exclusions and
//! counts that concern the assets a filter selects (one section's, with
//! `--department`). The check itself runs over the whole register, since a
//! level is inherited across sections' assets.

use std::collections::HashSet;

use crate::error::Result;
use crate::model::Scope;
use crate::query::{Disposed, Filter};
use crate::register::Register;
use crate::rules::check::Report;
use crate::rules::findings::CheckOptions;

impl Register {
    /// Runs the self-inspection and keeps what concerns the assets `filter`
    /// selects (disposed ones included, whatever the filter says): the
    /// findings naming any of them, those of them excluded from the policy,
    /// and their counts and links.
    pub fn check_where(&self, options: &CheckOptions, filter: &Filter) -> Result<Report> {
        let all = Filter {
            disposed: Disposed::Include,
            ..filter.clone()
        };
        let mut selected = HashSet::new();
        let (mut checked, mut disposed) = (0, 0);
        self.for_each_asset(&all, |asset| {
            if asset.is_disposed() {
                disposed += 1;
            } else if asset.fields.scope == Scope::InScope {
                checked += 1;
            }
            selected.insert(asset.id);
            Ok(())
        })?;
        let mut report = self.check(options)?;
        report
            .findings
            .retain(|f| f.assets.iter().any(|a| selected.contains(&a.id)));
        report.excluded.retain(|e| selected.contains(&e.asset.id));
        report.checked = checked;
        report.disposed = disposed;
        report.links = self
            .links()?
            .iter()
            .filter(|l| selected.contains(&l.from) || selected.contains(&l.to))
            .count();
        Ok(report)
    }
}
