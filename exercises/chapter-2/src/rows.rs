//! Rows in place (book: 2.7.3).

/// Calls `update(row, cells_of_that_row)` once for every row of a grid that
/// is stored row by row in `cells`, `width` cells to a row.
///
/// The rows are split, in order, into `bands` bands of consecutive rows
/// whose sizes differ by at most one (or one band per row, if there are
/// fewer rows than `bands`). Each band is updated by a scoped thread of its
/// own, all of them at the same time, and each thread gets its own `&mut`
/// part of `cells`: nothing is shared and nothing is locked. `row` is the
/// row's index in the whole grid. No threads are started for an empty grid.
///
/// # Panics
///
/// If `width` or `bands` is zero, or `cells.len()` is not a multiple of
/// `width`.
pub fn update_rows<T, F>(cells: &mut [T], width: usize, bands: usize, update: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync,
{
    todo!(
        "update_rows: split the grid into bands, one scoped thread each (book: 2.5 Splitting work in a scope)"
    )
}
