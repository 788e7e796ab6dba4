//! The dashboard's charts as SVG strings, drawn with `plotters` (SVG backend only: no fonts,
//! no bitmaps; four small crates) on the server, so the dashboard ships no charting code to
//! browsers. Each chart is an accessible image — `role="img"`, an `aria-label`, a `<title>`
//! and a `<desc>` — and comes with a caption that says in words what it shows, for the page's
//! `<figcaption>` (a screen reader reads the numbers there, not the bars).

use super::funnel::Funnel;
use super::series::DailySeries;
use plotters::prelude::*;

/// An SVG document and the sentence that describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub svg: String,
    pub caption: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

/// Which daily number a chart shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DailyMetric {
    Impressions,
    Accepts,
    /// Net revenue in this currency, in major units.
    NetRevenue(String),
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 280;
const BAR: RGBColor = RGBColor(37, 99, 235);
const NEGATIVE: RGBColor = RGBColor(220, 38, 38);
const INK: RGBColor = RGBColor(55, 65, 81);

/// A bar per UTC day of `series` for `metric`.
pub fn daily_svg(series: &DailySeries, metric: &DailyMetric) -> Result<Chart, ChartError> {
    let values: Vec<f64> = series
        .days
        .iter()
        .map(|d| match metric {
            DailyMetric::Impressions => d.impressions as f64,
            DailyMetric::Accepts => d.accepts as f64,
            DailyMetric::NetRevenue(currency) => {
                major(d.net_minor.get(currency).copied().unwrap_or(0), currency)
            }
        })
        .collect();
    let dates: Vec<String> = series.days.iter().map(|d| d.date()).collect();
    let (title, unit) = match metric {
        DailyMetric::Impressions => ("Impressions per day".to_owned(), String::new()),
        DailyMetric::Accepts => ("Accepted offers per day".to_owned(), String::new()),
        DailyMetric::NetRevenue(c) => (
            format!("Net revenue per day ({c}, confirmed by Dodo, net of refunds)"),
            format!(" {c}"),
        ),
    };
    let caption = daily_caption(&title, &dates, &values, &unit, metric);
    let top = values.iter().copied().fold(0.0, f64::max);
    let bottom = values.iter().copied().fold(0.0, f64::min);
    // Headroom above the highest bar; an empty period still gets a visible axis.
    let (y_min, y_max) = (bottom * 1.1, if top > 0.0 { top * 1.1 } else { 1.0 });
    let n = values.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..n as f64, y_min..y_max)
            .map_err(err)?;
        // About six date labels, each at the left edge of its day's bar.
        let step = n.div_ceil(6).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels((n + 1).min(32))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if i.is_multiple_of(step) {
                    dates.get(i).map(|d| d[5..].to_owned()).unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(5)
            .label_style(("sans-serif", 12).into_font().color(&INK))
            .axis_style(INK)
            .light_line_style(RGBColor(229, 231, 235))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let colour = if *v < 0.0 { NEGATIVE } else { BAR };
                Rectangle::new(
                    [(i as f64 + 0.15, 0.0), (i as f64 + 0.85, *v)],
                    colour.filled(),
                )
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(Chart {
        svg: accessible(&svg, &title, &caption),
        caption,
    })
}

/// The funnel as four horizontal bars, widest at the top.
pub fn funnel_svg(funnel: &Funnel) -> Result<Chart, ChartError> {
    let title = "Offers shown, accepted, paid and kept".to_owned();
    let stages = funnel.stages();
    let caption = format!(
        "Of {} offers shown, {} were accepted, {} paid (confirmed by Dodo) and {} kept (not refunded in full).",
        funnel.shown, funnel.accepted, funnel.paid, funnel.kept
    );
    let widest = stages.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 200)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .build_cartesian_2d(0f64..1.0, 0f64..stages.len() as f64)
            .map_err(err)?;
        let label = ("sans-serif", 14).into_font().color(&INK);
        for (row, (name, n)) in stages.iter().enumerate() {
            // The top stage is drawn at the top.
            let y = (stages.len() - 1 - row) as f64;
            let width = 0.6 * (*n as f64) / widest;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.2, y + 0.15), (0.2 + width.max(0.002), y + 0.85)],
                    BAR.filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series([
                    Text::new(name.to_string(), (0.0, y + 0.65), label.clone()),
                    Text::new(n.to_string(), (0.22 + width, y + 0.65), label.clone()),
                ])
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(Chart {
        svg: accessible(&svg, &title, &caption),
        caption,
    })
}

fn daily_caption(
    title: &str,
    dates: &[String],
    values: &[f64],
    unit: &str,
    metric: &DailyMetric,
) -> String {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return format!("{title}: no days.");
    };
    let decimals = match metric {
        DailyMetric::NetRevenue(c) => usize::from(cldr_format::minor_digits(c)),
        _ => 0,
    };
    let total: f64 = values.iter().sum();
    let best =
        values
            .iter()
            .enumerate()
            .fold(None, |best: Option<(usize, f64)>, (i, v)| match best {
                Some((_, b)) if b >= *v => best,
                _ => Some((i, *v)),
            });
    let mut text =
        format!("{title}, {first} to {last} (UTC days): {total:.decimals$}{unit} in total");
    if let Some((i, v)) = best.filter(|(_, v)| *v > 0.0) {
        text.push_str(&format!(
            "; the highest on {} ({v:.decimals$}{unit})",
            dates[i]
        ));
    }
    text.push('.');
    text
}

/// Minor units as major units, for drawing only (the money itself stays integer).
fn major(minor: i64, currency: &str) -> f64 {
    minor as f64 / 10f64.powi(i32::from(cldr_format::minor_digits(currency)))
}

/// Marks the SVG as one image with a name and a description.
fn accessible(svg: &str, title: &str, caption: &str) -> String {
    let (title, caption) = (escape(title), escape(caption));
    let Some(open_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{title}\""),
        1,
    );
    format!(
        "{open}><title>{title}</title><desc>{caption}</desc>{}",
        &rest[1..]
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}
