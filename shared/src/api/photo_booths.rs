//! `GET /api/photo-booths?lat=&lon=&limit=` or `?postcode=&limit=`: the
//! approved photo booths and photographers nearest to a position or to a
//! postcode (F11), open to everyone. The list is
//! synthetic demo data shipped with the program (`shared/data/`).

use axum::Json;
use axum::extract::Query;
use serde::Serialize;

use crate::domain::Invalid;
use crate::domain::photo_booth::{self, BoothKind, Position};
use crate::domain::prefecture::Postcode;
use crate::service::ServiceError;

use super::problem::{ApiResult, Problem};

/// One place, with its distance from the position asked about.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NearbyBooth {
    #[schema(example = "Cabine photo agréée – gare (Lyon)")]
    pub name: String,
    pub kind: BoothKind,
    #[schema(example = "12 rue de la République")]
    pub address: String,
    #[schema(example = "69003")]
    pub postcode: String,
    #[schema(example = "Lyon")]
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    /// Great-circle distance from the position (or the postcode's estimated
    /// place), in kilometres (one decimal).
    #[schema(example = 1.2)]
    pub distance_km: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NearbyBooths {
    /// Nearest first.
    pub booths: Vec<NearbyBooth>,
    /// Always `true` here: the list is invented for the demonstration.
    pub synthetic_demo_data: bool,
}

/// The approved photo booths and photographers nearest to a position (the
/// browser's geolocation) or to a postcode (typed by the applicant).
///
/// Give `lat` and `lon`, or `postcode`. A postcode is placed at its own
/// places in the list, else at those of its département; a département
/// without any gives an empty list.
#[utoipa::path(
    get,
    path = "/api/photo-booths",
    tag = "public",
    params(
        ("lat" = Option<f64>, Query, minimum = -90, maximum = 90, description = "Latitude, -90 to 90 (WGS 84 decimal degrees); with `lon`, unless `postcode` is given"),
        ("lon" = Option<f64>, Query, minimum = -180, maximum = 180, description = "Longitude, -180 to 180"),
        ("postcode" = Option<String>, Query, example = "69003", description = "A French postcode (5 digits), instead of `lat` and `lon`"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "How many places, 1 to 20 (default 5)"),
    ),
    responses(
        (status = 200, description = "Nearest first (synthetic demo data)", body = NearbyBooths),
        (status = 422, description = "`validation_failed`: `lat`, `lon` or `limit` is `required`, `invalid_number` or `out_of_range`; `postcode` is `invalid_postcode`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn nearest(Query(query): Query<Vec<(String, String)>>) -> ApiResult<Json<NearbyBooths>> {
    // The first value of each parameter; a list of pairs never fails to parse.
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let booths = photo_booth::shipped();
    let by_postcode = param("postcode").filter(|_| param("lat").is_none() && param("lon").is_none());
    let position = match by_postcode {
        Some(postcode) => match Postcode::parse(postcode) {
            Ok(postcode) => Ok(photo_booth::locate(booths, &postcode)),
            Err(code) => {
                let mut invalid = Invalid::default();
                invalid.push("postcode", code);
                Err(invalid)
            }
        },
        None => Position::parse(param("lat"), param("lon")).map(Some),
    };
    let limit = photo_booth::parse_limit(param("limit"));
    let (position, limit) = match (position, limit) {
        (Ok(position), Ok(limit)) => (position, limit),
        (position, limit) => {
            let mut invalid = position.err().unwrap_or_default();
            if let Err(code) = limit {
                invalid.push("limit", code);
            }
            return Err(ServiceError::Invalid(invalid).into());
        }
    };
    let nearest = position.map(|from| photo_booth::nearest(booths, from, limit));
    let booths = nearest
        .unwrap_or_default()
        .into_iter()
        .map(|(b, distance)| NearbyBooth {
            name: b.name.clone(),
            kind: b.kind,
            address: b.address.clone(),
            postcode: b.postcode.clone(),
            city: b.city.clone(),
            lat: b.lat,
            lon: b.lon,
            distance_km: (distance * 10.0).round() / 10.0,
        })
        .collect();
    Ok(Json(NearbyBooths {
        booths,
        synthetic_demo_data: true,
    }))
}
