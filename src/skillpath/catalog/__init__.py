"""Course catalogue (placeholder while building)."""
