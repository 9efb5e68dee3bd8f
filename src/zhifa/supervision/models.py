"""执法监督 — models."""
