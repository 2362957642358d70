//! Renders generated files from validated container specs. Pure.
