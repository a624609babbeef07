//! The results of CSV import: the report and the row issues (errors and warnings).

use pyo3::prelude::*;

use crate::errors::RowIssue;

/// What `Register.import_csv` did, or in a dry run would do.
#[pyclass(frozen, module = "daicho", name = "ImportReport")]
#[derive(Debug)]
pub(crate) struct ImportReport {
    pub(crate) inner: daicho::sheet::ImportReport,
}

#[pymethods]
impl ImportReport {
    /// True when nothing was written because of `dry_run=True`.
    #[getter]
    fn dry_run(&self) -> bool {
        self.inner.dry_run
    }

    /// The encoding of the asset sheet, as detected or given (`utf-8-sig`, `cp932`, ...).
    #[getter]
    fn encoding(&self) -> Option<&'static str> {
        self.inner.encoding.map(daicho::sheet::Encoding::label)
    }

    /// Asset rows that created a new asset.
    #[getter(new)]
    fn created(&self) -> u64 {
        self.inner.assets.created
    }

    /// Asset rows that changed an existing asset.
    #[getter]
    fn updated(&self) -> u64 {
        self.inner.assets.updated
    }

    /// Asset rows that matched their asset already.
    #[getter]
    fn unchanged(&self) -> u64 {
        self.inner.assets.unchanged
    }

    /// Link rows that created a new link.
    #[getter]
    fn links_new(&self) -> u64 {
        self.inner.links.created
    }

    /// Link rows that changed an existing link.
    #[getter]
    fn links_updated(&self) -> u64 {
        self.inner.links.updated
    }

    /// Link rows that matched their link already.
    #[getter]
    fn links_unchanged(&self) -> u64 {
        self.inner.links.unchanged
    }

    /// The columns kept as the assets' extra attributes, as their headers are written.
    #[getter]
    fn extra_columns(&self) -> Vec<String> {
        self.inner.extra_columns.clone()
    }

    /// Cells that were read but deserve a look, such as 平成32年 (the first 1000).
    #[getter]
    fn warnings(&self) -> Vec<RowIssue> {
        self.inner.warnings.iter().map(RowIssue::from).collect()
    }

    /// How many warnings there were in all.
    #[getter]
    fn warning_count(&self) -> u64 {
        self.inner.warning_count
    }

    /// The id the import is recorded under (`Register.undo_import` takes it); None for a
    /// dry run.
    #[getter]
    fn import_id(&self) -> Option<u64> {
        self.inner.import_id
    }

    fn __repr__(&self) -> String {
        format!(
            "ImportReport(new={}, updated={}, unchanged={}, links_new={}, warnings={}{})",
            self.inner.assets.created,
            self.inner.assets.updated,
            self.inner.assets.unchanged,
            self.inner.links.created,
            self.inner.warning_count,
            if self.inner.dry_run {
                ", dry_run=True"
            } else {
                ""
            },
        )
    }
}

/// What `Register.undo_import` reverted.
#[pyclass(frozen, module = "daicho", name = "UndoReport")]
#[derive(Debug)]
pub(crate) struct UndoReport {
    pub(crate) inner: daicho::Undo,
}

#[pymethods]
impl UndoReport {
    /// The id of the import undone.
    #[getter]
    fn import_id(&self) -> u64 {
        self.inner.import.id
    }

    /// The file or files it imported.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.import.source
    }

    /// Assets it created, now deleted.
    #[getter]
    fn deleted(&self) -> u64 {
        self.inner.deleted
    }

    /// Assets it changed, now as they were before it.
    #[getter]
    fn restored(&self) -> u64 {
        self.inner.restored
    }

    /// Links it added, now removed.
    #[getter]
    fn links_removed(&self) -> u64 {
        self.inner.links_removed
    }

    /// Links it changed, now as they were before it.
    #[getter]
    fn links_restored(&self) -> u64 {
        self.inner.links_restored
    }

    fn __repr__(&self) -> String {
        format!(
            "UndoReport(import_id={}, deleted={}, restored={}, links_removed={}, links_restored={})",
            self.inner.import.id,
            self.inner.deleted,
            self.inner.restored,
            self.inner.links_removed,
            self.inner.links_restored,
        )
    }
}
