//! Demo content written on first start: the Meizhou seed article plus generated, clearly marked
//! demo articles so that channel paging has something to page through.

use serde_json::json;

const SEED: &str = include_str!("../data/meizhou-article.jsonl");
const SITE: &str = "梅州市人民政府门户网站";
const SEED_DEPARTMENT: &str = "梅州市人民政府发展研究中心";
const OTHER_DEPARTMENT: &str = "梅州市人民政府办公室(演示)";
/// The notices' 附件: a one-page PDF among the binary's assets (`public/demo`).
const DEMO_ATTACHMENT: &str = "/demo/notice-attachment.pdf";
const DEMO_ATTACHMENT_BYTES: &[u8] = include_bytes!("../../public/demo/notice-attachment.pdf");

/// The demo content in the import format.
pub fn jsonl() -> String {
    let mut out = String::from(SEED.trim_end());
    out.push('\n');
    // 34 demo articles in the seed's channel, one a day before it: four pages of ten.
    for n in 1..=34u32 {
        out.push_str(&line(
            n,
            SEED_DEPARTMENT,
            "工作动态",
            "工作动态",
            day_before(n),
        ));
    }
    for n in 1..=6u32 {
        out.push_str(&line(
            100 + n,
            OTHER_DEPARTMENT,
            "通知公告",
            "通知公告",
            day_before(n * 3),
        ));
    }
    out
}

/// `2022-05-12` minus `n` days, as a publication time.
fn day_before(n: u32) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(2022, 5, 12)
        .and_then(|d| d.checked_sub_days(chrono::Days::new(n.into())))
        .unwrap_or_default();
    format!("{date}T{:02}:30:00+08:00", 8 + n % 9)
}

fn line(n: u32, department: &str, channel: &str, topic: &str, published_at: String) -> String {
    let paragraphs = [
        format!("【演示内容】本文为演示数据,第{n}篇,用于展示{topic}栏目的分页浏览,不代表任何真实工作安排。"),
        "会议强调,要坚持以人民为中心的发展思想,统筹推进经济社会高质量发展,扎实做好各项民生保障工作。".to_owned(),
        "会议要求,各级各部门要切实履职尽责,加强协调配合,确保各项任务落地落实、取得实效。".to_owned(),
    ];
    // The notices' bodies are as older CMS pages write them: lines in a `div`, split by `<br>`.
    let body: String = if n > 100 {
        let [first, second, third] = &paragraphs;
        format!("<p>{first}</p><div>{second}<br>{third}</div>")
    } else {
        paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect()
    };
    let date = published_at.get(..10).unwrap_or_default().to_owned();
    let mut value = json!({
        "id": format!("demo-{n:03}"),
        "site": SITE,
        "department": department,
        "channel": channel,
        "title": format!("【演示】{topic}示例文章第{n}篇"),
        "source": "演示数据",
        "published_at": published_at,
        "body_html": body,
    });
    if n.is_multiple_of(5) {
        value["author"] = json!("演示作者");
    }
    // The notices are policy documents: 政务公开 metadata and related links.
    if n > 100 {
        value["gov"] = json!({
            "index_number": format!("007084223/2022-{:05}", n),
            "issuer": department,
            "document_number": format!("梅市府办〔2022〕{}号", n - 100),
            "written_on": date,
            "published_on": date,
            "topic": "综合政务",
            "keywords": "演示;通知",
            "validity": if n == 106 { "废止" } else { "有效" },
        });
        let mut related = vec![
            json!({"title": "以感恩之心奋进之力实干之行 推动红色苏区绿色发展", "url": "/articles/mz-fzyjzx-gzdt-20220512-01"}),
        ];
        if n > 101 {
            related.push(json!({"title": format!("【演示】{topic}示例文章第{}篇", n - 1), "url": format!("/articles/demo-{:03}", n - 1)}));
        }
        value["related"] = json!(related);
        value["attachments"] = json!([{
            "name": format!("附件1：演示附件{}", n - 100),
            "url": DEMO_ATTACHMENT,
            "size": DEMO_ATTACHMENT_BYTES.len(),
        }]);
    }
    let mut s = value.to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_content_parses_and_contains_the_seed() {
        let articles = crate::import::parse(&super::jsonl()).unwrap();
        assert_eq!(articles.len(), 41);
        assert_eq!(
            articles[0].title,
            "以感恩之心奋进之力实干之行 推动红色苏区绿色发展"
        );
        assert!(
            articles[1..]
                .iter()
                .all(|a| a.title.starts_with("【演示】"))
        );
        let notice = articles
            .iter()
            .find(|a| a.external_id == "demo-106")
            .unwrap();
        let gov = notice.gov.as_ref().unwrap();
        assert_eq!(gov.document_number.as_deref(), Some("梅市府办〔2022〕6号"));
        assert_eq!(gov.validity, Some(app::model::Validity::Repealed));
        assert_eq!(notice.related.len(), 2);
        assert_eq!(notice.attachments[0].format, "PDF");
        assert_eq!(notice.attachments[0].size, Some(613));
    }
}
