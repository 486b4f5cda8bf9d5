//! `guidebook import` (the framework arrives from the `import-core` branch).

#[allow(
    dead_code,
    reason = "wired into the adapters when the framework is merged"
)]
pub(crate) mod mdx;
