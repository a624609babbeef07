//! One part of the register's self-inspection: the findings, exclusions and
//! counts that concern the assets a filter selects (one section's, with
//! `--department`). The check itself runs over the whole register, since a
//! level is inherited across sections' assets.

use std::collections::HashSet;

use crate::error::Result;
use crate::model::{AssetId, Scope};
use crate::query::{Disposed, Filter};
use crate::register::Register;
use crate::rules::check::{Report, StreamedReport};
use crate::rules::findings::CheckOptions;

/// The assets a filter selects (disposed ones included, whatever the
/// filter says), with the counts a scoped report gives for them.
struct Selection {
    ids: HashSet<AssetId>,
    checked: usize,
    disposed: usize,
    links: usize,
}

impl Register {
    fn selection(&self, filter: &Filter) -> Result<Selection> {
        let all = Filter {
            disposed: Disposed::Include,
            ..filter.clone()
        };
        let mut ids = HashSet::new();
        let (mut checked, mut disposed) = (0, 0);
        self.for_each_asset(&all, |asset| {
            if asset.is_disposed() {
                disposed += 1;
            } else if asset.fields.scope == Scope::InScope {
                checked += 1;
            }
            ids.insert(asset.id);
            Ok(())
        })?;
        let links = self
            .links()?
            .iter()
            .filter(|l| ids.contains(&l.from) || ids.contains(&l.to))
            .count();
        Ok(Selection {
            ids,
            checked,
            disposed,
            links,
        })
    }

    /// Runs the self-inspection and keeps what concerns the assets `filter`
    /// selects (disposed ones included, whatever the filter says): the
    /// findings naming any of them, those of them excluded from the policy,
    /// and their counts and links.
    pub fn check_where(&self, options: &CheckOptions, filter: &Filter) -> Result<Report> {
        let selection = self.selection(filter)?;
        let mut report = self.check(options)?;
        let selected = &selection.ids;
        report
            .findings
            .retain(|f| f.assets.iter().any(|a| selected.contains(&a.id)));
        report.excluded.retain(|e| selected.contains(&e.asset.id));
        report.checked = selection.checked;
        report.disposed = selection.disposed;
        report.links = selection.links;
        Ok(report)
    }

    /// The self-inspection of [`Register::check`] (or, given a filter, of
    /// [`Register::check_where`]) with its findings kept on disk in report
    /// order instead of in memory (temporary files, owner-only, removed when
    /// the report is dropped): for a large register, whose findings may
    /// outnumber its assets.
    pub fn check_streamed(
        &self,
        options: &CheckOptions,
        filter: Option<&Filter>,
    ) -> Result<StreamedReport> {
        self.check_streamed_with(options, filter, crate::rules::check::SPILL_BYTES)
    }

    /// [`Register::check_streamed`] spilling past `limit` bytes per part.
    pub(crate) fn check_streamed_with(
        &self,
        options: &CheckOptions,
        filter: Option<&Filter>,
        limit: usize,
    ) -> Result<StreamedReport> {
        let (snapshot, head) = self.db().read(|_| Ok((self.snapshot()?, self.head()?)))?;
        let Some(filter) = filter else {
            let mut report = crate::rules::check::stream(snapshot, options, None, limit)?;
            report.head = Some(head);
            return Ok(report);
        };
        let Selection {
            ids,
            checked,
            disposed,
            links,
        } = self.selection(filter)?;
        let keep: HashSet<u32> = ids.iter().filter_map(|&id| snapshot.index(id)).collect();
        drop(ids);
        let mut report = crate::rules::check::stream(snapshot, options, Some(&keep), limit)?;
        report.head = Some(head);
        report.checked = checked;
        report.disposed = disposed;
        report.links = links;
        Ok(report)
    }
}
