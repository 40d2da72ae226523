//! Response bodies as a few large chunks: long pieces (stored or compressed parts) are sent as they
//! are, without copying, and the short pieces between them are copied together into one chunk
//! (each chunk costs the HTTP writer more than copying a few hundred bytes does).

use axum::body::Bytes;
use std::collections::VecDeque;

/// Builds a body's chunks: [`Self::part`] for pieces that may be shared, [`Self::copy`] for
/// bytes that are always copied.
pub struct Chunker {
    chunks: Vec<Bytes>,
    run: bytes::BytesMut,
    share_from: usize,
}

impl Chunker {
    /// Parts at least `share_from` bytes long are shared; `run` is the short run's first capacity.
    pub fn new(share_from: usize, run: usize) -> Self {
        Self {
            chunks: Vec::with_capacity(8),
            run: bytes::BytesMut::with_capacity(run),
            share_from,
        }
    }

    pub fn copy(&mut self, bytes: &[u8]) {
        self.run.extend_from_slice(bytes);
    }

    /// `part`, shared if it is long enough, else copied into the current run.
    pub fn part(&mut self, part: &Bytes) {
        if part.len() >= self.share_from {
            if !self.run.is_empty() {
                self.chunks.push(self.run.split().freeze());
            }
            self.chunks.push(part.clone());
        } else {
            self.run.extend_from_slice(part);
        }
    }

    pub fn finish(mut self) -> Vec<Bytes> {
        if !self.run.is_empty() {
            self.chunks.push(self.run.freeze());
        }
        self.chunks
    }
}

/// A body of ready chunks with an exact length (so it is sent with `Content-Length`).
pub struct Chunks {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl Chunks {
    pub fn new(chunks: Vec<Bytes>) -> Self {
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Self {
            chunks: chunks.into(),
            remaining,
        }
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.chunks.pop_front();
        if let Some(chunk) = &next {
            self.remaining -= chunk.len() as u64;
        }
        std::task::Poll::Ready(next.map(|c| Ok(http_body::Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_parts_are_shared_and_short_runs_copied_together() {
        let long = Bytes::from(vec![b'x'; 8]);
        let mut c = Chunker::new(8, 0);
        c.copy(b"<");
        c.part(&Bytes::from_static(b"ab"));
        c.part(&long);
        c.copy(b"1");
        c.part(&Bytes::from_static(b"cd"));
        let chunks = c.finish();
        assert_eq!(chunks, [&b"<ab"[..], &long[..], b"1cd"]);
        assert_eq!(chunks[1].as_ptr(), long.as_ptr(), "shared, not copied");
    }
}
