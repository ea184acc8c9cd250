//! Cross-crate test crate; the tests live in `tests/`.
