//! The browser dashboard: its page, styles and ES modules embedded in the binary and served
//! under `/` and `/assets/`, and the `news2-wasm` package served from disk under `/wasm/`.
//!
//! The package is built separately (`./scripts/wasm.sh build` writes
//! `bindings-wasm/pkg/`), so it is never embedded: a server built from a fresh clone runs
//! without it, and the page then says that in-browser validation and the calculator need
//! the build. `PATIENT_MONITOR_WASM_DIR` names the package's `web` directory (default
//! `bindings-wasm/pkg/web` in this workspace); `/wasm/web/<file>` is read from it, and
//! `/wasm/<file>` and `/wasm/bundler/<file>` from its parent, the package root, where the
//! package keeps `package.json`, the shared wrappers the web entries import as `../api.js`
//! and `../escalation.js`, and the `.wasm` modules the web glue loads from `../bundler/`.
//!
//! For work on the page itself, `PATIENT_MONITOR_WEB_DIR` serves the dashboard's files from
//! that directory (this crate's `web/`) instead of the embedded copy, so an edit shows on
//! reload without a rebuild; only files the embedded list names are served either way.
//!
//! The routes the dashboard needs beyond the API live in [`presence`] (who is viewing a
//! patient) and [`history`] (a patient's vitals and scores over time, a patient's audit
//! trail, an escalation's event stream).

pub mod history;
pub mod presence;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::problem::Problem;

/// The environment variable naming the `news2-wasm` package's `web` directory.
pub const WASM_DIR_ENV: &str = "PATIENT_MONITOR_WASM_DIR";
/// The environment variable naming a directory to serve the dashboard from instead of the
/// embedded copy (for working on the page).
pub const WEB_DIR_ENV: &str = "PATIENT_MONITOR_WEB_DIR";

/// One embedded file of the dashboard.
#[derive(Debug)]
pub struct Asset {
    /// Path under `web/` (and under `/assets/` in URLs, except `index.html`).
    pub path: &'static str,
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static [u8],
}

/// Embeds files of `web/` with their content types.
macro_rules! embed {
    ($($path:literal => $mime:expr),* $(,)?) => {
        &[$(Asset { path: $path, content_type: $mime, body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)) }),*]
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of the dashboard (a test checks this list against the `web/` directory).
pub static ASSETS: &[Asset] = embed![
    "index.html" => "text/html; charset=utf-8",
    "styles.css" => "text/css; charset=utf-8",
    "favicon.svg" => "image/svg+xml",
    "js/activity.js" => JS,
    "js/alerts.js" => JS,
    "js/api.js" => JS,
    "js/audit-panel.js" => JS,
    "js/calculator.js" => JS,
    "js/chart.js" => JS,
    "js/classification.js" => JS,
    "js/dom.js" => JS,
    "js/escalation-clock.js" => JS,
    "js/escalation-panel.js" => JS,
    "js/identifier.js" => JS,
    "js/labels.js" => JS,
    "js/live.js" => JS,
    "js/main.js" => JS,
    "js/news2.js" => JS,
    "js/patient-view.js" => JS,
    "js/presence.js" => JS,
    "js/registration.js" => JS,
    "js/search.js" => JS,
    "js/ward-grid.js" => JS,
    "js/ward-model.js" => JS,
];

/// The page's Content-Security-Policy: only this origin; WebAssembly compilation allowed.
/// `style-src 'unsafe-inline'` is for `style` attributes set by the modules (no inline script).
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The dashboard's routes: `/`, `/assets/{*path}`, `/wasm/{*path}`, and those of
/// [`presence`] and [`history`].
pub fn routes() -> Router<AppState> {
    let wasm = WasmDir::from_env();
    let web = WebDir(
        std::env::var_os(WEB_DIR_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from),
    );
    if let Some(dir) = &web.0 {
        tracing::info!(dir = %dir.display(), "serving the dashboard from disk ({WEB_DIR_ENV})");
    }
    Router::new()
        .route("/", get(index).with_state(web.clone()))
        .route("/assets/{*path}", get(asset).with_state(web))
        .route("/wasm/{*path}", get(wasm_file).with_state(wasm))
        .merge(presence::routes())
        .merge(history::routes())
}

/// An embedded asset by its path under `web/`.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn etag(a: &Asset) -> &'static str {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| format!("\"{}\"", &crate::audit::hex(&Sha256::digest(a.body))[..20]))
            .collect()
    });
    ASSETS
        .iter()
        .position(|x| std::ptr::eq(x, a))
        .map_or("\"\"", |i| tags[i].as_str())
}

fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// Where the dashboard's files come from: embedded (`None`), or this directory.
#[derive(Debug, Clone)]
pub struct WebDir(Option<PathBuf>);

async fn serve(a: &'static Asset, web: &WebDir, headers: &HeaderMap) -> Response {
    let (body, tag): (Cow<'static, [u8]>, Option<&str>) = match &web.0 {
        Some(dir) => match tokio::fs::read(dir.join(a.path)).await {
            Ok(b) => (Cow::Owned(b), None),
            Err(e) => {
                return Problem::not_found(format!("{} in {}: {e}", a.path, dir.display()))
                    .into_response();
            }
        },
        None => (Cow::Borrowed(a.body), Some(etag(a))),
    };
    let mut res = if tag.is_some_and(|t| not_modified(headers, t)) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.content_type),
    );
    // Unversioned URLs: the browser revalidates every time and gets a 304 while unchanged
    // (files served from disk while working on the page are never stored).
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if tag.is_some() {
            "no-cache"
        } else {
            "no-store"
        }),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(v) = tag.and_then(|t| HeaderValue::from_str(t).ok()) {
        h.insert(header::ETAG, v);
    }
    if a.path == "index.html" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

/// `GET /`: the dashboard.
pub async fn index(State(web): State<WebDir>, headers: HeaderMap) -> Response {
    match find("index.html") {
        Some(a) => serve(a, &web, &headers).await,
        None => Problem::not_found("the dashboard page is missing from this build").into_response(),
    }
}

/// `GET /assets/{*path}`: an embedded file.
pub async fn asset(
    State(web): State<WebDir>,
    UrlPath(path): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    match find(&path).filter(|a| a.path != "index.html") {
        Some(a) => serve(a, &web, &headers).await,
        None => Problem::not_found(format!("no dashboard asset {path:?}")).into_response(),
    }
}

/// Where the `news2-wasm` package's `web` directory is.
#[derive(Debug, Clone)]
pub struct WasmDir(PathBuf);

impl WasmDir {
    /// `PATIENT_MONITOR_WASM_DIR`, else `bindings-wasm/pkg/web` of this workspace.
    pub fn from_env() -> Self {
        Self::resolve(std::env::var_os(WASM_DIR_ENV).map(PathBuf::from))
    }

    /// The given directory, else the workspace default.
    pub fn resolve(given: Option<PathBuf>) -> Self {
        Self(
            given
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| {
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bindings-wasm/pkg/web")
                }),
        )
    }

    /// The `web` directory.
    pub fn web(&self) -> &Path {
        &self.0
    }

    /// The file a `/wasm/<path>` URL names: `web/<file>` in the web directory, `<file>` or
    /// `bundler/<file>` in its parent (the package root; the web glue loads the `.wasm`
    /// module the package keeps once, in `bundler/`). `None` for anything else (other
    /// folders, `..`, hidden files, other types).
    pub fn file(&self, path: &str) -> Option<(PathBuf, &'static str)> {
        let root = self.0.parent()?;
        let (dir, name) = match path.split_once('/') {
            Some(("web", name)) => (self.0.clone(), name),
            Some(("bundler", name)) => (root.join("bundler"), name),
            Some(_) => return None,
            None => (root.to_path_buf(), path),
        };
        let safe = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        let content_type = content_type(name)?;
        safe.then(|| (dir.join(name), content_type))
    }
}

/// The content type of a file the package may hold; `None` for other files.
pub fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "wasm" => "application/wasm",
        "js" | "mjs" => JS,
        "json" => "application/json",
        "ts" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        _ => return None,
    })
}

/// `GET /wasm/{*path}`: a file of the `news2-wasm` package, read from disk.
pub async fn wasm_file(
    State(dir): State<WasmDir>,
    UrlPath(path): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let Some((file, content_type)) = dir.file(&path) else {
        return Problem::not_found(format!("no news2-wasm file {path:?}")).into_response();
    };
    let (bytes, meta) = match tokio::fs::read(&file).await {
        Ok(b) => (b, tokio::fs::metadata(&file).await.ok()),
        Err(_) => {
            return Problem::not_found(format!(
                "news2-wasm file {path:?} is not there: the package is not built (run ./scripts/wasm.sh build, or start the server with ./scripts/run.sh); looked in {}",
                dir.web().display()
            ))
            .with_code("wasm_not_built")
            .into_response();
        }
    };
    // Rebuilt in place by the build script: a validator from size and modification time.
    let modified = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis());
    let tag = format!("\"{:x}-{modified:x}\"", bytes.len());
    let mut res = if not_modified(&headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, base, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }

    #[test]
    fn every_file_of_web_is_embedded_once() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
        let mut on_disk = Vec::new();
        files(&base, &base, &mut on_disk);
        on_disk.sort();
        let mut embedded: Vec<String> = ASSETS.iter().map(|a| a.path.to_owned()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "web/ and the ASSETS list in src/web.rs must name the same files"
        );
        assert!(ASSETS.iter().all(|a| !a.body.is_empty()));
    }

    #[test]
    fn wasm_urls_map_to_package_files_only() {
        let dir = WasmDir::resolve(Some(PathBuf::from("/pkg/web")));
        assert_eq!(
            dir.file("web/news2_wasm_bg.wasm"),
            Some((
                PathBuf::from("/pkg/web/news2_wasm_bg.wasm"),
                "application/wasm"
            ))
        );
        assert_eq!(dir.file("web/index.js").map(|f| f.1), Some(JS));
        assert_eq!(
            dir.file("package.json"),
            Some((PathBuf::from("/pkg/package.json"), "application/json"))
        );
        assert_eq!(
            dir.file("api.js").map(|f| f.0),
            Some(PathBuf::from("/pkg/api.js"))
        );
        assert_eq!(
            dir.file("bundler/news2_wasm_bg.wasm").map(|f| f.0),
            Some(PathBuf::from("/pkg/bundler/news2_wasm_bg.wasm"))
        );
        for bad in [
            "../secret.js",
            "web/../x.js",
            "nodejs/index.cjs",
            "web/.hidden.js",
            "web/",
            "web/a/b.js",
            "x.sh",
            "web/%2e%2e.js",
        ] {
            assert_eq!(dir.file(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn package_files_are_read_from_disk_with_their_types() {
        let root = tempfile::tempdir().unwrap();
        let web = root.path().join("web");
        std::fs::create_dir(&web).unwrap();
        std::fs::write(web.join("news2_wasm_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(root.path().join("package.json"), b"{}").unwrap();
        let dir = WasmDir::resolve(Some(web));
        let get = |path: &str, headers: HeaderMap| {
            wasm_file(State(dir.clone()), UrlPath(path.to_owned()), headers)
        };
        let res = get("web/news2_wasm_bg.wasm", HeaderMap::new()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, res.headers()[header::ETAG].clone());
        assert_eq!(
            get("web/news2_wasm_bg.wasm", again).await.status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            get("package.json", HeaderMap::new()).await.headers()[header::CONTENT_TYPE],
            "application/json"
        );
        let missing = get("web/index.js", HeaderMap::new()).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(missing.into_body(), 4096)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("./scripts/wasm.sh build") && text.contains("wasm_not_built"),
            "{text}"
        );
    }

    #[test]
    fn the_default_package_dir_is_the_workspace_build() {
        let d = WasmDir::resolve(None);
        assert!(
            d.web().ends_with("bindings-wasm/pkg/web"),
            "{}",
            d.web().display()
        );
        assert_eq!(WasmDir::resolve(Some(PathBuf::new())).web(), d.web());
    }
}
