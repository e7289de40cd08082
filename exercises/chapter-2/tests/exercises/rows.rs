//! The clauses of `update_rows` (every sentence of its doc comment), each
//! with the tests that fail without it:
//!
//! - "Calls `update(row, cells_of_that_row)` once for every row of a grid
//!   that is stored row by row in `cells`, `width` cells to a row.":
//!   every_row_is_updated_once_in_place, every_split_of_small_grids
//! - "The rows are split, in order, into `bands` bands of consecutive rows
//!   whose sizes differ by at most one (or one band per row, if there are
//!   fewer rows than `bands`).": each_band_is_updated_by_a_thread_of_its_own,
//!   every_split_of_small_grids
//! - "Each band is updated by a scoped thread of its own, all of them at the
//!   same time, and each thread gets its own `&mut` part of `cells`: nothing
//!   is shared and nothing is locked. `row` is the row's index in the whole
//!   grid.": each_band_is_updated_by_a_thread_of_its_own,
//!   the_bands_are_updated_at_the_same_time, every_row_is_updated_once_in_place
//! - "No threads are started for an empty grid.": an_empty_grid_calls_nothing
//! - "Panics: If `width` or `bands` is zero, or `cells.len()` is not a
//!   multiple of `width`.": a_bad_shape_is_refused
//!
//! (A thread that is started but never calls `update` cannot be seen by a
//! test; `an_empty_grid_calls_nothing` checks what can be: no call, no
//! panic.)

use crate::chapter_2::rows::update_rows;
use crate::common::{Arrival, Meeting, Round, describe, more_than_cores};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use test_support::{watchdog, watchdog_diagnosed};

const SECTION: &str = "book: 2.7.3 Rows in place";
const STUCK: &str = "a band's thread that never finishes, or a scope that never ends. \
                     Spawn one scoped thread per band inside thread::scope, and let the \
                     scope join them (book: 2.5 Splitting work in a scope).";

/// A grid whose cells hold their own position, 0, 1, 2, ... row by row.
fn numbered(rows: usize, width: usize) -> Vec<usize> {
    (0..rows * width).collect()
}

/// One call of `update`: the row it was given, the cells it was given (as
/// they were before the update), where those cells are in the grid (in
/// cells from its start), and the thread that called it.
#[derive(Clone, Debug)]
struct Call {
    row: usize,
    cells: Vec<usize>,
    at: Option<usize>,
    thread: ThreadId,
}

/// Runs `update_rows` on a numbered grid, with an `update` that records
/// its calls and adds 1000 to every cell it is given.
fn run(rows: usize, width: usize, bands: usize) -> (Vec<usize>, Vec<Call>) {
    let mut cells = numbered(rows, width);
    let start = cells.as_ptr() as usize;
    let end = start + cells.len() * size_of::<usize>();
    let calls = Mutex::new(Vec::new());
    update_rows(&mut cells, width, bands, |row, cells_of_row| {
        let address = cells_of_row.as_ptr() as usize;
        let at = (start..end)
            .contains(&address)
            .then(|| (address - start) / size_of::<usize>());
        calls.lock().unwrap().push(Call {
            row,
            cells: cells_of_row.to_vec(),
            at,
            thread: thread::current().id(),
        });
        for cell in cells_of_row {
            *cell += 1000;
        }
    });
    (cells, calls.into_inner().unwrap())
}

/// Checks one call of `update_rows` against everything its doc comment
/// says; returns the first problem found, in words.
fn check_split(rows: usize, width: usize, bands: usize) -> Result<(), String> {
    let caller = thread::current().id();
    let case = format!("update_rows of {rows} rows of width {width}, bands = {bands}");
    let (cells, calls) = run(rows, width, bands);
    if let Some(call) = calls.iter().find(|c| c.thread == caller) {
        return Err(format!(
            "{case}: row {} was updated on the calling thread. Spawn a scoped thread for \
             every band, the first and the only one too \
             (book: 2.5 Splitting work in a scope)",
            call.row
        ));
    }
    let mut times = vec![0; rows];
    for call in &calls {
        let expected: Vec<usize> = (call.row * width..(call.row + 1) * width).collect();
        if call.row >= rows {
            return Err(format!(
                "{case}: update was called for row {}, but there are only rows 0..{rows} \
                 ({SECTION})",
                call.row
            ));
        }
        if call.cells != expected {
            let actual = call.cells.first().map_or(0, |first| first / width);
            return Err(format!(
                "{case}: update was called with row {} and the cells {:?}, which are row \
                 {actual}'s. `row` is the row's index in the whole grid, not within its \
                 band: count the rows handed out before each band ({SECTION})",
                call.row, call.cells
            ));
        }
        if call.at != Some(call.row * width) {
            return Err(format!(
                "{case}: row {} was given a copy of its cells, not its own part of the \
                 caller's grid: give each thread its `&mut` part of `cells` with \
                 split_at_mut ({SECTION})",
                call.row
            ));
        }
        times[call.row] += 1;
    }
    let twice: Vec<usize> = (0..rows).filter(|&r| times[r] > 1).collect();
    let never: Vec<usize> = (0..rows).filter(|&r| times[r] == 0).collect();
    if !twice.is_empty() || !never.is_empty() {
        return Err(format!(
            "{case}: every row must be updated exactly once; rows {twice:?} were updated \
             more than once, and rows {never:?} never ({SECTION})"
        ));
    }
    let expected: Vec<usize> = (1000..1000 + rows * width).collect();
    if cells != expected {
        return Err(format!(
            "{case}: every cell must be updated in place, once: the grid is {cells:?} \
             afterwards ({SECTION})"
        ));
    }
    // The bands: the rows each thread updated, in order.
    let mut by_thread: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for call in &calls {
        by_thread
            .entry(format!("{:?}", call.thread))
            .or_default()
            .push(call.row);
    }
    let mut found: Vec<Vec<usize>> = by_thread.into_values().collect();
    for band in &mut found {
        band.sort();
    }
    found.sort();
    if let Some(band) = found
        .iter()
        .find(|band| band.windows(2).any(|w| w[1] != w[0] + 1))
    {
        return Err(format!(
            "{case}: one thread updated rows {band:?}: a band is a run of consecutive \
             rows, and each band has a thread of its own ({SECTION})"
        ));
    }
    let expected_bands = bands.min(rows);
    let sizes: Vec<usize> = found.iter().map(Vec::len).collect();
    let (smallest, largest) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    let shown: Vec<String> = found
        .iter()
        .map(|band| format!("{}..={}", band[0], band[band.len() - 1]))
        .collect();
    let what = if found.len() > expected_bands {
        format!(
            "more bands than asked for: {} threads updated a band each",
            found.len()
        )
    } else if largest > smallest + 1 {
        format!("band sizes of {sizes:?} rows, which differ by more than one")
    } else if found.len() < expected_bands {
        let cores = thread::available_parallelism().map_or(1, |c| c.get());
        format!(
            "fewer bands than there must be: only {} threads updated a band each{}",
            found.len(),
            if found.len() == cores {
                format!(
                    " ({cores} is the number of cores here: do not cap the bands at \
                     available_parallelism(); `bands` is the caller's choice)"
                )
            } else {
                String::new()
            }
        )
    } else {
        return Ok(());
    };
    Err(format!(
        "{case}: {what} (rows {}). There must be bands.min(rows) = {expected_bands} bands, \
         one thread per band, with band sizes that differ by at most one: with r rows in \
         b bands, every band gets r / b rows, and the first r % b bands one more \
         ({SECTION})",
        shown.join(", ")
    ))
}

#[test]
fn every_row_is_updated_once_in_place() {
    watchdog(STUCK, || {
        for (rows, width, bands) in [(7, 3, 3), (1, 4, 1), (5, 1, 2)] {
            if let Err(problem) = check_split(rows, width, bands) {
                panic!("{problem}");
            }
        }
    });
}

#[test]
fn each_band_is_updated_by_a_thread_of_its_own() {
    watchdog(STUCK, || {
        for (rows, bands) in [(7, 3), (8, 3), (4, 3), (2, 5), (4, 1), (12, 5)] {
            if let Err(problem) = check_split(rows, 2, bands) {
                panic!("{problem}");
            }
        }
    });
}

#[test]
fn every_split_of_small_grids() {
    watchdog(STUCK, || {
        // (An empty grid: see an_empty_grid_calls_nothing.)
        for rows in 1..=9 {
            for bands in 1..=10 {
                for width in [1, 3] {
                    if let Err(problem) = check_split(rows, width, bands) {
                        panic!("{problem}");
                    }
                }
            }
        }
    });
}

/// What `the_bands_are_updated_at_the_same_time` shares with its watchdog.
static ROUND: Round = Round::new();

fn diagnose_round() -> String {
    let Some((meeting, arrivals, caller)) = ROUND.seen() else {
        return STUCK.to_owned();
    };
    let n = meeting.expected();
    let k = arrivals.len();
    if arrivals.iter().any(|a| Some(a.id) == caller) {
        return format!(
            "a band was updated on the calling thread (with {n} bands), where its first \
                 call to `update` waits for every band's thread to start. Spawn a scoped \
                 thread for every band; the caller only waits for them \
                 (book: 2.5 Splitting work in a scope)."
        );
    }
    let cores = thread::available_parallelism().map_or(1, |c| c.get());
    let names: Vec<String> = arrivals.iter().map(Arrival::shown).collect();
    let why = if k <= 1 {
        "So the bands are updated one after another: you join each band's thread (or \
             end a scope) right after spawning it, or update every band on one thread, or \
             the threads take turns with a lock held while they update."
            .to_owned()
    } else if k == cores {
        format!(
            "{k} is the number of cores here: you cap the threads at \
                 available_parallelism(), but every band needs a scoped thread of its own."
        )
    } else {
        format!(
            "So you start {k} threads at a time, or make fewer bands than asked \
                 (each_band_is_updated_by_a_thread_of_its_own checks the split, and fails \
                 too if so)."
        )
    };
    format!(
        "the bands were not updated at the same time. With {n} bands, the first call \
             to `update` on each thread waits until every band's thread has made its \
             first call, and only {k} had ({}). {why} Spawn all the threads first, then \
             let the scope join them (book: 2.5 Splitting work in a scope).",
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    )
}

#[test]
fn the_bands_are_updated_at_the_same_time() {
    watchdog_diagnosed(diagnose_round, || {
        let round = &ROUND;
        round.set_caller(thread::current().id());
        for bands in [3, 2, 5, more_than_cores(9)] {
            // Two or three rows per band, so that each thread calls
            // `update` more than once; only its first call waits.
            let rows = 2 * bands + 1;
            let meeting = Arc::new(Meeting::new(bands));
            round.set_meeting(Arc::clone(&meeting));
            let mut cells = numbered(rows, 2);
            update_rows(&mut cells, 2, bands, |_, cells_of_row| {
                meeting.arrive();
                cells_of_row.reverse();
            });
            let expected: Vec<usize> = (0..rows).flat_map(|r| [2 * r + 1, 2 * r]).collect();
            assert_eq!(cells, expected, "{SECTION}");
        }
    });
}

#[test]
fn an_empty_grid_calls_nothing() {
    watchdog(STUCK, || {
        for (width, bands) in [(4, 2), (1, 1), (3, 7)] {
            let mut empty: Vec<usize> = Vec::new();
            let called = AtomicUsize::new(0);
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                update_rows(&mut empty, width, bands, |_, _| {
                    called.fetch_add(1, Ordering::SeqCst);
                })
            }));
            if let Err(payload) = outcome {
                panic!(
                    "update_rows of an empty grid (width {width}, bands = {bands}) panicked, \
                     with {}: an empty grid has no rows, so no band and no thread. Return \
                     before you split it (with bands.min(rows) = 0 bands, rows / bands \
                     divides by zero) ({SECTION})",
                    describe(&*payload)
                );
            }
            assert_eq!(
                called.into_inner(),
                0,
                "an empty grid has no rows, but `update` was called ({SECTION})"
            );
        }
    });
}

#[test]
fn a_bad_shape_is_refused() {
    watchdog(STUCK, || {
        // An update_rows that works, first: a todo!() panics for any grid.
        if let Err(problem) = check_split(3, 2, 2) {
            panic!("{problem}");
        }
        let cases: [(usize, usize, usize, &str); 7] = [
            (
                7,
                3,
                2,
                "7 cells do not make rows of 3: update_rows must panic rather than leave \
                 the last cell out",
            ),
            (
                2,
                3,
                1,
                "2 cells do not make a row of 3: update_rows must panic rather than leave \
                 the last cell out",
            ),
            (
                6,
                3,
                0,
                "zero bands cannot update anything: update_rows must panic",
            ),
            (
                6,
                0,
                2,
                "rows of zero cells make no sense: update_rows must panic",
            ),
            (
                0,
                3,
                0,
                "zero bands: update_rows must panic, even for an empty grid. Check first, \
                 before any shortcut for an empty grid",
            ),
            (
                0,
                0,
                2,
                "a width of zero: update_rows must panic, even for an empty grid. Check \
                 first, before any shortcut for an empty grid",
            ),
            (
                5,
                2,
                3,
                "5 cells do not make rows of 2: update_rows must panic rather than leave \
                 the last cell out",
            ),
        ];
        for (len, width, bands, why) in cases {
            let mut cells: Vec<usize> = (0..len).collect();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                update_rows(&mut cells, width, bands, |_, _| {});
            }));
            assert!(
                outcome.is_err(),
                "update_rows of {len} cells with width {width} and {bands} bands returned: \
                 {why}, as its doc comment says under # Panics ({SECTION})"
            );
        }
    });
}
