//! Approved photo booths and photographers (F11): where to get an e-photo
//! code, nearest first. The list is the shipped file
//! `shared/data/photo-booths.csv`, SYNTHETIC DEMO DATA (see the README beside
//! it), compiled in and parsed once.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Invalid;
use super::prefecture::Postcode;
use crate::domain::FieldCode;

/// The shipped list: `name,kind,address,postcode,city,lat,lon`; `#` starts a comment line.
pub const SHIPPED_CSV: &str = include_str!("../../data/photo-booths.csv");

/// How many answers by default, and at most.
pub const DEFAULT_LIMIT: usize = 5;
pub const MAX_LIMIT: usize = 20;

/// Mean radius of the Earth (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BoothKind {
    /// A self-service photo booth.
    Booth,
    /// A photographer's studio.
    Photographer,
}

/// One approved place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PhotoBooth {
    pub name: String,
    pub kind: BoothKind,
    pub address: String,
    pub postcode: String,
    pub city: String,
    /// Latitude, WGS 84 decimal degrees.
    pub lat: f64,
    /// Longitude, WGS 84 decimal degrees.
    pub lon: f64,
}

/// A point on Earth, in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    lat: f64,
    lon: f64,
}

impl Position {
    pub fn new(lat: f64, lon: f64) -> Result<Self, FieldCode> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(FieldCode::InvalidNumber);
        }
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(FieldCode::OutOfRange);
        }
        Ok(Position { lat, lon })
    }

    /// From the texts of a query, each error under its field (`lat`, `lon`).
    pub fn parse(lat: Option<&str>, lon: Option<&str>) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let lat = invalid.check("lat", coordinate(lat, 90.0));
        let lon = invalid.check("lon", coordinate(lon, 180.0));
        match (lat, lon) {
            (Some(lat), Some(lon)) => Ok(Position { lat, lon }),
            _ => Err(invalid),
        }
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance (haversine), in kilometres.
    pub fn distance_km(self, to: Position) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), to.lat.to_radians());
        let d_phi = (to.lat - self.lat).to_radians();
        let d_lambda = (to.lon - self.lon).to_radians();
        let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

fn coordinate(value: Option<&str>, max: f64) -> Result<f64, FieldCode> {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    let number: f64 = value.parse().map_err(|_| FieldCode::InvalidNumber)?;
    if !number.is_finite() {
        return Err(FieldCode::InvalidNumber);
    }
    if number.abs() > max {
        return Err(FieldCode::OutOfRange);
    }
    Ok(number)
}

/// How many answers: absent means [`DEFAULT_LIMIT`], else 1 to [`MAX_LIMIT`].
pub fn parse_limit(value: Option<&str>) -> Result<usize, FieldCode> {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Ok(DEFAULT_LIMIT);
    }
    let limit: i64 = value.parse().map_err(|_| FieldCode::InvalidNumber)?;
    if !(1..=MAX_LIMIT as i64).contains(&limit) {
        return Err(FieldCode::OutOfRange);
    }
    Ok(limit as usize)
}

impl PhotoBooth {
    pub fn position(&self) -> Position {
        Position {
            lat: self.lat,
            lon: self.lon,
        }
    }
}

/// Parse a list in the shipped format.
pub fn parse_csv(text: &str) -> Result<Vec<PhotoBooth>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut booths = Vec::new();
    for (index, row) in reader.deserialize::<PhotoBooth>().enumerate() {
        let booth = row.map_err(|e| format!("photo booths, row {}: {e}", index + 1))?;
        Position::new(booth.lat, booth.lon).map_err(|code| format!("photo booths, row {}: {code}", index + 1))?;
        booths.push(booth);
    }
    Ok(booths)
}

/// The shipped list, parsed at first use.
pub fn shipped() -> &'static [PhotoBooth] {
    static BOOTHS: OnceLock<Vec<PhotoBooth>> = OnceLock::new();
    BOOTHS.get_or_init(|| parse_csv(SHIPPED_CSV).expect("the shipped photo booths are valid"))
}

/// The `limit` places nearest to `from`, nearest first, with their distance in km.
pub fn nearest(booths: &[PhotoBooth], from: Position, limit: usize) -> Vec<(&PhotoBooth, f64)> {
    let mut by_distance: Vec<(&PhotoBooth, f64)> = booths.iter().map(|b| (b, from.distance_km(b.position()))).collect();
    by_distance.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
    by_distance.truncate(limit);
    by_distance
}

/// Where a postcode is, for lack of a geocoder in the demo list: the mean
/// position of the places with that postcode, else of the places of its
/// département; `None` when the list has none there.
pub fn locate(booths: &[PhotoBooth], postcode: &Postcode) -> Option<Position> {
    let mean = |places: Vec<&PhotoBooth>| {
        (!places.is_empty()).then(|| {
            let n = places.len() as f64;
            Position {
                lat: places.iter().map(|b| b.lat).sum::<f64>() / n,
                lon: places.iter().map(|b| b.lon).sum::<f64>() / n,
            }
        })
    };
    let same_postcode = booths.iter().filter(|b| b.postcode == postcode.as_str()).collect();
    mean(same_postcode).or_else(|| {
        let departement = postcode.prefecture()?;
        let same_departement = booths
            .iter()
            .filter(|b| Postcode::parse(&b.postcode).ok().and_then(|p| p.prefecture()).as_ref() == Some(&departement))
            .collect();
        mean(same_departement)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldError;
    use crate::domain::prefecture::PrefectureCode;

    fn at(lat: f64, lon: f64) -> Position {
        Position::new(lat, lon).unwrap()
    }

    #[test]
    fn haversine_distances() {
        let paris = at(48.8566, 2.3522);
        let lyon = at(45.7640, 4.8357);
        let d = paris.distance_km(lyon);
        assert!((d - 392.0).abs() < 3.0, "{d}");
        assert_eq!(paris.distance_km(paris), 0.0);
        // Symmetric, and across the antimeridian the short way round.
        assert!((lyon.distance_km(paris) - d).abs() < 1e-9);
        let east = at(0.0, 179.5);
        let west = at(0.0, -179.5);
        assert!((east.distance_km(west) - 111.2).abs() < 0.5);
        // Antipodes: half the circumference, no NaN.
        let far = at(0.0, 0.0).distance_km(at(0.0, 180.0));
        assert!((far - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }

    #[test]
    fn the_shipped_list_covers_the_country_and_overseas() {
        let booths = shipped();
        assert!(booths.len() >= 60, "{}", booths.len());
        assert!(booths.iter().any(|b| b.kind == BoothKind::Photographer));
        assert!(booths.iter().any(|b| b.kind == BoothKind::Booth));
        for overseas in ["974", "972", "971", "973", "976"] {
            assert!(booths.iter().any(|b| b.postcode.starts_with(overseas)), "{overseas}");
        }
        assert!(booths.iter().all(|b| b.postcode.len() == 5));
    }

    #[test]
    fn nearest_first() {
        let booths = shipped();
        // From Lyon Part-Dieu: Lyon first, sorted, within the limit.
        let found = nearest(booths, at(45.7606, 4.8593), 5);
        assert_eq!(found.len(), 5);
        assert!(found.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(found[..4].iter().all(|(b, _)| b.city == "Lyon"), "{found:?}");
        // From Saint-Denis de La Réunion: the two Réunion places, then far away.
        let found = nearest(booths, at(-20.88, 55.45), 3);
        assert_eq!(found[0].0.postcode, "97400");
        assert_eq!(found[1].0.postcode, "97410");
        assert!(found[2].1 > 1000.0);
        assert_eq!(nearest(booths, at(0.0, 0.0), 100).len(), booths.len());
    }

    #[test]
    fn positions_and_limits_are_checked() {
        assert_eq!(
            Position::parse(Some(" 48.85 "), Some("2.35")).unwrap(),
            Position { lat: 48.85, lon: 2.35 }
        );
        assert_eq!(
            Position::parse(None, Some("")).unwrap_err().0,
            vec![
                FieldError::new("lat", FieldCode::Required),
                FieldError::new("lon", FieldCode::Required)
            ]
        );
        assert_eq!(
            Position::parse(Some("48,85"), Some("NaN")).unwrap_err().0,
            vec![
                FieldError::new("lat", FieldCode::InvalidNumber),
                FieldError::new("lon", FieldCode::InvalidNumber)
            ]
        );
        assert_eq!(
            Position::parse(Some("-90.5"), Some("180.01")).unwrap_err().0,
            vec![
                FieldError::new("lat", FieldCode::OutOfRange),
                FieldError::new("lon", FieldCode::OutOfRange)
            ]
        );
        assert_eq!(Position::new(f64::INFINITY, 0.0), Err(FieldCode::InvalidNumber));
        assert_eq!(parse_limit(None), Ok(DEFAULT_LIMIT));
        assert_eq!(parse_limit(Some("20")), Ok(20));
        assert_eq!(parse_limit(Some("0")), Err(FieldCode::OutOfRange));
        assert_eq!(parse_limit(Some("21")), Err(FieldCode::OutOfRange));
        assert_eq!(parse_limit(Some("five")), Err(FieldCode::InvalidNumber));
    }

    #[test]
    fn a_bad_list_is_refused() {
        let header = "name,kind,address,postcode,city,lat,lon\n";
        assert!(parse_csv(&format!("{header}A,kiosk,1 rue X,75001,Paris,48.8,2.3\n")).is_err());
        assert!(parse_csv(&format!("{header}A,booth,1 rue X,75001,Paris,98.8,2.3\n")).is_err());
        assert_eq!(
            parse_csv(&format!("# demo\n{header}A,booth,1 rue X,75001,Paris,48.8,2.3\n"))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_postcode_is_placed_at_its_own_places_then_at_its_departements() {
        let booths = shipped();
        let lyon = booths.iter().find(|b| b.city == "Lyon").expect("a place in Lyon");
        let postcode = Postcode::parse(&lyon.postcode).unwrap();
        let origin = locate(booths, &postcode).unwrap();
        let first = nearest(booths, origin, 1)[0].0;
        assert_eq!(first.postcode, lyon.postcode);
        // Another postcode of the same département: placed among its places.
        let elsewhere = Postcode::parse("69999").unwrap();
        let origin = locate(booths, &elsewhere).unwrap();
        assert!(nearest(booths, origin, 1)[0].0.postcode.starts_with("69"));
        // A département without any place in the list.
        let empty = PrefectureCode::all()
            .find(|p| {
                !booths
                    .iter()
                    .any(|b| Postcode::parse(&b.postcode).unwrap().prefecture().as_ref() == Some(p))
            })
            .expect("the demo list does not cover every département");
        let postcode = format!("{:0<5}", empty.as_str().replace("2A", "20").replace("2B", "202"));
        let postcode = Postcode::parse(&postcode).unwrap();
        assert_eq!(postcode.prefecture(), Some(empty.clone()));
        assert_eq!(locate(booths, &postcode), None);
    }
}
