"""The append-only, hash-chained audit log (全过程留痕、防篡改): its records and the chain."""
