//! CSV exports of exactly the dashboard's tables: the offers table (one line per row of
//! [`OfferRow`], same order) and the daily series. Written by the `csv` crate (RFC 4180
//! quoting: a rule id with a comma or a quote stays one field). Amounts are decimal strings in
//! major units (ISO 4217 exponent: `49.00` USD, `1200` JPY) beside a currency column, so a
//! spreadsheet never adds two currencies by accident; ratios are decimals with four places.

use super::Ratio;
use super::offers::OfferRow;
use super::series::DailySeries;

#[derive(Debug, thiserror::Error)]
#[error("the CSV could not be written: {0}")]
pub struct CsvError(String);

pub const OFFER_HEADER: [&str; 17] = [
    "kind",
    "rule_id",
    "product_id",
    "currency",
    "impressions",
    "accepts",
    "declines",
    "dont_show_again",
    "expiries",
    "conversion",
    "payments",
    "revenue",
    "refunded",
    "undone",
    "undone_amount",
    "net_revenue",
    "net_revenue_per_impression",
];

/// The offers table as CSV, one line per row, with a header line.
pub fn offers_csv(rows: &[OfferRow]) -> Result<String, CsvError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(OFFER_HEADER).map_err(err)?;
    for r in rows {
        let c = &r.key.currency;
        w.write_record([
            r.key.kind.clone(),
            r.key.rule_id.clone(),
            r.key.product_id.clone(),
            c.clone(),
            r.impressions.to_string(),
            r.accepts.to_string(),
            r.declines.to_string(),
            r.suppressed.to_string(),
            r.expiries.to_string(),
            ratio(r.conversion()),
            r.payments.to_string(),
            decimal(r.revenue_minor, c),
            decimal(r.refunded_minor, c),
            r.undone.to_string(),
            decimal(r.undone_minor, c),
            decimal(r.net_revenue_minor(), c),
            per_unit(r.net_per_impression(), c),
        ])
        .map_err(err)?;
    }
    finish(w)
}

/// The daily series as CSV: `date, impressions, accepts`, then `net_revenue_<CURRENCY>` for
/// every currency of the period.
pub fn daily_csv(series: &DailySeries) -> Result<String, CsvError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date".to_owned(), "impressions".into(), "accepts".into()];
    header.extend(series.currencies.iter().map(|c| format!("net_revenue_{c}")));
    w.write_record(&header).map_err(err)?;
    for day in &series.days {
        let mut line = vec![
            day.date(),
            day.impressions.to_string(),
            day.accepts.to_string(),
        ];
        line.extend(
            series
                .currencies
                .iter()
                .map(|c| decimal(day.net_minor.get(c).copied().unwrap_or(0), c)),
        );
        w.write_record(&line).map_err(err)?;
    }
    finish(w)
}

/// `minor` units of `currency` as a decimal string in major units: 4900 USD → `49.00`,
/// -550 → `-5.50`, 1200 JPY → `1200`, 1250 KWD → `1.250`.
pub fn decimal(minor: i64, currency: &str) -> String {
    let digits = u32::from(cldr_format::minor_digits(&currency.to_ascii_uppercase()));
    let scale = 10i128.pow(digits);
    let value = i128::from(minor);
    let sign = if value < 0 { "-" } else { "" };
    let (whole, part) = (value.abs() / scale, value.abs() % scale);
    if digits == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0width$}", width = digits as usize)
    }
}

/// A money ratio (minor units per unit) in major units, rounded half away from zero to the
/// currency's minor unit; empty when there is no denominator.
fn per_unit(r: Ratio, currency: &str) -> String {
    if r.denominator == 0 {
        return String::new();
    }
    let (n, d) = (i128::from(r.numerator), i128::from(r.denominator));
    let rounded = (2 * n.abs() + d.abs()) / (2 * d.abs()) * (n.signum() * d.signum());
    decimal(i64::try_from(rounded).unwrap_or(i64::MAX), currency)
}

/// A ratio with four decimal places (`0.2500`); empty when there is no denominator.
fn ratio(r: Ratio) -> String {
    r.value().map(|v| format!("{v:.4}")).unwrap_or_default()
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, CsvError> {
    let bytes = w.into_inner().map_err(err)?;
    String::from_utf8(bytes).map_err(err)
}

fn err(e: impl std::fmt::Display) -> CsvError {
    CsvError(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_currency_exponent() {
        assert_eq!(decimal(4900, "USD"), "49.00");
        assert_eq!(decimal(-550, "EUR"), "-5.50");
        assert_eq!(decimal(5, "usd"), "0.05");
        assert_eq!(decimal(1200, "JPY"), "1200");
        assert_eq!(decimal(1250, "KWD"), "1.250");
        assert_eq!(decimal(0, "INR"), "0.00");
        assert_eq!(per_unit(Ratio::new(4900, 3), "USD"), "16.33");
        assert_eq!(per_unit(Ratio::new(-5, 2), "USD"), "-0.03");
        assert_eq!(per_unit(Ratio::new(1, 0), "USD"), "");
        assert_eq!(ratio(Ratio::new(1, 3)), "0.3333");
        assert_eq!(ratio(Ratio::new(1, 0)), "");
    }
}
