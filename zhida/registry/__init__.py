"""The registry of units (单位) and the government data imported about them."""
