//! Placeholder until the web configurator lands (issue 4).
