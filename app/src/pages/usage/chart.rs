//! A hand-written SVG chart: bars (left axis) and an optional line (right axis) over time
//! buckets, with grid lines, axis labels and a tooltip per bar.

use crate::api::usage_types::compact;
use crate::format;
use leptos::prelude::*;

const W: f64 = 760.0;
const H: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// One bucket of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Unix milliseconds of the bucket's start.
    pub start_ms: i64,
    pub value: f64,
    /// The line's value at this bucket (None: unknown, the line skips it).
    pub line: Option<f64>,
}

/// The smallest "round" number (1, 2, 5 × 10ⁿ) at or above `v`.
pub fn nice_max(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10.0 * mag
}

/// `MM-DD` for day buckets, `HH:00` for hour buckets.
fn tick_label(start_ms: i64, hourly: bool) -> String {
    let text = format::datetime_utc(start_ms.div_euclid(1000));
    if hourly {
        text.get(11..16).unwrap_or(&text).to_string()
    } else {
        text.get(5..10).unwrap_or(&text).to_string()
    }
}

fn money_axis(v: f64) -> String {
    if v == 0.0 {
        "$0".into()
    } else if v >= 100.0 {
        format!("${v:.0}")
    } else if v >= 1.0 {
        format!("${v:.2}")
    } else {
        format!("${v:.3}")
    }
}

/// The chart. `bar_name` / `line_name` name the series in the legend and tooltips.
pub fn bar_line_chart(
    id: &'static str,
    title: String,
    bars: Vec<Bar>,
    hourly: bool,
    bar_name: &'static str,
    line_name: &'static str,
) -> AnyView {
    let n = bars.len().max(1) as f64;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let band = plot_w / n;
    let bar_w = (band * 0.7).max(1.0);
    let max_bar = nice_max(bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let has_line = bars.iter().any(|b| b.line.is_some_and(|v| v > 0.0));
    let max_line = nice_max(bars.iter().filter_map(|b| b.line).fold(0.0, f64::max));
    let y_of = |v: f64, max: f64| TOP + plot_h - (v / max).clamp(0.0, 1.0) * plot_h;
    let label_every = ((bars.len() as f64) / 12.0).ceil().max(1.0) as usize;

    let grid = (0..=4)
        .map(|i| {
            let frac = f64::from(i) / 4.0;
            let y = TOP + plot_h - frac * plot_h;
            let right_label = has_line.then(|| {
                view! {
                    <text class="uchart-axis-label" x=W - RIGHT + 6.0 y=y + 4.0 text-anchor="start">
                        {money_axis(max_line * frac)}
                    </text>
                }
            });
            view! {
                <line class="uchart-grid" x1=LEFT x2=W - RIGHT y1=y y2=y></line>
                <text class="uchart-axis-label" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{compact(max_bar * frac)}</text>
                {right_label}
            }
        })
        .collect_view();

    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = LEFT + band * i as f64 + (band - bar_w) / 2.0;
            let y = y_of(b.value, max_bar);
            let h = (TOP + plot_h - y).max(0.0);
            let when = format::datetime_utc(b.start_ms.div_euclid(1000));
            let line_text = match b.line {
                Some(v) => crate::api::usage_types::usd(v),
                None => "unknown".to_string(),
            };
            let tip = format!("{when}: {} {bar_name}, {line_name} {line_text}", compact(b.value));
            view! {
                <rect class="uchart-bar" x=x y=y width=bar_w height=h rx="2" data-value=b.value.to_string()>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();

    let ticks = bars
        .iter()
        .enumerate()
        .filter(|(i, _)| i % label_every == 0)
        .map(|(i, b)| {
            let x = LEFT + band * i as f64 + band / 2.0;
            view! {
                <text class="uchart-axis-label" x=x y=H - BOTTOM + 16.0 text-anchor="middle">{tick_label(b.start_ms, hourly)}</text>
            }
        })
        .collect_view();

    let line = has_line.then(|| {
        let points: Vec<String> = bars
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.line.map(|v| {
                    format!(
                        "{:.1},{:.1}",
                        LEFT + band * i as f64 + band / 2.0,
                        y_of(v, max_line)
                    )
                })
            })
            .collect();
        let dots = bars
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.line.map(|v| {
                    view! {
                        <circle class="uchart-dot" cx=LEFT + band * i as f64 + band / 2.0 cy=y_of(v, max_line) r="2.5"></circle>
                    }
                })
            })
            .collect_view();
        view! {
            <polyline class="uchart-line" points=points.join(" ")></polyline>
            {dots}
        }
    });
    let aria = title.clone();
    let axis_title = if hourly { "Hour (UTC)" } else { "Day (UTC)" };
    view! {
        <figure class="uchart" id=id>
            <svg class="uchart-svg" viewBox=format!("0 0 {W} {H}") role="img" aria-label=aria preserveAspectRatio="xMidYMid meet">
                <title>{title}</title>
                {grid}
                <line class="uchart-axis" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h></line>
                <line class="uchart-axis" x1=LEFT x2=LEFT y1=TOP y2=TOP + plot_h></line>
                {rects}
                {line}
                {ticks}
                <text class="uchart-axis-title" x=LEFT + plot_w / 2.0 y=H - 4.0 text-anchor="middle">{axis_title}</text>
            </svg>
            <figcaption class="uchart-legend">
                <span class="ulegend-item"><span class="ulegend-swatch ulegend-bar"></span>{bar_name} " (left axis)"</span>
                {has_line.then(|| view! {
                    <span class="ulegend-item"><span class="ulegend-swatch ulegend-line"></span>{line_name} " (right axis)"</span>
                })}
            </figcaption>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(0.031), 0.05);
        assert_eq!(nice_max(100.0), 100.0);
        assert_eq!(tick_label(1_700_000_000_000, true), "22:13");
        assert_eq!(tick_label(1_700_000_000_000, false), "11-14");
    }
}
