//! The command line and start-up failures, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{run, Server};

#[test]
fn help_and_version() {
    let (code, out, _) = run(&["--help"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("--port") && out.contains("reset-password"),
        "{out}"
    );
    let (code, out, _) = run(&["--version"], &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("omniroute "), "{out}");
}

#[test]
fn unknown_flag_prints_usage_and_fails() {
    let (code, _, err) = run(&["--bogus"], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("--bogus") && err.contains("Usage"), "{err}");
}

#[test]
fn unwritable_data_dir_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let dir = file.join("data");
    let (code, _, err) = run(&["--port", "0", "--data-dir", dir.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert!(err.contains(dir.to_str().unwrap()), "{err}");
}

#[test]
fn port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        &[
            "--port",
            &port,
            "--host",
            "127.0.0.1",
            "--data-dir",
            tmp.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_ne!(code, 0);
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("in use"),
        "{err}"
    );
}

#[test]
fn bad_port_env_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        &["--data-dir", tmp.path().to_str().unwrap()],
        &[("PORT", "eighty")],
    );
    assert_ne!(code, 0);
    assert!(err.contains("PORT") && err.contains("eighty"), "{err}");
}

#[test]
fn corrupt_database_is_reported_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("storage.sqlite");
    let garbage = b"definitely not a sqlite database, but long enough to have a header".to_vec();
    std::fs::write(&db, &garbage).unwrap();
    let (code, _, err) = run(
        &["--port", "0", "--data-dir", tmp.path().to_str().unwrap()],
        &[],
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("not a SQLite database") && err.contains("storage.sqlite"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

#[test]
fn data_dir_from_env_and_dotenv_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // DATA_DIR/.env supplies INITIAL_PASSWORD
    std::fs::write(data.join(".env"), "INITIAL_PASSWORD=from-dotenv-1\n").unwrap();
    let mut server = Server::start_in(&data, &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = common::client();
        let resp = common::login(&c, &server, "from-dotenv-1").await;
        assert_eq!(resp.status(), 200);
    });
    assert!(server.terminate().success());
    assert!(data.join("storage.sqlite").exists());
    // generated secrets are private to the owner
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("server.env"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "server.env mode {mode:o}");
    }
}

#[test]
fn sigterm_stops_gracefully() {
    let mut server = Server::start();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    assert!(
        server.log_text().contains("stopped"),
        "{}",
        server.log_text()
    );
}
