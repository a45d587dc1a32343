"""Route modules, one per area of the console; each exposes ``router``."""
