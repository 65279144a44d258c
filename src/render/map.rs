//! `world_map()`: an inline SVG map of the world, drawn at build time from
//! Natural Earth country shapes (see `assets/world-atlas/README.md`).
//!
//! The shapes ship inside the binary as TopoJSON; they are decoded once per
//! process, projected with the Natural Earth projection and written as SVG
//! paths with integer, relative coordinates (small enough for a page
//! budget). Countries that a section's pages name (by ISO 3166-1 alpha-2
//! code) become links to those pages, classed by a field such as `status`.
//! Everything else about the look is the stylesheet's business.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::OnceLock;

use crate::html::escape;

use serde::Deserialize;

const TOPOLOGY: &str = include_str!("../../assets/world-atlas/countries-110m.json");
/// Antarctica: left out, it would take a fifth of the picture for nothing.
const ANTARCTICA: &str = "010";
/// SVG width in user units; height follows from the bounds.
const WIDTH: f64 = 1000.0;

/// One country to highlight.
#[derive(Debug, Clone)]
pub struct Marker {
    /// ISO 3166-1 alpha-2, e.g. `JP`.
    pub code: String,
    pub href: String,
    pub label: String,
    /// Becomes the CSS class `status-<class>` (and a pattern id).
    pub class: Option<String>,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct MapRequest<'a> {
    pub markers: &'a [Marker],
    /// `[west, south, east, north]` in degrees; `None` for the world.
    pub bounds: Option<[f64; 4]>,
    pub label: &'a str,
    /// Emit the `<defs>` with one pattern per class (once per page).
    pub patterns: bool,
    /// Class values in the order patterns are given out; classes not
    /// listed follow, sorted.
    pub order: &'a [String],
}

struct Country {
    id: String,
    /// Rings of (longitude, latitude) in degrees.
    rings: Vec<Vec<(f64, f64)>>,
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        arcs: Vec<Vec<i64>>,
        id: Option<String>,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        id: Option<String>,
    },
}

fn world() -> &'static [Country] {
    static WORLD: OnceLock<Vec<Country>> = OnceLock::new();
    WORLD.get_or_init(|| decode(TOPOLOGY).unwrap_or_default())
}

/// Decodes TopoJSON: delta-encoded, quantised arcs shared between
/// neighbouring countries; a negative arc index `!i` means arc `i` reversed.
fn decode(text: &str) -> Result<Vec<Country>, serde_json::Error> {
    let topology: Topology = serde_json::from_str(text)?;
    let [sx, sy] = topology.transform.scale;
    let [tx, ty] = topology.transform.translate;
    let arcs: Vec<Vec<(f64, f64)>> = topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0i64, 0i64);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    (x as f64 * sx + tx, y as f64 * sy + ty)
                })
                .collect()
        })
        .collect();
    let ring = |indices: &Vec<i64>| -> Vec<(f64, f64)> {
        let mut points = Vec::new();
        for &i in indices {
            let (index, reversed) = if i < 0 {
                ((!i) as usize, true)
            } else {
                (i as usize, false)
            };
            let Some(arc) = arcs.get(index) else { continue };
            let mut part: Vec<(f64, f64)> = arc.clone();
            if reversed {
                part.reverse();
            }
            let skip = usize::from(!points.is_empty());
            points.extend(part.into_iter().skip(skip));
        }
        unwrap_antimeridian(&mut points);
        points
    };
    let mut countries = Vec::new();
    for geometry in topology.objects.countries.geometries {
        let (id, rings) = match geometry {
            Geometry::Polygon { arcs, id } => (id, arcs.iter().map(ring).collect()),
            Geometry::MultiPolygon { arcs, id } => (id, arcs.iter().flatten().map(ring).collect()),
        };
        let id = id.unwrap_or_default();
        if id != ANTARCTICA {
            countries.push(Country { id, rings });
        }
    }
    Ok(countries)
}

/// A ring that crosses ±180° (eastern Russia, Fiji) would be drawn as a
/// band across the whole map. Moving its western-hemisphere points east by
/// 360° keeps it in one piece; the part beyond the map's edge is clipped.
fn unwrap_antimeridian(points: &mut [(f64, f64)]) {
    let crosses = points.windows(2).any(|w| (w[0].0 - w[1].0).abs() > 180.0);
    if crosses {
        for p in points.iter_mut().filter(|p| p.0 < 0.0) {
            p.0 += 360.0;
        }
    }
}

/// The Natural Earth projection (Šavrič et al.), as in d3-geo, in radians.
fn project(lon: f64, lat: f64) -> (f64, f64) {
    let (lambda, phi) = (lon.to_radians(), lat.to_radians());
    let phi2 = phi * phi;
    let phi4 = phi2 * phi2;
    let x = lambda
        * (0.8707 - 0.131979 * phi2
            + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)));
    let y = phi
        * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)));
    (x, -y)
}

/// The numeric ISO code TopoJSON uses for an alpha-2 code (`JP` → `392`).
pub fn numeric_code(alpha2: &str) -> Option<String> {
    isocountry::CountryCode::for_alpha2_caseless(alpha2.trim())
        .ok()
        .map(|c| format!("{:03}", c.numeric_id()))
}

/// Draws the map. Fails only on a marker whose code is not a country.
pub fn draw(request: &MapRequest) -> Result<String, String> {
    let mut marked = Vec::new();
    for m in request.markers {
        let numeric = numeric_code(&m.code).ok_or_else(|| {
            format!(
                "`{}` ({}) is not an ISO 3166-1 alpha-2 country code",
                m.code, m.label
            )
        })?;
        if !world().iter().any(|c| c.id == numeric) {
            return Err(format!(
                "the map has no shape for `{}` ({})",
                m.code, m.label
            ));
        }
        marked.push((numeric, m));
    }
    let [west, south, east, north] = request.bounds.unwrap_or([-180.0, -60.0, 180.0, 84.0]);
    let corners = [
        project(west, north),
        project(east, north),
        project(west, south),
        project(east, south),
        project(west, 0.0_f64.clamp(south, north)),
        project(east, 0.0_f64.clamp(south, north)),
    ];
    let min_x = corners.iter().map(|c| c.0).fold(f64::MAX, f64::min);
    let max_x = corners.iter().map(|c| c.0).fold(f64::MIN, f64::max);
    let min_y = corners.iter().map(|c| c.1).fold(f64::MAX, f64::min);
    let max_y = corners.iter().map(|c| c.1).fold(f64::MIN, f64::max);
    let scale = WIDTH / (max_x - min_x);
    let height = ((max_y - min_y) * scale).round();
    let to_svg = |(lon, lat): (f64, f64)| {
        let (x, y) = project(lon, lat);
        (
            ((x - min_x) * scale).round() as i64,
            ((y - min_y) * scale).round() as i64,
        )
    };
    let inside = |c: &Country| {
        c.rings
            .iter()
            .flatten()
            .any(|&(lon, lat)| lon >= west && lon <= east && lat >= south && lat <= north)
    };

    let mut svg = String::with_capacity(64 * 1024);
    let _ = write!(
        svg,
        "<svg class=\"world-map\" viewBox=\"0 0 {WIDTH} {height}\" role=\"group\" aria-label=\"{}\">",
        escape(request.label)
    );
    if request.patterns {
        write_patterns(&mut svg, request.markers, request.order);
    }
    svg.push_str("<g class=\"countries\" aria-hidden=\"true\">");
    for country in world()
        .iter()
        .filter(|c| inside(c) && !marked.iter().any(|(n, _)| *n == c.id))
    {
        svg.push_str("<path class=\"country\" d=\"");
        write_path(&mut svg, country, &to_svg);
        svg.push_str("\"/>");
    }
    svg.push_str("</g><g class=\"partners\">");
    for (numeric, marker) in &marked {
        let Some(country) = world().iter().find(|c| c.id == *numeric) else {
            continue;
        };
        let class = marker
            .class
            .as_deref()
            .map(|c| format!(" status-{}", class_name(c)))
            .unwrap_or_default();
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{}\"><path class=\"country partner{class}\" d=\"",
            escape(&marker.href),
            escape(&marker.label)
        );
        write_path(&mut svg, country, &to_svg);
        let _ = write!(
            svg,
            "\"><title>{}</title></path></a>",
            escape(&marker.label)
        );
    }
    svg.push_str("</g></svg>");
    Ok(svg)
}

/// One path per country: integer coordinates, relative moves, repeated
/// points dropped; rings that collapse to nothing at this scale are skipped.
fn write_path(out: &mut String, country: &Country, to_svg: &dyn Fn((f64, f64)) -> (i64, i64)) {
    let mut cursor = (0i64, 0i64);
    for ring in &country.rings {
        let mut points: Vec<(i64, i64)> = ring.iter().map(|&p| to_svg(p)).collect();
        points.dedup();
        if points.len() < 3 {
            continue;
        }
        let (x, y) = points[0];
        out.push('m');
        push_pair(out, (x - cursor.0, y - cursor.1));
        let mut last = (x, y);
        for &(px, py) in &points[1..] {
            out.push(' ');
            push_pair(out, (px - last.0, py - last.1));
            last = (px, py);
        }
        out.push('z');
        // After `z` the current point is the ring's start.
        cursor = (x, y);
    }
}

/// Writes `x,y`. The map's paths are thousands of numbers, and `itoa` formats
/// them several times faster than `write!`.
fn push_pair(out: &mut String, (x, y): (i64, i64)) {
    let mut buffer = itoa::Buffer::new();
    out.push_str(buffer.format(x));
    out.push(',');
    out.push_str(buffer.format(y));
}

/// Patterns that tell statuses apart without colour: solid, diagonal
/// lines, dots, cross-hatching, given out in `order`, then to any other
/// classes in sorted order.
fn write_patterns(svg: &mut String, markers: &[Marker], order: &[String]) {
    let present: BTreeSet<String> = markers
        .iter()
        .filter_map(|m| m.class.as_deref())
        .map(class_name)
        .collect();
    let mut classes: Vec<String> = order.iter().map(|c| class_name(c)).collect();
    let rest: Vec<String> = present
        .into_iter()
        .filter(|c| !classes.contains(c))
        .collect();
    classes.extend(rest);
    svg.push_str("<defs>");
    for (i, class) in classes.iter().enumerate() {
        let marks = match i % 4 {
            0 => "",
            1 => "<path class=\"pattern-fg\" d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\"/>",
            2 => "<circle class=\"pattern-fg\" cx=\"3\" cy=\"3\" r=\"1.4\"/>",
            _ => "<path class=\"pattern-fg\" d=\"M0,0 l6,6 M6,0 l-6,6\"/>",
        };
        let _ = write!(
            svg,
            "<pattern id=\"map-pattern-{class}\" class=\"status-{class}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect class=\"pattern-bg\" width=\"6\" height=\"6\"/>{marks}</pattern>"
        );
    }
    svg.push_str("</defs>");
}

/// A class value reduced to characters safe in a CSS class and an id.
fn class_name(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(code: &str, class: &str) -> Marker {
        Marker {
            code: code.into(),
            href: "/partners/x/".into(),
            label: format!("{code} <{class}>"),
            class: Some(class.into()),
        }
    }

    #[test]
    fn the_vendored_shapes_decode() {
        let world = world();
        assert!(world.len() > 170, "{}", world.len());
        assert!(world.iter().all(|c| c.id != ANTARCTICA));
        let japan = world.iter().find(|c| c.id == "392").unwrap();
        let (lon, lat) = japan.rings[0][0];
        assert!((120.0..150.0).contains(&lon) && (25.0..46.0).contains(&lat));
    }

    #[test]
    fn partners_become_labelled_links_with_patterns() {
        let markers = [marker("JP", "concluded"), marker("UA", "proposed")];
        let svg = draw(&MapRequest {
            markers: &markers,
            bounds: None,
            label: "Partners",
            patterns: true,
            order: &[],
        })
        .unwrap();
        assert!(svg.starts_with("<svg class=\"world-map\""));
        assert!(svg.contains("<a href=\"/partners/x/\" aria-label=\"JP &lt;concluded&gt;\"><path class=\"country partner status-concluded\""));
        assert!(svg.contains("id=\"map-pattern-concluded\""));
        assert!(svg.contains("id=\"map-pattern-proposed\""));
        assert!(svg.len() < 80 * 1024, "{} bytes", svg.len());
    }

    #[test]
    fn bounds_crop_the_map() {
        let europe = draw(&MapRequest {
            markers: &[],
            bounds: Some([-25.0, 34.0, 45.0, 72.0]),
            label: "Europe",
            patterns: false,
            order: &[],
        })
        .unwrap();
        let world = draw(&MapRequest {
            markers: &[],
            bounds: None,
            label: "World",
            patterns: false,
            order: &[],
        })
        .unwrap();
        assert!(europe.len() < world.len());
    }

    #[test]
    fn unknown_codes_are_errors() {
        let err = draw(&MapRequest {
            markers: &[marker("XX", "a")],
            bounds: None,
            label: "",
            patterns: false,
            order: &[],
        })
        .unwrap_err();
        assert!(err.contains("`XX`"));
        assert_eq!(numeric_code("gb").as_deref(), Some("826"));
    }
}
