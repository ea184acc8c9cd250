//! What depends on the reason for stay ("motif du séjour"), one module per
//! reason: its step-2 form and rules, its required documents, its minimum
//! resources. The service opens by stages; the next stage (workers, family…)
//! is a new module beside `studies`.

pub mod studies;
