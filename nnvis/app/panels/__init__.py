"""Dock panels. Each renders the latest snapshot; none computes training."""
