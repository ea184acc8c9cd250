//! Départements and their préfectures. A case is routed to the préfecture of
//! the département of the applicant's address; the département comes from
//! the postcode.

use crate::domain::FieldCode;
use serde::{Deserialize, Serialize};

/// A département code, which is also the code of its préfecture: "75", "2A", "971".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(into = "String")]
#[schema(value_type = String, example = "75")]
pub struct PrefectureCode(&'static str);

// By hand: a derived impl would make serde borrow the `&'static str`.
impl<'de> Deserialize<'de> for PrefectureCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        PrefectureCode::parse(&value).map_err(serde::de::Error::custom)
    }
}

impl PrefectureCode {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        DEPARTEMENTS
            .iter()
            .find(|d| d.0 == value)
            .map(|d| PrefectureCode(d.0))
            .ok_or(FieldCode::UnknownPrefecture)
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The département's name, e.g. "Paris".
    pub fn departement_name(&self) -> &'static str {
        self.entry().1
    }

    /// The town of the préfecture, e.g. "Lyon".
    pub fn seat(&self) -> &'static str {
        self.entry().2
    }

    /// Every préfecture, in code order.
    pub fn all() -> impl Iterator<Item = PrefectureCode> {
        DEPARTEMENTS.iter().map(|d| PrefectureCode(d.0))
    }

    fn entry(&self) -> &'static (&'static str, &'static str, &'static str) {
        DEPARTEMENTS
            .iter()
            .find(|d| d.0 == self.0)
            .expect("parsed codes are in the table")
    }
}

impl TryFrom<String> for PrefectureCode {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PrefectureCode::parse(&value)
    }
}

impl From<PrefectureCode> for String {
    fn from(code: PrefectureCode) -> String {
        code.0.to_string()
    }
}

/// A French postcode: five digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "75011")]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value: String = value.trim().chars().filter(|c| *c != ' ').collect();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        if value.len() != 5 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldCode::InvalidPostcode);
        }
        let postcode = Postcode(value);
        postcode.prefecture().ok_or(FieldCode::NoPrefecture)?;
        Ok(postcode)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The préfecture of the postcode's département. Corsica splits at 20200;
    /// overseas départements use three digits.
    pub fn prefecture(&self) -> Option<PrefectureCode> {
        let code = match &self.0[..2] {
            "20" => {
                if self.0.as_str() < "20200" {
                    "2A".to_string()
                } else {
                    "2B".to_string()
                }
            }
            "97" => self.0[..3].to_string(),
            other => other.to_string(),
        };
        PrefectureCode::parse(&code).ok()
    }
}

impl TryFrom<String> for Postcode {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Postcode::parse(&value)
    }
}

impl From<Postcode> for String {
    fn from(p: Postcode) -> String {
        p.0
    }
}

/// (code, département, préfecture town) for the 101 départements.
static DEPARTEMENTS: [(&str, &str, &str); 101] = [
    ("01", "Ain", "Bourg-en-Bresse"),
    ("02", "Aisne", "Laon"),
    ("03", "Allier", "Moulins"),
    ("04", "Alpes-de-Haute-Provence", "Digne-les-Bains"),
    ("05", "Hautes-Alpes", "Gap"),
    ("06", "Alpes-Maritimes", "Nice"),
    ("07", "Ardèche", "Privas"),
    ("08", "Ardennes", "Charleville-Mézières"),
    ("09", "Ariège", "Foix"),
    ("10", "Aube", "Troyes"),
    ("11", "Aude", "Carcassonne"),
    ("12", "Aveyron", "Rodez"),
    ("13", "Bouches-du-Rhône", "Marseille"),
    ("14", "Calvados", "Caen"),
    ("15", "Cantal", "Aurillac"),
    ("16", "Charente", "Angoulême"),
    ("17", "Charente-Maritime", "La Rochelle"),
    ("18", "Cher", "Bourges"),
    ("19", "Corrèze", "Tulle"),
    ("2A", "Corse-du-Sud", "Ajaccio"),
    ("2B", "Haute-Corse", "Bastia"),
    ("21", "Côte-d'Or", "Dijon"),
    ("22", "Côtes-d'Armor", "Saint-Brieuc"),
    ("23", "Creuse", "Guéret"),
    ("24", "Dordogne", "Périgueux"),
    ("25", "Doubs", "Besançon"),
    ("26", "Drôme", "Valence"),
    ("27", "Eure", "Évreux"),
    ("28", "Eure-et-Loir", "Chartres"),
    ("29", "Finistère", "Quimper"),
    ("30", "Gard", "Nîmes"),
    ("31", "Haute-Garonne", "Toulouse"),
    ("32", "Gers", "Auch"),
    ("33", "Gironde", "Bordeaux"),
    ("34", "Hérault", "Montpellier"),
    ("35", "Ille-et-Vilaine", "Rennes"),
    ("36", "Indre", "Châteauroux"),
    ("37", "Indre-et-Loire", "Tours"),
    ("38", "Isère", "Grenoble"),
    ("39", "Jura", "Lons-le-Saunier"),
    ("40", "Landes", "Mont-de-Marsan"),
    ("41", "Loir-et-Cher", "Blois"),
    ("42", "Loire", "Saint-Étienne"),
    ("43", "Haute-Loire", "Le Puy-en-Velay"),
    ("44", "Loire-Atlantique", "Nantes"),
    ("45", "Loiret", "Orléans"),
    ("46", "Lot", "Cahors"),
    ("47", "Lot-et-Garonne", "Agen"),
    ("48", "Lozère", "Mende"),
    ("49", "Maine-et-Loire", "Angers"),
    ("50", "Manche", "Saint-Lô"),
    ("51", "Marne", "Châlons-en-Champagne"),
    ("52", "Haute-Marne", "Chaumont"),
    ("53", "Mayenne", "Laval"),
    ("54", "Meurthe-et-Moselle", "Nancy"),
    ("55", "Meuse", "Bar-le-Duc"),
    ("56", "Morbihan", "Vannes"),
    ("57", "Moselle", "Metz"),
    ("58", "Nièvre", "Nevers"),
    ("59", "Nord", "Lille"),
    ("60", "Oise", "Beauvais"),
    ("61", "Orne", "Alençon"),
    ("62", "Pas-de-Calais", "Arras"),
    ("63", "Puy-de-Dôme", "Clermont-Ferrand"),
    ("64", "Pyrénées-Atlantiques", "Pau"),
    ("65", "Hautes-Pyrénées", "Tarbes"),
    ("66", "Pyrénées-Orientales", "Perpignan"),
    ("67", "Bas-Rhin", "Strasbourg"),
    ("68", "Haut-Rhin", "Colmar"),
    ("69", "Rhône", "Lyon"),
    ("70", "Haute-Saône", "Vesoul"),
    ("71", "Saône-et-Loire", "Mâcon"),
    ("72", "Sarthe", "Le Mans"),
    ("73", "Savoie", "Chambéry"),
    ("74", "Haute-Savoie", "Annecy"),
    ("75", "Paris", "Paris"),
    ("76", "Seine-Maritime", "Rouen"),
    ("77", "Seine-et-Marne", "Melun"),
    ("78", "Yvelines", "Versailles"),
    ("79", "Deux-Sèvres", "Niort"),
    ("80", "Somme", "Amiens"),
    ("81", "Tarn", "Albi"),
    ("82", "Tarn-et-Garonne", "Montauban"),
    ("83", "Var", "Toulon"),
    ("84", "Vaucluse", "Avignon"),
    ("85", "Vendée", "La Roche-sur-Yon"),
    ("86", "Vienne", "Poitiers"),
    ("87", "Haute-Vienne", "Limoges"),
    ("88", "Vosges", "Épinal"),
    ("89", "Yonne", "Auxerre"),
    ("90", "Territoire de Belfort", "Belfort"),
    ("91", "Essonne", "Évry-Courcouronnes"),
    ("92", "Hauts-de-Seine", "Nanterre"),
    ("93", "Seine-Saint-Denis", "Bobigny"),
    ("94", "Val-de-Marne", "Créteil"),
    ("95", "Val-d'Oise", "Cergy"),
    ("971", "Guadeloupe", "Basse-Terre"),
    ("972", "Martinique", "Fort-de-France"),
    ("973", "Guyane", "Cayenne"),
    ("974", "La Réunion", "Saint-Denis"),
    ("976", "Mayotte", "Mamoudzou"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_route_to_their_prefecture() {
        let cases = [
            ("75011", "75"),
            ("20000", "2A"),
            ("20090", "2A"),
            ("20200", "2B"),
            ("97110", "971"),
            ("97400", "974"),
            ("01000", "01"),
        ];
        for (postcode, prefecture) in cases {
            assert_eq!(
                Postcode::parse(postcode).unwrap().prefecture().unwrap().as_str(),
                prefecture
            );
        }
    }

    #[test]
    fn postcodes_outside_a_departement_are_refused() {
        assert_eq!(Postcode::parse("98000"), Err(FieldCode::NoPrefecture));
        assert_eq!(Postcode::parse("00100"), Err(FieldCode::NoPrefecture));
        assert_eq!(Postcode::parse("7501"), Err(FieldCode::InvalidPostcode));
        assert_eq!(Postcode::parse(""), Err(FieldCode::Required));
    }

    #[test]
    fn prefecture_codes_parse_case_insensitively() {
        assert_eq!(PrefectureCode::parse("2a").unwrap().as_str(), "2A");
        assert_eq!(PrefectureCode::parse("96"), Err(FieldCode::UnknownPrefecture));
        assert_eq!(PrefectureCode::all().count(), 101);
    }
}
