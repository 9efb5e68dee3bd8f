"""法制审核 — models."""
