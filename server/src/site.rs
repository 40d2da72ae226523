//! The deployer's settings for the footer every government site carries: flags, the environment,
//! or a small TOML site file (`--site-file`), flags and the environment winning. Nothing is
//! hard-coded: a part not set is left out of the page.

use app::model::is_valid_link;
use app::ui::Footer;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct FooterArgs {
    /// 主办单位 (sponsor), e.g. 梅州市人民政府办公室.
    #[arg(long, env = "SITE_SPONSOR")]
    pub sponsor: Option<String>,
    /// 承办单位 (organizer).
    #[arg(long, env = "SITE_ORGANIZER")]
    pub organizer: Option<String>,
    /// 联系方式: telephone, address or mailbox, one line.
    #[arg(long, env = "SITE_CONTACT")]
    pub contact: Option<String>,
    /// 网站标识码 (政府网站标识码), letters and digits.
    #[arg(long, env = "SITE_CODE")]
    pub site_code: Option<String>,
    /// ICP 备案号, e.g. 粤ICP备12345678号 (linked to the MIIT filing site).
    #[arg(long, env = "SITE_ICP")]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 粤公网安备 44140202000123号 (linked to the MPS filing site).
    #[arg(long, env = "SITE_POLICE")]
    pub police: Option<String>,
    /// The 党政机关网站 identity mark's verification address (https://…).
    #[arg(long, env = "SITE_GOV_MARK")]
    pub gov_mark: Option<String>,
    /// 隐私政策: a path on this site or an http(s) address.
    #[arg(long, env = "SITE_PRIVACY")]
    pub privacy: Option<String>,
    /// A TOML file with any of the settings above (`sponsor = "…"`, `site_code = "…"`).
    #[arg(long, env = "SITE_FILE")]
    pub site_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    sponsor: Option<String>,
    organizer: Option<String>,
    contact: Option<String>,
    site_code: Option<String>,
    icp: Option<String>,
    police: Option<String>,
    gov_mark: Option<String>,
    privacy: Option<String>,
}

/// The footer the settings describe, or what is wrong with them (naming the setting).
pub fn footer(args: &FooterArgs) -> Result<Footer, String> {
    let file = match &args.site_file {
        None => SiteFile::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the site file {}: {e}", path.display()))?;
            toml::from_str(&text)
                .map_err(|e| format!("site file {}: {}", path.display(), e.message()))?
        }
    };
    let pick = |flag: &Option<String>, file: Option<String>| {
        flag.clone()
            .or(file)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let text = |name: &str, v: Option<String>, max: usize| -> Result<Option<String>, String> {
        match v {
            Some(v) if v.chars().count() > max => {
                Err(format!("{name} is longer than {max} characters"))
            }
            Some(v) if v.chars().any(char::is_control) => {
                Err(format!("{name} holds a control character or a line break"))
            }
            v => Ok(v),
        }
    };
    let link = |name: &str, v: Option<String>| -> Result<Option<String>, String> {
        match v {
            Some(v) if !is_valid_link(&v) => Err(format!(
                "{name} {v:?} must be an http(s) address or a path on this site (/…)"
            )),
            v => Ok(v),
        }
    };
    let site_code = text("site_code", pick(&args.site_code, file.site_code), 20)?;
    if let Some(code) = &site_code
        && !code.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(format!("site_code {code:?} must be letters and digits"));
    }
    Ok(Footer {
        sponsor: text("sponsor", pick(&args.sponsor, file.sponsor), 100)?,
        organizer: text("organizer", pick(&args.organizer, file.organizer), 100)?,
        contact: text("contact", pick(&args.contact, file.contact), 200)?,
        site_code,
        icp: text("icp", pick(&args.icp, file.icp), 50)?,
        police: text("police", pick(&args.police, file.police), 50)?,
        gov_mark: link("gov_mark", pick(&args.gov_mark, file.gov_mark))?,
        privacy: link("privacy", pick(&args.privacy, file.privacy))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_blanks_are_unset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.toml");
        std::fs::write(
            &path,
            "sponsor = \"梅州市人民政府办公室\"\nicp = \"粤ICP备00000000号\"\ncontact = \"  \"\n",
        )
        .unwrap();
        let args = FooterArgs {
            icp: Some("粤ICP备12345678号".into()),
            site_file: Some(path),
            ..FooterArgs::default()
        };
        let f = footer(&args).unwrap();
        assert_eq!(f.sponsor.as_deref(), Some("梅州市人民政府办公室"));
        assert_eq!(f.icp.as_deref(), Some("粤ICP备12345678号"));
        assert_eq!(f.contact, None);
        assert_eq!(footer(&FooterArgs::default()).unwrap(), Footer::default());
    }

    #[test]
    fn bad_settings_are_named() {
        let bad = |args: FooterArgs, expected: &str| {
            let e = footer(&args).unwrap_err();
            assert!(e.contains(expected), "{e}");
        };
        bad(
            FooterArgs {
                gov_mark: Some("javascript:alert(1)".into()),
                ..Default::default()
            },
            "gov_mark",
        );
        bad(
            FooterArgs {
                site_code: Some("44 14".into()),
                ..Default::default()
            },
            "site_code",
        );
        bad(
            FooterArgs {
                sponsor: Some("a\nb".into()),
                ..Default::default()
            },
            "sponsor holds a control character",
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.toml");
        std::fs::write(&path, "sponser = \"x\"\n").unwrap();
        bad(
            FooterArgs {
                site_file: Some(path),
                ..Default::default()
            },
            "unknown field",
        );
    }

    #[test]
    fn the_police_filing_links_by_its_number() {
        let f = Footer {
            police: Some("粤公网安备 44140202000123号".into()),
            ..Footer::default()
        };
        assert_eq!(
            f.police_link().as_deref(),
            Some("https://beian.mps.gov.cn/#/query/webSearch?code=44140202000123")
        );
    }
}
