"""The quarterly rebalance: propose, apply as one audited batch, revert."""
