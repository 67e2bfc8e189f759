"""Users: records, roles, passwords (argon2id) and the binding each role needs."""
