//! Local adapters: SQLite, files, in-process queue.
