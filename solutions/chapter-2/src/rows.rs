//! Rows in place (book: 2.7.3).
// ANSWER

use std::thread;
// END ANSWER

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
    // ANSWER: todo!(
    // ANSWER:     "update_rows: split the grid into bands, one scoped thread each (book: 2.5 Splitting work in a scope)"
    // ANSWER: )
    assert!(width > 0, "update_rows: a row needs at least one cell");
    assert!(bands > 0, "update_rows: at least one band is needed");
    assert!(
        cells.len().is_multiple_of(width),
        "update_rows: {} cells do not make rows of {width}",
        cells.len()
    );
    let rows = cells.len() / width;
    let bands = bands.min(rows);
    if bands == 0 {
        return;
    }
    let (base, extra) = (rows / bands, rows % bands);

    let update = &update;
    thread::scope(|s| {
        let mut rest = cells;
        let mut first_row = 0;
        for band_index in 0..bands {
            let band_rows = base + usize::from(band_index < extra);
            let (band, tail) = rest.split_at_mut(band_rows * width);
            rest = tail;
            s.spawn(move || {
                for (i, row) in band.chunks_mut(width).enumerate() {
                    update(first_row + i, row);
                }
            });
            first_row += band_rows;
        }
    });
    // END ANSWER
}
