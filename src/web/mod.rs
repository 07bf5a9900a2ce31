//! The web app: plain HTML, CSS and JavaScript modules under
//! `src/web/assets/`, compiled into the binary and served under `/app`, so
//! the service works on an intranet with no other host. The pages talk only
//! to the public GraphQL API (`POST /graphql` with the bearer token, and
//! `/graphql/ws` for `nominationChanged`); they draw their charts as SVG.
//!
//! Every `/app` response carries a strict Content-Security-Policy: scripts,
//! styles and images from this origin only, no inline script or style, and
//! connections to this origin and its WebSocket.

use poem::http::{header, StatusCode};
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
pub fn asset_file(Path(file): Path<String>) -> Response {
    asset(&file)
}

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
                let Some(rest) = line.split(" from '").nth(1) else {
                    continue;
                };
                let target = rest.split('\'').next().unwrap_or_default();
                let name = target.trim_start_matches("./");
                assert!(
                    asset_named(name).is_some(),
                    "{file} imports {target}, which is not embedded"
                );
            }
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
