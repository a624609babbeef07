//! `Register.iter_assets()` and `iter_records()`: a listing read page by page, so that a
//! script walks a million assets without holding them all.
//!
//! Each page is one read of the register (`Register::assets_page`, in id order), taken
//! when the previous one is used up; the register is not held between pages, so the
//! loop's body may change assets (each asset is still seen once: pages follow ids).

use std::collections::VecDeque;

use pyo3::prelude::*;

use crate::asset::Asset;
use crate::errors::{IntoPyResult, invalid};
use crate::records::{Cache, asset_record};

/// Reads one page: up to `limit` assets the filter selects after an id (the register's
/// `assets_page`, with the GIL released). A function, so that this module does not
/// name the `Register` that makes iterators.
pub(crate) type ReadPage = Box<
    dyn Fn(
            Python<'_>,
            &daicho::Filter,
            Option<daicho::AssetId>,
            usize,
        ) -> PyResult<Vec<daicho::Asset>>
        + Send
        + Sync,
>;

/// The assets (or records) a filter selects, a page at a time.
#[pyclass(module = "daicho", name = "AssetIterator")]
pub(crate) struct AssetIterator {
    read_page: ReadPage,
    filter: daicho::Filter,
    after: Option<daicho::AssetId>,
    batch_size: usize,
    page: VecDeque<daicho::Asset>,
    done: bool,
    pub(crate) records: bool,
}

impl AssetIterator {
    pub(crate) fn new(
        py: Python<'_>,
        read_page: ReadPage,
        filter: daicho::Filter,
        batch_size: usize,
        records: bool,
    ) -> PyResult<Self> {
        if batch_size == 0 {
            return Err(invalid(
                "batch_size",
                "0",
                "1 ページには少なくとも 1 件の資産が入ります",
                "a page holds at least one asset",
            ))
            .py_err(py);
        }
        Ok(AssetIterator {
            read_page,
            filter,
            after: None,
            batch_size,
            page: VecDeque::new(),
            done: false,
            records,
        })
    }
}

#[pymethods]
impl AssetIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        if self.page.is_empty() && !self.done {
            let page = (self.read_page)(py, &self.filter, self.after, self.batch_size)?;
            self.done = page.len() < self.batch_size;
            self.after = page.last().map(|asset| asset.id).or(self.after);
            self.page = page.into();
        }
        let Some(asset) = self.page.pop_front() else {
            return Ok(None);
        };
        Ok(Some(if self.records {
            asset_record(py, &asset, &mut Cache::default())?
                .into_any()
                .unbind()
        } else {
            Bound::new(py, Asset { inner: asset })?.into_any().unbind()
        }))
    }
}
