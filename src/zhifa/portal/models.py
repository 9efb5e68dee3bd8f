"""公示平台 — models."""
