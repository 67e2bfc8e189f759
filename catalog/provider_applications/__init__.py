"""服务商入驻: a provider's own application to join the pool, and the bureau's decision."""
