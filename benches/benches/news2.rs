//! NEWS2 scoring, classification and CPF parsing, each against a baseline in the same run.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use news2_benches::{Columns, RawData, ScoreOutput, random_cpfs, random_vitals};
use news2_core::batch::{score_columns, score_raw_columns};
use news2_core::{Cpf, Profile, VitalSigns};

const ROWS: usize = 1 << 20;

fn single(c: &mut Criterion) {
    // Each iteration scores the next slice of the input, row by row through the scalar
    // API, so the harness's per-iteration cost is spread over many rows. The input fits
    // the L2 cache, as an observation just received does: streaming rows from main memory
    // would measure memory bandwidth (the batch benchmark's business), not the call. 16k
    // random rows are still far too many for a branch predictor to learn.
    const SINGLE_ROWS: usize = 1 << 14;
    const SLICE: usize = 4096;
    let rows = random_vitals(SINGLE_ROWS, 1);
    let mut g = c.benchmark_group("single_score");
    g.throughput(Throughput::Elements(SLICE as u64));
    let mut start = 0;
    let mut next_slice = move || {
        start = (start + SLICE) & (SINGLE_ROWS - 1);
        start..start + SLICE
    };
    // Baseline: the loop and the load of each row, without scoring it.
    g.bench_function("baseline_load_row", |b| {
        b.iter(|| {
            for v in &black_box(&rows)[next_slice()] {
                black_box(*v);
            }
        })
    });
    g.bench_function("score", |b| {
        b.iter(|| {
            for v in &black_box(&rows)[next_slice()] {
                black_box(v.score());
            }
        })
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let rows = random_vitals(ROWS, 2);
    let cols = Columns::from_rows(&rows);
    let mut total = vec![0u8; ROWS];
    let mut risk = vec![0u8; ROWS];
    let bytes = vec![7u8; ROWS * Columns::ROW_BYTES];
    let mut sink = vec![0u8; bytes.len()];
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(20);
    // Lower bound: copying the same number of input bytes.
    g.bench_function(BenchmarkId::new("baseline_memcpy_input", ROWS), |b| {
        b.iter(|| sink.copy_from_slice(black_box(&bytes)))
    });
    g.bench_function(BenchmarkId::new("score_columns", ROWS), |b| {
        b.iter(|| score_columns(black_box(&cols.view()), &mut total, &mut risk).expect("lengths"))
    });
    // The checked path the bindings use: floats with NaN for missing, each row validated,
    // on mostly valid rows with a few missing, invalid and non-integer values.
    let raw = RawData::random(ROWS, 2);
    let mut out = ScoreOutput::new(ROWS);
    g.bench_function(BenchmarkId::new("score_raw_columns", ROWS), |b| {
        b.iter(|| score_raw_columns(black_box(&raw.view()), &mut out.columns()).expect("lengths"))
    });
    g.finish();
}

fn classification(c: &mut Criterion) {
    let rows = random_vitals(ROWS, 3);
    let signs: Vec<VitalSigns> = rows
        .iter()
        .map(|v| VitalSigns {
            respiration_rate: Some(v.respiration_rate),
            spo2: Some(v.spo2),
            systolic_bp: Some(v.systolic_bp),
            diastolic_bp: None,
            pulse: Some(v.pulse),
            temperature: Some(v.temperature),
            consciousness: Some(v.consciousness),
        })
        .collect();
    let profile = Profile::default();
    let mut g = c.benchmark_group("classification");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(20);
    g.bench_function("baseline_sum_fields", |b| {
        b.iter(|| {
            black_box(&signs)
                .iter()
                .map(|s| u32::from(s.pulse.map_or(0, |p| p.get())))
                .sum::<u32>()
        })
    });
    g.bench_function("classify", |b| {
        b.iter(|| {
            black_box(&signs)
                .iter()
                .filter(|s| profile.classify(s).worst().is_some())
                .count()
        })
    });
    g.finish();
}

fn cpf(c: &mut Criterion) {
    let n = 1 << 17;
    let (masked, bare) = random_cpfs(n, 4);
    let mut g = c.benchmark_group("cpf_parse");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("baseline_byte_sum_masked", |b| {
        b.iter(|| {
            black_box(&masked)
                .iter()
                .map(|s| s.bytes().map(u32::from).sum::<u32>())
                .sum::<u32>()
        })
    });
    g.bench_function("masked", |b| {
        b.iter(|| {
            black_box(&masked)
                .iter()
                .filter(|s| Cpf::parse(s).is_ok())
                .count()
        })
    });
    g.bench_function("bare", |b| {
        b.iter(|| {
            black_box(&bare)
                .iter()
                .filter(|s| Cpf::parse(s).is_ok())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, single, batch, classification, cpf);
criterion_main!(benches);
