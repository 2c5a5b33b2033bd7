//! The media store: product and banner images, behind one interface over a
//! local folder (default: `<data-dir>/media`) or S3-compatible object
//! storage (`s3://bucket/prefix`, credentials and endpoint from the usual
//! `AWS_*` variables), through the `object_store` crate.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Why a media operation failed.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The configuration cannot be used.
    #[error("media store configuration: {0}")]
    Config(String),
    /// A key that is not a plain relative path.
    #[error("invalid media path")]
    InvalidPath,
    /// The backend failed. Only the relative key and the cause are kept —
    /// never the local folder's absolute path, which `object_store`'s
    /// errors carry — so the error may be logged beside a client's request.
    #[error("media store error on {key}: {detail}")]
    Backend {
        /// The relative key.
        key: String,
        /// What failed, with the media folder's location removed.
        detail: String,
    },
}

/// The longest segment of a media key, in bytes: what a file-system name
/// may hold. Longer keys are not paths vitrine writes (`InvalidPath`).
const MAX_SEGMENT_BYTES: usize = 255;

/// Where files live. Cheap to clone.
#[derive(Clone)]
pub struct Media {
    inner: Arc<dyn ObjectStore>,
    description: String,
    /// The local folder's absolute path, removed from error messages.
    root: Option<String>,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Media({})", self.description)
    }
}

impl Media {
    /// Files under a local directory (created if missing).
    pub fn local(dir: &Path) -> Result<Self, MediaError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| MediaError::Config(format!("{}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| MediaError::Config(e.to_string()))?
            .with_automatic_cleanup(true);
        let root = std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
            .to_string();
        Ok(Self {
            inner: Arc::new(fs),
            description: format!("local {}", dir.display()),
            root: Some(root),
        })
    }

    /// Opens `s3://bucket[/prefix]`, or a local folder for anything else
    /// (`file:///path` or a plain path).
    pub fn open(url: &str) -> Result<Self, MediaError> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let s3 = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .with_allow_http(true)
                .build()
                .map_err(|e| MediaError::Config(e.to_string()))?;
            let prefixed = object_store::prefix::PrefixStore::new(s3, prefix.trim_matches('/'));
            Ok(Self {
                inner: Arc::new(prefixed),
                description: format!("s3 {bucket}"),
                root: None,
            })
        } else {
            Self::local(Path::new(url.strip_prefix("file://").unwrap_or(url)))
        }
    }

    fn key(path: &str) -> Result<ObjectPath, MediaError> {
        // Only plain relative paths: no `..`, no empty, hidden or over-long
        // segments.
        let ok = !path.is_empty()
            && path.split('/').all(|seg| {
                !seg.is_empty()
                    && seg.len() <= MAX_SEGMENT_BYTES
                    && !seg.starts_with('.')
                    && !seg.contains('\\')
            });
        if !ok {
            return Err(MediaError::InvalidPath);
        }
        ObjectPath::parse(path).map_err(|_| MediaError::InvalidPath)
    }

    /// A backend failure on `path`, described without the local folder:
    /// the I/O cause when there is one (`File name too long (os error
    /// 36)`), else the message with the folder's path cut out.
    fn backend(&self, path: &str, e: &object_store::Error) -> MediaError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut io = None;
        while let Some(c) = cause {
            if let Some(found) = c.downcast_ref::<std::io::Error>() {
                io = Some(found.to_string());
                break;
            }
            cause = c.source();
        }
        let mut detail = io.unwrap_or_else(|| e.to_string());
        if let Some(root) = &self.root {
            detail = detail.replace(root.as_str(), "<media>");
        }
        MediaError::Backend {
            key: path.to_owned(),
            detail,
        }
    }

    /// Writes a file (replacing any file at that path).
    pub async fn put(&self, path: &str, bytes: Bytes) -> Result<(), MediaError> {
        let key = Self::key(path)?;
        self.inner
            .put(&key, PutPayload::from_bytes(bytes))
            .await
            .map_err(|e| self.backend(path, &e))?;
        Ok(())
    }

    /// Reads a file; `None` when there is none.
    pub async fn get(&self, path: &str) -> Result<Option<Bytes>, MediaError> {
        let key = Self::key(path)?;
        match self.inner.get(&key).await {
            Ok(found) => Ok(Some(
                found.bytes().await.map_err(|e| self.backend(path, &e))?,
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.backend(path, &e)),
        }
    }

    /// Deletes a file; deleting a missing file is not an error.
    pub async fn delete(&self, path: &str) -> Result<(), MediaError> {
        let key = Self::key(path)?;
        match self.inner.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.backend(path, &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Child, Command, Stdio};

    /// A real S3-compatible server (moto, from PyPI) on a free port, killed on drop.
    struct S3Server(Child);

    impl Drop for S3Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn start_s3() -> (S3Server, String) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        // Through the module rather than the `moto_server` script, which
        // depends on where pip put its scripts.
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server runs (pip install 'moto[server]'; scripts/test installs it)");
        let server = S3Server(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "moto_server did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        (server, format!("http://127.0.0.1:{port}"))
    }

    #[tokio::test]
    async fn s3_objects_round_trip_through_a_real_s3_server() {
        let (_server, endpoint) = start_s3();
        // The bucket exists before vitrine is pointed at it, as in production.
        let made = Command::new("python3")
            .args([
                "-c",
                "import sys, boto3; boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id='t', \
                 aws_secret_access_key='t', region_name='us-east-1').create_bucket(Bucket='vitrine')",
                &endpoint,
            ])
            .status()
            .expect("python3 with boto3 (installed with moto)");
        assert!(made.success(), "bucket created");
        for (k, v) in [
            ("AWS_ENDPOINT", endpoint.as_str()),
            ("AWS_ACCESS_KEY_ID", "t"),
            ("AWS_SECRET_ACCESS_KEY", "t"),
            ("AWS_REGION", "us-east-1"),
        ] {
            std::env::set_var(k, v);
        }
        let media = Media::open("s3://vitrine/media").expect("s3 media");
        media
            .put("s1/produtos_imagens/a.png", Bytes::from_static(b"png"))
            .await
            .expect("put");
        assert_eq!(
            media
                .get("s1/produtos_imagens/a.png")
                .await
                .expect("get")
                .as_deref(),
            Some(&b"png"[..])
        );
        media
            .delete("s1/produtos_imagens/a.png")
            .await
            .expect("delete");
        assert_eq!(
            media.get("s1/produtos_imagens/a.png").await.expect("get"),
            None
        );
        assert!(matches!(
            media.get("../x").await,
            Err(MediaError::InvalidPath)
        ));
    }

    #[tokio::test]
    async fn local_files_round_trip_and_paths_cannot_escape() {
        let dir = tempfile::tempdir().expect("temp dir");
        let media = Media::local(dir.path()).expect("local media");
        media
            .put("s1/produtos_imagens/a.png", Bytes::from_static(b"png"))
            .await
            .expect("put");
        assert_eq!(
            media
                .get("s1/produtos_imagens/a.png")
                .await
                .expect("get")
                .as_deref(),
            Some(&b"png"[..])
        );
        assert!(dir.path().join("s1/produtos_imagens/a.png").exists());
        media
            .delete("s1/produtos_imagens/a.png")
            .await
            .expect("delete");
        assert_eq!(
            media.get("s1/produtos_imagens/a.png").await.expect("get"),
            None
        );
        media
            .delete("s1/produtos_imagens/a.png")
            .await
            .expect("deleting twice is fine");
        let too_long = format!("s1/{}.png", "a".repeat(300));
        for bad in [
            "",
            "../etc/passwd",
            "a/../b",
            "/abs",
            "a//b",
            ".hidden/x",
            too_long.as_str(),
        ] {
            assert!(
                matches!(media.get(bad).await, Err(MediaError::InvalidPath)),
                "{bad:?}"
            );
        }
    }

    #[tokio::test]
    async fn backend_errors_never_carry_the_absolute_media_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let media = Media::local(dir.path()).expect("local media");
        media
            .put("s1/file.png", Bytes::from_static(b"png"))
            .await
            .expect("put");
        // A file where a folder must be: the write fails in the file system.
        let e = media
            .put("s1/file.png/inner.png", Bytes::from_static(b"png"))
            .await
            .expect_err("a file is not a folder");
        let root = std::fs::canonicalize(dir.path()).expect("root");
        let root = root.to_str().expect("utf-8 path");
        let shown = format!("{e} {e:?}");
        assert!(matches!(e, MediaError::Backend { .. }), "{shown}");
        assert!(!shown.contains(root), "{shown}");
        assert!(shown.contains("s1/file.png/inner.png"), "{shown}");
    }
}
