//! Display formatting shared by server rendering and hydration (must give identical output on both).

/// `2022-05-12T09:50:54+08:00` → `2022-05-12 09:50:54`: the wall-clock time where it was published.
pub fn local_datetime(rfc3339: &str) -> String {
    match (rfc3339.get(0..10), rfc3339.get(11..19)) {
        (Some(date), Some(time)) if rfc3339.as_bytes().get(10) == Some(&b'T') => {
            format!("{date} {time}")
        }
        _ => rfc3339.to_owned(),
    }
}

/// `2022-05-12T09:50:54+08:00` → `2022-05-12`.
pub fn local_date(rfc3339: &str) -> &str {
    rfc3339.get(0..10).unwrap_or(rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_published_wall_clock() {
        assert_eq!(
            local_datetime("2022-05-12T09:50:54+08:00"),
            "2022-05-12 09:50:54"
        );
        assert_eq!(
            local_datetime("2022-05-12T01:50:54Z"),
            "2022-05-12 01:50:54"
        );
        assert_eq!(local_date("2022-05-12T09:50:54+08:00"), "2022-05-12");
    }

    #[test]
    fn leaves_unexpected_text_alone() {
        assert_eq!(local_datetime("yesterday"), "yesterday");
        assert_eq!(local_datetime(""), "");
        assert_eq!(local_date("2022"), "2022");
    }
}
