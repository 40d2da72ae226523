//! The one error type pages and server functions speak. It never carries internals to the browser.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在")]
    NotFound,
    #[error("请求有误:{0}")]
    BadRequest(String),
    #[error("服务器暂时无法完成请求")]
    Internal,
    /// Storage cannot be reached now; worth trying again shortly.
    #[error("服务暂时不可用")]
    Unavailable,
    /// The request to the server failed in transit (browser side only).
    #[error("网络请求失败")]
    Transport,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::BadRequest(_) => 400,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
            AppError::Transport => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments the server could not read: the caller's fault.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                AppError::BadRequest("参数无效".into())
            }
            _ => AppError::Transport,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::storage::StorageError> for AppError {
    fn from(e: crate::storage::StorageError) -> Self {
        match e {
            crate::storage::StorageError::Unavailable(_) => {
                tracing::warn!(error = %e, "storage unreachable");
                AppError::Unavailable
            }
            crate::storage::StorageError::Backend(_) => {
                tracing::error!(error = %e, "storage failure");
                AppError::Internal
            }
        }
    }
}
