use serde_json::{json, Value};

use crate::{client, mock, post, post_json};

#[tokio::test]
async fn images_as_base64_or_url() {
    let m = mock().await;
    let v = post_json(
        &m,
        "/v1/images/generations",
        json!({ "model": "img", "prompt": "a cat", "n": 2 }),
    )
    .await;
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["b64_json"], mock_upstream::PNG_1X1_BASE64);
    let v = post_json(
        &m,
        "/v1/images/generations",
        json!({ "model": "img", "prompt": "a cat", "response_format": "url" }),
    )
    .await;
    assert!(v["data"][0]["url"].as_str().unwrap().ends_with(".png"));
}

#[tokio::test]
async fn speech_returns_audio_bytes() {
    let m = mock().await;
    let r = post(
        &m,
        "/v1/audio/speech",
        json!({ "model": "tts", "input": "say these four words", "voice": "alloy" }),
    )
    .await;
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.len(), 400);
    assert!(bytes.starts_with(b"ID3"));
    let r = post(
        &m,
        "/v1/audio/speech",
        json!({ "model": "tts", "input": "x", "response_format": "wav" }),
    )
    .await;
    assert_eq!(r.headers()["content-type"], "audio/wav");
}

fn multipart(boundary: &str, fields: &[(&str, &str)], file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n")
            .bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    body
}

#[tokio::test]
async fn transcription_reads_the_multipart_form() {
    let m = mock().await;
    let send = |fields: Vec<(&'static str, &'static str)>| {
        let url = format!("{}/v1/audio/transcriptions", m.url());
        async move {
            client()
                .post(url)
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(multipart("XyZ", &fields, &[1, 2, 3, 0, 255]))
                .send()
                .await
                .unwrap()
        }
    };
    let v: Value = send(vec![("model", "whisper-1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v,
        json!({ "text": "mock transcription of clip.mp3 (5 bytes)" })
    );
    let r = send(vec![("model", "whisper-1"), ("response_format", "text")]).await;
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(
        r.text().await.unwrap(),
        "mock transcription of clip.mp3 (5 bytes)"
    );
    let recorded = m.last_request().unwrap();
    assert_eq!(recorded.model().as_deref(), Some("whisper-1"));
    assert_eq!(
        recorded.json.as_ref().unwrap()["file"]["content_type"],
        "audio/mpeg"
    );
}
