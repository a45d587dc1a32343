"""zhida (直达): deliver enterprise and employment policies directly from the data a district holds."""

__version__ = "0.1.0"
