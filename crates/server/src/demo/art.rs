//! The illustrations `serve --demo` draws for its vehicles and products:
//! flat drawings of simple shapes, rendered at twice the size and scaled
//! down (anti-aliased edges), encoded as PNG. Raster images only — never
//! SVG, which could carry script on the panel's origin — so they are
//! served by `/media/…` like any uploaded photo, and nothing is fetched
//! from the internet.

use image::codecs::png::PngEncoder;
use image::{ImageEncoder, RgbImage};

/// Samples per output pixel along each axis.
const SUPERSAMPLE: u32 = 2;

/// An RGB colour.
pub type Colour = [u8; 3];

/// Mixes `a` toward `b` by `t` (0: `a`, 1: `b`).
fn mix(a: Colour, b: Colour, t: f32) -> Colour {
    let t = t.clamp(0.0, 1.0);
    let channel = |i: usize| {
        let v = f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t;
        // In 0..=255 by construction (a mix of two u8 values).
        v.round() as u8
    };
    [channel(0), channel(1), channel(2)]
}

/// `c` darkened by `t` (0..1).
pub fn darker(c: Colour, t: f32) -> Colour {
    mix(c, [0, 0, 0], t)
}

/// `c` lightened by `t` (0..1).
pub fn lighter(c: Colour, t: f32) -> Colour {
    mix(c, [255, 255, 255], t)
}

/// A region of the drawing, in drawing units (output pixels).
#[derive(Debug, Clone, PartialEq)]
pub enum Region {
    /// A rectangle from (x0, y0) to (x1, y1) with rounded corners of radius r.
    Rect {
        /// Left.
        x0: f32,
        /// Top.
        y0: f32,
        /// Right.
        x1: f32,
        /// Bottom.
        y1: f32,
        /// Corner radius.
        r: f32,
    },
    /// An ellipse.
    Ellipse {
        /// Centre x.
        cx: f32,
        /// Centre y.
        cy: f32,
        /// Half width.
        rx: f32,
        /// Half height.
        ry: f32,
    },
    /// A simple polygon (even-odd rule).
    Polygon(Vec<(f32, f32)>),
    /// The part of the first region inside the second.
    Clip(Box<Region>, Box<Region>),
    /// The first region less the second.
    Cut(Box<Region>, Box<Region>),
}

/// A rounded rectangle.
pub fn rect(x0: f32, y0: f32, x1: f32, y1: f32, r: f32) -> Region {
    Region::Rect { x0, y0, x1, y1, r }
}

/// A circle.
pub fn circle(cx: f32, cy: f32, r: f32) -> Region {
    Region::Ellipse {
        cx,
        cy,
        rx: r,
        ry: r,
    }
}

/// An ellipse.
pub fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32) -> Region {
    Region::Ellipse { cx, cy, rx, ry }
}

/// A polygon.
pub fn polygon(points: &[(f32, f32)]) -> Region {
    Region::Polygon(points.to_vec())
}

impl Region {
    /// This region, only where it is inside `by`.
    pub fn clip(self, by: Region) -> Region {
        Region::Clip(Box::new(self), Box::new(by))
    }

    /// This region less `hole`.
    pub fn cut(self, hole: Region) -> Region {
        Region::Cut(Box::new(self), Box::new(hole))
    }

    /// Mirrored left to right in a drawing `width` wide.
    pub fn mirrored(&self, width: f32) -> Region {
        match self {
            Region::Rect { x0, y0, x1, y1, r } => Region::Rect {
                x0: width - x1,
                y0: *y0,
                x1: width - x0,
                y1: *y1,
                r: *r,
            },
            Region::Ellipse { cx, cy, rx, ry } => Region::Ellipse {
                cx: width - cx,
                cy: *cy,
                rx: *rx,
                ry: *ry,
            },
            Region::Polygon(points) => {
                Region::Polygon(points.iter().map(|&(x, y)| (width - x, y)).collect())
            }
            Region::Clip(a, b) => a.mirrored(width).clip(b.mirrored(width)),
            Region::Cut(a, b) => a.mirrored(width).cut(b.mirrored(width)),
        }
    }

    /// Left, top, right, bottom.
    fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Region::Rect { x0, y0, x1, y1, .. } => (*x0, *y0, *x1, *y1),
            Region::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, cx + rx, cy + ry),
            Region::Polygon(points) => points.iter().fold(
                (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                |(l, t, r, b), &(x, y)| (l.min(x), t.min(y), r.max(x), b.max(y)),
            ),
            Region::Clip(a, b) => {
                let (a, b) = (a.bounds(), b.bounds());
                (a.0.max(b.0), a.1.max(b.1), a.2.min(b.2), a.3.min(b.3))
            }
            Region::Cut(a, _) => a.bounds(),
        }
    }

    /// The stretches of row `y` inside the region, as sorted, disjoint
    /// `(left, right)` pairs: the drawing is filled row by row, so the
    /// cost is the rows and edges, not a test per pixel.
    fn spans(&self, y: f32) -> Vec<(f32, f32)> {
        match self {
            Region::Rect { x0, y0, x1, y1, r } => {
                if y < *y0 || y > *y1 {
                    return Vec::new();
                }
                let r = r.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0);
                // How far into a corner's square the row is, if it is in one.
                let dy = (y0 + r - y).max(y - (y1 - r)).max(0.0);
                let inset = r - (r * r - dy * dy).max(0.0).sqrt();
                vec![(x0 + inset, x1 - inset)]
            }
            Region::Ellipse { cx, cy, rx, ry } => {
                let dy = (y - cy) / ry;
                if dy.abs() > 1.0 {
                    return Vec::new();
                }
                let half = rx * (1.0 - dy * dy).sqrt();
                vec![(cx - half, cx + half)]
            }
            Region::Polygon(points) => {
                let mut crossings: Vec<f32> = Vec::new();
                let mut j = points.len().wrapping_sub(1);
                for (i, &(xi, yi)) in points.iter().enumerate() {
                    let (xj, yj) = points[j];
                    if (yi > y) != (yj > y) {
                        crossings.push(xi + (y - yi) * (xj - xi) / (yj - yi));
                    }
                    j = i;
                }
                crossings.sort_by(f32::total_cmp);
                crossings.chunks_exact(2).map(|c| (c[0], c[1])).collect()
            }
            Region::Clip(a, b) => {
                let (a, b) = (a.spans(y), b.spans(y));
                let mut out = Vec::new();
                let (mut i, mut j) = (0, 0);
                while i < a.len() && j < b.len() {
                    let (l, r) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
                    if l <= r {
                        out.push((l, r));
                    }
                    if a[i].1 < b[j].1 {
                        i += 1;
                    } else {
                        j += 1;
                    }
                }
                out
            }
            Region::Cut(a, b) => {
                let holes = b.spans(y);
                let mut out = Vec::new();
                for (mut l, r) in a.spans(y) {
                    for &(hl, hr) in &holes {
                        if hr < l || hl > r {
                            continue;
                        }
                        if hl > l {
                            out.push((l, hl));
                        }
                        l = l.max(hr);
                    }
                    if l < r {
                        out.push((l, r));
                    }
                }
                out
            }
        }
    }

    #[cfg(test)]
    fn contains(&self, x: f32, y: f32) -> bool {
        self.spans(y).iter().any(|&(l, r)| l <= x && x <= r)
    }
}

/// A drawing in progress: RGB bytes at [`SUPERSAMPLE`] times its size.
pub struct Canvas {
    buf: Vec<u8>,
    /// Pixels per row of `buf`.
    stride: usize,
    rows: usize,
    width: u32,
    height: u32,
    /// One row of a solid colour, copied into spans (a `memcpy` per span,
    /// which stays fast in unoptimised builds too).
    solid: Vec<u8>,
}

impl Canvas {
    /// A `width` × `height` drawing filled with `background`.
    pub fn new(width: u32, height: u32, background: Colour) -> Self {
        let (stride, rows) = (
            (width * SUPERSAMPLE) as usize,
            (height * SUPERSAMPLE) as usize,
        );
        Self {
            buf: background.repeat(stride * rows),
            stride,
            rows,
            width,
            height,
            solid: Vec::with_capacity(stride * 3),
        }
    }

    /// The drawing's width, in drawing units.
    pub fn width(&self) -> f32 {
        self.width as f32
    }

    /// Fills the pixels `x0..x1` of row `py` with `colour`.
    fn run(&mut self, py: usize, x0: usize, x1: usize, colour: Colour) {
        if self.solid.get(..3) != Some(&colour[..]) || self.solid.len() < self.stride * 3 {
            self.solid = colour.repeat(self.stride);
        }
        let at = py * self.stride * 3;
        self.buf[at + x0 * 3..at + x1 * 3].copy_from_slice(&self.solid[x0 * 3..x1 * 3]);
    }

    /// Fills the rows from `y0` to `y1` with a vertical gradient.
    pub fn gradient(&mut self, y0: f32, y1: f32, top: Colour, bottom: Colour) {
        let s = SUPERSAMPLE as f32;
        let first = (y0 * s).clamp(0.0, self.rows as f32) as usize;
        let last = (y1 * s).clamp(0.0, self.rows as f32) as usize;
        for py in first..last {
            let t = (py as f32 / s - y0) / (y1 - y0);
            self.run(py, 0, self.stride, mix(top, bottom, t));
        }
    }

    /// Paints `region` with `colour` at opacity `alpha` (0..1).
    pub fn fill(&mut self, region: &Region, colour: Colour, alpha: f32) {
        let s = SUPERSAMPLE as f32;
        let (_, top, _, bottom) = region.bounds();
        let (w, h) = (self.stride as f32, self.rows as f32);
        let first = (top * s).clamp(0.0, h) as usize;
        let last = ((bottom * s).ceil() + 1.0).clamp(0.0, h) as usize;
        for py in first..last {
            for (l, r) in region.spans((py as f32 + 0.5) / s) {
                // The pixels whose centres lie in [l, r].
                let x0 = (l * s - 0.5).ceil().clamp(0.0, w) as usize;
                let x1 = ((r * s - 0.5).floor() + 1.0).clamp(0.0, w) as usize;
                if x0 >= x1 {
                    continue;
                }
                if alpha >= 1.0 {
                    self.run(py, x0, x1, colour);
                } else {
                    let at = py * self.stride * 3;
                    for px in self.buf[at + x0 * 3..at + x1 * 3].chunks_exact_mut(3) {
                        let under = [px[0], px[1], px[2]];
                        px.copy_from_slice(&mix(under, colour, alpha));
                    }
                }
            }
        }
    }

    /// Paints `region` opaque.
    pub fn paint(&mut self, region: &Region, colour: Colour) {
        self.fill(region, colour, 1.0);
    }

    /// The drawing at its size, as PNG bytes.
    pub fn png(self) -> Result<Vec<u8>, image::ImageError> {
        let (stride, rows) = (self.stride as u32, self.rows as u32);
        let big = RgbImage::from_raw(stride, rows, self.buf).ok_or_else(|| {
            image::ImageError::Parameter(image::error::ParameterError::from_kind(
                image::error::ParameterErrorKind::DimensionMismatch,
            ))
        })?;
        let small = image::imageops::thumbnail(&big, self.width, self.height);
        let mut out = Vec::new();
        PngEncoder::new(&mut out).write_image(
            small.as_raw(),
            self.width,
            self.height,
            image::ExtendedColorType::Rgb8,
        )?;
        Ok(out)
    }
}

/// A vehicle's silhouette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Three volumes.
    Sedan,
    /// Two volumes.
    Hatch,
    /// Tall, long roof.
    Suv,
    /// Cab and bed.
    Pickup,
}

impl Body {
    /// The silhouette for a vehicle's `body_type` (as the Auto API stores it).
    pub fn of(body_type: &str) -> Self {
        match body_type {
            "sedan" => Self::Sedan,
            "suv" => Self::Suv,
            "picape" | "pickup" => Self::Pickup,
            _ => Self::Hatch,
        }
    }
}

/// Where the photo was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    /// Indoors, facing right.
    Showroom,
    /// On the street, facing left.
    Street,
}

/// Vehicle photos are this size.
pub const PHOTO: (u32, u32) = (640, 400);
/// Product images are this size.
pub const PRODUCT: (u32, u32) = (480, 480);

fn showroom(c: &mut Canvas) {
    c.gradient(0.0, 272.0, [238, 240, 244], [214, 218, 225]);
    c.gradient(272.0, 400.0, [196, 200, 207], [150, 155, 163]);
    for x in [40.0, 250.0, 460.0] {
        c.fill(
            &rect(x, 34.0, x + 140.0, 120.0, 10.0),
            [255, 255, 255],
            0.55,
        );
    }
    c.fill(&rect(0.0, 266.0, 640.0, 272.0, 0.0), [170, 175, 183], 1.0);
}

fn street(c: &mut Canvas) {
    c.gradient(0.0, 250.0, [112, 166, 226], [206, 228, 246]);
    c.fill(&circle(520.0, 70.0, 34.0), [255, 236, 170], 0.9);
    c.paint(
        &polygon(&[
            (0.0, 250.0),
            (0.0, 200.0),
            (90.0, 176.0),
            (210.0, 206.0),
            (330.0, 168.0),
            (470.0, 204.0),
            (640.0, 180.0),
            (640.0, 250.0),
        ]),
        [132, 168, 118],
    );
    for (x, h) in [(40.0, 70.0), (130.0, 96.0), (420.0, 84.0), (560.0, 60.0)] {
        c.paint(&rect(x, 250.0 - h, x + 56.0, 250.0, 4.0), [222, 214, 200]);
        for row in 0..(h as i32 / 24) {
            let y = 250.0 - h + 10.0 + row as f32 * 24.0;
            c.paint(&rect(x + 10.0, y, x + 24.0, y + 12.0, 2.0), [150, 176, 204]);
            c.paint(&rect(x + 32.0, y, x + 46.0, y + 12.0, 2.0), [150, 176, 204]);
        }
    }
    c.paint(&rect(0.0, 250.0, 640.0, 272.0, 0.0), [188, 186, 180]);
    c.gradient(272.0, 400.0, [104, 107, 114], [78, 80, 86]);
    for x in (0..640).step_by(90) {
        let x = x as f32;
        c.paint(&rect(x, 366.0, x + 50.0, 372.0, 2.0), [236, 236, 230]);
    }
}

/// The parts of a silhouette facing right: body, glass, the wheels' centres
/// and radius, the y of the belt line.
struct Profile {
    body: Vec<(f32, f32)>,
    glass: Vec<(f32, f32)>,
    pillar_x: f32,
    wheels: [f32; 2],
    wheel_y: f32,
    wheel_r: f32,
    belt_y: f32,
}

fn profile(body: Body) -> Profile {
    match body {
        Body::Sedan => Profile {
            body: vec![
                (80.0, 300.0),
                (74.0, 262.0),
                (90.0, 238.0),
                (196.0, 230.0),
                (262.0, 180.0),
                (392.0, 178.0),
                (460.0, 228.0),
                (560.0, 240.0),
                (576.0, 262.0),
                (570.0, 300.0),
            ],
            glass: vec![
                (214.0, 230.0),
                (268.0, 190.0),
                (386.0, 188.0),
                (442.0, 230.0),
            ],
            pillar_x: 330.0,
            wheels: [168.0, 480.0],
            wheel_y: 300.0,
            wheel_r: 40.0,
            belt_y: 240.0,
        },
        Body::Hatch => Profile {
            body: vec![
                (88.0, 300.0),
                (82.0, 258.0),
                (92.0, 224.0),
                (128.0, 184.0),
                (366.0, 178.0),
                (444.0, 228.0),
                (546.0, 242.0),
                (562.0, 264.0),
                (556.0, 300.0),
            ],
            glass: vec![
                (118.0, 226.0),
                (140.0, 194.0),
                (360.0, 188.0),
                (424.0, 228.0),
            ],
            pillar_x: 262.0,
            wheels: [172.0, 466.0],
            wheel_y: 300.0,
            wheel_r: 38.0,
            belt_y: 240.0,
        },
        Body::Suv => Profile {
            body: vec![
                (80.0, 296.0),
                (74.0, 236.0),
                (84.0, 176.0),
                (104.0, 164.0),
                (376.0, 160.0),
                (452.0, 216.0),
                (560.0, 232.0),
                (578.0, 258.0),
                (572.0, 296.0),
            ],
            glass: vec![
                (104.0, 218.0),
                (114.0, 178.0),
                (370.0, 174.0),
                (430.0, 218.0),
            ],
            pillar_x: 262.0,
            wheels: [170.0, 482.0],
            wheel_y: 296.0,
            wheel_r: 44.0,
            belt_y: 230.0,
        },
        Body::Pickup => Profile {
            body: vec![
                (70.0, 298.0),
                (66.0, 232.0),
                (276.0, 232.0),
                (300.0, 166.0),
                (402.0, 164.0),
                (470.0, 220.0),
                (566.0, 234.0),
                (582.0, 260.0),
                (576.0, 298.0),
            ],
            glass: vec![
                (312.0, 222.0),
                (318.0, 180.0),
                (396.0, 178.0),
                (452.0, 220.0),
            ],
            pillar_x: 372.0,
            wheels: [164.0, 484.0],
            wheel_y: 298.0,
            wheel_r: 44.0,
            belt_y: 238.0,
        },
    }
}

/// A vehicle of `body` painted `paint`, photographed in `scene`, as PNG.
pub fn vehicle_photo(
    body: Body,
    paint: Colour,
    scene: Scene,
) -> Result<Vec<u8>, image::ImageError> {
    let (w, h) = PHOTO;
    let mut c = Canvas::new(w, h, [255, 255, 255]);
    let flip = scene == Scene::Street;
    match scene {
        Scene::Showroom => showroom(&mut c),
        Scene::Street => street(&mut c),
    }
    let width = c.width();
    let at = |r: Region| if flip { r.mirrored(width) } else { r };
    let p = profile(body);
    let outline = polygon(&p.body);
    let (left, right) = (p.body[1].0, p.body[p.body.len() - 2].0);

    c.fill(
        &at(ellipse(325.0, p.wheel_y + 16.0, 280.0, 18.0)),
        [20, 22, 26],
        0.35,
    );
    // Wheel arches: the dark inside of the body around each wheel.
    for x in p.wheels {
        c.paint(&at(circle(x, p.wheel_y, p.wheel_r + 6.0)), [28, 30, 34]);
    }
    c.paint(
        &at(outline
            .clone()
            .cut(circle(p.wheels[0], p.wheel_y, p.wheel_r + 6.0))
            .cut(circle(p.wheels[1], p.wheel_y, p.wheel_r + 6.0))),
        paint,
    );
    // Light from above: the top of the body lighter, the sill darker.
    c.fill(
        &at(outline.clone().clip(rect(0.0, 0.0, width, p.belt_y, 0.0))),
        [255, 255, 255],
        0.16,
    );
    c.fill(
        &at(rect(left, p.wheel_y - 14.0, right, p.wheel_y, 0.0)
            .clip(outline.clone())
            .cut(circle(p.wheels[0], p.wheel_y, p.wheel_r + 6.0))
            .cut(circle(p.wheels[1], p.wheel_y, p.wheel_r + 6.0))),
        [0, 0, 0],
        0.28,
    );
    c.fill(
        &at(rect(left, p.belt_y, right, p.belt_y + 3.0, 0.0).clip(outline.clone())),
        [255, 255, 255],
        0.35,
    );
    // Glass, with the pillar between the windows and a reflection.
    let glass = polygon(&p.glass);
    c.paint(&at(glass.clone()), [52, 66, 84]);
    c.fill(
        &at(polygon(&[
            (p.glass[1].0 + 30.0, p.glass[1].1),
            (p.glass[1].0 + 60.0, p.glass[1].1),
            (p.glass[0].0 + 70.0, p.glass[0].1),
            (p.glass[0].0 + 40.0, p.glass[0].1),
        ])
        .clip(glass.clone())),
        [255, 255, 255],
        0.22,
    );
    c.paint(
        &at(rect(p.pillar_x - 5.0, 150.0, p.pillar_x + 5.0, p.belt_y, 0.0).clip(glass)),
        darker(paint, 0.35),
    );
    // Door seam and handle.
    c.paint(
        &at(rect(
            p.pillar_x - 1.0,
            p.belt_y,
            p.pillar_x + 1.0,
            p.wheel_y - 16.0,
            0.0,
        )),
        darker(paint, 0.3),
    );
    c.paint(
        &at(rect(
            p.pillar_x + 16.0,
            p.belt_y + 10.0,
            p.pillar_x + 40.0,
            p.belt_y + 15.0,
            2.5,
        )),
        darker(paint, 0.25),
    );
    // Lights: head at the front (right), tail at the back.
    c.paint(
        &at(rect(right - 26.0, 246.0, right - 4.0, 256.0, 4.0).clip(outline.clone())),
        [250, 246, 222],
    );
    c.paint(
        &at(rect(left, 244.0, left + 14.0, 258.0, 3.0).clip(outline)),
        [196, 32, 40],
    );
    for x in p.wheels {
        c.paint(&at(circle(x, p.wheel_y, p.wheel_r)), [24, 24, 27]);
        c.paint(&at(circle(x, p.wheel_y, p.wheel_r * 0.64)), [196, 200, 206]);
        c.paint(&at(circle(x, p.wheel_y, p.wheel_r * 0.5)), [150, 155, 162]);
        c.paint(&at(circle(x, p.wheel_y, p.wheel_r * 0.18)), [210, 213, 218]);
    }
    c.png()
}

/// What a product image shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// A bottle (shampoo, plastics renewer).
    Bottle,
    /// A wide jar (wax).
    Jar,
    /// A spray can (paint, varnish).
    Spray,
    /// A touch-up paint pen.
    Pen,
    /// A rubber floor mat.
    Mat,
    /// A seat cover.
    Seat,
    /// A phone on a vent holder.
    Phone,
    /// A reversing camera.
    Camera,
    /// A USB car charger.
    Charger,
    /// A warning triangle.
    Triangle,
}

/// A product image: `icon` in `colour` on a backdrop tinted `tint`, as PNG.
pub fn product_image(
    icon: Icon,
    colour: Colour,
    tint: Colour,
) -> Result<Vec<u8>, image::ImageError> {
    let (w, h) = PRODUCT;
    let mut c = Canvas::new(w, h, lighter(tint, 0.85));
    c.gradient(0.0, h as f32, lighter(tint, 0.9), lighter(tint, 0.6));
    c.fill(&circle(240.0, 240.0, 190.0), [255, 255, 255], 0.65);
    c.fill(&ellipse(240.0, 410.0, 130.0, 16.0), [0, 0, 0], 0.18);
    let dark = darker(colour, 0.35);
    let pale = lighter(colour, 0.75);
    match icon {
        Icon::Bottle => {
            c.paint(&rect(218.0, 96.0, 262.0, 150.0, 4.0), dark);
            c.paint(&rect(196.0, 132.0, 284.0, 196.0, 26.0), colour);
            c.paint(&rect(166.0, 170.0, 314.0, 404.0, 30.0), colour);
            c.paint(&rect(182.0, 236.0, 298.0, 338.0, 10.0), [250, 250, 248]);
            c.paint(&rect(182.0, 262.0, 298.0, 280.0, 0.0), pale);
            c.paint(&rect(200.0, 296.0, 280.0, 304.0, 4.0), dark);
            c.fill(
                &rect(180.0, 186.0, 198.0, 392.0, 9.0),
                [255, 255, 255],
                0.25,
            );
        }
        Icon::Jar => {
            c.paint(&rect(132.0, 180.0, 348.0, 236.0, 14.0), dark);
            c.paint(&rect(144.0, 222.0, 336.0, 392.0, 26.0), colour);
            c.paint(&rect(144.0, 268.0, 336.0, 344.0, 0.0), [250, 250, 248]);
            c.paint(&rect(170.0, 296.0, 310.0, 316.0, 8.0), pale);
            c.fill(
                &rect(156.0, 232.0, 176.0, 384.0, 10.0),
                [255, 255, 255],
                0.22,
            );
        }
        Icon::Spray => {
            c.paint(&rect(230.0, 58.0, 250.0, 84.0, 3.0), [60, 62, 66]);
            c.paint(&rect(204.0, 78.0, 276.0, 140.0, 12.0), dark);
            c.paint(&ellipse(240.0, 146.0, 56.0, 18.0), [190, 194, 200]);
            c.paint(&rect(184.0, 146.0, 296.0, 398.0, 16.0), colour);
            c.paint(&rect(184.0, 226.0, 296.0, 318.0, 0.0), [250, 250, 248]);
            c.paint(&circle(240.0, 272.0, 30.0), colour);
            c.fill(
                &rect(196.0, 152.0, 214.0, 390.0, 9.0),
                [255, 255, 255],
                0.25,
            );
        }
        Icon::Pen => {
            c.fill(&ellipse(318.0, 372.0, 34.0, 22.0), colour, 0.9);
            c.paint(
                &polygon(&[(222.0, 342.0), (258.0, 342.0), (240.0, 394.0)]),
                [70, 72, 76],
            );
            c.paint(&rect(214.0, 150.0, 266.0, 346.0, 12.0), [236, 238, 240]);
            c.paint(&rect(214.0, 90.0, 266.0, 176.0, 14.0), colour);
            c.paint(&rect(262.0, 104.0, 272.0, 162.0, 4.0), dark);
            c.paint(&rect(214.0, 226.0, 266.0, 262.0, 0.0), colour);
        }
        Icon::Mat => {
            let mat = rect(130.0, 110.0, 350.0, 398.0, 44.0);
            c.paint(&mat, colour);
            for i in 0..8 {
                let y = 146.0 + i as f32 * 26.0;
                c.paint(
                    &rect(160.0, y, 320.0, y + 10.0, 5.0).clip(mat.clone()),
                    dark,
                );
            }
            c.paint(
                &rect(196.0, 338.0, 284.0, 378.0, 12.0),
                darker(colour, 0.55),
            );
        }
        Icon::Seat => {
            c.paint(&rect(204.0, 60.0, 276.0, 112.0, 20.0), dark);
            c.paint(&rect(224.0, 104.0, 236.0, 124.0, 0.0), [120, 124, 130]);
            c.paint(&rect(244.0, 104.0, 256.0, 124.0, 0.0), [120, 124, 130]);
            c.paint(&rect(170.0, 118.0, 310.0, 300.0, 42.0), colour);
            c.paint(&rect(150.0, 282.0, 330.0, 376.0, 32.0), colour);
            for x in [206.0, 240.0, 274.0] {
                c.paint(&rect(x - 2.0, 138.0, x + 2.0, 282.0, 2.0), dark);
            }
            c.paint(&rect(168.0, 326.0, 312.0, 330.0, 2.0), dark);
        }
        Icon::Phone => {
            c.paint(&rect(220.0, 300.0, 260.0, 400.0, 8.0), [70, 72, 76]);
            c.paint(&rect(144.0, 196.0, 336.0, 232.0, 12.0), [90, 94, 100]);
            c.paint(&rect(176.0, 80.0, 304.0, 352.0, 24.0), [30, 31, 35]);
            c.paint(&rect(186.0, 100.0, 294.0, 332.0, 14.0), colour);
            c.fill(
                &rect(186.0, 100.0, 294.0, 200.0, 14.0),
                [255, 255, 255],
                0.25,
            );
            c.paint(&rect(132.0, 188.0, 152.0, 240.0, 6.0), [90, 94, 100]);
            c.paint(&rect(328.0, 188.0, 348.0, 240.0, 6.0), [90, 94, 100]);
        }
        Icon::Camera => {
            c.paint(&rect(208.0, 130.0, 272.0, 180.0, 8.0), [90, 94, 100]);
            c.paint(&rect(140.0, 168.0, 340.0, 330.0, 34.0), [44, 46, 52]);
            c.paint(&circle(240.0, 250.0, 62.0), [20, 21, 24]);
            c.paint(&circle(240.0, 250.0, 42.0), colour);
            c.paint(&circle(240.0, 250.0, 20.0), darker(colour, 0.6));
            c.fill(&circle(226.0, 236.0, 9.0), [255, 255, 255], 0.8);
            c.paint(&circle(310.0, 196.0, 7.0), [236, 66, 60]);
        }
        Icon::Charger => {
            c.paint(&rect(214.0, 330.0, 266.0, 396.0, 6.0), [196, 200, 206]);
            c.paint(&rect(226.0, 340.0, 254.0, 350.0, 2.0), [150, 155, 162]);
            c.paint(&rect(190.0, 110.0, 290.0, 340.0, 30.0), [40, 42, 48]);
            c.paint(&rect(212.0, 136.0, 238.0, 150.0, 4.0), [200, 204, 210]);
            c.paint(&rect(244.0, 134.0, 270.0, 152.0, 6.0), [200, 204, 210]);
            c.paint(&circle(240.0, 200.0, 8.0), colour);
            c.fill(
                &rect(200.0, 120.0, 214.0, 330.0, 7.0),
                [255, 255, 255],
                0.15,
            );
        }
        Icon::Triangle => {
            let outer = polygon(&[(240.0, 84.0), (392.0, 356.0), (88.0, 356.0)]);
            let inner = polygon(&[(240.0, 160.0), (334.0, 326.0), (146.0, 326.0)]);
            c.paint(&outer.cut(inner.clone()), colour);
            c.fill(&inner, [255, 255, 255], 0.7);
            c.paint(&rect(150.0, 356.0, 330.0, 372.0, 6.0), [70, 72, 76]);
        }
    }
    c.png()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::media::ImageKind;

    #[test]
    fn drawings_are_png_images_of_their_size() {
        let photo = vehicle_photo(Body::Suv, [180, 30, 40], Scene::Street).expect("png");
        assert_eq!(ImageKind::sniff(&photo), Some(ImageKind::Png));
        let decoded = image::load_from_memory(&photo).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), PHOTO);
        let product = product_image(Icon::Spray, [40, 90, 200], [40, 90, 200]).expect("png");
        assert_eq!(ImageKind::sniff(&product), Some(ImageKind::Png));
    }

    #[test]
    fn regions_hold_what_they_should() {
        let r = rect(0.0, 0.0, 10.0, 10.0, 4.0);
        assert!(r.contains(5.0, 5.0));
        assert!(!r.contains(0.2, 0.2), "a rounded corner is outside");
        let tri = polygon(&[(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]);
        assert!(tri.contains(2.0, 2.0) && !tri.contains(8.0, 8.0));
        let ring = circle(0.0, 0.0, 10.0).cut(circle(0.0, 0.0, 5.0));
        assert!(ring.contains(7.0, 0.0) && !ring.contains(1.0, 0.0));
        let mirrored = tri.mirrored(10.0);
        assert!(mirrored.contains(8.0, 2.0) && !mirrored.contains(2.0, 8.0));
    }
}
