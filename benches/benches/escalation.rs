//! escalation-core: 1,000,000 open escalations driven through their chains by the board,
//! against a bare `std` binary-heap timer queue doing the same timer pops and pushes (no state,
//! no events, no lookups) in the same run.
//!
//! Each iteration opens `ESCALATION_BENCH_N` escalations (default 1,000,000; untimed setup)
//! for distinct patients at random times with random risks, then times the server loop: ask
//! `next_deadline`, `advance_into` it, until nothing is scheduled and every chain has ended
//! `unanswered`. Two loads:
//!
//! - dense: the demo set (30/20/15 s steps), alerts over one minute, so many timers share a
//!   millisecond, as they do whenever timer events/s are high;
//! - sparse: the production set (5-15 min steps, repeats), alerts over one hour, so nearly
//!   every timer has a millisecond to itself: the board's worst case.
//!
//! Throughput is timer events; each yields one `step_notified` or `unanswered` event. Before
//! the runs it prints the resident memory per open escalation (RSS growth while the board
//! fills, divided by N: the workspace forbids `unsafe`, so a counting global allocator is not
//! an option) and events per second of CPU time (the machine may be shared).

use std::{cmp::Reverse, collections::BinaryHeap, hint::black_box, time::Duration};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use escalation_core::{Board, Clock, ManualClock, PatientId, PolicySet};
use news2_core::ClinicalRisk;

/// xorshift64*: deterministic, so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

struct Alert {
    patient: PatientId,
    risk: ClinicalRisk,
    /// Gap after the previous alert, in thousandths of the mean gap.
    gap: u64,
}

/// How a run opens its escalations.
#[derive(Clone, Copy)]
struct Load {
    name: &'static str,
    policies: fn() -> PolicySet,
    /// Time over which the alerts arrive, in microseconds.
    spread_us: u64,
}

const DENSE: Load = Load {
    name: "dense_demo_set_over_1_min",
    policies: PolicySet::demo,
    spread_us: 60_000_000,
};

const SPARSE: Load = Load {
    name: "sparse_production_set_over_1_h",
    policies: PolicySet::production,
    spread_us: 3_600_000_000,
};

fn n() -> usize {
    std::env::var("ESCALATION_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn alerts(n: usize) -> Vec<Alert> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let risks = [
        ClinicalRisk::LowMedium,
        ClinicalRisk::Medium,
        ClinicalRisk::High,
    ];
    (0..n)
        .map(|i| Alert {
            // Distinct patients in a scattered order (odd multiplier: a bijection on u64).
            patient: PatientId::new((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            risk: risks[(rng.next() % 3) as usize],
            gap: rng.next() % 2000,
        })
        .collect()
}

/// Each alert's arrival, in nanoseconds after the start.
fn arrivals(alerts: &[Alert], load: Load) -> impl Iterator<Item = (&Alert, u64)> {
    let n = alerts.len() as u64;
    let mut at_ns = 0;
    alerts.iter().map(move |a| {
        at_ns += a.gap * load.spread_us / n;
        (a, at_ns)
    })
}

/// Each step's timeout in milliseconds, over all repeats, for the chain `risk` runs on: the
/// timers an unanswered escalation fires, in order.
fn timeouts_ms(policies: &PolicySet, risk: ClinicalRisk) -> Vec<i64> {
    let chain = policies.for_risk(risk).expect("the set covers the risk");
    let once = chain.steps().iter().map(|s| s.timeout().as_millis() as i64);
    once.cycle()
        .take(chain.steps().len() * chain.repeats() as usize)
        .collect()
}

fn start() -> ManualClock {
    ManualClock::new("2025-01-01T08:00:00Z".parse().expect("valid time"))
}

/// A board with every alert open.
fn open_all(alerts: &[Alert], load: Load, capacity: usize) -> (Board, ManualClock) {
    let clock = start();
    let t0 = clock.now();
    let mut board = Board::with_capacity((load.policies)(), capacity);
    for (alert, at_ns) in arrivals(alerts, load) {
        clock.set(t0 + Duration::from_nanos(at_ns));
        board
            .alert(alert.patient, alert.risk, clock.now())
            .expect("the set covers the risk");
    }
    (board, clock)
}

/// The server loop: sleep until the next deadline, advance to it, repeat.
fn drive(board: &mut Board, clock: &ManualClock) -> usize {
    let mut events = Vec::with_capacity(1024);
    let mut fired = 0;
    while let Some(deadline) = board.next_deadline() {
        clock.set(deadline.at);
        fired += board.advance_into(clock.now(), &mut events);
        black_box(&events);
        events.clear();
    }
    fired
}

/// The bare heap's input: per escalation, its opening millisecond and its chain's timeouts.
struct Timers {
    opened_ms: Vec<(i64, u8)>,
    chains: [Vec<i64>; 4],
    total: u64,
}

fn timers(alerts: &[Alert], load: Load) -> Timers {
    let policies = (load.policies)();
    let chains = ClinicalRisk::ALL.map(|r| match policies.for_risk(r) {
        Some(_) => timeouts_ms(&policies, r),
        None => Vec::new(),
    });
    let opened_ms: Vec<_> = arrivals(alerts, load)
        .map(|(a, at_ns)| ((at_ns / 1_000_000) as i64, a.risk.code()))
        .collect();
    let total = opened_ms
        .iter()
        .map(|&(_, r)| chains[r as usize].len() as u64)
        .sum();
    Timers {
        opened_ms,
        chains,
        total,
    }
}

/// The same timers on a bare binary heap of (deadline, escalation, step).
fn bare_heap(timers: &Timers) -> usize {
    let chain = |i: u32| &timers.chains[timers.opened_ms[i as usize].1 as usize];
    let mut heap: BinaryHeap<Reverse<(i64, u32, u16)>> = timers
        .opened_ms
        .iter()
        .enumerate()
        .map(|(i, &(at, _))| Reverse((at + chain(i as u32)[0], i as u32, 0)))
        .collect();
    let mut fired = 0;
    while let Some(Reverse((at, i, step))) = heap.pop() {
        fired += 1;
        if let Some(timeout) = chain(i).get(usize::from(step) + 1) {
            heap.push(Reverse((at + timeout, i, step + 1)));
        }
        black_box(at);
    }
    fired
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Resident memory per open escalation while `fill` opens them.
fn bytes_per_escalation(n: usize, fill: impl FnOnce() -> Board) -> Option<u64> {
    let before = resident_bytes()?;
    let board = fill();
    let after = resident_bytes()?;
    assert_eq!(board.len(), n);
    Some(after.saturating_sub(before) / n as u64)
}

/// Nanoseconds this thread has run on a CPU (Linux schedstat), so a figure taken on a shared
/// machine is not inflated by time spent waiting for a core.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn per_cpu_second(expected: u64, run: impl FnOnce() -> usize) -> Option<String> {
    let start = on_cpu_ns()?;
    let fired = run() as u64;
    let spent = on_cpu_ns()?.saturating_sub(start).max(1);
    assert_eq!(fired, expected);
    Some(format!("{:.2} M/s", fired as f64 / spent as f64 * 1e3))
}

fn chains(c: &mut Criterion) {
    let n = n();
    let alerts = alerts(n);
    // Memory first, in a fresh process, so memory freed by earlier runs does not hide growth.
    for (load, capacity) in [(DENSE, n), (DENSE, 0), (SPARSE, n)] {
        let bytes = bytes_per_escalation(n, || open_all(&alerts, load, capacity).0);
        let how = if capacity == 0 {
            "grown from empty"
        } else {
            "with_capacity(n)"
        };
        println!(
            "escalation/memory/{}: {n} open, board {how}: {bytes:?} bytes per open escalation (RSS growth)",
            load.name
        );
    }

    for load in [DENSE, SPARSE] {
        let timers = timers(&alerts, load);
        let heap = per_cpu_second(timers.total, || bare_heap(&timers));
        let (mut board, clock) = open_all(&alerts, load, n);
        let drove = per_cpu_second(timers.total, || drive(&mut board, &clock));
        println!(
            "escalation/on-cpu/{}: {} timer events; per CPU second: board {drove:?}, baseline bare binary heap {heap:?}",
            load.name, timers.total
        );

        let mut group = c.benchmark_group(format!("escalation_chains/{}", load.name));
        group.throughput(Throughput::Elements(timers.total));
        group.sample_size(10);
        group.bench_function(format!("baseline_bare_binary_heap/{n}"), |b| {
            b.iter(|| assert_eq!(bare_heap(black_box(&timers)) as u64, timers.total))
        });
        group.bench_function(format!("board_advance_to_next_deadline/{n}"), |b| {
            b.iter_batched(
                || open_all(&alerts, load, n),
                |(mut board, clock)| {
                    assert_eq!(drive(&mut board, &clock) as u64, timers.total);
                    board
                },
                BatchSize::PerIteration,
            )
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    targets = chains
}
criterion_main!(benches);
