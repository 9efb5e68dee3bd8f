"""投诉举报 — models."""
