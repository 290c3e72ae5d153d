//! The dashboard login over HTTP, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn login_status_logout() {
    let server = Server::start();
    let c = client();
    let status: serde_json::Value = c
        .get(server.url("/api/auth/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["authenticated"], false);

    let resp = login(&c, &server, "wrong-password").await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_password");

    let resp = login(&c, &server, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "no Secure unless AUTH_COOKIE_SECURE: {cookie}"
    );

    let status: serde_json::Value = c
        .get(server.url("/api/auth/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["authenticated"], true);
    let sf = c
        .post(server.url("/api/sf/system_status"))
        .send()
        .await
        .unwrap();
    assert_eq!(sf.status(), StatusCode::OK);
    let s: serde_json::Value = sf.json().await.unwrap();
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert!(s["db_size_bytes"].as_u64().unwrap() > 0);

    let resp = c
        .post(server.url("/api/auth/logout"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let sf = c
        .post(server.url("/api/sf/system_status"))
        .send()
        .await
        .unwrap();
    assert_eq!(sf.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_login_bodies_are_clear_400s() {
    let server = Server::start();
    let c = client();
    for (body, code) in [
        ("{}", "missing_password"),
        (r#"{"password":""}"#, "missing_password"),
        (r#"{"password":42}"#, "invalid_password_type"),
        ("not json", "invalid_body"),
    ] {
        let resp = c
            .post(server.url("/api/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body}");
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["error"], code, "{body}");
        assert!(v["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn five_failures_lock_the_address_out() {
    let server = Server::start();
    let c = client();
    for _ in 0..5 {
        assert_eq!(
            login(&c, &server, "nope-nope").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused while locked out.
    let resp = login(&c, &server, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 800 && retry <= 900, "{retry}");
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "locked_out");
}

#[tokio::test]
async fn form_login_redirects_and_keeps_next() {
    let server = Server::start();
    let c = client();
    let resp = c
        .post(server.url("/api/auth/login"))
        .form(&[
            ("password", "bad-password"),
            ("next", "/dashboard/settings"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/login?error=invalid&next=/dashboard/settings"
    );
    let resp = c
        .post(server.url("/api/auth/login"))
        .form(&[("password", PASSWORD), ("next", "//evil.example/x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/dashboard", "no open redirect");
}

#[tokio::test]
async fn pages_need_a_session_and_api_answers_401() {
    let server = Server::start();
    let c = client();
    let resp = c
        .get(server.url("/dashboard/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/login?next=/dashboard/settings"
    );
    let resp = c
        .post(server.url("/api/sf/system_status"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "unauthorized");
    // the login page itself renders without a session
    let resp = c.get(server.url("/login")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"action="/api/auth/login""#), "{html}");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let server = Server::start();
    let c = client();
    assert_eq!(login(&c, &server, PASSWORD).await.status(), StatusCode::OK);
    let resp = c
        .post(server.url("/api/sf/system_status"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let same = c
        .post(server.url("/api/sf/system_status"))
        .header("origin", server.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let cookie = {
        let mut server = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", PASSWORD)]);
        let resp = login(&client(), &server, PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
        server.terminate();
        set.split(';').next().unwrap().to_string()
    };
    let server = Server::start_in(tmp.path(), &[]);
    let plain = reqwest::Client::new();
    let status: serde_json::Value = plain
        .get(server.url("/api/auth/status"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        status["authenticated"], true,
        "the session outlived the restart"
    );
    // A forged cookie value is not a session.
    let forged = format!("{}x", cookie);
    let status: serde_json::Value = plain
        .get(server.url("/api/auth/status"))
        .header("cookie", forged)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["authenticated"], false);
}

#[tokio::test]
async fn generated_password_is_logged_once_and_works() {
    let tmp = tempfile::tempdir().unwrap();
    let log = {
        let mut server = Server::start_in(tmp.path(), &[]);
        let log = server.log_text();
        server.terminate();
        log
    };
    let line = log
        .lines()
        .find(|l| l.contains("the dashboard password is"))
        .expect(&log);
    let password = line
        .split("password is ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(password.len() >= 16, "{password}");
    let server = Server::start_in(tmp.path(), &[]);
    assert!(
        !server.log_text().contains("the dashboard password is"),
        "shown once only"
    );
    let c = client();
    assert_eq!(login(&c, &server, &password).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn reset_password_command() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let mut s = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", PASSWORD)]);
        s.terminate();
    }
    let dir = tmp.path().to_str().unwrap();
    let (code, _, err) = common::run(
        &["reset-password", "--password", "short", "--data-dir", dir],
        &[],
    );
    assert_ne!(code, 0);
    assert!(err.contains("at least 8"), "{err}");
    let (code, _, err) = common::run(
        &[
            "reset-password",
            "--password",
            "brand-new-pass",
            "--data-dir",
            dir,
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let server = Server::start_in(tmp.path(), &[]);
    let c = client();
    assert_eq!(
        login(&c, &server, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&c, &server, "brand-new-pass").await.status(),
        StatusCode::OK
    );
}
