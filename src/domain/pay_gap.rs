//! The gender pay gap of a group (issue 20, EU Pay Transparency Directive
//! 2023/970): how much less women are paid than men, as a percentage of
//! men's pay, by the mean and by the median. Pure, exact up to the final
//! division.

/// The mean and median gaps in percent: (men − women) / men × 100; `None`
/// when either side is empty or men's figure is zero.
pub fn gaps(women: &[i64], men: &[i64]) -> (Option<f64>, Option<f64>) {
    (gap(mean(women), mean(men)), gap(median(women), median(men)))
}

fn gap(women: Option<f64>, men: Option<f64>) -> Option<f64> {
    let (w, m) = (women?, men?);
    (m != 0.0).then(|| (m - w) / m * 100.0)
}

/// The mean, summed exactly in i128.
fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty())
        .then(|| values.iter().map(|&v| i128::from(v)).sum::<i128>() as f64 / values.len() as f64)
}

/// The median: the middle value, or the mean of the two middle ones.
fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid] as f64
    } else {
        (i128::from(sorted[mid - 1]) + i128::from(sorted[mid])) as f64 / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn women_paid_less_is_a_positive_gap_by_mean_and_median() {
        let (mean, median) = gaps(&[400, 500, 600], &[500, 600, 700, 800]);
        assert!((mean.unwrap() - (650.0 - 500.0) / 650.0 * 100.0).abs() < 1e-9);
        assert!((median.unwrap() - (650.0 - 500.0) / 650.0 * 100.0).abs() < 1e-9);
        assert_eq!(gaps(&[], &[500]), (None, None));
        assert_eq!(gaps(&[500], &[0]), (None, None));
    }

    proptest! {
        #[test]
        fn equal_pay_is_no_gap_and_swapping_sides_flips_the_sign(
            pay in proptest::collection::vec(1i64..10_000_000_000, 1..50),
            other in proptest::collection::vec(1i64..10_000_000_000, 1..50),
        ) {
            let (mean, median) = gaps(&pay, &pay);
            prop_assert_eq!(mean, Some(0.0));
            prop_assert_eq!(median, Some(0.0));
            let (m1, _) = gaps(&pay, &other);
            let (m2, _) = gaps(&other, &pay);
            // Women earning less than men is a positive gap, and the other
            // way round a negative one.
            prop_assert_eq!(m1.unwrap() > 0.0, m2.unwrap() < 0.0 || m1.unwrap() == 0.0 && m2.unwrap() == 0.0);
        }
    }
}
