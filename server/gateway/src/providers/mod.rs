//! The provider registry (data, not code branches) and model-string resolution.
