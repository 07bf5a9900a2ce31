//! The web app: plain HTML, CSS and JavaScript modules under
//! `src/web/assets/`, compiled into the binary and served under `/app`, so
//! the service works on an intranet with no other host. The pages talk only
//! to the public GraphQL API (`POST /graphql` with the bearer token, and
//! `/graphql/ws` for `nominationChanged`); they draw their charts as SVG.
//!
//! A client that accepts gzip gets the files gzipped (compressed once per
//! process): on a slow link the bytes, not the server, set the time to
//! content.
//!
//! Every `/app` response carries a strict Content-Security-Policy: scripts,
//! styles and images from this origin only, no inline script or style, and
//! connections to this origin and its WebSocket.

use std::collections::HashMap;
use std::io::Write;
use std::sync::LazyLock;

use poem::http::{header, HeaderMap, StatusCode};
use poem::web::{Path, Redirect};
use poem::{handler, IntoResponse, Response};

/// The policy of every `/app` response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// File name, content type, body.
const ASSETS: &[(&str, &str, &str)] = &[
    ("index.html", HTML, include_str!("assets/index.html")),
    ("style.css", CSS, include_str!("assets/style.css")),
    ("icon.svg", SVG, include_str!("assets/icon.svg")),
    ("app.js", JS, include_str!("assets/app.js")),
    ("api.js", JS, include_str!("assets/api.js")),
    ("live.js", JS, include_str!("assets/live.js")),
    ("dom.js", JS, include_str!("assets/dom.js")),
    ("charts.js", JS, include_str!("assets/charts.js")),
    ("signin.js", JS, include_str!("assets/signin.js")),
    ("progression.js", JS, include_str!("assets/progression.js")),
    ("team.js", JS, include_str!("assets/team.js")),
    ("dashboard.js", JS, include_str!("assets/dashboard.js")),
    ("people.js", JS, include_str!("assets/people.js")),
    ("openings.js", JS, include_str!("assets/openings.js")),
    ("succession.js", JS, include_str!("assets/succession.js")),
];

/// The app's scripts, by file name (their GraphQL operations are the
/// trusted documents of `--persisted-only`, `graphql::trusted`).
pub fn scripts() -> impl Iterator<Item = (&'static str, &'static str)> {
    ASSETS
        .iter()
        .filter(|(_, content_type, _)| *content_type == JS)
        .map(|(file, _, body)| (*file, *body))
}

/// An embedded file by name.
pub fn asset_named(name: &str) -> Option<(&'static str, &'static str)> {
    ASSETS
        .iter()
        .find(|(file, _, _)| *file == name)
        .map(|(_, content_type, body)| (*content_type, *body))
}

fn with_headers(status: StatusCode, content_type: &str, body: &'static str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::REFERRER_POLICY, "no-referrer")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
}

/// `/`: the web app is where a newcomer lands.
#[handler]
pub fn root() -> impl IntoResponse {
    Redirect::see_other("/app")
}

/// `/app` and `/app/`: the single page; on a `--demo` server its body says
/// so (`data-demo`), and only then does the sign-in page name the demo
/// accounts and their password.
#[handler]
pub fn index(settings: poem::web::Data<&crate::http::HttpSettings>) -> Response {
    if settings.demo {
        static DEMO: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            include_str!("assets/index.html").replacen("<body>", "<body data-demo=\"1\">", 1)
        });
        let body: &'static str = DEMO.as_str();
        with_headers(StatusCode::OK, HTML, body)
    } else {
        asset("index.html")
    }
}

/// `/app/<file>`.
#[handler]
pub fn asset_file(Path(file): Path<String>, headers: &HeaderMap) -> Response {
    if accepts_gzip(headers) {
        if let (Some((content_type, _)), Some(body)) =
            (asset_named(&file), GZIPPED.get(file.as_str()))
        {
            let mut response = with_headers(StatusCode::OK, content_type, "");
            response.headers_mut().insert(
                header::CONTENT_ENCODING,
                header::HeaderValue::from_static("gzip"),
            );
            response.headers_mut().insert(
                header::VARY,
                header::HeaderValue::from_static("Accept-Encoding"),
            );
            response.set_body(body.as_slice());
            return response;
        }
    }
    let mut response = asset(&file);
    response.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept-Encoding"),
    );
    response
}

/// Whether `Accept-Encoding` lists gzip (with a non-zero weight).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// Every embedded file but the page itself, gzipped once.
static GZIPPED: LazyLock<HashMap<&'static str, Vec<u8>>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .filter(|(file, _, _)| *file != "index.html")
        .filter_map(|(file, _, body)| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(body.as_bytes()).ok()?;
            Some((*file, encoder.finish().ok()?))
        })
        .collect()
});

fn asset(name: &str) -> Response {
    match asset_named(name) {
        Some((content_type, body)) => with_headers(StatusCode::OK, content_type, body),
        None => with_headers(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "not found",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_pages_import_is_embedded() {
        for (file, _, body) in ASSETS {
            for line in body.lines() {
                // Static imports, dynamic ones, and the page's preloads.
                for marker in [" from '", "import('", "modulepreload\" href=\"/app/"] {
                    let Some(rest) = line.split(marker).nth(1) else {
                        continue;
                    };
                    let target = rest.split(['\'', '"']).next().unwrap_or_default();
                    let name = target.trim_start_matches("./");
                    assert!(
                        asset_named(name).is_some(),
                        "{file} imports {target}, which is not embedded"
                    );
                }
            }
        }
    }

    #[test]
    fn gzip_is_chosen_only_when_the_client_accepts_it() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
            accepts_gzip(&headers)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, GZIP;q=0.5"));
        assert!(!with("gzip;q=0"));
        assert!(!with("br, deflate"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn gzipped_files_unzip_to_the_embedded_ones() {
        use std::io::Read;
        for (file, _, body) in ASSETS.iter().filter(|(f, _, _)| *f != "index.html") {
            let mut text = String::new();
            flate2::read::GzDecoder::new(GZIPPED[file].as_slice())
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(&text, body, "{file}");
            assert!(
                GZIPPED[file].len() < body.len().max(400),
                "{file} is smaller gzipped"
            );
        }
    }

    #[test]
    fn no_page_loads_anything_from_another_host_or_inlines_code() {
        for (file, _, body) in ASSETS {
            let body = body.replace("http://www.w3.org/2000/svg", "");
            for needle in [
                "http://",
                "https://",
                "<script>",
                " style=\"",
                "javascript:",
            ] {
                assert!(!body.contains(needle), "{file} contains {needle}");
            }
        }
    }
}
