//! The e-photo service, as a demo. The real one is the ANTS web service that
//! approved booths and photographers register their photos with; it is not
//! reachable from here (nor from a developer's machine or the tests), so
//! both runtimes use [`DemoEphoto`], which knows the codes of the shipped
//! file `shared/data/ephoto-demo-codes.csv` (synthetic demo data). Plugging
//! in the real service means another implementation of the `Ephoto` port.

use std::collections::HashMap;

use anyhow::{Context, bail};
use async_trait::async_trait;

use crate::domain::application::documents::EphotoCode;
use crate::ports::{Ephoto, EphotoCheck};

/// The shipped demo codes: `code,status` with status `valid` or `expired`;
/// `#` starts a comment line.
pub const DEMO_CODES_CSV: &str = include_str!("../../data/ephoto-demo-codes.csv");

/// An e-photo service that knows a fixed list of codes; any other code is `Unknown`.
#[derive(Debug, Clone)]
pub struct DemoEphoto {
    codes: HashMap<EphotoCode, EphotoCheck>,
}

impl DemoEphoto {
    /// The codes of `shared/data/ephoto-demo-codes.csv`.
    pub fn shipped() -> Self {
        DemoEphoto::parse(DEMO_CODES_CSV).expect("the shipped demo e-photo codes are valid")
    }

    pub fn parse(csv_text: &str) -> anyhow::Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(csv_text.as_bytes());
        let mut codes = HashMap::new();
        for (index, row) in reader.records().enumerate() {
            let row = row.with_context(|| format!("demo e-photo codes, row {}", index + 1))?;
            let code = EphotoCode::parse(row.get(0).unwrap_or_default())
                .map_err(|e| anyhow::anyhow!("demo e-photo codes, row {}: {e}", index + 1))?;
            let status = match row.get(1).unwrap_or_default() {
                "valid" => EphotoCheck::Valid,
                "expired" => EphotoCheck::Expired,
                other => bail!("demo e-photo codes, row {}: unknown status {other:?}", index + 1),
            };
            codes.insert(code, status);
        }
        Ok(DemoEphoto { codes })
    }

    /// The codes it knows, for demo banners and tests.
    pub fn codes(&self, status: EphotoCheck) -> Vec<&EphotoCode> {
        let mut codes: Vec<_> = self
            .codes
            .iter()
            .filter(|(_, s)| **s == status)
            .map(|(c, _)| c)
            .collect();
        codes.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        codes
    }
}

#[async_trait]
impl Ephoto for DemoEphoto {
    async fn check(&self, code: &EphotoCode) -> anyhow::Result<EphotoCheck> {
        Ok(self.codes.get(code).copied().unwrap_or(EphotoCheck::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> EphotoCode {
        EphotoCode::parse(text).unwrap()
    }

    #[tokio::test]
    async fn the_shipped_codes_are_known() {
        let ephoto = DemoEphoto::shipped();
        let valid = ephoto.codes(EphotoCheck::Valid);
        let expired = ephoto.codes(EphotoCheck::Expired);
        assert!(valid.len() >= 10, "{valid:?}");
        assert_eq!(expired.len(), 1);
        assert_eq!(ephoto.check(valid[0]).await.unwrap(), EphotoCheck::Valid);
        assert_eq!(ephoto.check(expired[0]).await.unwrap(), EphotoCheck::Expired);
        // As printed on the board: lower case, dashes and spaces are the same code.
        assert_eq!(
            ephoto.check(&code("demo01-7bvu wm3x-tgzx-s5z2")).await.unwrap(),
            EphotoCheck::Valid
        );
        assert_eq!(
            ephoto.check(&code("AB12CD34EF56GH78IJ90KL")).await.unwrap(),
            EphotoCheck::Unknown
        );
    }

    #[test]
    fn a_bad_file_is_refused() {
        assert!(DemoEphoto::parse("code,status\nSHORT,valid\n").is_err());
        assert!(DemoEphoto::parse("code,status\nAB12CD34EF56GH78IJ90KL,maybe\n").is_err());
        let one = DemoEphoto::parse("# comment\ncode,status\nAB12CD34EF56GH78IJ90KL,expired\n").unwrap();
        assert_eq!(one.codes(EphotoCheck::Expired).len(), 1);
    }
}
