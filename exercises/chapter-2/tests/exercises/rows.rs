use crate::chapter_2::rows::update_rows;
use crate::common::Meeting;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 2.7.3 Rows in place";
const STUCK: &str = "a band's thread that never finishes, or a scope that never ends. \
                     Spawn one scoped thread per band inside thread::scope, and let the \
                     scope join them (book: 2.5 Splitting work in a scope).";

/// A grid whose cells hold their own position, 0, 1, 2, ... row by row.
fn numbered(rows: usize, width: usize) -> Vec<usize> {
    (0..rows * width).collect()
}

/// For every row `update` was called with: the cells it was given (as they
/// were before the update) and the thread that called it.
type Calls = Mutex<BTreeMap<usize, Vec<(Vec<usize>, ThreadId)>>>;

fn record(calls: &Calls, row: usize, cells: &[usize]) {
    let me = thread::current().id();
    calls
        .lock()
        .unwrap()
        .entry(row)
        .or_default()
        .push((cells.to_vec(), me));
}

#[test]
fn every_row_is_updated_once_in_place() {
    watchdog(STUCK, || {
        let (rows, width) = (7, 3);
        let mut cells = numbered(rows, width);
        let calls = Calls::default();
        update_rows(&mut cells, width, 3, |row, cells_of_row| {
            record(&calls, row, cells_of_row);
            for cell in cells_of_row {
                *cell += 1000;
            }
        });
        let calls = calls.into_inner().unwrap();
        for row in 0..rows {
            let given: Vec<&Vec<usize>> = calls
                .get(&row)
                .map(|c| c.iter().map(|(cells, _)| cells).collect())
                .unwrap_or_default();
            let expected: Vec<usize> = (row * width..(row + 1) * width).collect();
            assert_eq!(
                given,
                [&expected],
                "row {row} must be updated exactly once, with its own {width} cells \
                 and its index in the whole grid ({SECTION})"
            );
        }
        assert_eq!(
            calls.len(),
            rows,
            "there are only rows 0..{rows} ({SECTION})"
        );
        let expected: Vec<usize> = (1000..1000 + rows * width).collect();
        assert_eq!(
            cells, expected,
            "every cell must be updated in place, once ({SECTION})"
        );
    });
}

#[test]
fn each_band_is_updated_by_a_thread_of_its_own() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        for (rows, bands, sizes) in [(7, 3, vec![2, 2, 3]), (2, 5, vec![1, 1]), (4, 1, vec![4])] {
            let width = 2;
            let mut cells = numbered(rows, width);
            let calls = Calls::default();
            update_rows(&mut cells, width, bands, |row, cells_of_row| {
                record(&calls, row, cells_of_row);
            });
            let mut by_thread = BTreeMap::<String, Vec<usize>>::new();
            for (row, seen) in calls.into_inner().unwrap() {
                for (_, thread) in seen {
                    assert_ne!(
                        thread, caller,
                        "a row was updated on the calling thread: spawn a scoped \
                         thread for every band (book: 2.5 Splitting work in a scope)"
                    );
                    by_thread
                        .entry(format!("{thread:?}"))
                        .or_default()
                        .push(row);
                }
            }
            for band in by_thread.values() {
                assert!(
                    band.windows(2).all(|w| w[1] == w[0] + 1),
                    "one thread updated rows {band:?}: a band is a run of consecutive \
                     rows ({SECTION})"
                );
            }
            let mut got: Vec<usize> = by_thread.values().map(Vec::len).collect();
            got.sort();
            assert_eq!(
                got, sizes,
                "{rows} rows in {bands} bands: one thread per band, with band sizes \
                 that differ by at most one, and never more bands than rows ({SECTION})"
            );
        }
    });
}

#[test]
fn the_bands_are_updated_at_the_same_time() {
    watchdog(
        "the bands were not updated at the same time. Here the first call to \
         `update` on each thread waits until every band's thread has started; if \
         you join each scoped thread right after spawning it, or update every band \
         on one thread, it waits forever. Spawn all the threads first, then let \
         the scope join them (book: 2.5 Splitting work in a scope).",
        || {
            let mut cells = numbered(6, 2);
            let meeting = Meeting::new(3);
            update_rows(&mut cells, 2, 3, |_, cells_of_row| {
                meeting.arrive();
                cells_of_row.reverse();
            });
            assert_eq!(cells, [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10], "{SECTION}");
        },
    );
}

#[test]
fn an_empty_grid_is_fine_and_a_ragged_one_panics() {
    watchdog(STUCK, || {
        let mut empty: Vec<usize> = Vec::new();
        update_rows(&mut empty, 4, 2, |row, _| {
            panic!("an empty grid has no rows, but update was called for row {row}")
        });

        let mut ragged = numbered(2, 3);
        ragged.push(6); // 7 cells do not make rows of 3
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            update_rows(&mut ragged, 3, 2, |_, _| {});
        }));
        assert!(
            outcome.is_err(),
            "7 cells do not make rows of 3: update_rows must panic rather than \
             leave the last cell out ({SECTION})"
        );

        let mut cells = numbered(2, 3);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            update_rows(&mut cells, 3, 0, |_, _| {});
        }));
        assert!(
            outcome.is_err(),
            "zero bands cannot update anything: update_rows must panic ({SECTION})"
        );
    });
}
