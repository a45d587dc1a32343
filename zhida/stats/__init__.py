"""zhida.stats"""
