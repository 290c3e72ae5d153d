//! IP access control and database export / import, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Read;

async fn admin_at(base: &str) -> reqwest::Client {
    let c = client();
    let resp = c
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    c
}

/// This machine's address on its main interface (not loopback), if it has one.
fn lan_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:1").ok()?; // no packet is sent
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test]
async fn ip_access_control_refuses_and_admits() {
    let Some(lan) = lan_ip() else {
        panic!("this machine has no non-loopback IPv4 address to test IP access control from");
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["--port", "0", "--host", "0.0.0.0", "--data-dir"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .env("INITIAL_PASSWORD", PASSWORD);
    let server = Server::start_in_cmd(cmd);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let local = format!("http://127.0.0.1:{port}");
    let remote = format!("http://{lan}:{port}");
    let admin = admin_at(&local).await;
    let http = reqwest::Client::new();
    let health = |base: String| {
        let http = http.clone();
        async move {
            http.get(format!("{base}/api/health"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(health(remote.clone()).await, StatusCode::OK);

    let bad = admin
        .put(format!("{local}/api/settings/ip-access"))
        .json(&json!({ "enabled": true, "allow": ["10.0.0.0/8", "ten"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let v: Value = bad.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("allow[1]"), "{v}");

    let put = |body: Value| {
        let admin = admin.clone();
        let url = format!("{local}/api/settings/ip-access");
        async move { admin.put(url).json(&body).send().await.unwrap().status() }
    };
    assert_eq!(
        put(json!({ "enabled": true, "deny": [lan.to_string()] })).await,
        StatusCode::OK
    );
    assert_eq!(health(remote.clone()).await, StatusCode::FORBIDDEN);
    let v1 = http
        .get(format!("{remote}/v1/models"))
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status(), StatusCode::FORBIDDEN);
    let body: Value = v1.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("IP access control"),
        "OpenAI dialect: {body}"
    );
    assert_eq!(
        health(local.clone()).await,
        StatusCode::OK,
        "loopback is always admitted"
    );

    assert_eq!(
        put(json!({ "deny": [], "allow": ["10.0.0.0/8"] })).await,
        StatusCode::OK
    );
    assert_eq!(
        health(remote.clone()).await,
        StatusCode::FORBIDDEN,
        "outside the allow list"
    );
    assert_eq!(
        put(json!({ "allow": [format!("{lan}/32")] })).await,
        StatusCode::OK
    );
    assert_eq!(health(remote.clone()).await, StatusCode::OK);
    assert_eq!(
        put(json!({ "enabled": false, "allow": ["10.0.0.0/8"] })).await,
        StatusCode::OK
    );
    assert_eq!(health(remote.clone()).await, StatusCode::OK, "disabled");
    let settings: Value = admin
        .get(format!("{local}/api/settings/ip-access"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        settings,
        json!({ "enabled": false, "allow": ["10.0.0.0/8"], "deny": [] })
    );
}

async fn add_connection(c: &reqwest::Client, server: &Server, name: &str) {
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": "openai", "apiKey": "sk-very-secret-upstream", "name": name }))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
}

#[tokio::test]
async fn export_all_leaves_credentials_behind() {
    let server = Server::start();
    let c = client();
    login(&c, &server, PASSWORD).await;
    add_connection(&c, &server, "main").await;

    let db = c
        .get(server.url("/api/db-backups/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(db.status(), StatusCode::OK);
    assert!(db.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".sqlite"));
    let bytes = db.bytes().await.unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");

    let all = c
        .get(server.url("/api/db-backups/exportAll"))
        .send()
        .await
        .unwrap();
    assert_eq!(all.status(), StatusCode::OK);
    let gz = all.bytes().await.unwrap();
    let mut tar_bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut tar_bytes)
        .unwrap();
    let mut archive = tar::Archive::new(&tar_bytes[..]);
    let mut names = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == "storage.sqlite" {
            assert_eq!(&content[..16], b"SQLite format 3\0");
            assert!(
                !content.windows(7).any(|w| w == b"enc:v1:"),
                "no encrypted credentials in the archive"
            );
            assert!(
                !content.windows(9).any(|w| w == b"$argon2id"),
                "no password hash in the archive"
            );
        }
        if name == "manifest.json" {
            let m: Value = serde_json::from_slice(&content).unwrap();
            assert_eq!(m["tables"]["provider_connections"], 1);
        }
        names.push(name);
    }
    names.sort();
    assert_eq!(names, ["manifest.json", "settings.json", "storage.sqlite"]);
}

#[tokio::test]
async fn import_replaces_data_keeps_the_password_and_makes_a_backup() {
    let source = Server::start();
    let sc = client();
    login(&sc, &source, PASSWORD).await;
    add_connection(&sc, &source, "from-elsewhere").await;
    let exported = sc
        .get(source.url("/api/db-backups/export"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let target = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", "target-password-1")]);
    let tc = client();
    assert_eq!(
        login(&tc, &target, "target-password-1").await.status(),
        StatusCode::OK
    );
    add_connection(&tc, &target, "will-be-replaced").await;

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(exported.to_vec()).file_name("backup.sqlite"),
    );
    let resp = tc
        .post(target.url("/api/db-backups/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["tables"]["provider_connections"], 1);
    let backup = v["backup"].as_str().unwrap();
    assert!(
        std::path::Path::new(backup).exists(),
        "pre-import backup at {backup}"
    );

    let list: Value = tc
        .get(target.url("/api/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["from-elsewhere"], "the snapshot was reloaded");
    // this server's password and the current session survive
    let again = client();
    assert_eq!(
        login(&again, &target, "target-password-1").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        tc.get(target.url("/api/providers"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn damaged_or_foreign_imports_leave_the_database_untouched() {
    let server = Server::start();
    let c = client();
    login(&c, &server, PASSWORD).await;
    add_connection(&c, &server, "keep-me").await;
    let good = c
        .get(server.url("/api/db-backups/export"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    // a truncated database
    let truncated = good[..good.len() / 2].to_vec();
    // a SQLite database that is not OmniRoute's
    let tmp = tempfile::tempdir().unwrap();
    let foreign_path = tmp.path().join("foreign.sqlite");
    {
        let db =
            sea_orm::Database::connect(format!("sqlite://{}?mode=rwc", foreign_path.display()))
                .await
                .unwrap();
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            .await
            .unwrap();
        db.close().await.unwrap();
    }
    let foreign = std::fs::read(&foreign_path).unwrap();
    for (what, bytes, needle) in [
        ("garbage", b"hello, not a database at all............................................................................".to_vec(), "not a SQLite database"),
        ("truncated", truncated, ""),
        ("foreign", foreign, "missing table(s)"),
    ] {
        let resp = c
            .post(server.url("/api/db-backups/import"))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{what}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"], "invalid_backup", "{what}: {v}");
        assert!(v["message"].as_str().unwrap().contains(needle), "{what}: {v}");
    }
    let list: Value = c
        .get(server.url("/api/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"][0]["name"], "keep-me");

    let huge = vec![0u8; 100 * 1024 * 1024 + 1];
    let resp = c
        .post(server.url("/api/db-backups/import"))
        .header("content-type", "application/octet-stream")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
