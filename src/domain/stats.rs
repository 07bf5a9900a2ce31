//! Order statistics for the dashboards: linear-interpolated percentiles of
//! sorted values, given one by one or as (value, count) pairs.

/// Linear-interpolated percentile of sorted values (`q` in 0..=1).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// [`percentile`] of the values `sorted` holds with their counts (sorted by
/// value, counts positive): the same figure as over the list with each
/// value repeated count times, without building it.
pub fn weighted_percentile(sorted: &[(f64, i64)], q: f64) -> f64 {
    let n: i64 = sorted.iter().map(|&(_, count)| count).sum();
    if n == 0 {
        return 0.0;
    }
    // The k-th smallest value (0-based).
    let nth = |k: i64| {
        let mut seen = 0;
        for &(value, count) in sorted {
            seen += count;
            if k < seen {
                return value;
            }
        }
        sorted.last().map(|&(value, _)| value).unwrap_or(0.0)
    };
    let pos = q * (n - 1) as f64;
    let (lo, hi) = (pos.floor() as i64, pos.ceil() as i64);
    nth(lo) + (nth(hi) - nth(lo)) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn weighted_percentiles_equal_those_of_the_repeated_values(
            mut pairs in proptest::collection::vec((0u32..50, 1i64..5), 1..30),
            q in 0.0f64..=1.0,
        ) {
            pairs.sort_by_key(|&(value, _)| value);
            pairs.dedup_by_key(|&mut (value, _)| value);
            let weighted: Vec<(f64, i64)> =
                pairs.iter().map(|&(v, c)| (f64::from(v) / 7.0, c)).collect();
            let repeated: Vec<f64> = weighted
                .iter()
                .flat_map(|&(v, c)| std::iter::repeat_n(v, c as usize))
                .collect();
            prop_assert_eq!(weighted_percentile(&weighted, q), percentile(&repeated, q));
        }
    }

    #[test]
    fn nothing_has_a_zero_percentile() {
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(weighted_percentile(&[], 0.5), 0.0);
    }
}
