//! The board's one timer queue: deadlines grouped by millisecond in an ordered map, with
//! lazy deletion.
//!
//! Timers that fall due in the same millisecond share one bucket, so under load (thousands
//! of timers a second, which is when speed matters) a timer costs a queue push and pop in a
//! bucket that is already in cache, and the O(log n) map operation is paid once per distinct
//! millisecond. A sparse board degrades to one bucket per timer: O(log n), like a heap.
//! Within a millisecond timers come out in the order they were set.
//!
//! Replacing a deadline does not search for the old entry; it adds a new one, and an entry
//! that no longer matches its escalation's current deadline and generation is dropped when
//! it comes out. The queue is compacted when dropped entries could outnumber live ones, so
//! memory stays proportional to the board.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

/// A deadline in the queue: when (epoch milliseconds, the crate's time resolution), which
/// slot, and the generation it was set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Entry {
    pub(super) at_ms: i64,
    pub(super) slot: u32,
    pub(super) generation: u32,
}

#[derive(Debug, Clone, Copy)]
struct Timer {
    slot: u32,
    generation: u32,
}

#[derive(Debug, Default)]
pub(super) struct TimerQueue {
    buckets: BTreeMap<i64, VecDeque<Timer>>,
    // Emptied buckets keep their allocation for the next millisecond that needs one.
    spare: Vec<VecDeque<Timer>>,
    len: usize,
}

/// How many emptied buckets to keep for reuse.
const SPARE: usize = 256;

impl TimerQueue {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The earliest entry (the first set among those in the earliest millisecond).
    pub(super) fn peek(&self) -> Option<Entry> {
        let (&at_ms, bucket) = self.buckets.first_key_value()?;
        let timer = bucket.front()?;
        Some(Entry {
            at_ms,
            slot: timer.slot,
            generation: timer.generation,
        })
    }

    pub(super) fn push(&mut self, entry: Entry) {
        let spare = &mut self.spare;
        self.buckets
            .entry(entry.at_ms)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push_back(Timer {
                slot: entry.slot,
                generation: entry.generation,
            });
        self.len += 1;
    }

    pub(super) fn pop(&mut self) -> Option<Entry> {
        let mut first = self.buckets.first_entry()?;
        let at_ms = *first.key();
        let timer = first.get_mut().pop_front();
        if first.get().is_empty() {
            let bucket = first.remove();
            if self.spare.len() < SPARE {
                self.spare.push(bucket);
            }
        }
        let timer = timer?;
        self.len -= 1;
        Some(Entry {
            at_ms,
            slot: timer.slot,
            generation: timer.generation,
        })
    }

    /// Moves up to `max` of the earliest millisecond's entries to `out`, in order, if that
    /// millisecond is at or before `now_ms`; whether it moved any.
    pub(super) fn pop_due(&mut self, now_ms: i64, out: &mut Vec<Entry>, max: usize) -> bool {
        let Some(mut first) = self.buckets.first_entry() else {
            return false;
        };
        let at_ms = *first.key();
        if at_ms > now_ms {
            return false;
        }
        let bucket = first.get_mut();
        let take = bucket.len().min(max);
        out.extend(bucket.drain(..take).map(|t| Entry {
            at_ms,
            slot: t.slot,
            generation: t.generation,
        }));
        if first.get().is_empty() {
            let bucket = first.remove();
            if self.spare.len() < SPARE {
                self.spare.push(bucket);
            }
        }
        self.len -= take;
        take > 0
    }

    /// Drops every entry `live` rejects once dropped entries could outnumber live ones
    /// (`open` bounds the live ones: each escalation has at most one current deadline).
    pub(super) fn compact(&mut self, open: usize, mut live: impl FnMut(&Entry) -> bool) {
        if self.len <= 2 * open + 1024 {
            return;
        }
        let mut len = 0;
        self.buckets.retain(|&at_ms, bucket| {
            bucket.retain(|t| {
                live(&Entry {
                    at_ms,
                    slot: t.slot,
                    generation: t.generation,
                })
            });
            bucket.shrink_to_fit();
            len += bucket.len();
            !bucket.is_empty()
        });
        self.len = len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_millisecond_then_in_the_order_set() {
        let mut queue = TimerQueue::default();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut pushed = Vec::new();
        for slot in 0..2_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let entry = Entry {
                at_ms: (x % 500) as i64,
                slot,
                generation: 0,
            };
            pushed.push(entry);
            queue.push(entry);
            if slot % 3 == 0 {
                let popped = queue.pop().unwrap();
                // Earliest millisecond; within it, the first set (lowest slot here).
                let least = *pushed.iter().min().unwrap();
                assert_eq!(popped, least);
                pushed.retain(|e| *e != least);
            }
        }
        assert_eq!(queue.len(), pushed.len());
        queue.compact(0, |e| e.slot % 2 == 0);
        pushed.retain(|e| e.slot % 2 == 0);
        pushed.sort();
        let drained: Vec<_> = core::iter::from_fn(|| queue.pop()).collect();
        assert_eq!(drained, pushed);
        assert_eq!(queue.len(), 0);
    }
}
