//! Synthetic NEMSIS 3.5.1 documents (work in progress).
