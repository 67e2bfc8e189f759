"""站内消息: the message records, storing and reading them, and the hooks that send them."""
