"""What admins use: seed reloads, health figures, digests on demand, broadcasts, error notices."""
