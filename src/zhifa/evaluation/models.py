"""案卷评查 — models."""
