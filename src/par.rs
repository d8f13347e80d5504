//! Work spread over every core: parsing files, decoding cache entries,
//! rendering the elements of a long JSON list. Scoped threads, no pool:
//! okr runs for milliseconds, and each use is one batch.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    /// Whether this thread is already one of several working side by side.
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as one of several working side by side: a [`map`] it
/// calls runs on it alone. The cores are busy already, and 100 includes
/// loaded four at a time each spreading their files over new threads made
/// 300 threads for two cores.
pub fn serial_here() {
    IN_WORKER.set(true);
}

/// `f` over `items` on every core when there are enough of them, results
/// in input order. A panicking worker's items are redone on this thread,
/// so that its panic is ours.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = if IN_WORKER.get() {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(items.len())
    };
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    serial_here();
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return done;
                        };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut all: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    if all.len() != items.len() {
        return items.iter().map(&f).collect();
    }
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(
            map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_worker_maps_on_its_own_thread() {
        let items: Vec<u32> = (0..64).collect();
        let in_worker = std::thread::spawn(move || {
            serial_here();
            let me = std::thread::current().id();
            map(&items, |_| std::thread::current().id() == me)
        })
        .join()
        .unwrap();
        assert!(in_worker.iter().all(|&here| here));
        // The work of a map is itself spread only when not in a worker.
        let items: Vec<u32> = (0..64).collect();
        let nested = map(&items, |_| map(&[1, 2], |_| std::thread::current().id()));
        assert!(nested.iter().all(|ids| ids[0] == ids[1]));
    }
}
